import { AFTER_DUE, applyAll, BEFORE_DUE, DUE, ev, FAR_FUTURE, LEAD, taskIn } from '../test/task-fixtures';
import {
  acceptedEventTypes,
  applyTaskEvent,
  canApply,
  createTaskSnapshot,
  IncompatibleSnapshotError,
  InvalidTaskInputError,
  isCoordinationWaived,
  missingCoordinators,
  replayRecordedTask,
  replayTask,
  restoreTaskSnapshot,
  StoredTaskSnapshot,
  TASK_MACHINE_VERSION,
  TaskEvent,
  TaskState,
} from './index';

function expectTaken(from: StoredTaskSnapshot, event: TaskEvent): StoredTaskSnapshot {
  const outcome = applyTaskEvent(from, event);
  if (!outcome.taken) throw new Error(`expected ${event.type} to be taken: ${outcome.reason}`);
  return outcome.snapshot;
}

describe(createTaskSnapshot.name, () => {
  it('does start in ASSIGNED with one open period when created', () => {
    const s = createTaskSnapshot({ dueAt: DUE });
    expect(s).toMatchObject({ machineId: 'task', machineVersion: 4, state: 'ASSIGNED' });
    expect(TASK_MACHINE_VERSION).toBe(4);
    expect(s.context).toMatchObject({
      dueAt: DUE,
      originalDueAt: DUE,
      periodDueDates: [DUE],
      period: 0,
      late: false,
      coordinationWaivedPeriods: [],
    });
    expect(s.context.periods).toEqual([
      { index: 0, dueAt: DUE, reportedAt: null, verifiedAt: null, late: false, report: null, rejections: 0, reliesOn: [] },
    ]);
  });

  it('does keep an empty schedule when the plan gives no time', () => {
    const s = createTaskSnapshot({ dueAt: null });
    expect(s.context).toMatchObject({ dueAt: null, originalDueAt: null, periodDueDates: [] });
  });

  it.each([
    ['dueAt has no zone (host-dependent)', { dueAt: '2024-06-30T17:00:00' }],
    ['dueAt is a bare date', { dueAt: '2024-06-30' }],
    ['the first period is not dueAt', { dueAt: DUE, periodDueDates: [FAR_FUTURE] }],
    ['periods are not ascending', { dueAt: DUE, periodDueDates: [DUE, DUE] }],
    ['a recurring task has no dueAt', { dueAt: null, periodDueDates: [DUE] }],
  ])('does throw InvalidTaskInputError when %s', (_why, input) => {
    expect(() => createTaskSnapshot(input)).toThrow(InvalidTaskInputError);
  });
});

describe('late flag', () => {
  it('does not mark late when the report is submitted and verified before the due time', () => {
    const s = applyAll(taskIn('IN_PROGRESS'), [ev.submit(BEFORE_DUE), ev.verify('2024-06-25T00:00:00Z')]);
    expect(s.state).toBe('VERIFIED');
    expect(s.context.late).toBe(false);
    expect(s.context.periods[0]).toMatchObject({ late: false, reportedAt: BEFORE_DUE, verifiedAt: '2024-06-25T00:00:00Z' });
  });

  it('does mark late when the report is submitted after the due time', () => {
    const s = expectTaken(taskIn('IN_PROGRESS'), ev.submit(AFTER_DUE));
    expect(s.context.late).toBe(true);
    expect(s.context.periods[0].late).toBe(true);
    expect(s.context.reportedByAgencyId).toBe(LEAD.agencyId);
    expect(s.context.reportedByUserId).toBe(LEAD.userId);
  });

  it('does mark late when an on-time report is verified after the due time', () => {
    const s = applyAll(taskIn('IN_PROGRESS'), [ev.submit(BEFORE_DUE), ev.verify(AFTER_DUE)]);
    expect(s.context.late).toBe(true);
    expect(s.context.periods[0].late).toBe(true);
  });

  it('does keep late once set even when an extension later moves the due time', () => {
    const s = applyAll(taskIn('IN_PROGRESS'), [
      ev.submit(AFTER_DUE),
      ev.reject('2024-07-16T00:00:00Z'),
      ev.request('2024-07-17T00:00:00Z'),
      ev.approve('2024-07-18T00:00:00Z'),
    ]);
    expect(s.state).toBe('IN_PROGRESS');
    expect(s.context.late).toBe(true);
  });

  it('does never mark late when the task has no due time', () => {
    const s = applyAll(createTaskSnapshot({ dueAt: null }), [ev.start(BEFORE_DUE), ev.submit(FAR_FUTURE), ev.verify(FAR_FUTURE)]);
    expect(s.context.late).toBe(false);
  });
});

