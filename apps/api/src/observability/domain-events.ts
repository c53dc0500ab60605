import { channel } from 'node:diagnostics_channel';
import { DomainError } from '../common/domain-error';

// What the services tell the metrics, without knowing them: Node's diagnostics channels cost one
// check when nobody listens (CLIs, integration tests) and keep prom-client out of the services.
export interface TransitionObserved {
  event: string;
  outcome: string; // 'ok' or the error code
}

export interface SweepObserved {
  tasksMarked: number;
}

export const transitionChannel = channel('action-plans:task-transition');
export const sweepChannel = channel('action-plans:deadline-sweep');

export function observeTransition(event: string, error: unknown = null): void {
  if (!transitionChannel.hasSubscribers) return;
  transitionChannel.publish({ event, outcome: error === null ? 'ok' : outcomeOf(error) } satisfies TransitionObserved);
}

export function observeSweep(tasksMarked: number): void {
  if (sweepChannel.hasSubscribers) sweepChannel.publish({ tasksMarked } satisfies SweepObserved);
}

// A domain error's code (a fixed vocabulary, so a bounded label), or 'error' for anything else.
export function outcomeOf(error: unknown): string {
  return error instanceof DomainError ? error.code : 'error';
}
