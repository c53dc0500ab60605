import { createClient, type Client as WsClient } from 'graphql-ws';
import { get } from 'node:http';
import WebSocket from 'ws';
import { signToken } from '../apps/api/src/auth/jwt.service';
import { PgGate } from '../apps/api/src/test-support/pg-gate';
import { endOfLocalDayUtc } from '../libs/plan-import/src';
import { gql, startApiServer, token, TEST_JWT_SECRET, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { fire, withPg } from './support/e2e-helpers';

const TASK_CHANGED = `subscription Live($planId: ID) {
  taskChanged(planId: $planId) { id state version resync availableEvents plan { id } leadAgency { code } history { seq type } }
}`;

interface LiveTask {
  id: string;
  resync: boolean | null;
  state: string;
  version: number;
  availableEvents: string[];
  plan: { id: string };
  leadAgency: { code: string };
  history: { seq: number; type: string }[];
}

// A subscription over graphql-ws: what it receives, in order, and how it ended.
class Subscription {
  readonly received: LiveTask[] = [];
  errors: unknown[] = [];
  private waiters: (() => void)[] = [];

  constructor(client: WsClient, planId: string | null) {
    client.subscribe<{ taskChanged: LiveTask }>(
      { query: TASK_CHANGED, variables: { planId } },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...result.errors);
          if (result.data) this.received.push(result.data.taskChanged);
          this.wake();
        },
        error: (error) => {
          this.errors.push(error);
          this.wake();
        },
        complete: () => this.wake(),
      },
    );
  }

  // Waits (generously, no timing asserted) until `done` holds for what arrived.
  async until(done: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.received)}, errors ${JSON.stringify(this.errors)}`);
      }
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 250);
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}

interface Closed {
  code: number;
  reason: string;
}

// The backends of the task change feeds that came through the gate.
async function feedBackends(gate: PgGate): Promise<number[]> {
  return withPg(async (pg) =>
    (
      await pg.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'task-change-feed' AND client_port = ANY($1)`,
        [gate.ports()],
      )
    ).rows.map((row) => row.pid),
  );
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function connect(server: ApiServer, authorization: string | null, onClosed?: (event: unknown) => void): WsClient {
  return createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClosed?.(event) },
    onNonLazyError: () => undefined,
  });
}

// Waits until the server acknowledged the connection (a subscription made after it is listening).
async function connected(client: WsClient): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('closed', (event) => reject(new Error(`closed before connection_ack: ${JSON.stringify(event)}`)));
  });
}

// Subscribing is asynchronous on the server: a probe (a coordinating agency's contribution, which
// leaves the state as it is) proves the subscription is live. One fired before the server
// registered the subscription is not heard: then another is fired (the wait is not an assertion).
async function probe(subscription: Subscription, server: ApiServer, coordinator: string, taskId: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const { version } = await fire(server, coordinator, { taskId, event: 'CONTRIBUTE', comment: 'Ý kiến phối hợp' });
    try {
      await subscription.until(
        () => subscription.received.some((t) => t.id === taskId && t.version >= version),
        `the probe on ${taskId}`,
        5_000,
      );
      return;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
  }
}