describe('DEADLINE_PASSED', () => {
  it.each<[TaskState, string]>([
    ['ASSIGNED', BEFORE_DUE],
    ['IN_PROGRESS', BEFORE_DUE],
    ['IN_PROGRESS', DUE],
  ])('does not move %s to OVERDUE when fired at %s (not after the due time)', (state, at) => {
    expect(applyTaskEvent(taskIn(state), ev.deadline(at)).taken).toBe(false);
  });

  it('does not move a task without due time to OVERDUE', () => {
    const s = expectTaken(createTaskSnapshot({ dueAt: null }), ev.start(BEFORE_DUE));
    expect(applyTaskEvent(s, ev.deadline(FAR_FUTURE)).taken).toBe(false);
  });
});

describe('REJECT', () => {
  it('does return to IN_PROGRESS when the due time has not passed', () => {
    const s = expectTaken(taskIn('REPORTED'), ev.reject(BEFORE_DUE));
    expect(s.state).toBe('IN_PROGRESS');
  });

  it('does go to OVERDUE when the due time has passed, clearing the report', () => {
    const s = expectTaken(taskIn('REPORTED'), ev.reject(AFTER_DUE));
    expect(s.state).toBe('OVERDUE');
    expect(s.context.periods[0]).toMatchObject({ rejections: 1, reportedAt: null, report: null });
    expect(s.context).toMatchObject({ reportedByAgencyId: null, reportedByUserId: null });
  });

  it('does refuse when the comment is blank', () => {
    expect(applyTaskEvent(taskIn('REPORTED'), ev.reject(BEFORE_DUE, '  '))).toEqual({
      taken: false,
      reason: expect.stringContaining('conditions'),
    });
  });
});

describe('extensions', () => {
  it('does record a pending request without changing state', () => {
    const s = expectTaken(taskIn('IN_PROGRESS'), ev.request(BEFORE_DUE));
    expect(s.state).toBe('IN_PROGRESS');
    expect(s.context.pendingExtension).toEqual({
      requestedAt: BEFORE_DUE,
      proposedDueAt: FAR_FUTURE,
      reason: 'waiting for funds',
      byAgencyId: LEAD.agencyId,
    });
  });

  it.each([
    ['a request is already pending', taskIn('IN_PROGRESS', true), FAR_FUTURE],
    ['the proposed date is not after the due time', taskIn('IN_PROGRESS'), DUE],
    ['the proposed date is in the past', taskIn('OVERDUE'), '2024-07-10T00:00:00Z'],
  ])('does refuse a request when %s', (_why, from, proposed) => {
    expect(applyTaskEvent(from, ev.request(AFTER_DUE, proposed)).taken).toBe(false);
  });

  it('does move OVERDUE to IN_PROGRESS when approved with a future newDueAt', () => {
    const s = expectTaken(taskIn('OVERDUE', true), ev.approve(AFTER_DUE, FAR_FUTURE));
    expect(s.state).toBe('IN_PROGRESS');
    expect(s.context).toMatchObject({ dueAt: FAR_FUTURE, originalDueAt: DUE, pendingExtension: null });
    expect(s.context.periods[0].dueAt).toBe(FAR_FUTURE);
  });

  it('does keep OVERDUE when approved with a newDueAt already past', () => {
    const s = expectTaken(taskIn('OVERDUE', true), ev.approve(AFTER_DUE, '2024-07-10T00:00:00Z'));
    expect(s.state).toBe('OVERDUE');
    expect(s.context).toMatchObject({ dueAt: '2024-07-10T00:00:00Z', originalDueAt: DUE, pendingExtension: null });
  });

  it('does refuse approval without a pending request or with an invalid newDueAt', () => {
    expect(applyTaskEvent(taskIn('OVERDUE'), ev.approve(AFTER_DUE)).taken).toBe(false);
    expect(applyTaskEvent(taskIn('OVERDUE', true), ev.approve(AFTER_DUE, 'soon')).taken).toBe(false);
  });

  it('does clear the request and keep state and due time when denied', () => {
    const s = expectTaken(taskIn('OVERDUE', true), ev.deny(AFTER_DUE));
    expect(s.state).toBe('OVERDUE');
    expect(s.context).toMatchObject({ dueAt: DUE, pendingExtension: null });
    expect(applyTaskEvent(taskIn('OVERDUE', true), ev.deny(AFTER_DUE, '')).taken).toBe(false);
  });
});

