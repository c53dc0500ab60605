import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import WebSocket from 'ws';
import { createTaskSnapshot } from '../libs/lifecycle/src';
import { startApiServer, token, type ApiServer } from './support/api-server';
import { auditEveryTask } from './support/audit-every-task';
import { waitFor } from './support/chaos-load';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';

// SIGTERM arrives while clients fire transitions and the scheduled deadline sweep is at work. The
// service must answer every request it accepted, keep every transition it acknowledged (and none
// it did not), stop the sweep at a batch boundary, and exit 0.
const CLIENTS = 12;
const TASKS_PER_CLIENT = 3;
const DUE_TASKS = 6000;
const SWEEP_BATCH_SIZE = 200; // deadline-sweep.service.ts
const DUE = '2020-12-31T16:59:59.999Z';
const TRANSITION = `mutation T($input: TransitionInput!) { transitionTask(input: $input) { id state version } }`;

type Outcome =
  | { kind: 'answered'; status: number; body: any }
  | { kind: 'refused' } // ECONNREFUSED: the listener was closed, nothing was accepted
  | { kind: 'reset'; error: string }; // the connection broke without an answer

interface Attempt {
  client: number;
  key: string;
  taskId: string;
  event: string;
  accepted: boolean; // the server answered 100 Continue: it has read the request
  sentBeforeSigterm: boolean;
  outcome: Outcome;
}

