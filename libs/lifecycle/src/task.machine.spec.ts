import { AFTER_DUE, ev, FAR_FUTURE, taskIn } from '../test/task-fixtures';
import { applyTaskEvent, canApply, TASK_EVENT_TYPES, TASK_STATES, TaskEvent, TaskEventType, TaskState } from './index';

// Every state × event pair, written out by hand from CONTRACT.md (not derived from the machine).
// The event comes after the due time; APPROVE/DENY are fired on a task with a pending request,
// everything else on a task without one (and without a coordination waiver). `null` = not taken.
const EXPECTED: ReadonlyArray<[TaskState, TaskEventType, TaskState | null]> = [
  ['ASSIGNED', 'START', 'IN_PROGRESS'],
  ['ASSIGNED', 'SUBMIT_REPORT', null],
  ['ASSIGNED', 'VERIFY', null],
  ['ASSIGNED', 'REJECT', null],
  ['ASSIGNED', 'DEADLINE_PASSED', 'OVERDUE'],
  ['ASSIGNED', 'CONTRIBUTE', 'ASSIGNED'],
  ['ASSIGNED', 'REQUEST_EXTENSION', 'ASSIGNED'],
  ['ASSIGNED', 'APPROVE_EXTENSION', 'ASSIGNED'],
  ['ASSIGNED', 'DENY_EXTENSION', 'ASSIGNED'],
  ['ASSIGNED', 'WAIVE_COORDINATION', 'ASSIGNED'],

  ['IN_PROGRESS', 'START', null],
  ['IN_PROGRESS', 'SUBMIT_REPORT', 'REPORTED'],
  ['IN_PROGRESS', 'VERIFY', null],
  ['IN_PROGRESS', 'REJECT', null],
  ['IN_PROGRESS', 'DEADLINE_PASSED', 'OVERDUE'],
  ['IN_PROGRESS', 'CONTRIBUTE', 'IN_PROGRESS'],
  ['IN_PROGRESS', 'REQUEST_EXTENSION', 'IN_PROGRESS'],
  ['IN_PROGRESS', 'APPROVE_EXTENSION', 'IN_PROGRESS'],
  ['IN_PROGRESS', 'DENY_EXTENSION', 'IN_PROGRESS'],
  ['IN_PROGRESS', 'WAIVE_COORDINATION', 'IN_PROGRESS'],

  ['REPORTED', 'START', null],
  ['REPORTED', 'SUBMIT_REPORT', null],
  ['REPORTED', 'VERIFY', 'VERIFIED'],
  ['REPORTED', 'REJECT', 'OVERDUE'],
  ['REPORTED', 'DEADLINE_PASSED', null],
  ['REPORTED', 'CONTRIBUTE', null],
  ['REPORTED', 'REQUEST_EXTENSION', null],
  ['REPORTED', 'APPROVE_EXTENSION', 'REPORTED'],
  ['REPORTED', 'DENY_EXTENSION', 'REPORTED'],
  ['REPORTED', 'WAIVE_COORDINATION', null],

  ['VERIFIED', 'START', null],
  ['VERIFIED', 'SUBMIT_REPORT', null],
  ['VERIFIED', 'VERIFY', null],
  ['VERIFIED', 'REJECT', null],
  ['VERIFIED', 'DEADLINE_PASSED', null],
  ['VERIFIED', 'CONTRIBUTE', null],
  ['VERIFIED', 'REQUEST_EXTENSION', null],
  ['VERIFIED', 'APPROVE_EXTENSION', null],
  ['VERIFIED', 'DENY_EXTENSION', null],
  ['VERIFIED', 'WAIVE_COORDINATION', null],

  ['OVERDUE', 'START', null],
  ['OVERDUE', 'SUBMIT_REPORT', 'REPORTED'],
  ['OVERDUE', 'VERIFY', null],
  ['OVERDUE', 'REJECT', null],
  ['OVERDUE', 'DEADLINE_PASSED', null],
  ['OVERDUE', 'CONTRIBUTE', 'OVERDUE'],
  ['OVERDUE', 'REQUEST_EXTENSION', 'OVERDUE'],
  ['OVERDUE', 'APPROVE_EXTENSION', 'IN_PROGRESS'],
  ['OVERDUE', 'DENY_EXTENSION', 'OVERDUE'],
  ['OVERDUE', 'WAIVE_COORDINATION', 'OVERDUE'],

  // ROLL_UP to OVERDUE (EVENTS below): from any state but the final one and OVERDUE itself
  ['ASSIGNED', 'ROLL_UP', 'OVERDUE'],
  ['IN_PROGRESS', 'ROLL_UP', 'OVERDUE'],
  ['REPORTED', 'ROLL_UP', 'OVERDUE'],
  ['VERIFIED', 'ROLL_UP', null],
  ['OVERDUE', 'ROLL_UP', null],
  ['WITHDRAWN', 'ROLL_UP', null],

  // WITHDRAW (version 4): an amended plan no longer holds the task; from any state but the final ones
  ['ASSIGNED', 'WITHDRAW', 'WITHDRAWN'],
  ['IN_PROGRESS', 'WITHDRAW', 'WITHDRAWN'],
  ['REPORTED', 'WITHDRAW', 'WITHDRAWN'],
  ['VERIFIED', 'WITHDRAW', null],
  ['OVERDUE', 'WITHDRAW', 'WITHDRAWN'],
  ['WITHDRAWN', 'WITHDRAW', null],

  // AMEND to a due time after the event: the state stays, an overdue task is back in progress
  ['ASSIGNED', 'AMEND', 'ASSIGNED'],
  ['IN_PROGRESS', 'AMEND', 'IN_PROGRESS'],
  ['REPORTED', 'AMEND', 'REPORTED'],
  ['VERIFIED', 'AMEND', null],
  ['OVERDUE', 'AMEND', 'IN_PROGRESS'],
  ['WITHDRAWN', 'AMEND', null],

  // WITHDRAWN is final: nothing more is taken
  ['WITHDRAWN', 'START', null],
  ['WITHDRAWN', 'SUBMIT_REPORT', null],
  ['WITHDRAWN', 'VERIFY', null],
  ['WITHDRAWN', 'REJECT', null],
  ['WITHDRAWN', 'DEADLINE_PASSED', null],
  ['WITHDRAWN', 'CONTRIBUTE', null],
  ['WITHDRAWN', 'REQUEST_EXTENSION', null],
  ['WITHDRAWN', 'APPROVE_EXTENSION', null],
  ['WITHDRAWN', 'DENY_EXTENSION', null],
  ['WITHDRAWN', 'WAIVE_COORDINATION', null],
];

