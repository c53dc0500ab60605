import { systemClock } from '../../apps/api/src/common/clock';
import { databasePoolConfig } from '../../apps/api/src/config/app-config';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { ReadRouter } from '../../apps/api/src/repositories/read-routing';
import { createServices } from '../../apps/api/src/services';
import { gql, startApiServer, token, type ApiServer } from '../support/api-server';
import { fire } from '../support/e2e-helpers';
import { AGENCIES, testPlan, uniqueProvince } from '../support/fixtures';
import { PgServer } from './support/pg-cluster';

// DATABASE_REPLICA_URLS over a real primary and a real streaming replica (pg_basebackup -R).
// With the replica's replay paused, writes through the API land on the primary and the write path
// sees them (a VERIFY needs the report just submitted), while scorecards, plan and task pages,
// timelines, replays, plan reports and the audit answer from the replica, as it stood. Then the
// replica is stopped: the service keeps answering reads and writes, an instance starts without it,
// and when the replica is back its reads go to it again.

const DATABASE = 'replica_ops_test';

const PAGE = `query P($planId: ID!) {
  plan(id: $planId) { progress { total byState { state count } verifiedOnTime }
    tasks(first: 10) { edges { node { id state version } } } }
}`;
const SCORECARD = `query S($planId: ID!) { agencyScorecard(planId: $planId) { agency { code } led verifiedOnTime pendingWithinDeadline } }`;
const TIMELINE = `query T($taskId: ID!) { taskTimeline(taskId: $taskId) { state } }`;
const REPLAY = `query R($taskId: ID!) { replayTask(taskId: $taskId) { state eventsApplied consistent chainValid } }`;
const REPORTS = `query R($planId: ID!) { planReports(planId: $planId) { agency { code } period verified submitted } }`;
const AUDIT = `query A($planId: ID!) { verifyAuditTrail(planId: $planId) { ok tasksChecked eventsChecked } }`;
const TASK = `query T($id: ID!) { task(id: $id) { state version } }`;

interface Views {
  pageState: string;
  inProgress: number;
  verifiedOnTime: number;
  scorecardVerified: number;
  timeline: string[];
  replay: { state: string; eventsApplied: number };
  reportsVerified: number;
  auditEvents: number;
}