describe('graceful shutdown on SIGTERM under load', () => {
  const province = uniqueProvince('sigterm');
  let db: Client;
  let server: ApiServer;
  let taskIds: string[];
  let duePlanId: string;
  const tokens = {} as Record<'lead' | 'coordinator' | 'supervisor', string>;

  beforeAll(async () => {
    ({ planId: duePlanId } = await seedPlan(testPlan(province, [{}], 2020)));
    const { planId } = await seedPlan(
      testPlan(
        province,
        Array.from({ length: CLIENTS * TASKS_PER_CLIENT }, () => ({})),
      ),
    );
    db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    taskIds = (await db.query('SELECT id FROM tasks WHERE plan_id = $1 ORDER BY ordinal', [planId])).rows.map((r) => r.id);
    tokens.lead = await token(province.code, AGENCIES.justice.code, ['OFFICER']);
    tokens.coordinator = await token(province.code, AGENCIES.ict.code, ['OFFICER']);
    tokens.supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR']);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.end();
  });

  it('does answer every accepted request, keep every acknowledged transition, stop the sweep between batches and exit 0', async () => {
    server = await startApiServer({ DEADLINE_SWEEP_INTERVAL_MS: '200', SHUTDOWN_GRACE_MS: '60000', LOG_LEVEL: 'log' });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      server.process.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const signal = { sent: false };
    const attempts: Attempt[] = [];
    const clients = Array.from({ length: CLIENTS }, (_, c) => runClient(c, signal, attempts));

    await waitFor(async () => attempts.filter(acknowledged).length >= CLIENTS * 3, 60_000, 'transitions under way');
    await insertDueTasks(db, province.code, duePlanId);
    await waitFor(async () => (await swept(db, province.code)) > 0, 60_000, 'the scheduled sweep under way');
    signal.sent = true;
    server.process.kill('SIGTERM');
    const exit = await exited;
    await Promise.all(clients);

    // every request the server accepted was answered: acknowledged, or 503 once it was closing
    const lost = attempts.filter((a) => a.accepted && a.outcome.kind !== 'answered');
    expect(lost).toEqual([]);
    expect(outcomes(attempts).filter((k) => !['answered 200', 'answered 503', 'refused', 'reset'].includes(k))).toEqual([]);
    // the load ran on both sides of the signal
    const early = attempts.filter((a) => a.sentBeforeSigterm);
    const late = attempts.filter((a) => !a.sentBeforeSigterm);
    expect(early.filter(acknowledged).length).toBeGreaterThan(CLIENTS);
    expect(late.length).toBeGreaterThan(0);

    // every acknowledged transition is stored, and every stored one was acknowledged
    const stored = await db.query(
      `SELECT idempotency_key AS key, task_id, type FROM task_events WHERE province_code = $1 AND idempotency_key LIKE 'sigterm-%'`,
      [province.code],
    );
    const storedKeys = new Set(stored.rows.map((r) => `${r.key}/${r.task_id}/${r.type}`));
    const acked = attempts.filter(acknowledged);
    expect(acked.filter((a) => !storedKeys.has(`${a.key}/${a.taskId}/${a.event}`)).map((a) => a.key)).toEqual([]);
    const ackedKeys = new Set(acked.map((a) => a.key));
    expect(stored.rows.filter((r) => !ackedKeys.has(r.key)).map((r) => r.key)).toEqual([]);
    // a request that was never accepted changed nothing
    const broken = attempts.filter((a) => a.outcome.kind !== 'answered').map((a) => a.key);
    expect(broken.filter((key) => storedKeys.has(key))).toEqual([]);

    // the sweep was stopped between two batches (each one transaction), not cut inside one
    const overdue = await swept(db, province.code);
    expect(overdue).toBeGreaterThan(0);
    expect(overdue).toBeLessThan(DUE_TASKS);
    expect(overdue % SWEEP_BATCH_SIZE).toBe(0);
    const twice = await db.query(
      `SELECT task_id FROM task_events WHERE province_code = $1 AND type = 'DEADLINE_PASSED' GROUP BY task_id HAVING count(*) <> 1`,
      [province.code],
    );
    expect(twice.rows).toEqual([]);

    const audit = await auditEveryTask(process.env.TEST_DATABASE_URL!);
    expect(audit.broken).toEqual([]);
    expect(audit.tasks).toBeGreaterThanOrEqual(DUE_TASKS);

    expect(exit).toEqual({ code: 0, signal: null });
    const drained = /Shut down cleanly in (\d+) ms/.exec(server.output());
    expect(drained).not.toBeNull();
    console.log(
      `SIGTERM under load: ${acked.length} transitions acknowledged; in flight or sent at the signal: ${summarize(outcomes(early.slice(-CLIENTS)))}; ` +
        `after it: ${summarize(outcomes(late))}; sweep stopped after ${overdue} of ${DUE_TASKS} due tasks; drained in ${drained![1]} ms`,
    );
  }, 180_000);

  it('does exit 1 after SHUTDOWN_GRACE_MS, naming what still ran, when a request outlasts it', async () => {
    const slow = uniqueProvince('sigterm-grace');
    const { planId } = await seedPlan(testPlan(slow, [{ dueAt: null }], 2020));
    await insertDueTasks(db, slow.code, planId);
    const admin = await token(slow.code, 'admin', ['ADMIN']);
    const graceful = await startApiServer({ SHUTDOWN_GRACE_MS: '100', LOG_LEVEL: 'log' });
    try {
      const exited = new Promise<number | null>((resolve) => graceful.process.once('exit', (code) => resolve(code)));
      // one request sweeps all 6000 due tasks, 200 per transaction: far longer than 100 ms
      const sweep = send(graceful.url, admin, { query: 'mutation { runDeadlineSweep }' }, () => undefined);
      await waitFor(async () => (await swept(db, slow.code)) > 0, 60_000, 'the sweep under way');
      graceful.process.kill('SIGTERM');
      expect(await exited).toBe(1);
      expect((await sweep).kind).toBe('reset');
      expect(graceful.output()).toMatch(
        /Shutdown grace of 100 ms ran out; still running: closing the HTTP server .*1 HTTP request\(s\) in flight/,
      );
    } finally {
      await graceful.stop();
    }
  }, 120_000);

  it('does close a live subscription with a close frame, not a dropped connection, and exit 0', async () => {
    const live = await startApiServer();
    try {
      const exited = new Promise<number | null>((resolve) => live.process.once('exit', (code) => resolve(code)));
      const socket = new WebSocket(`${live.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      const acked = new Promise<void>((resolve) => socket.on('message', (data) => String(data).includes('connection_ack') && resolve()));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens.lead}` } }));
      await acked;
      const query = `subscription { taskChanged(planId: "${duePlanId}") { id } }`;
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      live.process.kill('SIGTERM');
      expect(await closed).not.toBe(1006); // 1006: the connection dropped without a close frame
      expect(await exited).toBe(0);
    } finally {
      await live.stop();
    }
  });

  // Each client walks its own tasks round START, CONTRIBUTE, SUBMIT_REPORT, REJECT, … one request at
  // a time, each on a new connection, until the service stops answering.
  async function runClient(c: number, signal: { sent: boolean }, attempts: Attempt[]): Promise<void> {
    const mine = taskIds.slice(c * TASKS_PER_CLIENT, (c + 1) * TASKS_PER_CLIENT);
    const state = new Map(mine.map((id) => [id, { state: 'ASSIGNED', version: 0, contributions: 0 }]));
    for (let n = 0; ; n++) {
      const taskId = mine[n % mine.length];
      const task = state.get(taskId)!;
      const [event, as] = nextStep(task.state, n, task.contributions);
      const key = `sigterm-${c}-${n}`;
      const input = {
        taskId,
        event,
        expectedVersion: task.version,
        idempotencyKey: key,
        comment: event === 'REJECT' ? 'Báo cáo chưa đủ số liệu' : 'ý kiến',
        ...(event === 'SUBMIT_REPORT' ? { report: { summary: 'Đã thực hiện', value: '1' } } : {}),
      };
      const attempt: Attempt = {
        client: c,
        key,
        taskId,
        event,
        accepted: false,
        sentBeforeSigterm: !signal.sent,
        outcome: { kind: 'refused' },
      };
      attempt.outcome = await send(server.url, tokens[as], { query: TRANSITION, variables: { input } }, () => (attempt.accepted = true));
      attempts.push(attempt);
      if (!acknowledged(attempt)) return; // after SIGTERM: the service is going away
      const answer = (attempt.outcome as { body: any }).body.data.transitionTask;
      state.set(taskId, {
        state: answer.state,
        version: answer.version,
        contributions: task.contributions + (event === 'CONTRIBUTE' ? 1 : 0),
      });
    }
  }
});

