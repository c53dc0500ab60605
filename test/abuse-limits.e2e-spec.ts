import { getIntrospectionQuery } from 'graphql';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { expectError } from './support/e2e-helpers';
import { AGENCIES, seedPlan, testPlan } from './support/fixtures';

// What one client can make the service do (OWASP API4: unrestricted resource consumption). Every
// limit answers before the work it guards, with a GraphQL error naming the limit, and leaves the
// service serving everyone else.
const PROVINCE = 'thai-binh';
const { justice, monitoring } = AGENCIES;

async function post(server: ApiServer, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // asserted by the caller
  }
  return { status: response.status, headers: response.headers, text, json };
}

const codesOf = (json: any): string[] => (json?.errors ?? []).map((e: any) => e.extensions?.code);

describe('abuse limits', () => {
  let server: ApiServer;
  let officer: string;
  let admin: string;
  let planId: string;

  beforeAll(async () => {
    server = await startApiServer();
    officer = await token(PROVINCE, justice.code, ['OFFICER'], 'officer-abuse');
    admin = await token(PROVINCE, 'it-centre', ['ADMIN'], 'admin-abuse');
    const tasks = Array.from({ length: 3 }, () => ({ leadAgencyCode: justice.code, coordinatingAgencyCodes: [] }));
    planId = (await seedPlan(testPlan({ code: PROVINCE, name: 'Thái Bình' }, tasks))).planId;
  });

  afterAll(async () => server?.stop());

  describe('introspection', () => {
    it('does answer the standard introspection query of GraphiQL and codegen tools outside production', async () => {
      const result = await gql(server, officer, getIntrospectionQuery());
      expect(result.errors).toBeUndefined();
      expect(result.data?.__schema?.queryType?.name).toBe('Query');
    });

    it('does still refuse a query nested deeper than the depth limit', async () => {
      const deep = `{ task(id: "00000000-0000-0000-0000-000000000000") { ${'parent { '.repeat(12)} id ${'} '.repeat(12)} } }`;
      const result = await gql(server, officer, deep);
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/depth/i);
    });
  });

  describe('authentication comes first', () => {
    it('does refuse a cached query text sent again without a token', async () => {
      const query = '{ __typename }';
      for (const text of [query, '{ __schema { queryType { name } } }']) {
        expect((await gql(server, officer, text)).errors).toBeUndefined();
        expect((await gql(server, officer, text)).errors).toBeUndefined();
        expectError(await gql(server, null, text), 'UNAUTHENTICATED');
        expectError(await gql(server, 'garbage', text), 'UNAUTHENTICATED');
      }
    });

    it('does answer UNAUTHENTICATED, not a syntax error, to a broken query without a token: the token is checked before parsing', async () => {
      const result = await post(server, JSON.stringify({ query: '{ plans { id ' }));
      expect(codesOf(result.json)).toEqual(['UNAUTHENTICATED']);
    });

    it('does answer UNAUTHENTICATED to a 4 MB body without a token, before reading it as GraphQL', async () => {
      const result = await post(server, JSON.stringify({ query: `{ ${'a '.repeat(2 * 1024 * 1024)} }` }));
      expect(codesOf(result.json)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('size of a request', () => {
    it('does refuse a document with more tokens than the parser limit', async () => {
      const result = await gql(server, officer, `{ plans { ${'id '.repeat(20000)} } }`);
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/tokens/i);
    });

    it('does refuse a 16 MB query of repeated names from a signed-in officer without running out of memory', async () => {
      const result = await post(server, JSON.stringify({ query: `{ ${'plans '.repeat(2_700_000)} }` }), {
        authorization: `Bearer ${officer}`,
      });
      expect(result.status).toBeLessThan(500);
      expect(codesOf(result.json)).toEqual(['BAD_USER_INPUT']);
      expect((await gql(server, officer, '{ __typename }')).data?.__typename).toBe('Query');
    });

    it('does refuse a query text longer than the limit even when it has few tokens', async () => {
      const result = await gql(server, officer, `{ plans(provinceCode: "${'x'.repeat(300_000)}") { id } }`);
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/Query text is too long/);
    });

    it('does refuse a body over the limit of non-ADMIN tokens with 413 and a GraphQL error', async () => {
      const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
      const result = await post(server, body, { authorization: `Bearer ${officer}` });
      expect(result.status).toBe(413);
      expect(codesOf(result.json)).toEqual(['BAD_USER_INPUT']);
      expect(result.json.errors[0].message).toMatch(/bytes/);
    });

    it('does accept a body of that size from an ADMIN token (plan documents are uploaded as base64)', async () => {
      const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
      const result = await post(server, body, { authorization: `Bearer ${admin}` });
      expect(result.status).toBe(200);
      expect(result.json.data.__typename).toBe('Query');
    });
  });

  describe('aliases and cost', () => {
    it('does refuse a document with more aliases than the limit', async () => {
      const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: me { roles }`).join(' ');
      const result = await gql(server, officer, `{ ${aliases} }`);
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/alias/i);
    });

    it('does refuse many aliases of verifyAuditTrail before running any of them', async () => {
      const auditor = await token(PROVINCE, 'thanh-tra-tinh', ['AUDITOR'], 'auditor-abuse');
      const aliases = Array.from({ length: 20 }, (_, i) => `v${i}: verifyAuditTrail(planId: "${planId}") { ok }`).join(' ');
      const result = await gql(server, auditor, `{ ${aliases} }`);
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/complex/i);
    });

    it.each([
      ['a negative first', -1],
      ['a zero first', 0],
      ['a huge first', 1_000_000],
    ])('does refuse %s before execution, also when a sibling asks for a large page', async (_name, first) => {
      const query = `query($first: Int) {
        small: tasks(planId: "${planId}", first: $first) { totalCount }
        big: tasks(planId: "${planId}", first: 100) { edges { node { id history { seq } } } }
      }`;
      const result = await gql(server, officer, query, { first });
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/first/);
      expect(result.data ?? null).toBeNull();
    });

    it('does count list fields: many pages of tasks with their histories and agencies exceed the cost limit', async () => {
      const page =
        'tasks(first: 100) { edges { node { id history { seq actorAgency { code } } children { id } coordinatingAgencies { code } } } }';
      const aliases = Array.from({ length: 10 }, (_, i) => `p${i}: ${page.replace('tasks(', `tasks(planId: "${planId}", `)}`).join(' ');
      const result = await gql(server, officer, `{ ${aliases} }`);
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/complex/i);
    });

    it('does still answer a plan page of 50 tasks with agencies, state and due date', async () => {
      const query = `{ tasks(planId: "${planId}", first: 50) { totalCount edges { node { id state dueAt leadAgency { code name } coordinatingAgencies { code name } availableEvents } } } }`;
      const result = await gql(server, officer, query);
      expect(result.errors).toBeUndefined();
      expect(result.data!.tasks.totalCount).toBeGreaterThan(0);
    });
  });

  describe('browsers and cross-site requests', () => {
    it('does refuse a mutation sent as a simple cross-site request (text/plain)', async () => {
      const result = await post(server, JSON.stringify({ query: 'mutation { runDeadlineSweep }' }), {
        'content-type': 'text/plain',
        authorization: `Bearer ${admin}`,
      });
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.status).toBeLessThan(500);
    });

    it('does refuse a mutation over GET', async () => {
      const url = `${server.url}/graphql?query=${encodeURIComponent('mutation { runDeadlineSweep }')}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });

    it('does send security headers', async () => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${officer}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBeTruthy();
      expect(response.headers.get('strict-transport-security')).toBeTruthy();
      expect(response.headers.get('x-powered-by')).toBeNull();
    });
  });
});

describe('per-user rate limit', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' });
  });

  afterAll(async () => server?.stop());

  it('does answer RATE_LIMITED with 429 once a user exceeds the limit, and keeps serving other users', async () => {
    const greedy = await token(PROVINCE, justice.code, ['OFFICER'], 'greedy');
    const other = await token(PROVINCE, monitoring.code, ['SUPERVISOR'], 'patient');
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push(await gql(server, greedy, '{ __typename }'));
    expect(answers.slice(0, 5).every((a) => a.data?.__typename === 'Query')).toBe(true);
    const limited = answers[6];
    expect(limited.status).toBe(429);
    expect(limited.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(limited.errors![0].message).toMatch(/5 requests/);
    expect((await gql(server, other, '{ __typename }')).data?.__typename).toBe('Query');
  });
});

describe('production mode', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ NODE_ENV: 'production' });
  });

  afterAll(async () => server?.stop());

  it('does refuse introspection', async () => {
    const officer = await token(PROVINCE, justice.code, ['OFFICER']);
    const result = await gql(server, officer, '{ __schema { queryType { name } } }');
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(new Set(result.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(result.errors![0].message).toMatch(/introspection/i);
  });

  it('does not serve the GraphiQL page', async () => {
    const response = await fetch(`${server.url}/graphiql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
  });
});