describe('read replica (DATABASE_REPLICA_URLS)', () => {
  const province = uniqueProvince('replica');
  let primary: PgServer;
  let replica: PgServer;
  let server: ApiServer;
  let planId: string;
  let taskIds: string[];
  let lead: string;
  let supervisor: string;

  async function api<T = Record<string, any>>(query: string, variables: Record<string, unknown>, on: ApiServer = server): Promise<T> {
    const result = await gql<T>(on, supervisor, query, variables);
    if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 40)}: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  // What the replica-routed reads show about the first task and the plan.
  async function views(on: ApiServer = server): Promise<Views> {
    const taskId = taskIds[0];
    const page = await api<{ plan: any }>(PAGE, { planId }, on);
    const scorecard = await api<{ agencyScorecard: any[] }>(SCORECARD, { planId }, on);
    const timeline = await api<{ taskTimeline: { state: string }[] }>(TIMELINE, { taskId }, on);
    const replay = await api<{ replayTask: { state: string; eventsApplied: number } }>(REPLAY, { taskId }, on);
    const reports = await api<{ planReports: { verified: number }[] }>(REPORTS, { planId }, on);
    const audit = await api<{ verifyAuditTrail: { ok: boolean; eventsChecked: number } }>(AUDIT, { planId }, on);
    expect(audit.verifyAuditTrail.ok).toBe(true);
    return {
      pageState: page.plan.tasks.edges.find((edge: any) => edge.node.id === taskId).node.state,
      inProgress: page.plan.progress.byState.find((row: any) => row.state === 'IN_PROGRESS').count,
      verifiedOnTime: page.plan.progress.verifiedOnTime,
      scorecardVerified: scorecard.agencyScorecard.reduce((sum, row) => sum + row.verifiedOnTime, 0),
      timeline: timeline.taskTimeline.map((entry) => entry.state),
      replay: { state: replay.replayTask.state, eventsApplied: replay.replayTask.eventsApplied },
      reportsVerified: reports.planReports.reduce((sum, row) => sum + row.verified, 0),
      auditEvents: audit.verifyAuditTrail.eventsChecked,
    };
  }

  async function caughtUp(): Promise<void> {
    const [{ lsn }] = await primary.query<{ lsn: string }>(DATABASE, 'SELECT pg_current_wal_lsn()::text AS lsn');
    for (let attempt = 0; attempt < 600; attempt++) {
      const [{ done }] = await replica.query<{ done: boolean }>(
        DATABASE,
        'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done',
        [lsn],
      );
      if (done) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the replica did not replay up to ${lsn}`);
  }

  const FRESH_BEFORE: Partial<Views> = {
    pageState: 'ASSIGNED',
    inProgress: 0,
    verifiedOnTime: 0,
    scorecardVerified: 0,
    timeline: ['ASSIGNED'],
    reportsVerified: 0,
  };
  const AFTER_WRITES: Partial<Views> = {
    pageState: 'VERIFIED',
    inProgress: 0,
    verifiedOnTime: 1,
    scorecardVerified: 1,
    timeline: ['ASSIGNED', 'IN_PROGRESS', 'REPORTED', 'VERIFIED'],
    reportsVerified: 1,
  };

  beforeAll(async () => {
    primary = await PgServer.primary('primary');
    await primary.start();
    await primary.createDatabase(DATABASE);
    const dataSource = createDataSource(primary.url(DATABASE));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const plan = await createServices({ dataSource, clock: systemClock }).planWriter.write({
        ...testPlan(province, [{}, {}, {}]),
        number: '7/KH-UBND',
      });
      planId = plan.id;
      taskIds = (await dataSource.query('SELECT id FROM tasks WHERE plan_id = $1 ORDER BY sort_key', [planId])).map((r: any) => r.id);
    } finally {
      await dataSource.destroy();
    }
    replica = await PgServer.replicaOf(primary, 'replica');
    await replica.start();
    lead = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'officer-tu-phap');
    supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-khdt');
    server = await startApiServer({
      DATABASE_URL: primary.url(DATABASE),
      DATABASE_REPLICA_URLS: replica.url(DATABASE),
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
    });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('is a hot standby streaming from the primary', async () => {
    expect(await replica.query(DATABASE, 'SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: true }]);
    expect(await primary.query('postgres', 'SELECT count(*)::int AS senders FROM pg_stat_replication')).toEqual([{ senders: 1 }]);
    await caughtUp();
    expect(await views()).toMatchObject({ ...FRESH_BEFORE, replay: { state: 'ASSIGNED', eventsApplied: 0 } });
  });

  it('serves scorecards, pages, timelines, replays, plan reports and the audit from the replica, writes from the primary', async () => {
    const before = await views();
    await replica.query(DATABASE, 'SELECT pg_wal_replay_pause()');
    const taskId = taskIds[0];
    // each write reads what the previous one wrote: VERIFY is refused unless the report is there
    expect(await fire(server, lead, { taskId, event: 'START', expectedVersion: 0 })).toMatchObject({ state: 'IN_PROGRESS', version: 1 });
    const report = { summary: 'Đã hoàn thành', value: '100%' };
    expect(await fire(server, lead, { taskId, event: 'SUBMIT_REPORT', expectedVersion: 1, report })).toMatchObject({ state: 'REPORTED' });
    expect(await fire(server, supervisor, { taskId, event: 'VERIFY', expectedVersion: 2 })).toMatchObject({
      state: 'VERIFIED',
      version: 3,
    });
    // a read by id stays on the primary: it sees the write
    expect((await api<{ task: unknown }>(TASK, { id: taskId })).task).toEqual({ state: 'VERIFIED', version: 3 });
    const [{ events }] = await primary.query<{ events: number }>(DATABASE, 'SELECT count(*)::int AS events FROM task_events');
    expect(events).toBe(before.auditEvents + 3);

    // the replica, paused, has none of it: every replica-routed read answers as before the writes
    expect(await views()).toEqual(before);

    await replica.query(DATABASE, 'SELECT pg_wal_replay_resume()');
    await caughtUp();
    expect(await views()).toMatchObject({
      ...AFTER_WRITES,
      replay: { state: 'VERIFIED', eventsApplied: 3 },
      auditEvents: events,
    });
  });

  it('runs a snapshot again on the primary when its replica stops midway', async () => {
    const dataSource = createDataSource(primary.url(DATABASE), {}, { ...databasePoolConfig({}), replicaUrls: [replica.url(DATABASE)] });
    await dataSource.initialize();
    const warnings: string[] = [];
    try {
      const router = ReadRouter.of(dataSource, { warn: (message) => warnings.push(message) });
      const runs: boolean[] = [];
      const result = await router.snapshot('replica', async (manager) => {
        const [{ standby }] = await manager.query('SELECT pg_is_in_recovery() AS standby');
        runs.push(standby);
        if (standby) await replica.stop();
        return (await manager.query('SELECT count(*)::int AS tasks FROM tasks'))[0].tasks;
      });
      // first on the replica, which stopped under it; then again, whole, on the primary
      expect(runs).toEqual([true, false]);
      expect(result).toBe(3);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^Read replica unavailable \(.+\): replica reads go to the primary/);
      // the next replica read goes straight to the primary, and logs nothing more
      expect(await router.query('replica', 'SELECT pg_is_in_recovery() AS standby', [])).toEqual([{ standby: false }]);
      expect(warnings).toHaveLength(1);
    } finally {
      await dataSource.destroy();
    }
  });

  it('keeps answering reads and writes when the replica stops, and logs the fall-back once', async () => {
    await replica.stop();
    const taskId = taskIds[1];
    expect(await fire(server, lead, { taskId, event: 'START', expectedVersion: 0 })).toMatchObject({ state: 'IN_PROGRESS' });
    // the primary answers the replica's reads: fresh
    for (let i = 0; i < 3; i++) expect((await views()).inProgress).toBe(1);
    expect(await fire(server, lead, { taskId: taskIds[2], event: 'START', expectedVersion: 0 })).toMatchObject({ state: 'IN_PROGRESS' });
    expect((await views()).inProgress).toBe(2);
    expect(server.output().match(/Read replica unavailable/g)).toHaveLength(1);
    expect(server.output()).not.toMatch(/Internal server error|ERROR \[ExceptionsHandler\]/);
  });

  it('starts while the replica is down, and serves from the primary', async () => {
    const second = await startApiServer({
      DATABASE_URL: primary.url(DATABASE),
      DATABASE_REPLICA_URLS: replica.url(DATABASE),
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
    });
    try {
      expect((await fetch(`${second.url}/health`)).status).toBe(200);
      expect(await views(second)).toMatchObject({ ...AFTER_WRITES, inProgress: 2 });
    } finally {
      await second.stop();
    }
  });

  it('reads from the replica again once it is back', async () => {
    await replica.start();
    await caughtUp();
    await replica.query(DATABASE, 'SELECT pg_wal_replay_pause()');
    const before = (await views()).inProgress;
    expect(before).toBe(2);
    await fire(server, lead, { taskId: taskIds[1], event: 'SUBMIT_REPORT', expectedVersion: 1, report: { summary: 'Xong' } });
    // the first replica read after the retry interval finds it answering: the page then lags again
    let stale = false;
    for (let attempt = 0; attempt < 300 && !stale; attempt++) {
      stale = (await views()).inProgress === before;
      if (!stale) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stale).toBe(true);
    expect(server.output()).toMatch(/Read replica answering again/);
    await replica.query(DATABASE, 'SELECT pg_wal_replay_resume()');
    await caughtUp();
    expect((await views()).inProgress).toBe(before - 1);
  });
});
