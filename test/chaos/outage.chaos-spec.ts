import { Client } from 'pg';
import { systemClock } from '../../apps/api/src/common/clock';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { createServices } from '../../apps/api/src/services';
import { startApiServer, token, type ApiServer } from '../support/api-server';
import { errorCodes, getHealth, post, sleep, succeeded, waitFor, type Sample } from '../support/chaos-load';
import { AGENCIES, testPlan, uniqueProvince } from '../support/fixtures';
import { OwnedPostgres } from '../support/owned-postgres';

// The database goes away under load, twice: stopped (fast shutdown, connections refused) for 10 s,
// then frozen (SIGSTOP: connections open, nothing answers) for 10 s. Every request must answer
// success or SERVICE_UNAVAILABLE within the configured bounds, /health must say "down" and no
// more, the process must live on, serve again soon after the database is back, and the deadline
// sweep must pick up where it left off.
const CONNECT_TIMEOUT_MS = 2000;
const STATEMENT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 4000;
const HEALTH_TIMEOUT_MS = 1000;
// the longest path: wait for a pooled connection (connect timeout), then a query that gets no answer
// (query timeout); the margin is for a loaded 2-core machine
const RESPONSE_BOUND_MS = CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + 4000;
const HEALTH_BOUND_MS = HEALTH_TIMEOUT_MS + 2000;
const OUTAGE_MS = 10_000;
const RECOVERY_BOUND_MS = 5000;
const CLIENTS = 4;
// a coordinating agency may CONTRIBUTE at most 20 times per task and period (LIMITS): enough tasks
// that both outages' load (about 1,200 contributions each) stays under it
const TASKS_PER_CLIENT = 100;
const SWEPT_TASKS = 20;

const TASKS_QUERY = `query Tasks($planId: ID!) { tasks(planId: $planId, first: 5) { totalCount edges { node { id state version } } } }`;
const CONTRIBUTE = `mutation Contribute($input: TransitionInput!) { transitionTask(input: $input) { id state version } }`;
const HEALTH_DOWN = { status: 'error', database: 'down', migrations: 'unknown' };
const DATABASE = 'outage_chaos_test';