describe('CONTRIBUTE', () => {
  it('does append the contribution to the current period', () => {
    const s = expectTaken(taskIn('ASSIGNED'), ev.contribute(BEFORE_DUE));
    expect(s.state).toBe('ASSIGNED');
    expect(s.context.contributions).toEqual([{ agencyId: 'a-co', at: BEFORE_DUE, text: 'phối hợp', value: null, period: 0 }]);
  });
});

describe('recurring task', () => {
  const Q = ['2024-03-31T17:00:00.000Z', '2024-06-30T17:00:00.000Z', '2024-09-30T17:00:00.000Z'];
  const input = { dueAt: Q[0], periodDueDates: Q };

  it('does walk three periods, including a missed one, to VERIFIED', () => {
    let s = applyAll(createTaskSnapshot(input), [ev.start('2024-01-10T00:00:00Z'), ev.submit('2024-03-20T00:00:00Z')]);
    s = expectTaken(s, ev.verify('2024-03-25T00:00:00Z'));
    expect(s.state).toBe('IN_PROGRESS');
    expect(s.context).toMatchObject({ period: 1, dueAt: Q[1], originalDueAt: Q[1], late: false, reportedByAgencyId: null });
    expect(s.context.periods.map((p) => [p.index, p.dueAt, p.verifiedAt])).toEqual([
      [0, Q[0], '2024-03-25T00:00:00Z'],
      [1, Q[1], null],
    ]);

    // period 2 is missed: the sweep makes it OVERDUE, the late report is verified later
    s = applyAll(s, [ev.deadline('2024-07-01T00:00:00Z'), ev.submit('2024-07-05T00:00:00Z')]);
    expect(s.context.periods[1].late).toBe(true);
    s = expectTaken(s, ev.verify('2024-07-06T00:00:00Z'));
    expect(s.state).toBe('IN_PROGRESS');
    expect(s.context).toMatchObject({ period: 2, dueAt: Q[2], late: true });
    expect(s.context.periods[2]).toMatchObject({ index: 2, late: false, report: null });

    s = applyAll(s, [ev.submit('2024-09-20T00:00:00Z'), ev.verify('2024-09-21T00:00:00Z')]);
    expect(s.state).toBe('VERIFIED');
    expect(s.context.periods.map((p) => p.late)).toEqual([false, true, false]);
    expect(s.context.late).toBe(true);
  });

  it('does drop a pending extension when the next period opens', () => {
    const s = applyAll(createTaskSnapshot(input), [
      ev.start('2024-01-10T00:00:00Z'),
      ev.request('2024-03-01T00:00:00Z', '2024-04-30T00:00:00Z'),
      ev.submit('2024-03-20T00:00:00Z'),
      ev.verify('2024-03-25T00:00:00Z'),
    ]);
    expect(s.context.pendingExtension).toBeNull();
  });
});

describe(replayTask.name, () => {
  const events = [ev.start(BEFORE_DUE), ev.contribute(BEFORE_DUE), ev.deadline(AFTER_DUE), ev.submit(AFTER_DUE)];

  it('does equal stepwise application when every event is accepted', () => {
    const stepwise = applyAll(createTaskSnapshot({ dueAt: DUE }), events);
    expect(replayTask({ dueAt: DUE }, events)).toEqual({ snapshot: stepwise, applied: 4, rejectedAt: null });
  });

  it('does stop at the first refused event and report its index', () => {
    const result = replayTask({ dueAt: DUE }, [events[0], ev.verify(AFTER_DUE), events[1]]);
    expect(result).toEqual({ snapshot: applyAll(createTaskSnapshot({ dueAt: DUE }), [events[0]]), applied: 1, rejectedAt: 1 });
  });
});

