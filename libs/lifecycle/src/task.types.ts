// Public vocabulary of the task lifecycle. Plain JSON shapes only: snapshots and events are stored
// in PostgreSQL and replayed by auditors, so nothing here may hold a class instance or a Date.

export const TASK_MACHINE_ID = 'task';
// Bump on any change to states, guards or context shape: stored snapshots and events name their
// version, and machine-versions.ts keeps every version's machine so old events replay on their own.
// Version 1 → 2: coordination waivers and the contributions a report relies on (see
// task-snapshot-upgrade.ts, which lifts a stored version-1 snapshot to this version).
// Version 2 → 3: ROLL_UP, the system moving a task split per lead agency to its children's roll-up
// (the context is unchanged; upgradeV2ToV3 only names the new version).
// Version 3 → 4: plan amendments. WITHDRAWN, a new final state for a task an amended plan removed
// (WITHDRAW), and AMEND, the system rescheduling a task (or recording its changed text) because the
// plan was amended. The context is unchanged; upgradeV3ToV4 only names the new version.
export const TASK_MACHINE_VERSION = 4;

export const TASK_STATES = ['ASSIGNED', 'IN_PROGRESS', 'REPORTED', 'VERIFIED', 'OVERDUE', 'WITHDRAWN'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TASK_EVENT_TYPES = [
  'START',
  'SUBMIT_REPORT',
  'VERIFY',
  'REJECT',
  'DEADLINE_PASSED',
  'CONTRIBUTE',
  'REQUEST_EXTENSION',
  'APPROVE_EXTENSION',
  'DENY_EXTENSION',
  'WAIVE_COORDINATION',
  'ROLL_UP',
  'WITHDRAW',
  'AMEND',
] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

export interface TaskInput {
  // ISO instant; null = the plan gave no time
  dueAt: string | null;
  // Recurring task: due instant of each period, ascending; periodDueDates[0] === dueAt.
  periodDueDates?: string[];
}

export interface TaskReport {
  summary: string;
  value?: string | null;
}

// One coordinating agency's contribution a report rests on (the full text stays in contributions).
export interface ReliedContribution {
  agencyId: string;
  at: string;
}

export interface TaskPeriod {
  index: number;
  dueAt: string | null;
  reportedAt: string | null;
  verifiedAt: string | null;
  late: boolean;
  report: TaskReport | null;
  rejections: number;
  // the period's contributions when the current report was submitted; [] while there is none
  reliesOn: ReliedContribution[];
}

export interface Contribution {
  agencyId: string;
  at: string;
  text: string;
  value?: string | null;
  period: number;
}

export interface PendingExtension {
  requestedAt: string;
  proposedDueAt: string;
  reason: string;
  byAgencyId?: string | null;
}

export interface TaskContext {
  dueAt: string | null;
  originalDueAt: string | null;
  periodDueDates: string[];
  // 0-based index of the current period
  period: number;
  // one per period reached so far; the current one is last
  periods: TaskPeriod[];
  // sticky: once any report was submitted or verified after its due time
  late: boolean;
  pendingExtension: PendingExtension | null;
  contributions: Contribution[];
  // who submitted the report under review (the four-eyes rule reads these)
  reportedByAgencyId: string | null;
  reportedByUserId: string | null;
  // indexes of the periods whose coordinating input a LEADER waived (WAIVE_COORDINATION)
  coordinationWaivedPeriods: number[];
}

// One field of a task an amendment changed, as the plan's text gave it before and after (strings as
// written, agency lists joined by "; "); recorded on AMEND and WITHDRAW events for the history.
export interface TaskFieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

// What an amendment event names about the plan version that caused it.
export interface AmendmentRef {
  // the plan version number (1 = the first import) and the amended document's number/date as read
  version: number;
  label?: string | null;
}

export interface EventActor {
  userId?: string | null;
  agencyId?: string | null;
}

export type TaskEvent =
  | { type: 'START'; at: string; by?: EventActor }
  | { type: 'SUBMIT_REPORT'; at: string; by?: EventActor; report: TaskReport }
  | { type: 'VERIFY'; at: string; by?: EventActor; comment?: string | null }
  | { type: 'REJECT'; at: string; by?: EventActor; comment: string }
  | { type: 'DEADLINE_PASSED'; at: string; by?: EventActor }
  | { type: 'CONTRIBUTE'; at: string; by?: EventActor; text: string; value?: string | null }
  | { type: 'REQUEST_EXTENSION'; at: string; by?: EventActor; reason: string; proposedDueAt: string }
  | { type: 'APPROVE_EXTENSION'; at: string; by?: EventActor; newDueAt: string; comment?: string | null }
  | { type: 'DENY_EXTENSION'; at: string; by?: EventActor; comment: string }
  // comment = the reason for going ahead without every coordinating agency's input
  | { type: 'WAIVE_COORDINATION'; at: string; by?: EventActor; comment: string }
  // the system only: a task split per lead agency moves to `state`, its children's roll-up, because
  // of a change of the child `childTaskId`
  | { type: 'ROLL_UP'; at: string; by?: null; state: TaskState; childTaskId?: string }
  // the system only (version 4): an amended plan no longer holds the task; it leaves the lifecycle
  // for good, its history kept. reason: why, in words an officer reads.
  | { type: 'WITHDRAW'; at: string; by?: null; reason: string; amendment?: AmendmentRef | null; changes?: TaskFieldChange[] }
  // the system only (version 4): an amended plan changed the task. dueAt / periodDueDates reschedule
  // it (the plan's own date moves, so originalDueAt moves too; the previous dates stay in the
  // history and in `changes`); changes alone records a changed title, target or agency list.
  | {
      type: 'AMEND';
      at: string;
      by?: null;
      dueAt?: string | null;
      periodDueDates?: string[];
      changes?: TaskFieldChange[];
      amendment?: AmendmentRef | null;
    };

export type TaskEventOf<T extends TaskEventType> = Extract<TaskEvent, { type: T }>;

// What the database stores: plain JSON, round-trippable through JSON.stringify/parse.
export interface StoredTaskSnapshot {
  machineId: string;
  machineVersion: number;
  state: TaskState;
  context: TaskContext;
}

export type TransitionOutcome = { taken: true; snapshot: StoredTaskSnapshot } | { taken: false; reason: string };

export interface TaskReplayResult {
  snapshot: StoredTaskSnapshot;
  applied: number;
  rejectedAt: number | null;
  // set when the replay stopped because the event at rejectedAt names a machine version that is not
  // registered (or precedes the version of an earlier event)
  versionProblem?: string;
}

export function isTaskState(value: unknown): value is TaskState {
  return typeof value === 'string' && (TASK_STATES as readonly string[]).includes(value);
}

export function isTaskEventType(value: unknown): value is TaskEventType {
  return typeof value === 'string' && (TASK_EVENT_TYPES as readonly string[]).includes(value);
}
