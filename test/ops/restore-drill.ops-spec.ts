import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { runMigrations } from '../../apps/api/src/database/database-bootstrap';
import { AGENCY_CODES } from '../../apps/api/src/test-support/int-helpers';
import { script, seedScriptedPlan, type ScriptedPlan } from '../../apps/api/src/test-support/scripted-plan';
import { gql, startApiServer, token, type ApiServer } from '../support/api-server';
import { fire } from '../support/e2e-helpers';
import { PgServer, tool } from './support/pg-cluster';
import { serverUser } from '../support/owned-postgres';

// The backup and restore drill of docs/OPERATIONS.md, step by step: a database with history (the
// scripted plan's transitions by four agencies and the People's Committee, two approved
// extensions, a period closed and an amendment after it) is dumped with pg_dump -Fc, restored
// with createdb + pg_restore into a fresh database, migrated again (nothing to apply), and checked:
// verifyAuditTrail intact over the same tasks, events and closes, every task's replay equal to
// the original's and to its stored row, `npm run verify-audit` exit 0. Then one row is edited in
// the restored copy, and both checks must say so.

const VERIFY_JS = resolve(__dirname, '../../dist/apps/api/apps/api/src/cli/verify-audit.js');
const YEAR = new Date().getUTCFullYear() - 2;
const SOURCE = 'drill_source';
const RESTORED = 'drill_restored';

const VERIFY = `query V($planId: ID!) { verifyAuditTrail(planId: $planId) { ok tasksChecked eventsChecked periodsChecked brokenTaskIds brokenPeriods { period problem } } }`;
const REPLAY = `query R($taskId: ID!) { replayTask(taskId: $taskId) { state eventsApplied consistent chainValid } }`;
const TASK = `query T($id: ID!) { task(id: $id) { state version availableEvents } }`;
const CLOSE = `mutation C($planId: ID!, $period: String!) { closePeriod(planId: $planId, period: $period) { period hash } }`;

interface Snapshot {
  verdict: Record<string, unknown>;
  replays: Record<string, { state: string; eventsApplied: number; consistent: boolean; chainValid: boolean }>;
  stored: Record<string, string>;
  rows: { tasks: number; events: number; closes: number };
}

