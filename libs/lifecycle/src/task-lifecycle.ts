// The store → resolveState → transition → store round trip of the write path, and the replays: the
// audit's bulk replay runs on the machine compiled into a lookup table (compiled-machine.ts), the
// rest on XState itself. Both share the refusal wording below; the equivalence specs hold them equal.
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { addDays, isValidInstant, laterOf } from './iso-time';
import { taskMachineVersions, TaskMachineVersions, type TaskMachineVersion } from './machine-versions';
import { assertValidTaskInput } from './task-context';
import { IncompatibleSnapshotError } from './task.errors';
import {
  isTaskState,
  TaskReplayResult,
  StoredTaskSnapshot,
  TaskContext,
  TASK_EVENT_TYPES,
  TASK_MACHINE_ID,
  TaskEvent,
  TaskEventType,
  TaskInput,
  TaskState,
  TransitionOutcome,
} from './task.types';

// Every registered version's machine and table are built when machine-versions.ts loads; it throws
// MachineCompileError if a machine uses anything the table cannot reproduce.
type MachineSnapshot = AnyMachineSnapshot;

function toStoredValue(state: unknown, context: TaskContext, version: number): StoredTaskSnapshot {
  if (!isTaskState(state)) throw new IncompatibleSnapshotError(`machine produced unknown state ${String(state)}`);
  return {
    machineId: TASK_MACHINE_ID,
    machineVersion: version,
    state,
    // a JSON copy: what PostgreSQL stores, plain data in this realm, sharing nothing with the input
    context: JSON.parse(JSON.stringify(context)) as TaskContext,
  };
}

function toStored(snapshot: MachineSnapshot, version: number): StoredTaskSnapshot {
  return toStoredValue(snapshot.value, snapshot.context as TaskContext, version);
}

interface Restored {
  // the stored snapshot lifted to the machine version that restores it
  current: StoredTaskSnapshot;
  snapshot: MachineSnapshot;
  machine: TaskMachineVersion;
}

function restore(
  stored: StoredTaskSnapshot,
  machine: TaskMachineVersion = taskMachineVersions.latest,
  versions: TaskMachineVersions = taskMachineVersions,
): Restored {
  const current = versions.upgrade(stored, machine.version);
  if (!isTaskState(current.state)) {
    throw new IncompatibleSnapshotError(`snapshot names unknown state ${String(current.state)}`);
  }
  if (current.context === null || typeof current.context !== 'object') {
    throw new IncompatibleSnapshotError('snapshot has no context');
  }
  return { current, machine, snapshot: machine.machine.resolveState({ value: current.state, context: current.context }) };
}

// Accepts a snapshot of the latest machine version or of an older one it knows how to upgrade.
export function restoreTaskSnapshot(stored: StoredTaskSnapshot): MachineSnapshot {
  return restore(stored).snapshot;
}