// 'answered 200' only for a transition that took effect; a 200 with GraphQL errors names the codes
function outcomes(list: Attempt[]): string[] {
  return list.map((a) => {
    if (a.outcome.kind !== 'answered') return a.outcome.kind;
    if (a.outcome.status !== 200 || acknowledged(a)) return `answered ${a.outcome.status}`;
    const codes = ((a.outcome.body?.errors ?? []) as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
    return `answered 200 with errors ${codes.join(',')}`;
  });
}

function acknowledged(attempt: Attempt): boolean {
  const outcome = attempt.outcome;
  return outcome.kind === 'answered' && outcome.status === 200 && !outcome.body?.errors && outcome.body?.data?.transitionTask != null;
}

// One POST on its own connection (no keep-alive reuse). It says `Expect: 100-continue` and sends its
// body only after the server's 100 Continue: from then on the server has read the request (the
// connection is busy, not idle), so an outcome other than an answer is a request lost after acceptance.
function send(url: string, jwt: string, payload: object, accepted: () => void): Promise<Outcome> {
  const body = JSON.stringify(payload);
  return new Promise((resolve) => {
    const request = httpRequest(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${jwt}`,
          expect: '100-continue',
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ kind: 'answered', status: response.statusCode ?? 0, body: parse(text) }));
        response.on('error', (error) => resolve({ kind: 'reset', error: `${error.message} (mid-answer)` }));
      },
    );
    request.on('continue', () => {
      accepted();
      request.end(body);
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'reset', error: `${error.code}: ${error.message}` }),
    );
    request.flushHeaders();
  });
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function summarize(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none';
}

function nextStep(state: string, n: number, contributions: number): [string, 'lead' | 'coordinator' | 'supervisor'] {
  switch (state) {
    case 'ASSIGNED':
      return ['START', 'lead'];
    case 'IN_PROGRESS':
      return n % 3 === 0 || contributions >= 15 ? ['SUBMIT_REPORT', 'lead'] : ['CONTRIBUTE', 'coordinator'];
    case 'REPORTED':
      return ['REJECT', 'supervisor'];
    default:
      throw new Error(`unexpected state ${state}`);
  }
}

async function swept(db: Client, provinceCode: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM task_events e JOIN tasks t ON t.province_code = e.province_code AND t.id = e.task_id
     WHERE e.province_code = $1 AND e.type = 'DEADLINE_PASSED' AND t.ordinal LIKE 'due-%'`,
    [provinceCode],
  );
  return rows[0].n;
}

// Due tasks written straight into the table (as the deadline sweep e2e test does): the next
// scheduled sweep takes them 200 at a time.
async function insertDueTasks(db: Client, provinceCode: string, planId: string): Promise<void> {
  const snapshot = createTaskSnapshot({ dueAt: DUE });
  const lead = await db.query('SELECT id FROM agencies WHERE province_code = $1 AND code = $2', [provinceCode, AGENCIES.justice.code]);
  await db.query(
    `INSERT INTO tasks (province_code, id, plan_id, ordinal, title, lead_agency_id, timeframe, state, input, snapshot, due_at, original_due_at)
     SELECT $1, gen_random_uuid(), $2, 'due-' || n, 'Nhiệm vụ quá hạn số ' || n, $3, 'Năm 2020', 'ASSIGNED', $4, $5, $6, $6
     FROM generate_series(1, ${DUE_TASKS}) AS n`,
    [provinceCode, planId, lead.rows[0].id, JSON.stringify({ dueAt: DUE }), JSON.stringify(snapshot), DUE],
  );
}
