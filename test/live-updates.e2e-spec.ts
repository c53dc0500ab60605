import { createClient, type Client as WsClient } from 'graphql-ws';
import { get } from 'node:http';
import WebSocket from 'ws';
import { endOfLocalDayUtc } from '../libs/plan-import/src';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { fire } from './support/e2e-helpers';

const TASK_CHANGED = `subscription Live($planId: ID) {
  taskChanged(planId: $planId) { id state version availableEvents plan { id } leadAgency { code } history { seq type } }
}`;

interface LiveTask {
  id: string;
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
// leaves the state as it is) proves the subscription is live.
async function probe(subscription: Subscription, server: ApiServer, coordinator: string, taskId: string): Promise<void> {
  const { version } = await fire(server, coordinator, { taskId, event: 'CONTRIBUTE', comment: 'Ý kiến phối hợp' });
  await subscription.until(() => subscription.received.some((t) => t.id === taskId && t.version === version), `the probe on ${taskId}`);
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
  const clients: WsClient[] = [];

  beforeAll(async () => {
    ({ planId } = await seedPlan(testPlan(province, [{}, {}, { dueAt: endOfLocalDayUtc('2021-06-30') }, {}])));
    ({ planId: otherPlanId } = await seedPlan(testPlan(other, [{}])));
    [a, b] = await Promise.all([startApiServer(), startApiServer()]);
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
