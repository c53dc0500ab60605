import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { applyTaskEvent, TASK_MACHINE_VERSION, type TaskEvent, type TaskEventType } from '@app/lifecycle';
import { chainHash, genesisHash } from '../audit/hash-chain';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import { DomainError } from '../common/domain-error';
import {
  cast,
  DAY,
  eventRows,
  expectDomainError,
  footprint,
  MINUTE,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import type { TransitionCommand } from './transition.command';
import { TransitionService } from './transition.service';
import { createServices } from '../services';

// testPlan's default due time: end of 31 Dec 2030 in Vietnam.
const DUE = new Date('2030-12-31T16:59:59.999Z');
const START_AT = new Date('2030-03-01T02:00:00.000Z');
const AFTER_DUE = new Date('2031-01-10T02:00:00.000Z');

describe(TransitionService.name, () => {
  let ds: DataSource;
  let clock: TestClock;
  let service: TransitionService;
  let seeded: SeededPlan;
  let other: SeededPlan; // a second province, same agency codes
  let actors: ReturnType<typeof cast>;

  beforeAll(async () => {
    ds = await openDataSource();
    seeded = await seedPlan(ds, uniqueProvince('int-transition'), []);
    other = await seedPlan(ds, uniqueProvince('int-transition-other'), [{}]);
    actors = cast(seeded);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  beforeEach(() => {
    clock = new TestClock(START_AT);
    service = createServices({ dataSource: ds, clock: clock }).transitions;
  });

  // A fresh task (its own plan) for every test, so tests never share history.
  async function freshTask(task: Parameters<typeof seedPlan>[2][number] = {}): Promise<string> {
    const plan = await seedPlan(ds, seeded.province, [task]);
    return plan.taskIds[0];
  }

  // Fires a command that must be accepted and checks the whole footprint of one accepted event:
  // one new task_events row (seq n+1, prev_hash, hash recomputed here) and the tasks row updated.
  async function fireChecked(actor: Actor, command: TransitionCommand, expected: { payload: Record<string, unknown>; toState: string }) {
    const before = await taskRow(ds, command.taskId);
    const eventsBefore = await eventRows(ds, command.taskId);
    const at = clock.now();
    const returned = await service.transition(actor, command);

    const eventsAfter = await eventRows(ds, command.taskId);
    expect(eventsAfter).toHaveLength(eventsBefore.length + 1);
    expect(eventsAfter.slice(0, -1)).toEqual(eventsBefore);
    const row = eventsAfter[eventsAfter.length - 1];
    const payload = { ...expected.payload, by: { userId: actor.userId, agencyId: actor.agencyId } };
    const chained = {
      taskId: command.taskId,
      seq: eventsBefore.length + 1,
      type: command.event,
      fromState: before.state,
      toState: expected.toState,
      actor: actor.userId,
      actorAgencyId: actor.agencyId,
      at,
      payload,
      machineVersion: TASK_MACHINE_VERSION,
    };
    const prevHash = eventsBefore.length > 0 ? eventsBefore[eventsBefore.length - 1].hash : genesisHash(command.taskId, before.input);
    expect(row).toMatchObject({ ...chained, provinceCode: seeded.province.code, idempotencyKey: command.idempotencyKey ?? null, prevHash });
    expect(row.hash).toBe(chainHash(prevHash, chained));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

    const machine = applyTaskEvent(before.snapshot, { ...payload, type: command.event, at: at.toISOString() } as TaskEvent);
    if (!machine.taken) throw new Error(`the machine itself refuses ${command.event}: ${machine.reason}`);
    const after = await taskRow(ds, command.taskId);
    expect(after).toMatchObject({
      state: expected.toState,
      snapshot: machine.snapshot,
      version: before.version + 1,
      dueAt: machine.snapshot.context.dueAt ? new Date(machine.snapshot.context.dueAt) : null,
      originalDueAt: machine.snapshot.context.originalDueAt ? new Date(machine.snapshot.context.originalDueAt) : null,
      late: machine.snapshot.context.late,
    });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(returned).toMatchObject({ id: command.taskId, state: expected.toState, version: before.version + 1, late: after.late });
    return { row, after };
  }

  function fire(actor: Actor, taskId: string, event: TaskEventType, extra: Partial<TransitionCommand> = {}) {
    return service.transition(actor, { taskId, event, ...extra });
  }

  describe('accepted transitions', () => {
    it('appends one chained event and updates the task for every step when a task is walked to VERIFIED', async () => {
      const taskId = await freshTask();
      const original = await taskRow(ds, taskId);
      await fireChecked(actors.lead, { taskId, event: 'START' }, { payload: {}, toState: 'IN_PROGRESS' });
      clock.advance(MINUTE);
      await fireChecked(
        actors.coordinator,
        { taskId, event: 'CONTRIBUTE', comment: 'Đã phối hợp' },
        {
          payload: { text: 'Đã phối hợp', value: null },
          toState: 'IN_PROGRESS',
        },
      );
      clock.advance(MINUTE);
      const proposed = new Date('2031-03-31T16:59:59.999Z');
      await fireChecked(
        actors.lead,
        { taskId, event: 'REQUEST_EXTENSION', comment: 'Cần thêm thời gian', newDueAt: proposed },
        {
          payload: { reason: 'Cần thêm thời gian', proposedDueAt: proposed.toISOString() },
          toState: 'IN_PROGRESS',
        },
      );
      clock.advance(MINUTE);
      const { after: extended } = await fireChecked(
        actors.leader,
        { taskId, event: 'APPROVE_EXTENSION', newDueAt: proposed, comment: 'Công văn 12/UBND-TH ngày 02/7/2030' },
        {
          payload: { newDueAt: proposed.toISOString(), comment: 'Công văn 12/UBND-TH ngày 02/7/2030' },
          toState: 'IN_PROGRESS',
        },
      );
      expect(extended.dueAt).toEqual(proposed);
      expect(extended.originalDueAt).toEqual(original.originalDueAt);
      clock.advance(MINUTE);
      await fireChecked(
        actors.lead,
        { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo lần 1' } },
        {
          payload: { report: { summary: 'Báo cáo lần 1', value: null } },
          toState: 'REPORTED',
        },
      );
      clock.advance(MINUTE);
      await fireChecked(
        actors.supervisor,
        { taskId, event: 'REJECT', comment: 'Thiếu số liệu' },
        {
          payload: { comment: 'Thiếu số liệu' },
          toState: 'IN_PROGRESS',
        },
      );
      clock.advance(MINUTE);
      await fireChecked(
        actors.lead,
        { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo lần 2', value: '95%' }, idempotencyKey: 'r2' },
        {
          payload: { report: { summary: 'Báo cáo lần 2', value: '95%' } },
          toState: 'REPORTED',
        },
      );
      clock.advance(MINUTE);
      const { after } = await fireChecked(
        actors.supervisor,
        { taskId, event: 'VERIFY', comment: 'Đạt', expectedVersion: 7 },
        {
          payload: { comment: 'Đạt' },
          toState: 'VERIFIED',
        },
      );
      expect(after).toMatchObject({ state: 'VERIFIED', version: 8, late: false });
      expect((await eventRows(ds, taskId)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('marks the task late when the report is submitted after the due time', async () => {
      const taskId = await freshTask();
      await fire(actors.lead, taskId, 'START');
      clock.set(AFTER_DUE);
      const { after } = await fireChecked(
        actors.lead,
        { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Muộn' } },
        {
          payload: { report: { summary: 'Muộn', value: null } },
          toState: 'REPORTED',
        },
      );
      expect(after.late).toBe(true);
      expect(after.snapshot.context.periods[0]).toMatchObject({ late: true, reportedAt: AFTER_DUE.toISOString() });
      clock.advance(MINUTE);
      const verified = await fire(actors.supervisor, taskId, 'VERIFY');
      expect(verified).toMatchObject({ state: 'VERIFIED', late: true });
    });

    it('keeps the task on time when the report is submitted one millisecond before the due time', async () => {
      const taskId = await freshTask();
      await fire(actors.lead, taskId, 'START');
      clock.set(DUE);
      await fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 'Đúng hạn' } });
      expect((await taskRow(ds, taskId)).late).toBe(false);
    });

    it('moves the task to OVERDUE when the report is rejected after the due time', async () => {
      const taskId = await freshTask();
      await fire(actors.lead, taskId, 'START');
      await fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 'Báo cáo' } });
      clock.set(AFTER_DUE);
      await fireChecked(
        actors.supervisor,
        { taskId, event: 'REJECT', comment: 'Chưa đạt' },
        { payload: { comment: 'Chưa đạt' }, toState: 'OVERDUE' },
      );
    });

    it('moves the task back to IN_PROGRESS when the report is rejected before the due time', async () => {
      const taskId = await freshTask();
      await fire(actors.lead, taskId, 'START');
      await fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 'Báo cáo' } });
      await fireChecked(
        actors.supervisor,
        { taskId, event: 'REJECT', comment: 'Chưa đạt' },
        { payload: { comment: 'Chưa đạt' }, toState: 'IN_PROGRESS' },
      );
    });

    it('marks the task OVERDUE when SYSTEM_ACTOR fires DEADLINE_PASSED after the due time', async () => {
      const taskId = await freshTask();
      clock.set(AFTER_DUE);
      const { row } = await fireChecked(SYSTEM_ACTOR, { taskId, event: 'DEADLINE_PASSED' }, { payload: {}, toState: 'OVERDUE' });
      expect(row).toMatchObject({ actor: 'system:deadline-sweep', actorAgencyId: null, fromState: 'ASSIGNED' });
    });

    it('moves due_at, keeps original_due_at and reopens the task when a LEADER approves an extension of an OVERDUE task', async () => {
      const taskId = await freshTask();
      await fire(actors.lead, taskId, 'START');
      clock.set(AFTER_DUE);
      await fire(SYSTEM_ACTOR, taskId, 'DEADLINE_PASSED');
      const newDueAt = new Date('2031-02-28T16:59:59.999Z');
      clock.advance(MINUTE);
      const { after: requested } = await fireChecked(
        actors.lead,
        { taskId, event: 'REQUEST_EXTENSION', comment: 'Xin gia hạn', newDueAt },
        {
          payload: { reason: 'Xin gia hạn', proposedDueAt: newDueAt.toISOString() },
          toState: 'OVERDUE',
        },
      );
      expect(requested.dueAt).toEqual(DUE);
      expect(requested.snapshot.context.pendingExtension).toMatchObject({
        proposedDueAt: newDueAt.toISOString(),
        byAgencyId: seeded.agencies.justice,
      });
      clock.advance(MINUTE);
      const { after } = await fireChecked(
        actors.leader,
        { taskId, event: 'APPROVE_EXTENSION', newDueAt, comment: '1234/UBND-TH ngày 05/9/2030' },
        {
          payload: { newDueAt: newDueAt.toISOString(), comment: '1234/UBND-TH ngày 05/9/2030' },
          toState: 'IN_PROGRESS',
        },
      );
      expect(after).toMatchObject({ dueAt: newDueAt, originalDueAt: DUE, state: 'IN_PROGRESS' });
      expect(after.snapshot.context.pendingExtension).toBeNull();
      // the report now counts against the new due time
      clock.advance(MINUTE);
      await fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 'Xong' } });
      expect((await taskRow(ds, taskId)).late).toBe(false);
    });

    it('keeps due_at and clears the request when a LEADER denies an extension', async () => {
      const taskId = await freshTask();
      const newDueAt = new Date('2031-02-28T16:59:59.999Z');
      await fire(actors.lead, taskId, 'REQUEST_EXTENSION', { comment: 'Xin gia hạn', newDueAt });
      const { after } = await fireChecked(
        actors.leader,
        { taskId, event: 'DENY_EXTENSION', comment: 'Không đồng ý' },
        {
          payload: { comment: 'Không đồng ý' },
          toState: 'ASSIGNED',
        },
      );
      expect(after).toMatchObject({ dueAt: DUE, originalDueAt: DUE });
      expect(after.snapshot.context.pendingExtension).toBeNull();
    });

    it('opens the next period with its own due time when a recurring task is verified before its last period', async () => {
      const periods = ['2030-06-05T16:59:59.999Z', '2030-12-05T16:59:59.999Z'];
      const taskId = await freshTask({ dueAt: periods[0], periodDueDates: periods, timeframe: 'Thường xuyên' });
      await fire(actors.lead, taskId, 'START');
      await fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 'H1' } });
      const { after } = await fireChecked(actors.supervisor, { taskId, event: 'VERIFY' }, { payload: {}, toState: 'IN_PROGRESS' });
      expect(after).toMatchObject({ dueAt: new Date(periods[1]), originalDueAt: new Date(periods[1]), late: false });
    });
  });

  describe('rejected requests', () => {
    // Runs a request that must fail with `code`, and checks that nothing at all was written.
    async function expectRefusedUnchanged(taskId: string, run: () => Promise<unknown>, code: DomainError['code']) {
      const before = await footprint(ds, seeded.province.code, taskId);
      const error = await expectDomainError(run(), code);
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
      return error;
    }

    let taskId: string;
    beforeEach(async () => {
      taskId = await freshTask();
      await fire(actors.lead, taskId, 'START');
    });

    it('refuses with FORBIDDEN and writes nothing when an officer of another agency starts the work', async () => {
      const untouched = await freshTask();
      const error = await expectRefusedUnchanged(untouched, () => fire(actors.outsider, untouched, 'START'), 'FORBIDDEN');
      expect(error.details).toEqual({ rule: 'no-rule-allows' });
    });

    it('refuses with FORBIDDEN (four-eyes) and writes nothing when the lead agency verifies its own report', async () => {
      await fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 'Báo cáo' } });
      const selfReview = userActor(seeded, 'justice', ['SUPERVISOR'], 'lead-supervisor');
      const error = await expectRefusedUnchanged(taskId, () => fire(selfReview, taskId, 'VERIFY'), 'FORBIDDEN');
      expect(error.details).toEqual({ rule: 'four-eyes-own-report' });
    });

    it('refuses with FORBIDDEN and writes nothing when a user fires DEADLINE_PASSED', async () => {
      clock.set(AFTER_DUE);
      const admin = userActor(seeded, 'committee', ['ADMIN', 'LEADER']);
      const error = await expectRefusedUnchanged(taskId, () => fire(admin, taskId, 'DEADLINE_PASSED'), 'FORBIDDEN');
      expect(error.details).toEqual({ rule: 'deadline-passed-system-only' });
    });

    it('refuses with FORBIDDEN and writes nothing when an AUDITOR or a national ADMIN fires an event', async () => {
      await expectRefusedUnchanged(taskId, () => fire(NATIONAL_AUDITOR, taskId, 'CONTRIBUTE', { comment: 'x' }), 'FORBIDDEN');
      await expectRefusedUnchanged(taskId, () => fire(NATIONAL_ADMIN, taskId, 'SUBMIT_REPORT', { report: { summary: 'x' } }), 'FORBIDDEN');
    });

    it('refuses with INVALID_TRANSITION and writes nothing when the task is started twice', async () => {
      await expectRefusedUnchanged(taskId, () => fire(actors.lead, taskId, 'START'), 'INVALID_TRANSITION');
    });

    it('refuses with INVALID_TRANSITION and writes nothing when SYSTEM_ACTOR fires DEADLINE_PASSED before the due time', async () => {
      clock.set(DUE);
      await expectRefusedUnchanged(taskId, () => fire(SYSTEM_ACTOR, taskId, 'DEADLINE_PASSED'), 'INVALID_TRANSITION');
    });

    it('refuses with INVALID_TRANSITION and writes nothing when a LEADER approves an extension nobody requested', async () => {
      await expectRefusedUnchanged(
        taskId,
        () => fire(actors.leader, taskId, 'APPROVE_EXTENSION', { newDueAt: AFTER_DUE, comment: '99/UBND-TH ngày 01/01/2030' }),
        'INVALID_TRANSITION',
      );
    });

    it('refuses with INVALID_TRANSITION and writes nothing when a VERIFIED task gets any further event', async () => {
      await fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 'Báo cáo' } });
      await fire(actors.supervisor, taskId, 'VERIFY');
      await expectRefusedUnchanged(taskId, () => fire(actors.coordinator, taskId, 'CONTRIBUTE', { comment: 'muộn' }), 'INVALID_TRANSITION');
      await expectRefusedUnchanged(taskId, () => fire(actors.supervisor, taskId, 'REJECT', { comment: 'lại' }), 'INVALID_TRANSITION');
    });

    it('refuses with CONFLICT and writes nothing when expectedVersion is stale', async () => {
      const error = await expectRefusedUnchanged(
        taskId,
        () => fire(actors.coordinator, taskId, 'CONTRIBUTE', { comment: 'x', expectedVersion: 0 }),
        'CONFLICT',
      );
      expect(error.details).toEqual({ currentVersion: 1 });
      await expectRefusedUnchanged(
        taskId,
        () => fire(actors.coordinator, taskId, 'CONTRIBUTE', { comment: 'x', expectedVersion: 2 }),
        'CONFLICT',
      );
    });

    it('refuses with CONFLICT and writes nothing when an idempotencyKey is reused for another event type', async () => {
      await fire(actors.lead, taskId, 'REQUEST_EXTENSION', { comment: 'Cần thêm thời gian', newDueAt: AFTER_DUE, idempotencyKey: 'k-1' });
      await expectRefusedUnchanged(
        taskId,
        () => fire(actors.lead, taskId, 'SUBMIT_REPORT', { report: { summary: 's' }, idempotencyKey: 'k-1' }),
        'CONFLICT',
      );
    });

    it.each<[string, Partial<TransitionCommand>]>([
      ['REJECT has no comment', { event: 'REJECT', comment: '   ' }],
      ['SUBMIT_REPORT has no report', { event: 'SUBMIT_REPORT' }],
      ['SUBMIT_REPORT has a blank summary', { event: 'SUBMIT_REPORT', report: { summary: '' } }],
      ['DENY_EXTENSION has no comment', { event: 'DENY_EXTENSION' }],
      ['REQUEST_EXTENSION proposes a past date', { event: 'REQUEST_EXTENSION', comment: 'x', newDueAt: new Date('2030-01-01T00:00:00Z') }],
      ['REQUEST_EXTENSION proposes no date', { event: 'REQUEST_EXTENSION', comment: 'x' }],
      ['APPROVE_EXTENSION has an invalid date', { event: 'APPROVE_EXTENSION', newDueAt: new Date('nope') }],
      ['CONTRIBUTE has neither comment nor report', { event: 'CONTRIBUTE' }],
      ['expectedVersion is negative', { event: 'START', expectedVersion: -1 }],
      ['expectedVersion is not an integer', { event: 'START', expectedVersion: 1.5 }],
      ['the event is unknown', { event: 'FINISH' as TaskEventType }],
      ['the comment is too long', { event: 'VERIFY', comment: 'x'.repeat(4001) }],
      ['the idempotencyKey is blank', { event: 'CONTRIBUTE', comment: 'x', idempotencyKey: ' ' }],
    ])('refuses with BAD_USER_INPUT and writes nothing when %s', async (_name, command) => {
      await expectRefusedUnchanged(taskId, () => service.transition(actors.lead, { taskId, event: 'START', ...command }), 'BAD_USER_INPUT');
    });

    it('refuses with BAD_USER_INPUT when the taskId is not a UUID', async () => {
      await expectDomainError(fire(actors.lead, 'not-a-uuid', 'START'), 'BAD_USER_INPUT');
    });

    it.each([
      ['a comment contains a NUL character', { event: 'CONTRIBUTE', comment: 'a\u0000b' }],
      ['a report summary contains a lone UTF-16 surrogate', { event: 'SUBMIT_REPORT', report: { summary: 'a\ud800b' } }],
      ['an idempotencyKey contains a NUL character', { event: 'CONTRIBUTE', comment: 'ok', idempotencyKey: 'k\u0000' }],
    ] as [string, Partial<TransitionCommand>][])('refuses with BAD_USER_INPUT and writes nothing when %s', async (_name, command) => {
      const actor = command.event === 'CONTRIBUTE' ? actors.coordinator : actors.lead;
      await expectRefusedUnchanged(taskId, () => service.transition(actor, { taskId, event: 'START', ...command }), 'BAD_USER_INPUT');
    });

    it('refuses with NOT_FOUND and writes nothing when the task does not exist', async () => {
      const before = await footprint(ds, seeded.province.code, taskId);
      await expectDomainError(fire(actors.lead, randomUUID(), 'START'), 'NOT_FOUND');
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
    });

    it('refuses with NOT_FOUND and writes nothing when an actor of another province fires an event', async () => {
      const stranger = userActor(other, 'justice', ['OFFICER', 'SUPERVISOR', 'LEADER']);
      const error = await expectRefusedUnchanged(
        taskId,
        () => fire(stranger, taskId, 'SUBMIT_REPORT', { report: { summary: 'x' } }),
        'NOT_FOUND',
      );
      expect(error.message).not.toContain(seeded.province.code);
      // and the same from the other side
      const before = await footprint(ds, other.province.code, other.taskIds[0]);
      await expectDomainError(fire(actors.lead, other.taskIds[0], 'START'), 'NOT_FOUND');
      expect(await footprint(ds, other.province.code, other.taskIds[0])).toEqual(before);
    });
  });

  describe('idempotency and versions', () => {
    it('returns the task and appends nothing when an idempotencyKey is reused for the same event', async () => {
      const taskId = await freshTask();
      const first = await fire(actors.lead, taskId, 'START', { idempotencyKey: 'start-1' });
      const before = await footprint(ds, seeded.province.code, taskId);
      clock.advance(MINUTE);
      const again = await fire(actors.lead, taskId, 'START', { idempotencyKey: 'start-1' });
      expect(again).toMatchObject({ id: taskId, state: 'IN_PROGRESS', version: first.version });
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
      // stale expectedVersion on a retry is still a retry, not a conflict
      const retried = await fire(actors.lead, taskId, 'START', { idempotencyKey: 'start-1', expectedVersion: 0 });
      expect(retried.version).toBe(1);
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
    });

    it('returns the task as the first request left it when the key is retried after later events', async () => {
      const taskId = await freshTask();
      await fire(actors.lead, taskId, 'START', { idempotencyKey: 'start-first' });
      const afterStart = await taskRow(ds, taskId);
      clock.advance(MINUTE);
      await fire(actors.coordinator, taskId, 'CONTRIBUTE', { comment: 'sau đó' });
      const before = await footprint(ds, seeded.province.code, taskId);
      const retried = await fire(actors.lead, taskId, 'START', { idempotencyKey: 'start-first' });
      expect(retried).toMatchObject({ id: taskId, state: 'IN_PROGRESS', version: 1, snapshot: afterStart.snapshot });
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
    });

    it('refuses with FORBIDDEN and writes nothing when an actor who may not fire the event retries its idempotencyKey', async () => {
      const taskId = await freshTask();
      await fire(actors.lead, taskId, 'START', { idempotencyKey: 'lead-key' });
      const before = await footprint(ds, seeded.province.code, taskId);
      await expectDomainError(fire(actors.outsider, taskId, 'START', { idempotencyKey: 'lead-key' }), 'FORBIDDEN');
      await expectDomainError(fire(NATIONAL_AUDITOR, taskId, 'START', { idempotencyKey: 'lead-key' }), 'FORBIDDEN');
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
    });

    it('stores the idempotencyKey on the event and accepts the same key on another task', async () => {
      const a = await freshTask();
      const b = await freshTask();
      await fire(actors.lead, a, 'START', { idempotencyKey: 'same-key' });
      await fire(actors.lead, b, 'START', { idempotencyKey: 'same-key' });
      expect((await eventRows(ds, a))[0].idempotencyKey).toBe('same-key');
      expect((await eventRows(ds, b))[0].idempotencyKey).toBe('same-key');
    });

    it('accepts a command whose expectedVersion is current and bumps the version by one', async () => {
      const taskId = await freshTask();
      expect((await fire(actors.lead, taskId, 'START', { expectedVersion: 0 })).version).toBe(1);
      expect((await fire(actors.coordinator, taskId, 'CONTRIBUTE', { comment: 'a', expectedVersion: 1 })).version).toBe(2);
    });

    it('lets exactly one of 20 concurrent transitions win when all carry expectedVersion 0', async () => {
      const taskId = await freshTask();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => fire(actors.lead, taskId, 'START', { expectedVersion: 0, idempotencyKey: `c-${i}` })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r.reason as DomainError).code)).toEqual(Array(19).fill('CONFLICT'));
      expect(await eventRows(ds, taskId)).toHaveLength(1);
      expect(await taskRow(ds, taskId)).toMatchObject({ state: 'IN_PROGRESS', version: 1 });
    });

    it('appends one event for 20 concurrent retries of the same idempotencyKey', async () => {
      const taskId = await freshTask();
      const results = await Promise.all(Array.from({ length: 20 }, () => fire(actors.lead, taskId, 'START', { idempotencyKey: 'retry' })));
      expect(results.map((r) => r.version)).toEqual(Array(20).fill(1));
      expect(await eventRows(ds, taskId)).toHaveLength(1);
    });

    it('serialises 20 concurrent contributions into one unbroken chain when no expectedVersion is given', async () => {
      const taskId = await freshTask();
      const input = (await taskRow(ds, taskId)).input;
      await Promise.all(Array.from({ length: 20 }, (_, i) => fire(actors.coordinator, taskId, 'CONTRIBUTE', { comment: `góp ý ${i}` })));
      const events = await eventRows(ds, taskId);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      let prev = genesisHash(taskId, input);
      for (const event of events) {
        expect(event.prevHash).toBe(prev);
        expect(event.hash).toBe(chainHash(prev, event));
        prev = event.hash;
      }
      const task = await taskRow(ds, taskId);
      expect(task.version).toBe(20);
      expect(task.snapshot.context.contributions).toHaveLength(20);
    });
  });

  describe('province scoping', () => {
    it('answers NOT_FOUND to an actor of another province even when the task exists', async () => {
      const taskId = await freshTask();
      const stranger = userActor(other, 'justice', ['OFFICER']);
      const error = await expectDomainError(fire(stranger, taskId, 'START'), 'NOT_FOUND');
      expect(error.message).toContain(taskId);
      expect(await eventRows(ds, taskId)).toEqual([]);
    });

    it('lets SYSTEM_ACTOR (province "*") fire DEADLINE_PASSED in any province', async () => {
      clock.set(AFTER_DUE);
      const task = await fire(SYSTEM_ACTOR, other.taskIds[0], 'DEADLINE_PASSED');
      expect(task.state).toBe('OVERDUE');
      expect(task.provinceCode).toBe(other.province.code);
    });

    it('refuses every event but DEADLINE_PASSED from SYSTEM_ACTOR', async () => {
      const taskId = await freshTask();
      const error = await expectDomainError(fire(SYSTEM_ACTOR, taskId, 'START'), 'FORBIDDEN');
      expect(error.details).toEqual({ rule: 'system-actor-only-deadline' });
    });
  });

  it('stamps the event with the injected clock time when the clock was moved', async () => {
    // guards against a service reading the wall clock instead of the injected Clock
    const taskId = await freshTask();
    clock.advance(DAY);
    await fire(actors.lead, taskId, 'START');
    expect((await eventRows(ds, taskId))[0].at).toEqual(new Date(START_AT.getTime() + DAY));
  });
});