describe('backup and restore drill (pg_dump -Fc, pg_restore)', () => {
  let pg: PgServer;
  let plan: ScriptedPlan;
  let auditor: string;
  let original: Snapshot;
  let restored: ApiServer;
  const dumpDir = mkdtempSync(join(tmpdir(), 'ops-dump-'));
  const dumpFile = join(dumpDir, 'action_plans.dump');

  async function api<T = Record<string, any>>(
    server: ApiServer,
    who: string,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T> {
    const result = await gql<T>(server, who, query, variables);
    if (result.errors?.length || !result.data) throw new Error(`${query.slice(0, 40)}: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  async function snapshot(server: ApiServer, database: string): Promise<Snapshot> {
    const verdict = (await api<{ verifyAuditTrail: Record<string, unknown> }>(server, auditor, VERIFY, { planId: plan.planId }))
      .verifyAuditTrail;
    const replays: Snapshot['replays'] = {};
    const stored: Snapshot['stored'] = {};
    for (const taskId of plan.taskIds) {
      replays[taskId] = (await api<{ replayTask: Snapshot['replays'][string] }>(server, auditor, REPLAY, { taskId })).replayTask;
      stored[taskId] = (await api<{ task: { state: string } }>(server, auditor, TASK, { id: taskId })).task.state;
    }
    const [rows] = await pg.query<Snapshot['rows']>(
      database,
      `SELECT (SELECT count(*)::int FROM tasks WHERE plan_id = $1) AS tasks,
         (SELECT count(*)::int FROM task_events e JOIN tasks t ON t.province_code = e.province_code AND t.id = e.task_id WHERE t.plan_id = $1) AS events,
         (SELECT count(*)::int FROM period_closes WHERE plan_id = $1) AS closes`,
      [plan.planId],
    );
    return { verdict, replays, stored, rows };
  }

  function verifyCli(database: string): Promise<{ code: number; stdout: string }> {
    return new Promise((done) => {
      execFile(
        process.execPath,
        [VERIFY_JS, '--plan', plan.planId],
        { env: { PATH: process.env.PATH ?? '', DATABASE_URL: pg.url(database), LOG_LEVEL: 'warn' }, timeout: 60_000 },
        (error, stdout) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
      );
    });
  }

  beforeAll(async () => {
    pg = await PgServer.primary('drill');
    await pg.start();
    await pg.createDatabase(SOURCE);
    const dataSource = createDataSource(pg.url(SOURCE));
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      plan = await seedScriptedPlan(dataSource, 'drill', { year: YEAR });
    } finally {
      await dataSource.destroy();
    }
    auditor = await token(plan.province.code, 'thanh-tra-tinh', ['AUDITOR'], 'auditor-drill');
    const ids = serverUser();
    if (ids.uid !== undefined) chownSync(dumpDir, ids.uid, ids.gid!);
  }, 180_000);

  afterAll(async () => {
    await restored?.stop();
    await pg?.destroy();
    rmSync(dumpDir, { recursive: true, force: true });
  });

  it('builds a history through the API: a closed period and an amendment after it', async () => {
    const source = await startApiServer({ DATABASE_URL: pg.url(SOURCE) });
    try {
      const supervisor = await token(plan.province.code, AGENCY_CODES.monitoring, ['SUPERVISOR'], 'supervisor-drill');
      const close = await api<{ closePeriod: { period: string } }>(source, supervisor, CLOSE, {
        planId: plan.planId,
        period: `${YEAR}-H1`,
      });
      expect(close.closePeriod.period).toBe(`${YEAR}-H1`);
      // task I.3 was rejected in June: the ICT officer reports again, after the cut-off
      const ict = await token(plan.province.code, AGENCY_CODES.ict, ['OFFICER'], 'ict-officer');
      const taskId = plan.byOrdinal.get('I.3')!;
      const task = (await api<{ task: { version: number; availableEvents: string[] } }>(source, ict, TASK, { id: taskId })).task;
      expect(task.availableEvents).toContain('SUBMIT_REPORT');
      await fire(source, ict, { taskId, event: 'SUBMIT_REPORT', expectedVersion: task.version, report: { summary: 'Đã có số liệu' } });
      original = await snapshot(source, SOURCE);
    } finally {
      await source.stop();
    }
    expect(original.verdict).toMatchObject({
      ok: true,
      tasksChecked: original.rows.tasks,
      eventsChecked: original.rows.events,
      periodsChecked: 1,
    });
    // every step of the script and the report over HTTP
    expect(original.rows.events).toBe(script(YEAR).length + 1);
    expect(Object.values(original.replays).every((replay) => replay.consistent && replay.chainValid)).toBe(true);
  });

  it('restores the dump into a fresh database where the audit trail and every replay agree', async () => {
    const client = { ...serverUser(), stdio: 'pipe' as const };
    const at = ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres'];
    execFileSync(tool('pg_dump'), [...at, '-Fc', '-f', dumpFile, SOURCE], client);
    expect(statSync(dumpFile).size).toBeGreaterThan(10_000);
    execFileSync(tool('createdb'), [...at, RESTORED], client);
    execFileSync(tool('pg_restore'), [...at, '-d', RESTORED, '--exit-on-error', '--no-owner', dumpFile], client);

    // the migrations table came with the dump: starting on the restored database applies nothing
    const dataSource = createDataSource(pg.url(RESTORED));
    await dataSource.initialize();
    try {
      expect(await runMigrations(dataSource)).toBe(0);
    } finally {
      await dataSource.destroy();
    }

    restored = await startApiServer({ DATABASE_URL: pg.url(RESTORED) });
    const after = await snapshot(restored, RESTORED);
    expect(after).toEqual(original);
    for (const taskId of plan.taskIds) expect(after.replays[taskId].state).toBe(after.stored[taskId]);

    const cli = await verifyCli(RESTORED);
    expect(cli.stdout).toContain('audit trail INTACT');
    expect(cli.stdout).toContain(`Checked ${original.rows.tasks} task(s) and ${original.rows.events} event(s); 0 broken task(s)`);
    expect(cli.code).toBe(0);
  });

  it('catches a row edited in the restored copy', async () => {
    const taskId = plan.byOrdinal.get('I.1')!;
    await pg.query(RESTORED, `UPDATE tasks SET state = 'IN_PROGRESS' WHERE id = $1`, [taskId]);
    const verdict = (
      await api<{ verifyAuditTrail: { ok: boolean; brokenTaskIds: string[] } }>(restored, auditor, VERIFY, { planId: plan.planId })
    ).verifyAuditTrail;
    expect(verdict).toMatchObject({ ok: false, brokenTaskIds: [taskId] });
    expect((await api<{ replayTask: { consistent: boolean } }>(restored, auditor, REPLAY, { taskId })).replayTask.consistent).toBe(false);
    const cli = await verifyCli(RESTORED);
    expect(cli.stdout).toContain('audit trail BROKEN');
    expect(cli.code).not.toBe(0);
  });
});