describe('live updates (taskChanged over graphql-ws)', () => {
  const province = uniqueProvince('live');
  const other = uniqueProvince('live-other');
  let a: ApiServer;
  let b: ApiServer;
  let planId: string;
  let otherPlanId: string;
  let tasks: string[];
  let otherTasks: string[];
  let lead: string;
  let otherLead: string;
  let coordinator: string;
  let otherCoordinator: string;
  const bulk = uniqueProvince('live-bulk');
  let bulkPlanId: string;
  const slow = uniqueProvince('live-slow');
  let slowPlanId: string;
  const clients: WsClient[] = [];
  // instance A reaches PostgreSQL through the gate, to cut its LISTEN connection and keep it down
  const gate = new PgGate(process.env.TEST_DATABASE_URL!);

  beforeAll(async () => {
    ({ planId } = await seedPlan(testPlan(province, [{}, {}, { dueAt: endOfLocalDayUtc('2021-06-30') }, {}, {}, {}])));
    ({ planId: otherPlanId } = await seedPlan(testPlan(other, [{}])));
    // more tasks due in the past than a resync lists one by one (RESYNC_TASKS_PER_PLAN = 50)
    ({ planId: bulkPlanId } = await seedPlan(
      testPlan(
        bulk,
        Array.from({ length: 51 }, () => ({ dueAt: endOfLocalDayUtc('2021-06-30') })),
      ),
    ));
    ({ planId: slowPlanId } = await seedPlan(testPlan(slow, [{}])));
    // instance A reaches PostgreSQL through the gate (to cut its LISTEN connection); B directly
    const gated = await gate.start();
    [a, b] = await Promise.all([startApiServer({ DATABASE_URL: gated }), startApiServer()]);
    lead = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'live-lead');
    otherLead = await token(other.code, AGENCIES.justice.code, ['OFFICER'], 'live-other-lead');
    coordinator = await token(province.code, AGENCIES.ict.code, ['OFFICER'], 'live-coordinator');
    otherCoordinator = await token(other.code, AGENCIES.ict.code, ['OFFICER'], 'live-other-coordinator');
    tasks = await taskIds(a, lead, planId);
    otherTasks = await taskIds(a, otherLead, otherPlanId);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([a?.stop(), b?.stop()]);
    await gate.stop();
  });

  function open(server: ApiServer, authorization: string | null, onClosed?: (event: unknown) => void): WsClient {
    const client = connect(server, authorization, onClosed);
    clients.push(client);
    return client;
  }

  it('does deliver to a subscriber on instance A a transition made over HTTP on instance B, with its new state and version', async () => {
    const client = open(a, `Bearer ${lead}`);
    await connected(client);
    const live = new Subscription(client, planId);
    await probe(live, b, coordinator, tasks[3]);

    const started = await fire(b, lead, { taskId: tasks[0], event: 'START' });
    await live.until(() => live.received.some((t) => t.id === tasks[0]), 'START on task 0');
    const seen = live.received.find((t) => t.id === tasks[0])!;
    expect(seen).toMatchObject({ id: tasks[0], state: 'IN_PROGRESS', version: started.version, plan: { id: planId } });
    expect(seen.leadAgency.code).toBe(AGENCIES.justice.code);
    // field resolvers answer as in queries, for this viewer
    expect(seen.availableEvents).toContain('SUBMIT_REPORT');
    expect(seen.history.map((h) => h.type)).toEqual(['START']);
    expect(live.errors).toEqual([]);
  });

  it("does not deliver another province's transitions, and refuses a subscription to its plan with NOT_FOUND", async () => {
    const client = open(a, `Bearer ${otherLead}`);
    await connected(client);
    const foreign = new Subscription(client, planId);
    await foreign.until(() => foreign.errors.length > 0, 'the refusal');
    expect(foreign.received).toEqual([]);
    expect(JSON.stringify(foreign.errors)).toContain('NOT_FOUND');

    // every task of its own scope (no planId): province A's transition first, then its own
    const own = new Subscription(client, null);
    await probe(own, b, otherCoordinator, otherTasks[0]);
    await fire(b, lead, { taskId: tasks[1], event: 'START' });
    await fire(b, otherLead, { taskId: otherTasks[0], event: 'START' });
    await own.until(() => own.received.some((t) => t.id === otherTasks[0] && t.state === 'IN_PROGRESS'), 'its own START');
    expect(own.received.every((t) => otherTasks.includes(t.id))).toBe(true);
  });

  // Closes: 4403 Forbidden for a token refused at connection_init or expired while connected.
  async function closeOf(authorization: string | null, subscribe = true): Promise<{ closed: Closed; acknowledged: boolean }> {
    let closed: Closed | null = null;
    const client = open(a, authorization, (event) => (closed = event as Closed));
    let acknowledged = false;
    client.on('connected', () => (acknowledged = true));
    if (subscribe) new Subscription(client, planId);
    await until(() => closed !== null, 'the close');
    return { closed: closed!, acknowledged };
  }

  it('does refuse connection_init with a missing, invalid or expired token: close 4403 naming why', async () => {
    const expired = await signToken(
      { sub: 'live-expired', province: province.code, agency: AGENCIES.justice.code, roles: ['OFFICER'] },
      TEST_JWT_SECRET,
      '-10s',
    );
    const cases: [string | null, RegExp][] = [
      [null, /Missing Authorization/],
      ['Bearer not-a-jwt', /Invalid token/],
      [`Bearer ${expired}`, /expired/],
    ];
    for (const [authorization, why] of cases) {
      const { closed, acknowledged } = await closeOf(authorization);
      expect(acknowledged).toBe(false);
      expect(closed.code).toBe(4403);
      expect(closed.reason).toMatch(/^Forbidden: /);
      expect(closed.reason).toMatch(why);
    }
  });

  it('does close a connection with 4403 when its token expires, ending its subscription', async () => {
    const shortLived = await signToken(
      { sub: 'live-short', province: province.code, agency: AGENCIES.justice.code, roles: ['OFFICER'] },
      TEST_JWT_SECRET,
      '3s',
    );
    let closed: Closed | null = null;
    const client = open(a, `Bearer ${shortLived}`, (event) => (closed = event as Closed));
    await connected(client);
    const live = new Subscription(client, planId);
    await probe(live, b, coordinator, tasks[3]);
    await until(() => closed !== null, 'the close at expiry', 40_000);
    expect(closed!.code).toBe(4403);
    expect(closed!.reason).toMatch(/token expired/i);
  });

  it("does close a user's connection over the per-user limit with 4429, and a second connection_init with 4429", async () => {
    const many = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'live-many');
    const held: Subscription[] = [];
    for (let i = 0; i < 10; i += 1) {
      const client = open(a, `Bearer ${many}`);
      await connected(client);
      held.push(new Subscription(client, planId));
    }
    for (const live of held) await probe(live, b, coordinator, tasks[3]);
    let closed: Closed | null = null;
    const eleventh = open(a, `Bearer ${many}`, (event) => (closed = event as Closed));
    await connected(eleventh);
    const refused = new Subscription(eleventh, planId);
    await until(() => closed !== null, 'the close of the eleventh connection');
    expect(closed!.code).toBe(4429);
    expect(closed!.reason).toMatch(/at most 10 live connections per user/);
    expect(refused.received).toEqual([]);

    // a raw socket that sends connection_init twice
    const ws = new WebSocket(`${a.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const rawClose = new Promise<Closed>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((resolve) => ws.once('open', resolve));
    const init = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${lead}` } });
    ws.send(init);
    ws.send(init);
    expect(await rawClose).toMatchObject({ code: 4429, reason: 'Too many initialisation requests' });
  });

  // Cuts instance A's LISTEN connection and keeps it from reconnecting while `during` runs on B.
  async function withFeedDown(during: () => Promise<void>): Promise<void> {
    const before = await feedBackends(gate);
    expect(before).toHaveLength(1);
    gate.refusing = true;
    try {
      await withPg((pg) => pg.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]));
      await until(async () => (await feedBackends(gate)).length === 0, "the feed's backend to end");
      await during();
    } finally {
      gate.refusing = false;
    }
    await until(async () => (await feedBackends(gate)).length === 1, 'the feed to listen again');
  }

  it('does deliver, after its LISTEN connection comes back, the transitions committed while it was down', async () => {
    const client = open(a, `Bearer ${lead}`);
    await connected(client);
    const live = new Subscription(client, planId);
    await probe(live, b, coordinator, tasks[3]);
    const foreignClient = open(a, `Bearer ${otherLead}`);
    await connected(foreignClient);
    const foreign = new Subscription(foreignClient, null);
    await probe(foreign, b, otherCoordinator, otherTasks[0]);

    let started = 0;
    let contributed = 0;
    await withFeedDown(async () => {
      started = (await fire(b, lead, { taskId: tasks[4], event: 'START' })).version;
      contributed = (await fire(b, coordinator, { taskId: tasks[5], event: 'CONTRIBUTE', comment: 'Trong lúc mất kết nối' })).version;
    });
    await live.until(
      () =>
        live.received.some((t) => t.id === tasks[4] && t.version === started) &&
        live.received.some((t) => t.id === tasks[5] && t.version === contributed),
      'the transitions of the gap',
    );
    expect(live.received.find((t) => t.id === tasks[4])).toMatchObject({ state: 'IN_PROGRESS', resync: null, plan: { id: planId } });
    // each once: what the feed had heard before the gap is not sent again
    expect(live.received.filter((t) => t.id === tasks[4] || t.id === tasks[3]).map((t) => `${t.id}@${t.version}`)).toEqual([
      ...new Set(live.received.filter((t) => t.id === tasks[4] || t.id === tasks[3]).map((t) => `${t.id}@${t.version}`)),
    ]);
    expect(live.errors).toEqual([]);

    // the other province's subscriber heard nothing of it
    await probe(foreign, b, otherCoordinator, otherTasks[0]);
    expect(foreign.received.every((t) => otherTasks.includes(t.id))).toBe(true);
  });

  it('does tell a subscriber to refetch (resync: true) when more tasks of its plan changed during the gap than it lists', async () => {
    const bulkLead = await token(bulk.code, AGENCIES.justice.code, ['OFFICER'], 'live-bulk-lead');
    const bulkTasks = await taskIds(a, bulkLead, bulkPlanId);
    const client = open(a, `Bearer ${bulkLead}`);
    await connected(client);
    const live = new Subscription(client, bulkPlanId);
    const bulkCoordinator = await token(bulk.code, AGENCIES.ict.code, ['OFFICER'], 'live-bulk-coordinator');
    await probe(live, b, bulkCoordinator, bulkTasks[0]);
    const heardBefore = live.received.length;

    const admin = await token(bulk.code, 'admin', ['ADMIN'], 'live-bulk-admin');
    await withFeedDown(async () => {
      const swept = await gql(b, admin, 'mutation { runDeadlineSweep }');
      expect(swept.errors).toBeUndefined();
      expect(swept.data!.runDeadlineSweep).toBe(51);
    });
    await live.until(() => live.received.some((t) => t.resync === true), 'the resync signal');
    const after = live.received.slice(heardBefore);
    const signal = after.find((t) => t.resync === true)!;
    expect(signal.plan.id).toBe(bulkPlanId);
    expect(signal.state).toBe('OVERDUE');
    // one signal instead of 51 deliveries
    expect(after.filter((t) => t.resync !== true)).toEqual([]);
    expect(after.filter((t) => t.resync === true)).toHaveLength(1);
  });

  it('does hold at most 1000 changes for a client that stops reading, then sends one resync delivery for the rest', async () => {
    const slowLead = await token(slow.code, AGENCIES.justice.code, ['OFFICER'], 'live-slow-lead');
    const [slowTask] = await taskIds(a, slowLead, slowPlanId);
    const ws = new WebSocket(`${a.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: { type: string; payload?: { data?: { taskChanged: { id: string; resync: boolean | null } } } }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as (typeof messages)[number]));
    let closed = false;
    ws.on('close', () => (closed = true));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${slowLead}` } }));
    await until(() => messages.some((m) => m.type === 'connection_ack'), 'connection_ack');
    ws.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: {
          query: 'subscription S($planId: ID) { taskChanged(planId: $planId) { id version resync } }',
          variables: { planId: slowPlanId },
        },
      }),
    );
    const slowCoordinator = await token(slow.code, AGENCIES.ict.code, ['OFFICER'], 'live-slow-coordinator');
    await fire(b, slowCoordinator, { taskId: slowTask, event: 'CONTRIBUTE', comment: 'Ý kiến phối hợp' });
    await until(() => messages.some((m) => m.type === 'next'), 'the first delivery');

    // the client stops reading; many more changes come than the subscription queues
    ws.pause();
    try {
      await withPg((pg) =>
        pg.query(
          `SELECT pg_notify('task_changed', json_build_object('p', $1::text, 'plan', $2::uuid, 'task', $3::uuid, 'v', 1000000 + i)::text)
           FROM generate_series(1, 5000) AS i`,
          [slow.code, slowPlanId, slowTask],
        ),
      );
      await until(() => a.output().includes('fell 1000 changes behind'), 'the server to stop queueing');
    } finally {
      ws.resume();
    }
    const deliveries = () => messages.filter((m) => m.type === 'next').map((m) => m.payload!.data!.taskChanged);
    await until(() => deliveries().some((t) => t.resync === true), 'the resync delivery');
    expect(deliveries().length).toBeLessThan(5000);
    expect(deliveries().at(-1)).toEqual({ id: slowTask, version: 1, resync: true });
    expect(closed).toBe(false);
    ws.close();
  });

  it('does refuse a connection without a valid token', async () => {
    for (const authorization of [null, 'Bearer not-a-jwt']) {
      let closed: unknown = null;
      const client = open(a, authorization, (event) => (closed = event));
      let acknowledged = false;
      client.on('connected', () => (acknowledged = true));
      const live = new Subscription(client, planId);
      await live.until(() => live.errors.length > 0 || closed !== null, 'the refusal');
      expect(acknowledged).toBe(false);
      expect(live.received).toEqual([]);
    }
    // an Upgrade header on a plain GET does not pass for a websocket: the token is required
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(`${a.url}/graphql?query=${encodeURIComponent('{ plans { id } }')}`, { headers: { upgrade: 'websocket' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject),
    );
    expect(status).toBe(401);
  });

  it('does refuse a subscription document that is not valid against the schema', async () => {
    const client = open(a, `Bearer ${lead}`);
    await connected(client);
    const errors: unknown[] = [];
    await new Promise<void>((done) =>
      client.subscribe(
        { query: 'subscription { taskChanged { id noSuchField } }' },
        { next: () => undefined, error: (error) => (errors.push(error), done()), complete: done },
      ),
    );
    expect(JSON.stringify(errors)).toContain('noSuchField');
    expect(JSON.stringify(errors)).toContain('BAD_USER_INPUT');
  });

  it('does deliver the transitions of a deadline sweep', async () => {
    const client = open(a, `Bearer ${lead}`);
    await connected(client);
    const live = new Subscription(client, null);
    await probe(live, b, coordinator, tasks[3]);
    const admin = await token(province.code, 'admin', ['ADMIN'], 'live-admin');
    const swept = await gql(b, admin, 'mutation { runDeadlineSweep }');
    expect(swept.errors).toBeUndefined();
    expect(swept.data!.runDeadlineSweep).toBe(1);
    await live.until(() => live.received.some((t) => t.id === tasks[2]), 'the sweep of task 2');
    expect(live.received.find((t) => t.id === tasks[2])).toMatchObject({ state: 'OVERDUE', version: 1 });
  });
});

async function taskIds(server: ApiServer, viewer: string, planId: string): Promise<string[]> {
  const page = await gql(server, viewer, 'query P($id: ID!) { plan(id: $id) { tasks(first: 10) { edges { node { id } } } } }', {
    id: planId,
  });
  if (page.errors) throw new Error(JSON.stringify(page.errors));
  return page.data!.plan.tasks.edges.map((e: { node: { id: string } }) => e.node.id);
}
