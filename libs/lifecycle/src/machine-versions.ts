// Every version of the task machine this code can replay: version → its own XState definition, the
// lookup table compiled from that definition, and the step that lifts a snapshot of the previous
// version to it. Each event is replayed by the machine of the version that accepted it (its row's
// machine_version), so a later machine never makes an older history "inconsistent". A change to the
// machine is a new registered version, never an edit of a registered one.
import type { AnyStateMachine } from 'xstate';
import { compileMachine, type CompiledMachine } from './compiled-machine';
import { IncompatibleSnapshotError } from './task.errors';
import { taskMachine, taskMachineV1, taskMachineV2, taskMachineV3 } from './task.machine';
import { upgradeV1ToV2, upgradeV2ToV3, upgradeV3ToV4 } from './task-snapshot-upgrade';
import { StoredTaskSnapshot, TASK_MACHINE_ID, TASK_MACHINE_VERSION, TaskContext, TaskEvent, TaskInput } from './task.types';

export type CompiledTaskMachine = CompiledMachine<TaskContext, TaskEvent, TaskInput>;
export type SnapshotUpgrade = (stored: StoredTaskSnapshot) => StoredTaskSnapshot;

export interface TaskMachineVersionDefinition {
  version: number;
  // an XState machine over TaskContext and TaskEvent, with the states of TaskState
  machine: AnyStateMachine;
  // lifts a snapshot of version - 1 to this version; required for every version but the first
  upgradeFromPrevious?: SnapshotUpgrade;
}

export interface TaskMachineVersion {
  readonly version: number;
  readonly machine: AnyStateMachine;
  readonly compiled: CompiledTaskMachine;
  readonly upgradeFromPrevious: SnapshotUpgrade | null;
}

export class TaskMachineVersions {
  // indexed by version: one array read per event on replay
  private readonly byVersion: (TaskMachineVersion | undefined)[] = [];
  private readonly order: TaskMachineVersion[] = [];

  constructor(definitions: readonly TaskMachineVersionDefinition[]) {
    for (const definition of definitions) this.register(definition);
  }

  get latest(): TaskMachineVersion {
    return this.order[this.order.length - 1];
  }

  get oldest(): TaskMachineVersion {
    return this.order[0];
  }

  all(): readonly TaskMachineVersion[] {
    return this.order;
  }

  get(version: unknown): TaskMachineVersion | undefined {
    return typeof version === 'number' && Number.isInteger(version) && version > 0 ? this.byVersion[version] : undefined;
  }

  // Appends the next version (latest + 1), compiled at once: what the table cannot reproduce is
  // refused here (MachineCompileError). Returns the undo, for tests that register one of their own.
  register(definition: TaskMachineVersionDefinition): () => void {
    const { version, machine, upgradeFromPrevious } = definition;
    const previous = this.order.length > 0 ? this.latest : undefined;
    if (!Number.isInteger(version) || version < 1) throw new Error(`machine version must be a positive integer, got ${version}`);
    if (previous && version !== previous.version + 1) throw new Error(`machine version ${version} must follow ${previous.version}`);
    if (previous && !upgradeFromPrevious) throw new Error(`machine version ${version} needs the upgrade from ${previous.version}`);
    if (String(machine.id) !== TASK_MACHINE_ID) throw new Error(`machine "${String(machine.id)}" is not the ${TASK_MACHINE_ID} machine`);
    const entry: TaskMachineVersion = Object.freeze({
      version,
      machine,
      compiled: compileMachine(machine) as unknown as CompiledTaskMachine,
      upgradeFromPrevious: upgradeFromPrevious ?? null,
    });
    this.byVersion[version] = entry;
    this.order.push(entry);
    return () => {
      if (this.latest !== entry) throw new Error(`machine version ${version} is not the latest; unregister newer ones first`);
      this.order.pop();
      this.byVersion[version] = undefined;
    };
  }

  // A copy of the snapshot lifted to `toVersion` (the latest by default), one registered step per
  // version; the input itself when already there. Another machine, an unknown version or a target
  // older than the snapshot is refused, never guessed at.
  upgrade(stored: StoredTaskSnapshot, toVersion: number = this.latest.version): StoredTaskSnapshot {
    if (stored?.machineId !== TASK_MACHINE_ID || this.get(stored.machineVersion) === undefined) throw this.incompatible(stored, toVersion);
    if (this.get(toVersion) === undefined || stored.machineVersion > toVersion) throw this.incompatible(stored, toVersion);
    let current = stored;
    while (current.machineVersion < toVersion) {
      const next = this.byVersion[current.machineVersion + 1] as TaskMachineVersion;
      const lifted = (next.upgradeFromPrevious as SnapshotUpgrade)(current);
      if (lifted.machineVersion !== next.version) {
        throw new IncompatibleSnapshotError(`the upgrade to ${TASK_MACHINE_ID}@${next.version} returned version ${lifted.machineVersion}`);
      }
      current = lifted;
    }
    return current;
  }

  private incompatible(stored: StoredTaskSnapshot, toVersion: number): IncompatibleSnapshotError {
    return new IncompatibleSnapshotError(
      `snapshot of ${stored?.machineId}@${stored?.machineVersion} cannot be restored by ${TASK_MACHINE_ID}@${toVersion}`,
    );
  }
}

// The versions this code ships. The write path accepts new events with the latest one.
export const taskMachineVersions = new TaskMachineVersions([
  { version: 1, machine: taskMachineV1 },
  { version: 2, machine: taskMachineV2, upgradeFromPrevious: upgradeV1ToV2 },
  { version: 3, machine: taskMachineV3, upgradeFromPrevious: upgradeV2ToV3 },
  { version: 4, machine: taskMachine, upgradeFromPrevious: upgradeV3ToV4 },
]);

if (taskMachineVersions.latest.version !== TASK_MACHINE_VERSION || taskMachineVersions.latest.machine !== taskMachine) {
  throw new Error(`the latest registered machine must be taskMachine at TASK_MACHINE_VERSION ${TASK_MACHINE_VERSION}`);
}

// Registers a newer version on the shipped registry (a test's v3, or a future release's); returns the undo.
export function registerTaskMachineVersion(definition: TaskMachineVersionDefinition): () => void {
  return taskMachineVersions.register(definition);
}

// Returns a snapshot of the latest registered version: the stored one itself when already current,
// else an upgraded copy (the input is never mutated). Throws IncompatibleSnapshotError when no path exists.
export function upgradeTaskSnapshot(stored: StoredTaskSnapshot): StoredTaskSnapshot {
  return taskMachineVersions.upgrade(stored);
}