describe(replayRecordedTask.name, () => {
  const recorded = [
    { event: ev.start(BEFORE_DUE), fromState: 'ASSIGNED' as const, toState: 'IN_PROGRESS' as const },
    { event: ev.contribute(BEFORE_DUE), fromState: 'IN_PROGRESS' as const, toState: 'IN_PROGRESS' as const },
    { event: ev.deadline(AFTER_DUE), fromState: 'IN_PROGRESS' as const, toState: 'OVERDUE' as const },
    { event: ev.submit(AFTER_DUE), fromState: 'OVERDUE' as const, toState: 'REPORTED' as const },
  ];

  it('does report the state after each event taken when onTaken is given', () => {
    const seen: [number, TaskState][] = [];
    const result = replayRecordedTask({ dueAt: DUE }, recorded, (index, state) => seen.push([index, state]));
    expect(result).toEqual(replayRecordedTask({ dueAt: DUE }, recorded));
    expect(seen).toEqual([
      [0, 'IN_PROGRESS'],
      [1, 'IN_PROGRESS'],
      [2, 'OVERDUE'],
      [3, 'REPORTED'],
    ]);
  });

  it('does not report the refused event nor any after it', () => {
    const seen: number[] = [];
    const tampered = [recorded[0], { ...recorded[2], toState: 'VERIFIED' as const }, recorded[3]];
    expect(replayRecordedTask({ dueAt: DUE }, tampered, (index) => seen.push(index))).toMatchObject({ applied: 1, rejectedAt: 1 });
    expect(seen).toEqual([0]);
  });
});

describe('stored snapshot', () => {
  it('does give the same result after a JSON round trip', () => {
    const s = taskIn('OVERDUE', true);
    const copy = JSON.parse(JSON.stringify(s)) as StoredTaskSnapshot;
    expect(copy).toStrictEqual(s);
    const event = ev.approve(AFTER_DUE);
    expect(JSON.parse(JSON.stringify(applyTaskEvent(copy, event)))).toStrictEqual(applyTaskEvent(s, event));
  });

  it('does not mutate the snapshot it is given', () => {
    const s = taskIn('IN_PROGRESS');
    const before = JSON.stringify(s);
    applyTaskEvent(s, ev.contribute(BEFORE_DUE));
    expect(JSON.stringify(s)).toBe(before);
  });

  it.each([
    ['machine version 0', { machineVersion: 0 }],
    ['machine version 5 (newer than this code)', { machineVersion: 5 }],
    ['a fractional machine version', { machineVersion: 1.5 }],
    ['a machine version that is a string', { machineVersion: '2' as unknown as number }],
    ['no machine version', { machineVersion: undefined as unknown as number }],
    ['another machine id', { machineId: 'plan' }],
    ['another machine id at version 1', { machineId: 'plan', machineVersion: 1 }],
    ['an unknown state', { state: 'ARCHIVED' as TaskState }],
    ['an unknown state at version 1', { state: 'ARCHIVED' as TaskState, machineVersion: 1 }],
  ])('does throw IncompatibleSnapshotError when the snapshot names %s', (_why, patch) => {
    const bad = { ...taskIn('IN_PROGRESS'), ...patch };
    expect(() => applyTaskEvent(bad, ev.contribute(BEFORE_DUE))).toThrow(IncompatibleSnapshotError);
    expect(() => canApply(bad, ev.contribute(BEFORE_DUE))).toThrow(IncompatibleSnapshotError);
    expect(() => acceptedEventTypes(bad, BEFORE_DUE)).toThrow(IncompatibleSnapshotError);
    expect(() => restoreTaskSnapshot(bad)).toThrow(IncompatibleSnapshotError);
  });

  it.each(['yesterday', '2024-06-01T03:00:00'])('does refuse an event whose time %s is not a zoned ISO instant', (at) => {
    expect(applyTaskEvent(taskIn('ASSIGNED'), ev.start(at))).toEqual({
      taken: false,
      reason: expect.stringContaining('ISO'),
    });
  });
});

