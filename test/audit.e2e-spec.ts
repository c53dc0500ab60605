import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { eventRows, expectError, fire, getTask, sleep, withPg, type TaskView } from './support/e2e-helpers';

// The audit trail: replay agrees with the stored tasks, the chain verifies, and an edit made by
// hand in the database (past the append-only trigger) is caught for exactly that task.
const REPLAY = 'query R($id: ID!, $asOf: DateTime) { replayTask(taskId: $id, asOf: $asOf) { state eventsApplied consistent chainValid } }';
const VERIFY_TRAIL = 'query V($id: ID!) { verifyAuditTrail(planId: $id) { ok tasksChecked eventsChecked brokenTaskIds } }';
const FINDINGS =
  'query F($id: ID!) { verifyAuditTrail(planId: $id) { brokenTaskCount brokenTasks { taskId ordinal problem seq detail } } }';
const TIMELINE = 'query T($id: ID!) { taskTimeline(taskId: $id) { state enteredAt leftAt by } }';

describe('audit', () => {
  const province = uniqueProvince('audit');
  const other = uniqueProvince('audit-other');
  let server: ApiServer;
  let planId: string;
  let taskIds: string[];
  let officer: string;
  let supervisor: string;
  let auditorNational: string;
  let auditorLocal: string;
  let otherOfficer: string;
  let otherAuditor: string;
  let rejectedTask: TaskView;

  beforeAll(async () => {
    ({ planId } = await seedPlan(testPlan(province, [{}, {}, {}, {}])));
    await seedPlan(testPlan(other, [{}]));
    server = await startApiServer();
    officer = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'officer-audit');
    supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-audit');
    auditorNational = await token('*', 'kiem-toan-nha-nuoc', ['AUDITOR'], 'auditor-national');
    auditorLocal = await token(province.code, 'thanh-tra-tinh', ['AUDITOR'], 'auditor-local');
    otherOfficer = await token(other.code, AGENCIES.justice.code, ['OFFICER'], 'officer-other');
    otherAuditor = await token(other.code, 'thanh-tra-tinh', ['AUDITOR'], 'auditor-other');
    const page = await gql(server, supervisor, 'query P($id: ID!) { plan(id: $id) { tasks { edges { node { id } } } } }', { id: planId });
    taskIds = page.data!.plan.tasks.edges.map((e: { node: { id: string } }) => e.node.id);

    // task 0: the full walk with a rejection; task 1: started; task 2: reported; task 3: untouched
    const steps: [string, string, Record<string, unknown>][] = [
      [officer, 'START', {}],
      [officer, 'SUBMIT_REPORT', { report: { summary: 'Lần một' } }],
      [supervisor, 'REJECT', { comment: 'Chưa đủ số liệu' }],
      [officer, 'SUBMIT_REPORT', { report: { summary: 'Lần hai' } }],
      [supervisor, 'VERIFY', {}],
    ];
    for (const [who, event, extra] of steps) {
      await fire(server, who, { taskId: taskIds[0], event, ...extra });
      await sleep(15); // distinct `at` values, so asOf can fall between events
    }
    await fire(server, officer, { taskId: taskIds[1], event: 'START' });
    await fire(server, officer, { taskId: taskIds[2], event: 'START' });
    await fire(server, officer, { taskId: taskIds[2], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } });
    rejectedTask = (await getTask(server, supervisor, taskIds[0]))!;
  });

  afterAll(async () => server?.stop());

  async function replay(tok: string, id: string, asOf?: string) {
    const result = await gql(server, tok, REPLAY, { id, asOf: asOf ?? null });
    expect(result.errors).toBeUndefined();
    return result.data!.replayTask;
  }

  async function verifyTrail(tok: string) {
    const result = await gql(server, tok, VERIFY_TRAIL, { id: planId });
    expect(result.errors).toBeUndefined();
    return result.data!.verifyAuditTrail;
  }

  describe('replayTask', () => {
    it('does agree with the stored task when every task of the plan is replayed', async () => {
      for (const id of taskIds) {
        const task = (await getTask(server, supervisor, id))!;
        expect(await replay(supervisor, id)).toEqual({
          state: task.state,
          eventsApplied: task.history.length,
          consistent: true,
          chainValid: true,
        });
      }
      expect(await replay(supervisor, taskIds[0])).toMatchObject({ state: 'VERIFIED', eventsApplied: 5 });
      expect(await replay(supervisor, taskIds[3])).toMatchObject({ state: 'ASSIGNED', eventsApplied: 0 });
    });

    it('does give the earlier state when asOf falls between events', async () => {
      const at = rejectedTask.history.map((row) => new Date(row.at).getTime());
      expect(new Set(at).size).toBe(5);
      const between = (i: number) => new Date(Math.floor((at[i] + at[i + 1]) / 2)).toISOString();
      expect(await replay(supervisor, taskIds[0], between(0))).toEqual({
        state: 'IN_PROGRESS',
        eventsApplied: 1,
        consistent: true,
        chainValid: true,
      });
      expect(await replay(supervisor, taskIds[0], between(1))).toMatchObject({ state: 'REPORTED', eventsApplied: 2 });
      expect(await replay(supervisor, taskIds[0], between(2))).toMatchObject({ state: 'IN_PROGRESS', eventsApplied: 3 });
      expect(await replay(supervisor, taskIds[0], between(3))).toMatchObject({ state: 'REPORTED', eventsApplied: 4 });
      expect(await replay(supervisor, taskIds[0], new Date(at[0] - 60_000).toISOString())).toMatchObject({
        state: 'ASSIGNED',
        eventsApplied: 0,
      });
      expect(await replay(supervisor, taskIds[0], rejectedTask.history[2].at)).toMatchObject({ state: 'IN_PROGRESS', eventsApplied: 3 });
    });

    it('does answer BAD_USER_INPUT when the task id is malformed', async () => {
      expectError(await gql(server, supervisor, REPLAY, { id: 'abc' }), 'BAD_USER_INPUT');
      expectError(await gql(server, supervisor, VERIFY_TRAIL, { id: 'abc' }), 'BAD_USER_INPUT');
    });
  });

  describe('verifyAuditTrail', () => {
    it('does report an intact trail with the tasks and events it checked', async () => {
      expect(await verifyTrail(supervisor)).toEqual({ ok: true, tasksChecked: 4, eventsChecked: 5 + 1 + 2, brokenTaskIds: [] });
    });

    it('does let auditors of the province and national auditors run both queries', async () => {
      for (const tok of [auditorNational, auditorLocal]) {
        expect(await verifyTrail(tok)).toEqual({ ok: true, tasksChecked: 4, eventsChecked: 8, brokenTaskIds: [] });
        expect(await replay(tok, taskIds[0])).toEqual({ state: 'VERIFIED', eventsApplied: 5, consistent: true, chainValid: true });
      }
    });

    it('does answer NOT_FOUND when a token of another province asks', async () => {
      for (const tok of [otherOfficer, otherAuditor]) {
        expectError(await gql(server, tok, VERIFY_TRAIL, { id: planId }), 'NOT_FOUND');
        expectError(await gql(server, tok, REPLAY, { id: taskIds[0] }), 'NOT_FOUND');
      }
    });
  });

  describe('taskTimeline', () => {
    it('does list every state of the task with its entry and exit time and who moved it there', async () => {
      const result = await gql(server, auditorLocal, TIMELINE, { id: taskIds[0] });
      expect(result.errors).toBeUndefined();
      const entries: { state: string; enteredAt: string; leftAt: string | null; by: string | null }[] = result.data!.taskTimeline;
      const at = rejectedTask.history.map((row) => row.at);
      expect(entries.map(({ state, by }) => ({ state, by }))).toEqual([
        { state: 'ASSIGNED', by: null },
        { state: 'IN_PROGRESS', by: 'officer-audit' },
        { state: 'REPORTED', by: 'officer-audit' },
        { state: 'IN_PROGRESS', by: 'supervisor-audit' },
        { state: 'REPORTED', by: 'officer-audit' },
        { state: 'VERIFIED', by: 'supervisor-audit' },
      ]);
      expect(entries.slice(1).map((entry) => entry.enteredAt)).toEqual(at);
      expect(entries.map((entry) => entry.leftAt)).toEqual([...at, null]);
    });

    it('does answer NOT_FOUND for a task of another province and BAD_USER_INPUT for a malformed id', async () => {
      expectError(await gql(server, otherAuditor, TIMELINE, { id: taskIds[0] }), 'NOT_FOUND');
      expectError(await gql(server, auditorLocal, TIMELINE, { id: 'abc' }), 'BAD_USER_INPUT', /taskId/);
    });
  });

  describe('tampering', () => {
    it('does refuse a plain UPDATE of task_events because the table is append-only', async () => {
      await withPg(async (client) => {
        await expect(
          client.query(`UPDATE task_events SET payload = jsonb_set(payload, '{comment}', '"sửa"') WHERE task_id = $1 AND seq = 3`, [
            taskIds[0],
          ]),
        ).rejects.toThrow(/append-only/);
        await expect(client.query('DELETE FROM task_events WHERE task_id = $1', [taskIds[0]])).rejects.toThrow(/append-only/);
      });
      expect((await eventRows(taskIds[0])).map((row) => row.type)).toEqual(['START', 'SUBMIT_REPORT', 'REJECT', 'SUBMIT_REPORT', 'VERIFY']);
      expect(await verifyTrail(auditorNational)).toMatchObject({ ok: true, brokenTaskIds: [] });
    });

    it('does catch exactly the edited task when a REJECT comment is changed past the trigger', async () => {
      await withPg(async (client) => {
        await client.query('SET session_replication_role = replica');
        const updated = await client.query(
          `UPDATE task_events SET payload = jsonb_set(payload, '{comment}', '"Đạt yêu cầu"') WHERE task_id = $1 AND seq = 3 AND type = 'REJECT'`,
          [taskIds[0]],
        );
        expect(updated.rowCount).toBe(1);
        await client.query('SET session_replication_role = origin');
      });
      expect((await eventRows(taskIds[0]))[2].payload.comment).toBe('Đạt yêu cầu');

      for (const tok of [supervisor, auditorNational, auditorLocal]) {
        expect(await verifyTrail(tok)).toEqual({ ok: false, tasksChecked: 4, eventsChecked: 8, brokenTaskIds: [taskIds[0]] });
      }
      expect((await gql(server, auditorLocal, FINDINGS, { id: planId })).data!.verifyAuditTrail).toEqual({
        brokenTaskCount: 1,
        brokenTasks: [
          {
            taskId: taskIds[0],
            ordinal: '1',
            problem: 'CHAIN_BROKEN',
            seq: 3,
            detail: 'chain broken at seq 3: the row does not hash to its stored hash (edited)',
          },
        ],
      });
      expect(await replay(auditorNational, taskIds[0])).toMatchObject({ chainValid: false });
      for (const id of taskIds.slice(1)) expect(await replay(auditorNational, id)).toMatchObject({ chainValid: true, consistent: true });
    });

    it('does catch a task whose last event was deleted past the trigger', async () => {
      await withPg(async (client) => {
        await client.query('SET session_replication_role = replica');
        const deleted = await client.query('DELETE FROM task_events WHERE task_id = $1 AND seq = 2', [taskIds[2]]);
        expect(deleted.rowCount).toBe(1);
        await client.query('SET session_replication_role = origin');
      });
      const verdict = await verifyTrail(auditorNational);
      expect(verdict).toEqual({ ok: false, tasksChecked: 4, eventsChecked: 7, brokenTaskIds: [taskIds[0], taskIds[2]].sort() });
      expect(await replay(auditorNational, taskIds[2])).toMatchObject({ state: 'IN_PROGRESS', eventsApplied: 1, consistent: false });
    });
  });
});
