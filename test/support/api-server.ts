import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { signToken } from '../../apps/api/src/auth/jwt.service';
import type { Role } from '../../libs/approval-rules/src';

export const MAIN_JS = resolve(__dirname, '../../dist/apps/api/apps/api/src/main.js');
export const TEST_JWT_SECRET = 'e2e-test-secret-not-for-production';

export interface ApiServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

// The real service as a separate process (built by `npm test` first), over real HTTP.
// A random port may be taken (seen in CI: EADDRINUSE): another port is tried, up to three times.
export async function startApiServer(env: Record<string, string> = {}): Promise<ApiServer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnRandomPort(env);
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startOnRandomPort(env: Record<string, string>): Promise<ApiServer> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run "npm run build" first (npm test does)`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  let output = '';
  const child = spawn(process.execPath, [MAIN_JS], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DEADLINE_SWEEP_INTERVAL_MS: '0',
      EXPOSE_SQL_QUERY_COUNT: 'true',
      // tests fire thousands of requests with one token; the limit has its own test
      RATE_LIMIT_MAX: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    // a server that never became healthy must not live on (and sweep) under later test files
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`API server did not become healthy:\n${output()}`);
}

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  sqlQueries: number | null;
}

export async function gql<T = Record<string, any>>(
  server: ApiServer,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GqlResponse<T>> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T | null; errors?: GqlResponse['errors'] };
  const count = response.headers.get('x-sql-query-count');
  return { status: response.status, data: body.data, errors: body.errors, sqlQueries: count === null ? null : Number(count) };
}

export function token(province: string, agency: string, roles: Role[], sub = `${agency}:${roles.join('+')}`): Promise<string> {
  return signToken({ sub, province, agency, roles }, TEST_JWT_SECRET);
}