export function createTaskSnapshot(input: TaskInput, machine: TaskMachineVersion = taskMachineVersions.latest): StoredTaskSnapshot {
  assertValidTaskInput(input);
  const [snapshot] = initialTransition(machine.machine, input);
  return toStored(snapshot, machine.version);
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

function refusal(restored: Restored, event: TaskEvent): string | null {
  const { current, snapshot, machine } = restored;
  const early = preRefusal(current.state, snapshot.status === 'done', event);
  if (early !== null) return early;
  if (snapshot.can(event)) return null;
  return machineRefusal(current.state, event, machine.compiled.declares(current.state, event.type));
}

// A snapshot of an older version comes back upgraded, at the version of `machine` (by default the
// latest of `versions`, the shipped registry unless a test or a replay names another).
export function applyTaskEvent(
  stored: StoredTaskSnapshot,
  event: TaskEvent,
  machine?: TaskMachineVersion,
  versions: TaskMachineVersions = taskMachineVersions,
): TransitionOutcome {
  machine ??= versions.latest;
  const restored = restore(stored, machine, versions);
  const reason = refusal(restored, event);
  if (reason !== null) return { taken: false, reason };
  const [next] = transition(machine.machine, restored.snapshot, event);
  return { taken: true, snapshot: toStored(next, machine.version) };
}

type CompiledOutcome = { taken: true; state: TaskState; context: TaskContext } | { taken: false; reason: string };

// applyTaskEvent's decision on the compiled table: the same guards and assigns, no XState snapshot.
function compiledStep(machine: TaskMachineVersion, state: TaskState, context: TaskContext, event: TaskEvent): CompiledOutcome {
  const table = machine.compiled;
  const early = preRefusal(state, table.isFinal(state), event);
  if (early !== null) return { taken: false, reason: early };
  const next = table.take(state, context, event);
  if (next === null) return { taken: false, reason: machineRefusal(state, event, table.declares(state, event.type)) };
  return { taken: true, state: next.state as TaskState, context: next.context };
}

// applyTaskEvent on the compiled table: the same outcome, snapshot and refusal reason.
export function applyTaskEventCompiled(
  stored: StoredTaskSnapshot,
  event: TaskEvent,
  machine?: TaskMachineVersion,
  versions: TaskMachineVersions = taskMachineVersions,
): TransitionOutcome {
  machine ??= versions.latest;
  const { current } = restore(stored, machine, versions);
  const outcome = compiledStep(machine, current.state, current.context, event);
  return outcome.taken ? { taken: true, snapshot: toStoredValue(outcome.state, outcome.context, machine.version) } : outcome;
}

export function canApply(stored: StoredTaskSnapshot, event: TaskEvent): boolean {
  return refusal(restore(stored), event) === null;
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
    case 'ROLL_UP':
      // the system's alone, never offered: a roll-up to the state the task is in is refused
      return { type, at, state: stored.state };
    case 'WITHDRAW':
      return { type, at, reason: 'x' };
    case 'AMEND':
      return { type, at, changes: [{ field: 'title', from: 'x', to: 'y' }] };
    default:
      return { type, at };
  }
}

export function acceptedEventTypes(stored: StoredTaskSnapshot, at: string): TaskEventType[] {
  const restored = restore(stored);
  if (!isValidInstant(at)) return [];
  return TASK_EVENT_TYPES.filter((type) => refusal(restored, representativeEvent(type, at, restored.current)) === null);
}

// An event as the audit trail recorded it: the states it left and entered are checked on replay, and
// it is replayed by the machine of the version that accepted it (absent: the latest version).
export interface RecordedTaskEvent {
  event: TaskEvent;
  fromState: TaskState | null;
  toState: TaskState;
  machineVersion?: number;
}

// Stops at the first refused event: a state built on a broken history would mean nothing.
export function replayTask(input: TaskInput, events: readonly TaskEvent[]): TaskReplayResult {
  return fold(input, events.length, (i) => ({ event: events[i], fromState: null, toState: null }), taskMachineVersions);
}

// The audit's replay: every event must be taken, by the machine version its row names, and leave and
// enter the states its row records. Bulk work (whole plans), so it runs on the compiled tables; same
// result as the XState fold. onTaken sees the state after each event taken (the timeline's source).
// The result's snapshot is lifted to the latest version, as the write path stores it.
export function replayRecordedTask(
  input: TaskInput,
  events: readonly RecordedTaskEvent[],
  onTaken?: (index: number, state: TaskState) => void,
  versions: TaskMachineVersions = taskMachineVersions,
): TaskReplayResult {
  return foldCompiled(input, events.length, (i) => events[i], versions, onTaken);
}

// replayRecordedTask on XState itself: the reference the equivalence specs and the benchmark use.
export function replayRecordedTaskWithXState(
  input: TaskInput,
  events: readonly RecordedTaskEvent[],
  versions: TaskMachineVersions = taskMachineVersions,
): TaskReplayResult {
  return fold(input, events.length, (i) => events[i], versions);
}

type Step = { event: TaskEvent; fromState: TaskState | null; toState: TaskState | null; machineVersion?: number };

