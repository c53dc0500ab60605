import { gql, startApiServer, type ApiServer } from './support/api-server';
import { expectError } from './support/e2e-helpers';

// What operators and browsers see before any token is involved.
describe('health and entry points', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer();
  });

  afterAll(async () => server?.stop());

  it('does answer GET /health with 200 and JSON status ok when the database is up', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('does answer /health/live and /health/ready with 200 without a token', async () => {
    const live = await fetch(`${server.url}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${server.url}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', database: 'up', migrations: 'applied' }]);
  });

  it('does redirect a browser to /graphiql when it GETs /graphql with Accept text/html', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    expect([301, 302, 303, 307, 308]).toContain(response.status);
    expect(new URL(response.headers.get('location')!, server.url).pathname).toBe('/graphiql');
  });

  it('does serve the GraphiQL page when the browser follows the redirect', async () => {
    const response = await fetch(`${server.url}/graphiql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('does answer UNAUTHENTICATED when { __typename } is POSTed without a token', async () => {
    const result = await gql(server, null, '{ __typename }');
    expectError(result, 'UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('does answer UNAUTHENTICATED when a query is POSTed without a token', async () => {
    expectError(await gql(server, null, '{ plans { id } }'), 'UNAUTHENTICATED');
  });
});

describe('health probes under the GraphQL rate limit', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ RATE_LIMIT_MAX: '1' });
  });

  afterAll(async () => server?.stop());

  it('does answer every probe while GraphQL requests are over the limit', async () => {
    const graphql = [];
    for (let i = 0; i < 3; i++) graphql.push((await gql(server, null, '{ __typename }')).status);
    expect(graphql.at(-1)).toBe(429);
    const probes = [];
    for (let i = 0; i < 5; i++) {
      probes.push((await fetch(`${server.url}/health/ready`)).status, (await fetch(`${server.url}/health/live`)).status);
    }
    expect(probes).toEqual(Array(10).fill(200));
  });
});