describe(acceptedEventTypes.name, () => {
  it.each<[string, StoredTaskSnapshot, string, string[]]>([
    [
      'ASSIGNED before due',
      taskIn('ASSIGNED'),
      BEFORE_DUE,
      ['START', 'CONTRIBUTE', 'REQUEST_EXTENSION', 'WAIVE_COORDINATION', 'WITHDRAW', 'AMEND'],
    ],
    [
      'ASSIGNED after due',
      taskIn('ASSIGNED'),
      AFTER_DUE,
      ['START', 'DEADLINE_PASSED', 'CONTRIBUTE', 'REQUEST_EXTENSION', 'WAIVE_COORDINATION', 'WITHDRAW', 'AMEND'],
    ],
    [
      'IN_PROGRESS before due',
      taskIn('IN_PROGRESS'),
      BEFORE_DUE,
      ['SUBMIT_REPORT', 'CONTRIBUTE', 'REQUEST_EXTENSION', 'WAIVE_COORDINATION', 'WITHDRAW', 'AMEND'],
    ],
    [
      'IN_PROGRESS with a pending request',
      taskIn('IN_PROGRESS', true),
      AFTER_DUE,
      ['SUBMIT_REPORT', 'DEADLINE_PASSED', 'CONTRIBUTE', 'APPROVE_EXTENSION', 'DENY_EXTENSION', 'WAIVE_COORDINATION', 'WITHDRAW', 'AMEND'],
    ],
    [
      'IN_PROGRESS with the period already waived',
      applyAll(taskIn('IN_PROGRESS'), [ev.waive(BEFORE_DUE)]),
      BEFORE_DUE,
      ['SUBMIT_REPORT', 'CONTRIBUTE', 'REQUEST_EXTENSION', 'WITHDRAW', 'AMEND'],
    ],
    ['REPORTED', taskIn('REPORTED'), AFTER_DUE, ['VERIFY', 'REJECT', 'WITHDRAW', 'AMEND']],
    [
      'REPORTED with a pending request',
      taskIn('REPORTED', true),
      AFTER_DUE,
      ['VERIFY', 'REJECT', 'APPROVE_EXTENSION', 'DENY_EXTENSION', 'WITHDRAW', 'AMEND'],
    ],
    ['VERIFIED', taskIn('VERIFIED'), AFTER_DUE, []],
    ['WITHDRAWN', taskIn('WITHDRAWN'), AFTER_DUE, []],
    [
      'OVERDUE',
      taskIn('OVERDUE'),
      AFTER_DUE,
      ['SUBMIT_REPORT', 'CONTRIBUTE', 'REQUEST_EXTENSION', 'WAIVE_COORDINATION', 'WITHDRAW', 'AMEND'],
    ],
  ])('does list the events the machine takes when %s', (_why, snapshot, at, expected) => {
    expect(acceptedEventTypes(snapshot, at)).toEqual(expected);
  });
});

