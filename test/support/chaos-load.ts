import { TEST_JWT_SECRET, type ApiServer } from './api-server';

// HTTP load for the chaos tests: every request is timed and kept, whatever it answered.

export interface Sample {
  kind: 'query' | 'transition' | 'health';
  startedAt: number;
  ms: number;
  status: number | null; // null: no HTTP answer (connection refused/reset, or our own abort)
  body: any;
  text: string;
}

export const CLIENT_ABORT_MS = 60_000; // far past any bound the tests assert: a hang shows as a long sample

export async function post(server: ApiServer, token: string, kind: Sample['kind'], query: string, variables: object): Promise<Sample> {
  const startedAt = Date.now();
  try {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(CLIENT_ABORT_MS),
    });
    const text = await response.text();
    return { kind, startedAt, ms: Date.now() - startedAt, status: response.status, body: parse(text), text };
  } catch (error) {
    return { kind, startedAt, ms: Date.now() - startedAt, status: null, body: null, text: String((error as Error)?.message ?? error) };
  }
}

export async function getHealth(server: ApiServer): Promise<Sample> {
  const startedAt = Date.now();
  try {
    const response = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(CLIENT_ABORT_MS) });
    const text = await response.text();
    return { kind: 'health', startedAt, ms: Date.now() - startedAt, status: response.status, body: parse(text), text };
  } catch (error) {
    return {
      kind: 'health',
      startedAt,
      ms: Date.now() - startedAt,
      status: null,
      body: null,
      text: String((error as Error)?.message ?? error),
    };
  }
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function errorCodes(sample: Sample): string[] {
  return ((sample.body?.errors ?? []) as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code ?? '(none)');
}

export function succeeded(sample: Sample): boolean {
  return sample.status === 200 && !sample.body?.errors && sample.body?.data != null;
}

// A deterministic generator (mulberry32) for fixed-seed choices.
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(check: () => Promise<T | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export { TEST_JWT_SECRET };
