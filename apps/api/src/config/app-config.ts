import { resolve } from 'node:path';
import type { z } from 'zod';
import { EnvSchema, settingMeta, type Env, type EnvName } from './config-schema';

export { MIN_JWT_SECRET_BYTES } from './config-schema';

// The one place that reads process.env (ARCHITECTURE.md). Every variable is declared in
// config-schema.ts; this file turns the validated variables into the shape the code uses.
export interface AppConfig {
  databaseUrl: string | null;
  port: number;
  host: string;
  dataDir: string;
  jwt: JwtConfig;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  logFormat: 'json' | 'pretty';
  loadSample: boolean;
  deadlineSweepIntervalMs: number;
  production: boolean;
  exposeSqlQueryCount: boolean; // diagnostics: x-sql-query-count response header
  introspection: boolean; // schema introspection and the GraphiQL page (off in production unless enabled)
  rateLimit: { max: number; windowMs: number }; // GraphQL requests per user per window
  bodyLimit: { user: number; admin: number }; // bytes of one GraphQL request body
  database: DatabasePoolConfig & { replicaUrls: string[] };
  metrics: { token: string | null; port: number | null };
  console: { enabled: boolean };
  shutdownGraceMs: number; // SIGTERM: how long draining may take before the process exits with 1
}

export interface JwtConfig {
  secret: string | null; // HS256 shared secret (AUTH_JWT_SECRET)
  jwksUrl: string | null; // OIDC issuer's JWKS (AUTH_JWKS_URL) replaces the secret when set
  issuer: string | null;
  audience: string | null;
}

