// The store → resolveState → transition → store round trip the service and the audit replay share.
import { initialTransition, transition } from 'xstate';
import { addDays, isValidInstant, laterOf } from './iso-time';
import { assertValidTaskInput } from './task-context';
import { IncompatibleSnapshotError } from './task.errors';
import { upgradeTaskSnapshot } from './task-snapshot-upgrade';
import { taskMachine } from './task.machine';
import {
  isTaskState,
  TaskReplayResult,
  StoredTaskSnapshot,
  TaskContext,
  TASK_EVENT_TYPES,
  TASK_MACHINE_ID,
  TASK_MACHINE_VERSION,
  TaskEvent,
  TaskEventType,
  TaskInput,
  TaskState,
  TransitionOutcome,
} from './task.types';

type MachineSnapshot = ReturnType<typeof taskMachine.resolveState>;

function toStored(snapshot: MachineSnapshot): StoredTaskSnapshot {
  const state = snapshot.value;
  if (!isTaskState(state)) throw new IncompatibleSnapshotError(`machine produced unknown state ${String(state)}`);
  // structuredClone: the stored value shares nothing with the caller's input.
  return {
    machineId: TASK_MACHINE_ID,
    machineVersion: TASK_MACHINE_VERSION,
    state,
    // a JSON copy: what PostgreSQL stores, plain data in this realm
    context: JSON.parse(JSON.stringify(snapshot.context)) as TaskContext,
  };
}

interface Restored {
  // the stored snapshot lifted to the current machine version
  current: StoredTaskSnapshot;
  snapshot: MachineSnapshot;
}

function restore(stored: StoredTaskSnapshot): Restored {
  const current = upgradeTaskSnapshot(stored);
  if (!isTaskState(current.state)) {
    throw new IncompatibleSnapshotError(`snapshot names unknown state ${String(current.state)}`);
  }
  if (current.context === null || typeof current.context !== 'object') {
    throw new IncompatibleSnapshotError('snapshot has no context');
  }
  return { current, snapshot: taskMachine.resolveState({ value: current.state, context: current.context }) };
}

// Accepts a snapshot of this machine version or of an older one it knows how to upgrade.
export function restoreTaskSnapshot(stored: StoredTaskSnapshot): MachineSnapshot {
  return restore(stored).snapshot;
}

export function createTaskSnapshot(input: TaskInput): StoredTaskSnapshot {
  assertValidTaskInput(input);
  const [snapshot] = initialTransition(taskMachine, input);
  return toStored(snapshot);
}

function refusal(stored: StoredTaskSnapshot, snapshot: MachineSnapshot, event: TaskEvent): string | null {
  if (snapshot.status === 'done') return `task is ${stored.state}, a final state; nothing more is accepted`;
  if (!isValidInstant(event?.at)) return `event ${event?.type} has no valid ISO instant in "at"`;
  if (snapshot.can(event)) return null;
  const declared = Object.prototype.hasOwnProperty.call(taskMachine.root.states[stored.state].on, event.type);
  return declared
    ? `${event.type} is not allowed in ${stored.state} now: its conditions are not met`
    : `${event.type} is not accepted in ${stored.state}`;
}

// A snapshot of an older version comes back upgraded, at the current version.
export function applyTaskEvent(stored: StoredTaskSnapshot, event: TaskEvent): TransitionOutcome {
  const { current, snapshot } = restore(stored);
  const reason = refusal(current, snapshot, event);
  if (reason !== null) return { taken: false, reason };
  const [next] = transition(taskMachine, snapshot, event);
  return { taken: true, snapshot: toStored(next) };
}

export function canApply(stored: StoredTaskSnapshot, event: TaskEvent): boolean {
  const { current, snapshot } = restore(stored);
  return refusal(current, snapshot, event) === null;
}

// Payloads that satisfy every payload check, so only state and context decide.
function representativeEvent(type: TaskEventType, at: string, stored: StoredTaskSnapshot): TaskEvent {
  const later = addDays(laterOf(at, stored.context.dueAt), 1);
  switch (type) {
    case 'SUBMIT_REPORT':
      return { type, at, report: { summary: 'x' } };
    case 'REJECT':
    case 'DENY_EXTENSION':
    case 'WAIVE_COORDINATION':
      return { type, at, comment: 'x' };
    case 'CONTRIBUTE':
      return { type, at, text: 'x' };
    case 'REQUEST_EXTENSION':
      return { type, at, reason: 'x', proposedDueAt: later };
    case 'APPROVE_EXTENSION':
      return { type, at, newDueAt: addDays(at, 1) };
    default:
      return { type, at };
  }
}

export function acceptedEventTypes(stored: StoredTaskSnapshot, at: string): TaskEventType[] {
  const { current, snapshot } = restore(stored);
  if (!isValidInstant(at)) return [];
  return TASK_EVENT_TYPES.filter((type) => refusal(current, snapshot, representativeEvent(type, at, current)) === null);
}

// An event as the audit trail recorded it: the states it left and entered are checked on replay.
export interface RecordedTaskEvent {
  event: TaskEvent;
  fromState: TaskState | null;
  toState: TaskState;
}

// Stops at the first refused event: a state built on a broken history would mean nothing.
export function replayTask(input: TaskInput, events: readonly TaskEvent[]): TaskReplayResult {
  return fold(input, events.length, (i) => ({ event: events[i], fromState: null, toState: null }));
}

// The audit's replay: every event must be taken and leave and enter the states its row records.
export function replayRecordedTask(input: TaskInput, events: readonly RecordedTaskEvent[]): TaskReplayResult {
  return fold(input, events.length, (i) => events[i]);
}

type Step = { event: TaskEvent; fromState: TaskState | null; toState: TaskState | null };

function fold(input: TaskInput, count: number, step: (i: number) => Step): TaskReplayResult {
  let snapshot = createTaskSnapshot(input);
  for (let i = 0; i < count; i++) {
    const { event, fromState, toState } = step(i);
    if (fromState !== null && snapshot.state !== fromState) return { snapshot, applied: i, rejectedAt: i };
    const outcome = applyTaskEvent(snapshot, event);
    if (!outcome.taken || (toState !== null && outcome.snapshot.state !== toState)) return { snapshot, applied: i, rejectedAt: i };
    snapshot = outcome.snapshot;
  }
  return { snapshot, applied: count, rejectedAt: null };
}