describe('database outage under load', () => {
  const province = uniqueProvince('outage');
  let pg: OwnedPostgres;
  let server: ApiServer;
  let planId: string;
  let taskIds: string[];
  let officer: string; // a coordinating agency's officer: CONTRIBUTE leaves the state alone, so it can go on
  const figures: string[] = [];

  beforeAll(async () => {
    pg = await OwnedPostgres.create();
    await pg.start();
    await pg.createDatabase(DATABASE);
    const dataSource = createDataSource(pg.url(DATABASE));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const plan = await createServices({ dataSource, clock: systemClock }).planWriter.write({
        ...testPlan(
          province,
          Array.from({ length: CLIENTS * TASKS_PER_CLIENT }, () => ({})),
        ),
        number: '1/KH-UBND',
      });
      planId = plan.id;
      taskIds = (await dataSource.query('SELECT id FROM tasks WHERE plan_id = $1 ORDER BY ordinal', [planId])).map((r: any) => r.id);
    } finally {
      await dataSource.destroy();
    }
    officer = await token(province.code, AGENCIES.ict.code, ['OFFICER']);
    server = await startApiServer({
      DATABASE_URL: pg.url(DATABASE),
      NODE_ENV: '', // unset: nothing may leak in "development" either
      DEADLINE_SWEEP_INTERVAL_MS: '1000',
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      DATABASE_LOCK_TIMEOUT_MS: '2000',
      DATABASE_HEALTH_TIMEOUT_MS: String(HEALTH_TIMEOUT_MS),
      LOG_LEVEL: 'error',
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await pg?.destroy();
    if (figures.length) console.log(`Outage figures:\n  ${figures.join('\n  ')}`);
  });

  it('does answer SERVICE_UNAVAILABLE within the bounds while the database is stopped, and recovers', async () => {
    let swept = '';
    const run = await underLoad(async () => {
      swept = await seedTasksDueDuringTheOutage();
      await pg.stop();
      const down = Date.now();
      await sleep(OUTAGE_MS);
      await pg.start();
      return { down, back: Date.now() };
    });
    report('stopped', run);

    // the sweep resumes: each task that fell due while the database was away is marked once, after it came back
    await waitFor(async () => (await sweptEvents(swept)).length === SWEPT_TASKS || null, 30_000, 'the sweep marks every due task');
    const events = await sweptEvents(swept);
    expect(new Set(events.map((e) => e.task_id)).size).toBe(SWEPT_TASKS);
    expect(events.every((e) => new Date(e.at).getTime() >= run.window.down)).toBe(true);
  }, 180_000);

  it('does answer SERVICE_UNAVAILABLE within the bounds while the database is frozen (SIGSTOP), and recovers', async () => {
    const run = await underLoad(async () => {
      pg.freeze();
      const down = Date.now();
      await sleep(OUTAGE_MS);
      pg.thaw();
      return { down, back: Date.now() };
    });
    report('frozen', run);
  }, 180_000);

  it('does keep every transition the service acknowledged, and each task replays to its row', async () => {
    const auditor = await token('*', 'audit', ['AUDITOR']);
    const result = await post(
      server,
      auditor,
      'query',
      `query($planId: ID!) { verifyAuditTrail(planId: $planId) { ok tasksChecked brokenTaskIds } }`,
      {
        planId,
      },
    );
    expect(result.body?.data?.verifyAuditTrail).toMatchObject({ ok: true, brokenTaskIds: [] });
    expect(server.process.exitCode).toBeNull();
  });

  interface Run {
    samples: Sample[];
    health: Sample[];
    window: { down: number; back: number };
    recoveredMs: number;
  }

  // CLIENTS clients each read a page and CONTRIBUTE to their own tasks in a loop (a transition
  // whose outcome they could not learn is retried with the same idempotency key), /health is
  // polled, and `outage` runs meanwhile; the load stops once every client succeeded again after it.
  async function underLoad(outage: () => Promise<{ down: number; back: number }>): Promise<Run> {
    const samples: Sample[] = [];
    const health: Sample[] = [];
    let stop = false;
    const versions = await taskVersions();
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      const mine = taskIds.slice(c * TASKS_PER_CLIENT, (c + 1) * TASKS_PER_CLIENT);
      let n = 0;
      let pending: { taskId: string; key: string; expectedVersion: number } | null = null;
      while (!stop) {
        samples.push(await post(server, officer, 'query', TASKS_QUERY, { planId }));
        if (!pending) {
          const taskId = mine[n++ % mine.length];
          pending = { taskId, key: `outage-${c}-${n}-${Date.now()}`, expectedVersion: versions.get(taskId) ?? 0 };
        }
        const sample = await post(server, officer, 'transition', CONTRIBUTE, {
          input: {
            taskId: pending.taskId,
            event: 'CONTRIBUTE',
            expectedVersion: pending.expectedVersion,
            idempotencyKey: pending.key,
            comment: 'ý kiến phối hợp',
          },
        });
        samples.push(sample);
        if (succeeded(sample)) {
          versions.set(pending.taskId, sample.body.data.transitionTask.version);
          pending = null;
        }
      }
    });
    const poller = (async () => {
      while (!stop) {
        health.push(await getHealth(server));
        await sleep(250);
      }
    })();

    try {
      await sleep(2000); // load on a healthy database first
      const window = await outage();
      const back = window.back;
      const recovered = await waitFor(
        async () => {
          const after = samples.filter((s) => s.startedAt >= back);
          return after.some((s) => s.kind === 'query' && succeeded(s)) && after.some((s) => s.kind === 'transition' && succeeded(s))
            ? Math.min(...after.filter(succeeded).map((s) => s.startedAt + s.ms)) - back
            : null;
        },
        RECOVERY_BOUND_MS + RESPONSE_BOUND_MS,
        'a query and a transition succeed after the database is back',
      ).catch((error: Error) => {
        const after = samples.filter((s) => s.startedAt >= back).slice(-12);
        error.message += `\nlast answers:\n${after.map(show).join('\n')}\nservice log:\n${server.output().slice(-3000)}`;
        throw error;
      });
      await sleep(1000);
      return { samples, health, window, recoveredMs: recovered };
    } finally {
      stop = true;
      await Promise.all([...clients, poller]);
    }
  }

  function report(mode: string, run: Run): void {
    const { samples, health, window } = run;
    const during = samples.filter((s) => s.startedAt + s.ms >= window.down && s.startedAt <= window.back);
    const unavailable = samples.filter((s) => errorCodes(s).includes('SERVICE_UNAVAILABLE'));
    const maxMs = Math.max(...samples.map((s) => s.ms));
    const healthMax = Math.max(...health.map((s) => s.ms));
    figures.push(
      `${mode}: ${samples.length} requests (${during.length} during the outage, ${unavailable.length} SERVICE_UNAVAILABLE), ` +
        `slowest ${maxMs} ms (bound ${RESPONSE_BOUND_MS}), /health slowest ${healthMax} ms (bound ${HEALTH_BOUND_MS}), ` +
        `first success ${run.recoveredMs} ms after the database was back`,
    );

    // every answer is a success or a well-formed SERVICE_UNAVAILABLE, in time, without driver text
    const wrong = samples.filter((s) => !succeeded(s) && !isUnavailable(s));
    expect(wrong.map((s) => `${show(s)}\n${logOf(s)}`)).toEqual([]);
    expect(samples.filter((s) => s.ms > RESPONSE_BOUND_MS).map((s) => `${s.kind} took ${s.ms} ms`)).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const s of unavailable) {
      expect(s.text).not.toMatch(/ECONN|terminat|timeout exceeded|read timeout|canceling|SELECT|INSERT|UPDATE|postgres|pg_/i);
    }

    // /health: fast, and "down" with nothing more while the database is away
    expect(health.filter((s) => s.ms > HEALTH_BOUND_MS).map((s) => `/health took ${s.ms} ms`)).toEqual([]);
    const downs = health.filter((s) => s.status === 503);
    expect(downs.length).toBeGreaterThan(0);
    for (const s of downs) expect(s.body).toEqual(HEALTH_DOWN);
    expect(health.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([]);

    // the same process serves again soon, without a restart
    expect(run.recoveredMs).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    expect(server.process.exitCode).toBeNull();
    expect(server.process.signalCode).toBeNull();
  }

  // what the service logged about a failed request (by the error id it answered)
  function logOf(s: Sample): string {
    const id = s.body?.errors?.[0]?.extensions?.errorId;
    return id
      ? server
          .output()
          .split('\n')
          .filter((line) => line.includes(id))
          .join('\n')
      : '';
  }

  // SWEPT_TASKS tasks of a second plan fall due 3 s from now: the database is stopped right after.
  async function seedTasksDueDuringTheOutage(): Promise<string> {
    const dataSource = createDataSource(pg.url(DATABASE));
    await dataSource.initialize();
    try {
      const dueAt = new Date(Date.now() + 3000).toISOString();
      const plan = await createServices({ dataSource, clock: systemClock }).planWriter.write({
        ...testPlan(
          province,
          Array.from({ length: SWEPT_TASKS }, () => ({ dueAt })),
        ),
        number: '2/KH-UBND',
      });
      return plan.id;
    } finally {
      await dataSource.destroy();
    }
  }

  async function taskVersions(): Promise<Map<string, number>> {
    const client = new Client({ connectionString: pg.url(DATABASE) });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT id, version FROM tasks WHERE plan_id = $1', [planId]);
      return new Map(rows.map((r) => [r.id, r.version]));
    } finally {
      await client.end();
    }
  }

  async function sweptEvents(sweptPlanId: string): Promise<{ task_id: string; at: string }[]> {
    const client = new Client({ connectionString: pg.url(DATABASE) });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT e.task_id, e.at FROM task_events e JOIN tasks t ON t.id = e.task_id AND t.province_code = e.province_code
         WHERE t.plan_id = $1 AND e.type = 'DEADLINE_PASSED'`,
        [sweptPlanId],
      );
      return rows;
    } finally {
      await client.end();
    }
  }
});

function show(s: Sample): string {
  return `${new Date(s.startedAt).toISOString()} ${s.kind} ${s.ms} ms ${s.status} ${s.text.slice(0, 300)}`;
}

function isUnavailable(sample: Sample): boolean {
  const errors = sample.body?.errors as { message: string; extensions?: { code?: string } }[] | undefined;
  return (
    sample.status === 200 &&
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE' && e.message === 'The database is not answering; try again shortly')
  );
}
