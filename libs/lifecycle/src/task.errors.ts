// Thrown when a stored snapshot was written by another machine (id/version) or names a state this
// version does not know: restoring it silently would corrupt the audit replay.
export class IncompatibleSnapshotError extends Error {
  override readonly name = 'IncompatibleSnapshotError';
  readonly code = 'INCOMPATIBLE_SNAPSHOT';

  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

// Thrown by createTaskSnapshot when the plan's dates cannot drive the deadline guards.
export class InvalidTaskInputError extends Error {
  override readonly name = 'InvalidTaskInputError';
  readonly code = 'INVALID_TASK_INPUT';

  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
