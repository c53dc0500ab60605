// The load generator: autocannon in a process of its own (never in the API's or the bench's).
// `node dist/bench/bench/load.js CONFIG.json` prints one JSON line with what it measured.
// With `ids`, every request carries the next id as $id (one transition per task); a request
// counts as ok only when its GraphQL answer has data and no errors (and contains `expect`).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface LoadConfig {
  url: string; // …/graphql
  token: string;
  connections: number;
  durationS: number;
  query: string;
  variables?: Record<string, unknown>;
  ids?: string[];
  expect?: string;
}

export interface LoadResult {
  ok: number;
  failed: number;
  elapsedS: number;
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  firstError: string | null;
  exhausted: boolean;
}

interface AutocannonResult {
  latency: { p50: number; p99: number };
}
interface AutocannonInstance {
  stop(): void;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

function main(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as Autocannon;
  const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadConfig;
  let ok = 0;
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  let exhausted = false;
  const ids = config.ids ?? null;
  const fixedBody = JSON.stringify({ query: config.query, variables: config.variables ?? {} });
  const started = performance.now();
  // setupRequest stops it only when the ids run out, long after this assignment
  const instance: AutocannonInstance = autocannon(
    {
      url: config.url,
      connections: config.connections,
      duration: config.durationS,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.token}` },
      body: fixedBody,
      requests: [
        {
          setupRequest: (request: Record<string, unknown>) => {
            if (!ids) return request;
            if (next >= ids.length) {
              if (!exhausted) {
                exhausted = true;
                setImmediate(() => instance.stop());
              }
              return { ...request, body: JSON.stringify({ query: '{ __typename }' }) };
            }
            return { ...request, body: JSON.stringify({ query: config.query, variables: { ...config.variables, id: ids[next++] } }) };
          },
          onResponse: (status: number, body: string) => {
            // the filler sent once the ids ran out is neither a success nor a failure
            if (exhausted && body === '{"data":{"__typename":"Query"}}' && config.query !== '{ __typename }') return;
            const good = status === 200 && !body.includes('"errors"') && (!config.expect || body.includes(config.expect));
            if (good) ok++;
            else {
              failed++;
              firstError ??= `${status} ${body.slice(0, 300)}`;
            }
          },
        },
      ],
    },
    (error, result) => {
      if (error) throw error;
      const elapsedS = (performance.now() - started) / 1000;
      const out: LoadResult = {
        ok,
        failed,
        elapsedS,
        okPerSecond: ok / elapsedS,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        firstError,
        exhausted,
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    },
  );
}

if (require.main === module) main();