describe('WAIVE_COORDINATION', () => {
  it.each<TaskState>(['ASSIGNED', 'IN_PROGRESS', 'OVERDUE'])('does record the waived period and keep %s', (state) => {
    const from = taskIn(state);
    const s = expectTaken(from, ev.waive(AFTER_DUE));
    expect(s.state).toBe(state);
    expect(s.context.coordinationWaivedPeriods).toEqual([0]);
    expect({ ...s.context, coordinationWaivedPeriods: [] }).toStrictEqual(from.context);
  });

  it.each(['', '   '])('does refuse a waiver whose reason is %j', (comment) => {
    expect(applyTaskEvent(taskIn('IN_PROGRESS'), ev.waive(BEFORE_DUE, comment))).toEqual({
      taken: false,
      reason: expect.stringContaining('conditions'),
    });
  });

  it('does refuse a waiver without any comment field', () => {
    const event = { type: 'WAIVE_COORDINATION', at: BEFORE_DUE } as unknown as TaskEvent;
    expect(applyTaskEvent(taskIn('IN_PROGRESS'), event).taken).toBe(false);
  });

  it('does refuse a second waiver of the same period, also after a rejected report', () => {
    const waived = applyAll(taskIn('IN_PROGRESS'), [ev.waive(BEFORE_DUE)]);
    expect(applyTaskEvent(waived, ev.waive(BEFORE_DUE, 'again')).taken).toBe(false);
    const rejected = applyAll(waived, [ev.submit(BEFORE_DUE), ev.reject('2024-06-21T00:00:00Z')]);
    expect(rejected.state).toBe('IN_PROGRESS');
    expect(isCoordinationWaived(rejected.context)).toBe(true);
    expect(applyTaskEvent(rejected, ev.waive('2024-06-22T00:00:00Z')).taken).toBe(false);
  });

  it.each<TaskState>(['REPORTED', 'VERIFIED'])('does refuse a waiver in %s', (state) => {
    expect(applyTaskEvent(taskIn(state), ev.waive(AFTER_DUE)).taken).toBe(false);
  });

  it('does waive only the current period of a recurring task', () => {
    const Q = ['2024-03-31T17:00:00.000Z', '2024-06-30T17:00:00.000Z'];
    let s = applyAll(createTaskSnapshot({ dueAt: Q[0], periodDueDates: Q }), [
      ev.start('2024-01-10T00:00:00Z'),
      ev.waive('2024-03-01T00:00:00Z'),
      ev.submit('2024-03-20T00:00:00Z'),
      ev.verify('2024-03-25T00:00:00Z'),
    ]);
    expect(s.context).toMatchObject({ period: 1, coordinationWaivedPeriods: [0] });
    expect(isCoordinationWaived(s.context)).toBe(false);
    s = expectTaken(s, ev.waive('2024-04-01T00:00:00Z'));
    expect(s.context.coordinationWaivedPeriods).toEqual([0, 1]);
    expect(isCoordinationWaived(s.context)).toBe(true);
  });
});

describe('SUBMIT_REPORT reliesOn', () => {
  const Q = ['2024-03-31T17:00:00.000Z', '2024-06-30T17:00:00.000Z'];

  it('does record the contributions of the current period the report rests on', () => {
    const s = applyAll(taskIn('IN_PROGRESS'), [
      ev.contribute('2024-06-02T00:00:00.000Z', 'a-co'),
      ev.contribute('2024-06-03T00:00:00.000Z', 'a-co2'),
      ev.contribute('2024-06-04T00:00:00.000Z', 'a-co'),
      ev.submit(BEFORE_DUE),
    ]);
    expect(s.context.periods[0].reliesOn).toEqual([
      { agencyId: 'a-co', at: '2024-06-02T00:00:00.000Z' },
      { agencyId: 'a-co2', at: '2024-06-03T00:00:00.000Z' },
      { agencyId: 'a-co', at: '2024-06-04T00:00:00.000Z' },
    ]);
  });

  it('does record none when nobody contributed', () => {
    expect(expectTaken(taskIn('IN_PROGRESS'), ev.submit(BEFORE_DUE)).context.periods[0].reliesOn).toEqual([]);
  });

  it('does clear reliesOn with a rejected report and rest the next report on every contribution so far', () => {
    let s = applyAll(taskIn('IN_PROGRESS'), [ev.contribute('2024-06-02T00:00:00.000Z'), ev.submit(BEFORE_DUE)]);
    s = expectTaken(s, ev.reject('2024-06-21T00:00:00.000Z'));
    expect(s.context.periods[0]).toMatchObject({ report: null, reliesOn: [] });
    s = applyAll(s, [ev.contribute('2024-06-22T00:00:00.000Z', 'a-co2'), ev.submit('2024-06-23T00:00:00.000Z')]);
    expect(s.context.periods[0].reliesOn).toEqual([
      { agencyId: 'a-co', at: '2024-06-02T00:00:00.000Z' },
      { agencyId: 'a-co2', at: '2024-06-22T00:00:00.000Z' },
    ]);
  });

  it("does not rest a later period's report on an earlier period's contributions", () => {
    const s = applyAll(createTaskSnapshot({ dueAt: Q[0], periodDueDates: Q }), [
      ev.start('2024-01-10T00:00:00.000Z'),
      ev.contribute('2024-02-01T00:00:00.000Z'),
      ev.submit('2024-03-20T00:00:00.000Z'),
      ev.verify('2024-03-25T00:00:00.000Z'),
      ev.contribute('2024-05-01T00:00:00.000Z', 'a-co2'),
      ev.submit('2024-06-01T00:00:00.000Z'),
    ]);
    expect(s.context.periods.map((p) => p.reliesOn)).toEqual([
      [{ agencyId: 'a-co', at: '2024-02-01T00:00:00.000Z' }],
      [{ agencyId: 'a-co2', at: '2024-05-01T00:00:00.000Z' }],
    ]);
  });
});

