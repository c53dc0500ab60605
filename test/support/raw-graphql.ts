import type { ApiServer } from './api-server';

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: { data: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

// One GraphQL request over HTTP, with its response headers (x-request-id) and the operation name.
export async function postGraphql(
  server: ApiServer,
  authorization: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const operationName = /^(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query.trim())?.[1];
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...headers },
    body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as RawAnswer['body'] };
}

// The service's stdout and stderr as lines, once `done` holds for them (they arrive through a pipe).
export async function outputLines(server: ApiServer, done: (lines: string[]) => boolean): Promise<string[]> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    if (done(lines)) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the expected log lines did not arrive:\n${server.output().slice(-3000)}`);
}
