import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import {
  cast,
  eventRows,
  expectDomainError,
  MINUTE,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { TransitionService } from '../tasks/transition.service';
import { AuditService } from './audit.service';
import { chainHash, verifyChain } from './hash-chain';
import type { AuditProblem } from './task-audit';
import { createServices } from '../services';
import { systemClock } from '../common/clock';

const START_AT = new Date('2030-03-01T02:00:00.000Z');
const AFTER_DUE = new Date('2031-01-10T02:00:00.000Z');

describe(AuditService.name, () => {
  let ds: DataSource;
  let clock: TestClock;
  let transitions: TransitionService;
  let audit: AuditService;
  let province: { code: string; name: string };
  let actors: ReturnType<typeof cast>;

  beforeAll(async () => {
    ds = await openDataSource();
    province = uniqueProvince('int-audit');
    actors = cast(await seedPlan(ds, province, []));
    audit = createServices({ dataSource: ds, clock: systemClock }).audit;
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  beforeEach(() => {
    clock = new TestClock(START_AT);
    transitions = createServices({ dataSource: ds, clock: clock }).transitions;
  });

  const fire = (actor: Actor, taskId: string, event: Parameters<TransitionService['transition']>[1]['event'], extra = {}) =>
    transitions.transition(actor, { taskId, event, ...extra });

  // START → CONTRIBUTE → SUBMIT_REPORT → REJECT → SUBMIT_REPORT → VERIFY, one minute apart.
  // Returns the instant of each event.
  async function walkToVerified(taskId: string): Promise<Date[]> {
    const steps: [Actor, Parameters<typeof fire>[2], object][] = [
      [actors.lead, 'START', {}],
      [actors.coordinator, 'CONTRIBUTE', { comment: 'Phối hợp' }],
      [actors.lead, 'SUBMIT_REPORT', { report: { summary: 'Lần 1' } }],
      [actors.supervisor, 'REJECT', { comment: 'Bổ sung' }],
      [actors.lead, 'SUBMIT_REPORT', { report: { summary: 'Lần 2', value: '100%' } }],
      [actors.supervisor, 'VERIFY', {}],
    ];
    const times: Date[] = [];
    for (const [actor, event, extra] of steps) {
      clock.advance(MINUTE);
      times.push(clock.now());
      await fire(actor, taskId, event, extra);
    }
    return times;
  }

  // A plan of four tasks: one VERIFIED, one OVERDUE, one IN_PROGRESS, one untouched.
  async function walkedPlan(): Promise<SeededPlan & { times: Date[] }> {
    const plan = await seedPlan(ds, province, [{}, {}, {}, {}]);
    const [verified, overdue, started] = plan.taskIds;
    const times = await walkToVerified(verified);
    await fire(actors.lead, started, 'START');
    clock.set(AFTER_DUE);
    await fire(SYSTEM_ACTOR, overdue, 'DEADLINE_PASSED');
    clock.set(START_AT);
    return { ...plan, times };
  }

  // Superuser-only edits that bypass the append-only trigger, on a dedicated connection.
  async function asReplica(work: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<unknown>): Promise<void> {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET session_replication_role = replica');
      await work((sql, params) => runner.query(sql, params));
    } finally {
      await runner.query('RESET session_replication_role');
      await runner.release();
    }
  }

  // A finding that names the task (by id and ordinal), the problem, the event and what is wrong.
  async function finding(taskId: string, problem: AuditProblem, seq: number | null, detail: string) {
    const { ordinal } = await taskRow(ds, taskId);
    return { taskId, ordinal, problem, seq, detail: expect.stringContaining(detail) };
  }

  describe('replay', () => {
    it('folds back to the stored state and reports a valid chain when a task was walked to VERIFIED', async () => {
      const plan = await walkedPlan();
      const [verified, overdue, started, untouched] = plan.taskIds;
      expect(await audit.replay(actors.auditor, verified, null)).toEqual({
        state: 'VERIFIED',
        eventsApplied: 6,
        consistent: true,
        chainValid: true,
      });
      expect(await audit.replay(actors.lead, overdue, null)).toEqual({
        state: 'OVERDUE',
        eventsApplied: 1,
        consistent: true,
        chainValid: true,
      });
      expect(await audit.replay(actors.lead, started, null)).toEqual({
        state: 'IN_PROGRESS',
        eventsApplied: 1,
        consistent: true,
        chainValid: true,
      });
      expect(await audit.replay(actors.lead, untouched, null)).toEqual({
        state: 'ASSIGNED',
        eventsApplied: 0,
        consistent: true,
        chainValid: true,
      });
    });

    it('replays only the events up to asOf when asOf is given', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[0];
      const { times } = plan;
      expect(await audit.replay(actors.auditor, taskId, new Date(times[0].getTime() - 1))).toEqual({
        state: 'ASSIGNED',
        eventsApplied: 0,
        consistent: true,
        chainValid: true,
      });
      expect(await audit.replay(actors.auditor, taskId, times[0])).toMatchObject({
        state: 'IN_PROGRESS',
        eventsApplied: 1,
        consistent: true,
      });
      expect(await audit.replay(actors.auditor, taskId, new Date(times[2].getTime() + 1000))).toMatchObject({
        state: 'REPORTED',
        eventsApplied: 3,
      });
      expect(await audit.replay(actors.auditor, taskId, times[3])).toMatchObject({ state: 'IN_PROGRESS', eventsApplied: 4 });
      expect(await audit.replay(actors.auditor, taskId, new Date('2099-01-01T00:00:00Z'))).toEqual({
        state: 'VERIFIED',
        eventsApplied: 6,
        consistent: true,
        chainValid: true,
      });
    });

    it('answers NOT_FOUND when the task is in another province or does not exist', async () => {
      const plan = await walkedPlan();
      const stranger = { ...actors.lead, provinceCode: uniqueProvince('int-audit-x').code };
      await expectDomainError(audit.replay(stranger, plan.taskIds[0], null), 'NOT_FOUND');
      await expectDomainError(audit.replay(actors.auditor, randomUUID(), null), 'NOT_FOUND');
      await expectDomainError(audit.replay(actors.auditor, 'nope', null), 'BAD_USER_INPUT');
    });
  });

  describe('verifyPlan', () => {
    it('reports ok with every task and event counted when nothing was tampered with', async () => {
      const plan = await walkedPlan();
      expect(await audit.verifyPlan(NATIONAL_AUDITOR, plan.planId)).toEqual({
        ok: true,
        tasksChecked: 4,
        eventsChecked: 8,
        brokenTaskCount: 0,
        brokenTaskIds: [],
        brokenTasks: [],
        periodsChecked: 0,
        brokenPeriods: [],
      });
      expect(await audit.verifyPlan(actors.lead, plan.planId)).toMatchObject({ ok: true });
    });

    it('reports ok for a plan whose tasks have no events yet', async () => {
      const plan = await seedPlan(ds, province, [{}, {}]);
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toEqual({
        ok: true,
        tasksChecked: 2,
        eventsChecked: 0,
        brokenTaskCount: 0,
        brokenTaskIds: [],
        brokenTasks: [],
        periodsChecked: 0,
        brokenPeriods: [],
      });
    });

    it('answers NOT_FOUND when the plan is in another province or does not exist', async () => {
      const plan = await seedPlan(ds, province, [{}]);
      const other = await seedPlan(ds, uniqueProvince('int-audit-other'), []);
      await expectDomainError(audit.verifyPlan(userActor(other, 'monitoring', ['SUPERVISOR']), plan.planId), 'NOT_FOUND');
      await expectDomainError(audit.verifyPlan(actors.auditor, randomUUID()), 'NOT_FOUND');
    });
  });

  describe('tampering', () => {
    it('refuses a plain UPDATE or DELETE of task_events and leaves the rows as they were', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[0];
      const before = await eventRows(ds, taskId);
      await expect(ds.query(`UPDATE task_events SET payload = '{}'::jsonb WHERE task_id = $1 AND seq = 3`, [taskId])).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      await expect(ds.query('DELETE FROM task_events WHERE task_id = $1', [taskId])).rejects.toThrow(/append-only: DELETE refused/);
      await expect(ds.query('UPDATE task_events SET hash = hash WHERE task_id = $1', [taskId])).rejects.toThrow(/append-only/);
      expect(await eventRows(ds, taskId)).toEqual(before);
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toMatchObject({ ok: true });
    });

    it('refuses a TRUNCATE of task_events', async () => {
      // run inside a transaction that is always rolled back, so other files' rows survive if it is not refused
      const runner = ds.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      let refused: unknown = null;
      try {
        await runner.query('TRUNCATE task_events');
      } catch (error) {
        refused = error;
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(String(refused)).toMatch(/append-only/);
    });

    it('reports exactly the task whose event payload was edited', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[0];
      await asReplica((query) =>
        query(`UPDATE task_events SET payload = jsonb_set(payload, '{report,value}', '"50%"') WHERE task_id = $1 AND seq = 5`, [taskId]),
      );
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toEqual({
        ok: false,
        tasksChecked: 4,
        eventsChecked: 8,
        brokenTaskCount: 1,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'CHAIN_BROKEN', 5, 'chain broken at seq 5: the row does not hash to its stored hash')],
        periodsChecked: 0,
        brokenPeriods: [],
      });
      expect(await audit.replay(actors.auditor, taskId, null)).toMatchObject({ chainValid: false });
    });

    it('reports exactly the task whose event was edited and re-hashed on its own', async () => {
      // the edited row's own hash is recomputed, so only the link to the next row gives it away
      const plan = await walkedPlan();
      const taskId = plan.taskIds[0];
      const [, second] = await eventRows(ds, taskId);
      const forged = { ...second, actor: 'someone-else' };
      await asReplica((query) =>
        query(`UPDATE task_events SET actor = $3, hash = $4 WHERE task_id = $1 AND seq = $2`, [
          taskId,
          2,
          forged.actor,
          chainHash(second.prevHash, forged),
        ]),
      );
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toMatchObject({
        ok: false,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'CHAIN_BROKEN', 3, 'its prev_hash is not the hash of seq 2')],
      });
      expect(verifyChain(taskId, (await taskRow(ds, taskId)).input, await eventRows(ds, taskId))).toEqual({
        valid: false,
        firstBrokenSeq: 3,
      });
    });

    it('reports exactly the task whose event in the middle of the chain was deleted', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[0];
      await asReplica((query) => query('DELETE FROM task_events WHERE task_id = $1 AND seq = 2', [taskId]));
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toEqual({
        ok: false,
        tasksChecked: 4,
        eventsChecked: 7,
        brokenTaskCount: 1,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'SEQ_GAP', 2, 'seq gap: expected seq 2, found seq 3')],
        periodsChecked: 0,
        brokenPeriods: [],
      });
      expect(await audit.replay(actors.auditor, taskId, null)).toMatchObject({ chainValid: false });
    });

    it('reports exactly the task whose events 2 and 3 swapped their seq', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[0];
      // through a free number: the primary key is checked row by row
      await asReplica(async (query) => {
        await query('UPDATE task_events SET seq = -3 WHERE task_id = $1 AND seq = 3', [taskId]);
        await query('UPDATE task_events SET seq = 3 WHERE task_id = $1 AND seq = 2', [taskId]);
        await query('UPDATE task_events SET seq = 2 WHERE task_id = $1 AND seq = -3', [taskId]);
      });
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toEqual({
        ok: false,
        tasksChecked: 4,
        eventsChecked: 8,
        brokenTaskCount: 1,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'CHAIN_BROKEN', 2, 'chain broken at seq 2: its prev_hash is not the hash of seq 1')],
        periodsChecked: 0,
        brokenPeriods: [],
      });
      expect(await audit.replay(actors.auditor, taskId, null)).toMatchObject({ chainValid: false });
    });

    it('reports exactly the task whose last event was deleted', async () => {
      // the remaining chain is valid on its own: only the stored state and version give it away
      const plan = await walkedPlan();
      const taskId = plan.taskIds[1];
      await asReplica((query) => query('DELETE FROM task_events WHERE task_id = $1 AND seq = 1', [taskId]));
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toMatchObject({
        ok: false,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'ROW_DISAGREES', null, 'state: stored OVERDUE, replay ASSIGNED')],
      });
      expect(await audit.replay(actors.auditor, taskId, null)).toEqual({
        state: 'ASSIGNED',
        eventsApplied: 0,
        consistent: false,
        chainValid: true,
      });
    });

    it('reports exactly the task whose tasks.input was edited', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[2];
      await asReplica((query) =>
        query(`UPDATE tasks SET input = jsonb_set(input, '{dueAt}', '"2031-12-31T16:59:59.999Z"') WHERE id = $1`, [taskId]),
      );
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toMatchObject({
        ok: false,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'CHAIN_BROKEN', 1, 'not the hash of the task creation input')],
      });
      expect(await audit.replay(actors.auditor, taskId, null)).toMatchObject({ chainValid: false });
    });

    it('replays inconsistent when tasks.input of a task without events was edited', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[3];
      await ds.query(`UPDATE tasks SET input = jsonb_set(input, '{dueAt}', 'null') WHERE id = $1`, [taskId]);
      expect(await audit.replay(actors.auditor, taskId, null)).toEqual({
        state: 'ASSIGNED',
        eventsApplied: 0,
        consistent: false,
        chainValid: true,
      });
    });

    it('reports exactly the task whose tasks.state was edited by hand', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[2];
      await ds.query(`UPDATE tasks SET state = 'VERIFIED' WHERE id = $1`, [taskId]);
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toEqual({
        ok: false,
        tasksChecked: 4,
        eventsChecked: 8,
        brokenTaskCount: 1,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'ROW_DISAGREES', null, 'state: stored VERIFIED, replay IN_PROGRESS')],
        periodsChecked: 0,
        brokenPeriods: [],
      });
    });

    it('replays inconsistent when tasks.state was edited by hand', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[2];
      await ds.query(`UPDATE tasks SET state = 'VERIFIED' WHERE id = $1`, [taskId]);
      expect(await audit.replay(actors.auditor, taskId, null)).toEqual({
        state: 'IN_PROGRESS',
        eventsApplied: 1,
        consistent: false,
        chainValid: true,
      });
    });

    it('replays inconsistent when the late and due_at columns of a task were edited by hand', async () => {
      // what progress and the API read; the snapshot is left as it was
      const plan = await walkedPlan();
      const taskId = plan.taskIds[1];
      await ds.query(`UPDATE tasks SET late = true, due_at = due_at + interval '30 days' WHERE id = $1`, [taskId]);
      expect(await audit.replay(actors.auditor, taskId, null)).toMatchObject({ state: 'OVERDUE', consistent: false });
    });

    it('replays inconsistent when tasks.snapshot was edited by hand', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[0];
      await ds.query(`UPDATE tasks SET snapshot = jsonb_set(snapshot, '{context,late}', 'true'), late = true WHERE id = $1`, [taskId]);
      expect(await audit.replay(actors.auditor, taskId, null)).toMatchObject({ state: 'VERIFIED', consistent: false, chainValid: true });
    });

    it('reports the task when an extra event was appended by hand with a valid hash but the task row was left alone', async () => {
      const plan = await walkedPlan();
      const taskId = plan.taskIds[2];
      const [first] = await eventRows(ds, taskId);
      const extra = {
        ...first,
        seq: 2,
        type: 'CONTRIBUTE' as const,
        fromState: 'IN_PROGRESS' as const,
        toState: 'IN_PROGRESS' as const,
        payload: { text: 'giả', value: null, by: { userId: 'x', agencyId: null } },
        prevHash: first.hash,
      };
      await ds.query(
        `INSERT INTO task_events (province_code, task_id, seq, type, from_state, to_state, actor, actor_agency_id, at, payload, idempotency_key, machine_version, prev_hash, hash)
         VALUES ($1, $2, 2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12)`,
        [
          province.code,
          taskId,
          extra.type,
          extra.fromState,
          extra.toState,
          extra.actor,
          extra.actorAgencyId,
          extra.at,
          JSON.stringify(extra.payload),
          extra.machineVersion,
          extra.prevHash,
          chainHash(first.hash, extra),
        ],
      );
      expect(await audit.verifyPlan(actors.auditor, plan.planId)).toMatchObject({
        ok: false,
        brokenTaskIds: [taskId],
        brokenTasks: [await finding(taskId, 'ROW_DISAGREES', null, 'version: stored 1, replay 2')],
      });
      expect(await audit.replay(actors.auditor, taskId, null)).toMatchObject({ consistent: false, chainValid: true });
    });
  });
});
