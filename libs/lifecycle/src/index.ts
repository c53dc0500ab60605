export * from './task.types';
export * from './task.errors';
export {
  taskMachine,
  taskMachineConfig,
  taskMachineConfigV2,
  taskMachineConfigV3,
  taskMachineV1,
  taskMachineV2,
  taskMachineV3,
  taskSetup,
} from './task.machine';
export { compileMachine, MachineCompileError } from './compiled-machine';
export type { CompiledMachine, CompiledState, CompiledStep, CompiledTransition } from './compiled-machine';
export type { RecordedTaskEvent } from './task-lifecycle';
export type { TaskMachine } from './task.machine';
export {
  acceptedEventTypes,
  applyTaskEvent,
  canApply,
  createTaskSnapshot,
  replayRecordedTask,
  replayTask,
  restoreTaskSnapshot,
} from './task-lifecycle';
export { amendedSchedule, isCoordinationWaived, MAX_AMENDED_PERIODS, MAX_AMENDMENT_CHANGES, missingCoordinators } from './task-context';
export { upgradeV1ToV2, upgradeV2ToV3, upgradeV3ToV4 } from './task-snapshot-upgrade';
export { registerTaskMachineVersion, taskMachineVersions, TaskMachineVersions, upgradeTaskSnapshot } from './machine-versions';
export type { CompiledTaskMachine, SnapshotUpgrade, TaskMachineVersion, TaskMachineVersionDefinition } from './machine-versions';
export { lifecycleMermaid } from './mermaid';
