// The store → resolveState → transition → store round trip of the write path, and the replays: the
// audit's bulk replay runs on the machine compiled into a lookup table (compiled-machine.ts), the
// rest on XState itself. Both share the refusal wording below; the equivalence specs hold them equal.
import { initialTransition, transition } from 'xstate';
import { compileMachine } from './compiled-machine';
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

// Compiled once, when this module loads; throws MachineCompileError if the machine uses anything
// the table cannot reproduce.
const compiledTask = compileMachine(taskMachine);

function toStored(snapshot: MachineSnapshot): StoredTaskSnapshot {
  return toStoredValue(snapshot.value, snapshot.context);
}

function toStoredValue(state: unknown, context: TaskContext): StoredTaskSnapshot {
  if (!isTaskState(state)) throw new IncompatibleSnapshotError(`machine produced unknown state ${String(state)}`);
  return {
    machineId: TASK_MACHINE_ID,
    machineVersion: TASK_MACHINE_VERSION,
    state,
    // a JSON copy: what PostgreSQL stores, plain data in this realm, sharing nothing with the input
    context: JSON.parse(JSON.stringify(context)) as TaskContext,
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

// Why an event is refused before the machine is asked (final state, no valid time), else null.
function preRefusal(state: TaskState, final: boolean, event: TaskEvent): string | null {
  if (final) return `task is ${state}, a final state; nothing more is accepted`;
  if (!isValidInstant(event?.at)) return `event ${event?.type} has no valid ISO instant in "at"`;
  return null;
}

// Why the machine did not take it: no transition for the event, or none whose guards pass.
function machineRefusal(state: TaskState, event: TaskEvent, declared: boolean): string {
  return declared
    ? `${event.type} is not allowed in ${state} now: its conditions are not met`
    : `${event.type} is not accepted in ${state}`;
}

function refusal(stored: StoredTaskSnapshot, snapshot: MachineSnapshot, event: TaskEvent): string | null {
  const early = preRefusal(stored.state, snapshot.status === 'done', event);
  if (early !== null) return early;
  if (snapshot.can(event)) return null;
  return machineRefusal(stored.state, event, Object.prototype.hasOwnProperty.call(taskMachine.root.states[stored.state].on, event.type));
}

// A snapshot of an older version comes back upgraded, at the current version.
export function applyTaskEvent(stored: StoredTaskSnapshot, event: TaskEvent): TransitionOutcome {
  const { current, snapshot } = restore(stored);
  const reason = refusal(current, snapshot, event);
  if (reason !== null) return { taken: false, reason };
  const [next] = transition(taskMachine, snapshot, event);
  return { taken: true, snapshot: toStored(next) };
}

type CompiledOutcome = { taken: true; state: TaskState; context: TaskContext } | { taken: false; reason: string };

// applyTaskEvent's decision on the compiled table: the same guards and assigns, no XState snapshot.
function compiledStep(state: TaskState, context: TaskContext, event: TaskEvent): CompiledOutcome {
  const early = preRefusal(state, compiledTask.isFinal(state), event);
  if (early !== null) return { taken: false, reason: early };
  const next = compiledTask.take(state, context, event);
  if (next === null) return { taken: false, reason: machineRefusal(state, event, compiledTask.declares(state, event.type)) };
  return { taken: true, state: next.state as TaskState, context: next.context };
}

// applyTaskEvent on the compiled table: the same outcome, snapshot and refusal reason.
export function applyTaskEventCompiled(stored: StoredTaskSnapshot, event: TaskEvent): TransitionOutcome {
  const { current } = restore(stored);
  const outcome = compiledStep(current.state, current.context, event);
  return outcome.taken ? { taken: true, snapshot: toStoredValue(outcome.state, outcome.context) } : outcome;
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
// Bulk work (whole plans), so it runs on the compiled table; same result as the XState fold.
// onTaken sees the state after each event taken (a task's timeline is built from it).
export function replayRecordedTask(
  input: TaskInput,
  events: readonly RecordedTaskEvent[],
  onTaken?: (index: number, state: TaskState) => void,
): TaskReplayResult {
  return foldCompiled(input, events.length, (i) => events[i], onTaken);
}

// replayRecordedTask on XState itself: the reference the equivalence specs and the benchmark use.
export function replayRecordedTaskWithXState(input: TaskInput, events: readonly RecordedTaskEvent[]): TaskReplayResult {
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

// fold on the compiled table. The pure reducers return fresh contexts, so only the result is copied
// to JSON, once, where fold copies every step: the same result for events that are JSON data (as
// task_events rows are), since no guard reads a payload value other than a checked instant. Only a
// non-JSON payload value (a BigInt, a cycle) that a later event drops differs: fold throws on it.
function foldCompiled(
  input: TaskInput,
  count: number,
  step: (i: number) => Step,
  onTaken?: (index: number, state: TaskState) => void,
): TaskReplayResult {
  assertValidTaskInput(input);
  let state = compiledTask.initial as TaskState;
  let context = compiledTask.initialContext(input);
  const result = (applied: number, rejectedAt: number | null): TaskReplayResult => ({
    snapshot: toStoredValue(state, context),
    applied,
    rejectedAt,
  });
  for (let i = 0; i < count; i++) {
    const { event, fromState, toState } = step(i);
    if (fromState !== null && state !== fromState) return result(i, i);
    const outcome = compiledStep(state, context, event);
    if (!outcome.taken || (toState !== null && outcome.state !== toState)) return result(i, i);
    state = outcome.state;
    context = outcome.context;
    onTaken?.(i, state);
  }
  return result(count, null);
}
