// Shared builders for the lifecycle specs: a task due 2024-06-30 17:00Z (midnight in UTC+7)
// and snapshots parked in each state, with or without a pending extension request.
import { applyTaskEvent, createTaskSnapshot, StoredTaskSnapshot, TaskEvent, TaskInput, TaskState } from '../src';

export const DUE = '2024-06-30T17:00:00.000Z';
export const BEFORE_DUE = '2024-06-20T03:00:00.000Z';
export const AFTER_DUE = '2024-07-15T03:00:00.000Z';
export const FAR_FUTURE = '2024-09-30T17:00:00.000Z';
export const LEAD = { userId: 'u-lead', agencyId: 'a-lead' };
export const SUPERVISOR = { userId: 'u-sup', agencyId: 'a-monitor' };
export const LEADER = { userId: 'u-leader', agencyId: 'ubnd' };

export const ev = {
  start: (at: string): TaskEvent => ({ type: 'START', at, by: LEAD }),
  submit: (at: string, summary = 'done'): TaskEvent => ({
    type: 'SUBMIT_REPORT',
    at,
    by: LEAD,
    report: { summary, value: '100%' },
  }),
  verify: (at: string): TaskEvent => ({ type: 'VERIFY', at, by: SUPERVISOR }),
  reject: (at: string, comment = 'incomplete'): TaskEvent => ({ type: 'REJECT', at, by: SUPERVISOR, comment }),
  deadline: (at: string): TaskEvent => ({ type: 'DEADLINE_PASSED', at }),
  rollUp: (at: string, state: TaskState, childTaskId = 'child-1'): TaskEvent => ({ type: 'ROLL_UP', at, by: null, state, childTaskId }),
  contribute: (at: string, agencyId = 'a-co'): TaskEvent => ({
    type: 'CONTRIBUTE',
    at,
    by: { userId: `u-${agencyId}`, agencyId },
    text: 'phối hợp',
  }),
  request: (at: string, proposedDueAt = FAR_FUTURE): TaskEvent => ({
    type: 'REQUEST_EXTENSION',
    at,
    by: LEAD,
    reason: 'waiting for funds',
    proposedDueAt,
  }),
  approve: (at: string, newDueAt = FAR_FUTURE): TaskEvent => ({
    type: 'APPROVE_EXTENSION',
    at,
    by: LEADER,
    newDueAt,
  }),
  deny: (at: string, comment = 'no'): TaskEvent => ({ type: 'DENY_EXTENSION', at, comment }),
  withdraw: (at: string, reason = 'the amended plan no longer holds the task'): TaskEvent => ({ type: 'WITHDRAW', at, by: null, reason }),
  amend: (at: string, dueAt: string | null = FAR_FUTURE): TaskEvent => ({ type: 'AMEND', at, by: null, dueAt }),
  waive: (at: string, comment = 'the coordinating agency has no data this period'): TaskEvent => ({
    type: 'WAIVE_COORDINATION',
    at,
    by: LEADER,
    comment,
  }),
};

export function applyAll(snapshot: StoredTaskSnapshot, events: TaskEvent[]): StoredTaskSnapshot {
  return events.reduce((current, event) => {
    const outcome = applyTaskEvent(current, event);
    if (!outcome.taken) throw new Error(`fixture event ${event.type} refused: ${outcome.reason}`);
    return outcome.snapshot;
  }, snapshot);
}

export function taskIn(state: TaskState, withPendingRequest = false, input: TaskInput = { dueAt: DUE }): StoredTaskSnapshot {
  const requestAt = (at: string) => (withPendingRequest ? [ev.request(at)] : []);
  const request = requestAt('2024-06-10T03:00:00.000Z');
  const paths: Record<TaskState, TaskEvent[]> = {
    ASSIGNED: [...request],
    IN_PROGRESS: [ev.start('2024-06-01T03:00:00.000Z'), ...request],
    REPORTED: [ev.start('2024-06-01T03:00:00.000Z'), ...request, ev.submit('2024-06-25T03:00:00.000Z')],
    VERIFIED: [
      ev.start('2024-06-01T03:00:00.000Z'),
      ...request,
      ev.submit('2024-06-25T03:00:00.000Z'),
      ev.verify('2024-06-28T03:00:00.000Z'),
    ],
    OVERDUE: [ev.start('2024-06-01T03:00:00.000Z'), ev.deadline('2024-07-01T03:00:00.000Z'), ...requestAt('2024-07-02T03:00:00.000Z')],
    WITHDRAWN: [ev.start('2024-06-01T03:00:00.000Z'), ...request, ev.withdraw('2024-06-12T03:00:00.000Z')],
  };
  return applyAll(createTaskSnapshot(input), paths[state]);
}
