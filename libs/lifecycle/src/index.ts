export * from './task.types';
export * from './task.errors';
export { taskMachine } from './task.machine';
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
export { isCoordinationWaived, missingCoordinators } from './task-context';
export { upgradeTaskSnapshot } from './task-snapshot-upgrade';
export { lifecycleMermaid } from './mermaid';
