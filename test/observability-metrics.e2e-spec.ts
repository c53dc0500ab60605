import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { postGraphql } from './support/raw-graphql';
import { freePort } from './support/owned-postgres';

// GET /metrics (README "Logs and metrics"): Prometheus text behind METRICS_TOKEN, or on a port of
// its own, or nowhere; the counters move with what the service did.
const METRICS_TOKEN = 'metrics-token-for-the-e2e-tests-0123';
const TRANSITION = `mutation MoveTask($input: TransitionInput!) { transitionTask(input: $input) { id state } }`;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

// the one sample of `name` whose labels include `labels`
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

async function scrape(url: string, authorization?: string): Promise<Response> {
  return fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} });
}

describe('GET /metrics with METRICS_TOKEN', () => {
  const province = uniqueProvince('metrics');
  let server: ApiServer;
  let samples: Sample[];
  let graphqlRequests = 0;
  let swept: number;

  beforeAll(async () => {
    const { planId } = await seedPlan(testPlan(province, [{}, { timeframe: 'Quý II năm 2020', dueAt: '2020-06-30T16:59:59.999Z' }]));
    // a low rate limit for GraphQL users, which the scrapes below must not meet
    server = await startApiServer({ METRICS_TOKEN, RATE_LIMIT_MAX: '5' });
    const officer = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'officer-metrics');
    const supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-metrics');
    const admin = await token(province.code, 'admin', ['ADMIN'], 'admin-metrics');
    const tasks = await gql(server, supervisor, 'query PlanTasks($id: ID!) { plan(id: $id) { tasks { edges { node { id ordinal } } } } }', {
      id: planId,
    });
    const taskId = tasks.data!.plan.tasks.edges.find((e: { node: { ordinal: string } }) => e.node.ordinal === '1').node.id;
    const move = (event: string) => postGraphql(server, `Bearer ${officer}`, TRANSITION, { input: { taskId, event } });
    const answers = [await move('START'), await move('START'), await move('VERIFY')];
    expect(answers.map((a) => a.body.errors?.[0]?.extensions?.code ?? 'ok')).toEqual(['ok', 'INVALID_TRANSITION', 'FORBIDDEN']);
    const sweep = await postGraphql(server, `Bearer ${admin}`, 'mutation Sweep { runDeadlineSweep }');
    swept = sweep.body.data!.runDeadlineSweep;
    graphqlRequests = 5;
    const response = await scrape(server.url, `Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    samples = parse(await response.text());
  });

  afterAll(async () => server?.stop());

  it('does count transitions by event and outcome, refused ones with their code', () => {
    expect(value(samples, 'task_transitions_total', { event: 'START', outcome: 'ok' })).toBe(1);
    expect(value(samples, 'task_transitions_total', { event: 'START', outcome: 'INVALID_TRANSITION' })).toBe(1);
    expect(value(samples, 'task_transitions_total', { event: 'VERIFY', outcome: 'FORBIDDEN' })).toBe(1);
    expect(value(samples, 'task_transitions_total', { event: 'VERIFY', outcome: 'ok' })).toBeUndefined();
  });

  it('does count the sweep run and the tasks it marked after runDeadlineSweep', () => {
    expect(swept).toBe(1);
    expect(value(samples, 'deadline_sweep_runs_total')).toBe(1);
    expect(value(samples, 'deadline_sweep_tasks_marked_total')).toBe(1);
  });

  it('does count GraphQL operations by name, type and outcome, with their latency, and no scrape among them', () => {
    expect(value(samples, 'graphql_operations_total', { operation: 'MoveTask', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(value(samples, 'graphql_operations_total', { operation: 'MoveTask', outcome: 'FORBIDDEN' })).toBe(1);
    expect(value(samples, 'graphql_operations_total', { operation: 'Sweep', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(value(samples, 'graphql_operations_total', { operation: 'PlanTasks', type: 'query', outcome: 'ok' })).toBe(1);
    expect(value(samples, 'graphql_operation_duration_seconds_count', { operation: 'MoveTask', type: 'mutation' })).toBe(3);
    expect(value(samples, 'graphql_operation_duration_seconds_bucket', { operation: 'MoveTask', le: '+Inf' })).toBe(3);
    const operations = samples.filter((s) => s.name === 'graphql_operations_total').reduce((sum, s) => sum + s.value, 0);
    expect(operations).toBe(graphqlRequests);
    expect(value(samples, 'http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBe(graphqlRequests);
  });

  it('does report the database pool, read when scraped, and the event-loop lag', () => {
    expect(value(samples, 'db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'db_pool_waiting_clients')).toBe(0);
    expect(value(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('does answer 401 without the token or with a wrong one, and tell nothing', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${METRICS_TOKEN.slice(0, -1)}x`,
      METRICS_TOKEN,
      `Basic ${METRICS_TOKEN}`,
    ]) {
      const response = await scrape(server.url, authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.text()).not.toContain('http_requests_total');
    }
  });

  it('does not hold scrapes to the GraphQL users rate limit', async () => {
    for (let i = 0; i < 8; i += 1) expect((await scrape(server.url, `Bearer ${METRICS_TOKEN}`)).status).toBe(200);
    const after = parse(await (await scrape(server.url, `Bearer ${METRICS_TOKEN}`)).text());
    expect(value(after, 'http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(9);
  });
});

describe('GET /metrics without METRICS_TOKEN and METRICS_PORT', () => {
  let server: ApiServer;
  beforeAll(async () => (server = await startApiServer()));
  afterAll(async () => server?.stop());

  it('does answer 404 (with a request id, like every answer)', async () => {
    const response = await scrape(server.url);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await scrape(server.url, `Bearer ${METRICS_TOKEN}`)).status).toBe(404);
  });
});

describe('GET /metrics on METRICS_PORT', () => {
  let port: number;
  let server: ApiServer;
  beforeAll(async () => {
    port = await freePort();
    server = await startApiServer({ METRICS_PORT: String(port) });
  });
  afterAll(async () => server?.stop());

  it('does serve the metrics on the separate port without a token, and not on the API port', async () => {
    const response = await scrape(`http://127.0.0.1:${port}`);
    expect(response.status).toBe(200);
    const samples = parse(await response.text());
    expect(value(samples, 'db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => s.name === 'http_requests_total')).toBe(true);
    expect((await scrape(server.url)).status).toBe(404);
    // the second listener writes through the same logger: nothing but JSON lines (no deprecation warning)
    expect(
      server
        .output()
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('{')),
    ).toEqual([]);
  });
});

describe('GET /metrics on METRICS_PORT with METRICS_TOKEN', () => {
  let port: number;
  let server: ApiServer;
  beforeAll(async () => {
    port = await freePort();
    server = await startApiServer({ METRICS_PORT: String(port), METRICS_TOKEN });
  });
  afterAll(async () => server?.stop());

  it('does still need the token on the separate port', async () => {
    expect((await scrape(`http://127.0.0.1:${port}`)).status).toBe(401);
    expect((await scrape(`http://127.0.0.1:${port}`, `Bearer ${METRICS_TOKEN}`)).status).toBe(200);
    expect((await scrape(server.url, `Bearer ${METRICS_TOKEN}`)).status).toBe(404);
  });
});