const EVENTS: Record<TaskEventType, TaskEvent> = {
  START: ev.start(AFTER_DUE),
  SUBMIT_REPORT: ev.submit(AFTER_DUE),
  VERIFY: ev.verify(AFTER_DUE),
  REJECT: ev.reject(AFTER_DUE),
  DEADLINE_PASSED: ev.deadline(AFTER_DUE),
  CONTRIBUTE: ev.contribute(AFTER_DUE),
  REQUEST_EXTENSION: ev.request(AFTER_DUE),
  APPROVE_EXTENSION: ev.approve(AFTER_DUE),
  DENY_EXTENSION: ev.deny(AFTER_DUE),
  WAIVE_COORDINATION: ev.waive(AFTER_DUE),
  ROLL_UP: ev.rollUp(AFTER_DUE, 'OVERDUE'),
  WITHDRAW: ev.withdraw(AFTER_DUE),
  AMEND: ev.amend(AFTER_DUE, FAR_FUTURE),
};

const NEEDS_PENDING_REQUEST: ReadonlySet<TaskEventType> = new Set(['APPROVE_EXTENSION', 'DENY_EXTENSION']);

describe(applyTaskEvent.name, () => {
  it('covers every state × event pair exactly once', () => {
    const pairs = EXPECTED.map(([state, type]) => `${state}/${type}`);
    expect(new Set(pairs).size).toBe(TASK_STATES.length * TASK_EVENT_TYPES.length);
    expect(pairs).toHaveLength(78);
  });

  it.each(EXPECTED)('does %s + %s → %s', (state, type, expected) => {
    const from = taskIn(state, NEEDS_PENDING_REQUEST.has(type));
    expect(from.state).toBe(state);
    const outcome = applyTaskEvent(from, EVENTS[type]);
    expect(canApply(from, EVENTS[type])).toBe(expected !== null);
    if (expected === null) {
      expect(outcome).toEqual({ taken: false, reason: expect.any(String) });
    } else {
      expect(outcome.taken && outcome.snapshot.state).toBe(expected);
    }
  });
});