describe(missingCoordinators.name, () => {
  const COORDINATORS = ['a-co', 'a-co2', 'a-co3'];

  it('does list every coordinating agency when nobody contributed', () => {
    expect(missingCoordinators(taskIn('IN_PROGRESS').context, COORDINATORS)).toEqual(COORDINATORS);
  });

  it('does list those without a contribution in the current period, in the order given, once each', () => {
    const s = applyAll(taskIn('IN_PROGRESS'), [ev.contribute(BEFORE_DUE, 'a-co2'), ev.contribute(BEFORE_DUE, 'a-unrelated')]);
    expect(missingCoordinators(s.context, ['a-co3', 'a-co', 'a-co2', 'a-co3'])).toEqual(['a-co3', 'a-co']);
    expect(missingCoordinators(s.context, ['a-co2'])).toEqual([]);
  });

  it('does list none for a task without coordinating agencies', () => {
    expect(missingCoordinators(taskIn('IN_PROGRESS').context, [])).toEqual([]);
  });

  it('does list none when a LEADER waived the current period', () => {
    const s = applyAll(taskIn('IN_PROGRESS'), [ev.contribute(BEFORE_DUE, 'a-co'), ev.waive(BEFORE_DUE)]);
    expect(missingCoordinators(s.context, COORDINATORS)).toEqual([]);
  });

  it("does not count an earlier period's contribution or waiver in a new period", () => {
    const Q = ['2024-03-31T17:00:00.000Z', '2024-06-30T17:00:00.000Z'];
    const s = applyAll(createTaskSnapshot({ dueAt: Q[0], periodDueDates: Q }), [
      ev.start('2024-01-10T00:00:00.000Z'),
      ev.contribute('2024-02-01T00:00:00.000Z', 'a-co'),
      ev.waive('2024-02-02T00:00:00.000Z'),
      ev.submit('2024-03-20T00:00:00.000Z'),
      ev.verify('2024-03-25T00:00:00.000Z'),
      ev.contribute('2024-04-01T00:00:00.000Z', 'a-co2'),
    ]);
    expect(missingCoordinators(s.context, COORDINATORS)).toEqual(['a-co', 'a-co3']);
  });
});