// One wrong variable: its name, what it should be and what was given (a secret's value is never shown).
export interface ConfigProblem {
  variable: EnvName;
  expected: string;
  given: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.variable} must be ${p.expected}, got ${p.given}`).join('; '));
  }
}

export interface TerminalInfo {
  stdoutIsTty: boolean;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  terminal: TerminalInfo = { stdoutIsTty: Boolean(process.stdout.isTTY) },
): AppConfig {
  const e = parseEnv(env, EnvSchema);
  const production = e.NODE_ENV === 'production';
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === (e.PORT ?? 3000)) {
    throw new ConfigError([
      { variable: 'METRICS_PORT', expected: `a port other than PORT (${e.PORT ?? 3000})`, given: String(e.METRICS_PORT) },
    ]);
  }
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    dataDir: resolve(e.DATA_DIR ?? '.data'),
    jwt: {
      secret: e.AUTH_JWT_SECRET ?? null,
      jwksUrl: e.AUTH_JWKS_URL ?? null,
      issuer: e.AUTH_JWT_ISSUER ?? null,
      audience: e.AUTH_JWT_AUDIENCE ?? null,
    },
    logLevel: e.LOG_LEVEL ?? 'log',
    logFormat: e.LOG_FORMAT ?? (terminal.stdoutIsTty && !production ? 'pretty' : 'json'),
    loadSample: e.LOAD_SAMPLE ?? false,
    deadlineSweepIntervalMs: e.DEADLINE_SWEEP_INTERVAL_MS ?? 60_000,
    production,
    exposeSqlQueryCount: e.EXPOSE_SQL_QUERY_COUNT ?? false,
    introspection: e.GRAPHQL_INTROSPECTION ?? !production,
    rateLimit: { max: e.RATE_LIMIT_MAX ?? 600, windowMs: e.RATE_LIMIT_WINDOW_MS ?? 60_000 },
    bodyLimit: { user: e.BODY_LIMIT_BYTES ?? 1024 * 1024, admin: e.ADMIN_BODY_LIMIT_BYTES ?? 16 * 1024 * 1024 },
    database: { ...poolConfigOf(e), replicaUrls: e.DATABASE_REPLICA_URLS ?? [] },
    metrics: { token: e.METRICS_TOKEN ?? null, port: e.METRICS_PORT ?? null },
    console: { enabled: e.CONSOLE_ENABLED ?? !production },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS ?? 10_000,
  };
}

// How long the service waits for PostgreSQL before it answers SERVICE_UNAVAILABLE. Every bound is
// finite, so a frozen or stopped database never holds a request for longer than about
// connectTimeoutMs + queryTimeoutMs.
export interface DatabasePoolConfig {
  poolMax: number; // DATABASE_POOL_MAX
  connectTimeoutMs: number; // DATABASE_CONNECT_TIMEOUT_MS: open a connection or wait for a free one
  statementTimeoutMs: number; // DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a longer statement
  lockTimeoutMs: number; // DATABASE_LOCK_TIMEOUT_MS: PostgreSQL gives up waiting for a row or table lock
  idleInTransactionTimeoutMs: number; // DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS
  queryTimeoutMs: number; // DATABASE_QUERY_TIMEOUT_MS: the client gives up on a database that does not answer at all
  healthTimeoutMs: number; // DATABASE_HEALTH_TIMEOUT_MS: GET /health reports the database down after this
}

const POOL_VARIABLES = {
  DATABASE_POOL_MAX: true,
  DATABASE_CONNECT_TIMEOUT_MS: true,
  DATABASE_STATEMENT_TIMEOUT_MS: true,
  DATABASE_LOCK_TIMEOUT_MS: true,
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: true,
  DATABASE_QUERY_TIMEOUT_MS: true,
  DATABASE_HEALTH_TIMEOUT_MS: true,
} as const;

// The pool's settings alone (data sources built outside the app, e.g. by the CLIs and tests).
export function databasePoolConfig(env: NodeJS.ProcessEnv = process.env): DatabasePoolConfig {
  return poolConfigOf(parseEnv(env, EnvSchema.pick(POOL_VARIABLES)));
}

function poolConfigOf(e: Pick<Env, keyof typeof POOL_VARIABLES>): DatabasePoolConfig {
  const statementTimeoutMs = e.DATABASE_STATEMENT_TIMEOUT_MS ?? 10_000;
  return {
    poolMax: e.DATABASE_POOL_MAX ?? 20,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS ?? 5_000,
    statementTimeoutMs,
    lockTimeoutMs: e.DATABASE_LOCK_TIMEOUT_MS ?? 5_000,
    idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? 60_000,
    queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS ?? statementTimeoutMs + 2_000,
    healthTimeoutMs: e.DATABASE_HEALTH_TIMEOUT_MS ?? 2_000,
  };
}

// Validates every variable at once: one ConfigError names each wrong one.
function parseEnv<S extends z.ZodObject>(env: NodeJS.ProcessEnv, schema: S): z.output<S> {
  const names = Object.keys(schema.shape) as EnvName[];
  const input = Object.fromEntries(names.map((name) => [name, env[name]]));
  const result = schema.safeParse(input);
  const problems: ConfigProblem[] = result.success ? [] : result.error.issues.map((issue) => problemOf(issue, env));
  if ('AUTH_JWKS_URL' in schema.shape && isSet(env.AUTH_JWKS_URL)) {
    // tokens are accepted for one issuer and audience
    for (const variable of ['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE'] as const) {
      if (!isSet(env[variable])) problems.push({ variable, expected: 'set when AUTH_JWKS_URL is set', given: 'nothing' });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data!;
}

const isSet = (raw: string | undefined) => raw !== undefined && raw.trim() !== '';

function problemOf(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): ConfigProblem {
  const variable = String(issue.path[0]) as EnvName;
  return { variable, expected: issue.message, given: shown(variable, env[variable]) };
}

const SHOWN_CHARACTERS = 100;

function shown(variable: EnvName, raw: string | undefined): string {
  if (raw === undefined) return 'nothing';
  if (settingMeta(variable).secret) return `a secret of ${Buffer.byteLength(raw.trim(), 'utf8')} bytes (not shown)`;
  const value = raw.length > SHOWN_CHARACTERS ? `${raw.slice(0, SHOWN_CHARACTERS)}…` : raw;
  return JSON.stringify(value);
}