// The machine for an event recorded under `version` when the replay stands at `current`: the same
// one, or a later registered one (the caller lifts the snapshot); null for an unknown version or one
// older than an event before it (the write path only ever moves a task forward).
function machineFor(versions: TaskMachineVersions, current: TaskMachineVersion, version: number | undefined): TaskMachineVersion | null {
  if (version === undefined) return versions.latest;
  if (version === current.version) return current;
  const next = versions.get(version);
  return next === undefined || next.version < current.version ? null : next;
}

function versionRefusal(i: number, version: unknown, current: TaskMachineVersion): string {
  return `event #${i + 1} names machine version ${String(version)}, which is not registered or precedes version ${current.version} of an earlier event`;
}

function firstMachine(versions: TaskMachineVersions, first: Step | undefined): TaskMachineVersion {
  return first?.machineVersion === undefined ? versions.latest : (versions.get(first.machineVersion) ?? versions.latest);
}

function fold(input: TaskInput, count: number, step: (i: number) => Step, versions: TaskMachineVersions): TaskReplayResult {
  let machine = firstMachine(versions, count > 0 ? step(0) : undefined);
  let snapshot = createTaskSnapshot(input, machine);
  const result = (applied: number, rejectedAt: number | null, versionProblem?: string): TaskReplayResult => ({
    snapshot: versions.upgrade(snapshot),
    applied,
    rejectedAt,
    ...(versionProblem === undefined ? {} : { versionProblem }),
  });
  for (let i = 0; i < count; i++) {
    const { event, fromState, toState, machineVersion } = step(i);
    const next = machineFor(versions, machine, machineVersion);
    if (next === null) return result(i, i, versionRefusal(i, machineVersion, machine));
    machine = next;
    if (fromState !== null && snapshot.state !== fromState) return result(i, i);
    const outcome = applyTaskEvent(snapshot, event, machine, versions);
    if (!outcome.taken || (toState !== null && outcome.snapshot.state !== toState)) return result(i, i);
    snapshot = outcome.snapshot;
  }
  return result(count, null);
}

// fold on the compiled tables. The pure reducers return fresh contexts, so only the result is copied
// to JSON, once, where fold copies every step: the same result for events that are JSON data (as
// task_events rows are), since no guard reads a payload value other than a checked instant. Only a
// non-JSON payload value (a BigInt, a cycle) that a later event drops differs: fold throws on it.
// The table is looked up again only when an event names another version than the one before.
function foldCompiled(
  input: TaskInput,
  count: number,
  step: (i: number) => Step,
  versions: TaskMachineVersions,
  onTaken?: (index: number, state: TaskState) => void,
): TaskReplayResult {
  assertValidTaskInput(input);
  let machine = firstMachine(versions, count > 0 ? step(0) : undefined);
  let state = machine.compiled.initial as TaskState;
  let context = machine.compiled.initialContext(input);
  const result = (applied: number, rejectedAt: number | null, versionProblem?: string): TaskReplayResult => ({
    snapshot: versions.upgrade(toStoredValue(state, context, machine.version)),
    applied,
    rejectedAt,
    ...(versionProblem === undefined ? {} : { versionProblem }),
  });
  for (let i = 0; i < count; i++) {
    const { event, fromState, toState, machineVersion } = step(i);
    if (machineVersion !== machine.version && !(machineVersion === undefined && machine === versions.latest)) {
      const next = machineFor(versions, machine, machineVersion);
      if (next === null) return result(i, i, versionRefusal(i, machineVersion, machine));
      ({ state, context } = liftTo(versions, machine, next, state, context));
      machine = next;
    }
    if (fromState !== null && state !== fromState) return result(i, i);
    const outcome = compiledStep(machine, state, context, event);
    if (!outcome.taken || (toState !== null && outcome.state !== toState)) return result(i, i);
    state = outcome.state;
    context = outcome.context;
    onTaken?.(i, state);
  }
  return result(count, null);
}

function liftTo(
  versions: TaskMachineVersions,
  from: TaskMachineVersion,
  to: TaskMachineVersion,
  state: TaskState,
  context: TaskContext,
): { state: TaskState; context: TaskContext } {
  if (from === to) return { state, context };
  const lifted = versions.upgrade(toStoredValue(state, context, from.version), to.version);
  return { state: lifted.state, context: lifted.context };
}