// Version 4: what an amended plan does to a task it already holds.
describe('WITHDRAW and AMEND', () => {
  const Q = ['2024-03-31T17:00:00.000Z', '2024-06-30T17:00:00.000Z', '2024-09-30T17:00:00.000Z'];
  const amend = (at: string, patch: Record<string, unknown>): TaskEvent => ({ type: 'AMEND', at, by: null, ...patch }) as TaskEvent;

  it('does withdraw with a reason, clearing a pending extension, and take nothing after', () => {
    const s = expectTaken(taskIn('IN_PROGRESS', true), ev.withdraw(AFTER_DUE));
    expect(s.state).toBe('WITHDRAWN');
    expect(s.context.pendingExtension).toBeNull();
    expect(applyTaskEvent(s, ev.start(AFTER_DUE))).toEqual({ taken: false, reason: expect.stringContaining('final') });
    expect(applyTaskEvent(taskIn('ASSIGNED'), ev.withdraw(AFTER_DUE, '  ')).taken).toBe(false);
    expect(applyTaskEvent(taskIn('ASSIGNED'), { type: 'WITHDRAW', at: AFTER_DUE } as unknown as TaskEvent).taken).toBe(false);
  });

  it('does move the due time and the original one together, keeping the state', () => {
    const s = expectTaken(taskIn('ASSIGNED'), ev.amend(BEFORE_DUE, FAR_FUTURE));
    expect(s.state).toBe('ASSIGNED');
    expect(s.context).toMatchObject({ dueAt: FAR_FUTURE, originalDueAt: FAR_FUTURE, periodDueDates: [FAR_FUTURE] });
    expect(s.context.periods).toEqual([expect.objectContaining({ index: 0, dueAt: FAR_FUTURE })]);
  });

  it('does bring an overdue task back in progress only when the amended due time lies ahead', () => {
    expect(expectTaken(taskIn('OVERDUE'), ev.amend(AFTER_DUE, FAR_FUTURE)).state).toBe('IN_PROGRESS');
    const stillLate = expectTaken(taskIn('OVERDUE'), ev.amend(AFTER_DUE, '2024-07-10T17:00:00.000Z'));
    expect(stillLate.state).toBe('OVERDUE');
    expect(stillLate.context.dueAt).toBe('2024-07-10T17:00:00.000Z');
  });

  it('does reschedule a recurring task from its current period on, leaving reached periods as they were', () => {
    const start = createTaskSnapshot({ dueAt: Q[0], periodDueDates: Q });
    const second = applyAll(start, [ev.start(BEFORE_DUE), ev.submit('2024-03-20T03:00:00.000Z'), ev.verify('2024-03-25T03:00:00.000Z')]);
    expect(second.context.period).toBe(1);
    const moved = ['2024-03-31T17:00:00.000Z', '2024-07-31T17:00:00.000Z', '2024-10-31T17:00:00.000Z', '2024-12-31T17:00:00.000Z'];
    const s = expectTaken(second, amend('2024-04-10T03:00:00.000Z', { periodDueDates: moved }));
    expect(s.context.periods[0]).toStrictEqual(second.context.periods[0]);
    expect(s.context).toMatchObject({ dueAt: moved[1], originalDueAt: moved[1], periodDueDates: moved, period: 1 });
    expect(s.context.periods[1].dueAt).toBe(moved[1]);
    // a new date for the current period alone must stay between its neighbours
    expect(expectTaken(second, amend('2024-04-10T03:00:00.000Z', { dueAt: '2024-08-15T17:00:00.000Z' })).context.periodDueDates).toEqual([
      Q[0],
      '2024-08-15T17:00:00.000Z',
      Q[2],
    ]);
    expect(applyTaskEvent(second, amend('2024-04-10T03:00:00.000Z', { dueAt: '2024-10-15T17:00:00.000Z' })).taken).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['nothing to change', {}],
    ['an empty list of changes', { changes: [] }],
    ['a due time that is not an instant', { dueAt: 'end of year' }],
    ['a schedule not ascending', { periodDueDates: [FAR_FUTURE, DUE] }],
    [
      'a schedule of 401 periods',
      { periodDueDates: Array.from({ length: 401 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString()) },
    ],
    ['a dueAt that is not the schedule’s current date', { periodDueDates: [DUE, FAR_FUTURE], dueAt: FAR_FUTURE }],
    ['51 changes', { changes: Array.from({ length: 51 }, () => ({ field: 'title', from: 'a', to: 'b' })) }],
    ['a change naming no field', { changes: [{ field: '', from: 'a', to: 'b' }] }],
  ])('does refuse an amendment with %s, changing nothing', (_why, patch) => {
    const from = taskIn('IN_PROGRESS');
    expect(applyTaskEvent(from, amend(BEFORE_DUE, patch))).toEqual({ taken: false, reason: expect.stringContaining('AMEND') });
  });

  it('does record changed text alone without touching the schedule', () => {
    const from = taskIn('REPORTED');
    const s = expectTaken(from, amend(AFTER_DUE, { changes: [{ field: 'target', from: '90%', to: '95%' }] }));
    expect(s).toStrictEqual(from);
  });

  it('does drop the date of a task still in its first period, and refuse that later', () => {
    const s = expectTaken(taskIn('OVERDUE'), ev.amend(AFTER_DUE, null));
    expect(s).toMatchObject({ state: 'IN_PROGRESS', context: { dueAt: null, originalDueAt: null, periodDueDates: [] } });
    const start = createTaskSnapshot({ dueAt: Q[0], periodDueDates: Q });
    const second = applyAll(start, [ev.start(BEFORE_DUE), ev.submit('2024-03-20T03:00:00.000Z'), ev.verify('2024-03-25T03:00:00.000Z')]);
    expect(applyTaskEvent(second, ev.amend('2024-04-10T03:00:00.000Z', null)).taken).toBe(false);
  });
});
