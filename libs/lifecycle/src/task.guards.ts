// Pure predicates behind the machine's named guards. Events arrive from storage and from user
// input, so payload fields are checked at runtime, not trusted from the type.
import { isAfter, isValidInstant } from './iso-time';
import { amendedSchedule, isCoordinationWaived } from './task-context';
import { TaskContext, TaskEvent, TaskEventOf } from './task.types';

export interface GuardArgs {
  context: TaskContext;
  event: TaskEvent;
}

function field(event: TaskEvent, name: string): unknown {
  return (event as unknown as Record<string, unknown>)[name];
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

export const taskGuards = {
  // Compared with the event's own time, never the clock, so replay gives the same answer.
  dueTimePassed: ({ context, event }: GuardArgs): boolean => context.dueAt !== null && isAfter(event.at, context.dueAt),
  hasNextPeriod: ({ context }: GuardArgs): boolean => context.period < context.periodDueDates.length - 1,
  hasComment: ({ event }: GuardArgs): boolean => nonEmpty(field(event, 'comment')),
  coordinationNotWaived: ({ context }: GuardArgs): boolean => !isCoordinationWaived(context),
  hasPendingExtension: ({ context }: GuardArgs): boolean => context.pendingExtension !== null,
  noPendingExtension: ({ context }: GuardArgs): boolean => context.pendingExtension === null,
  proposedDueAtInFuture: ({ event }: GuardArgs): boolean => isAfter(field(event, 'proposedDueAt') as string, event.at),
  proposedDueAtAfterDueAt: ({ context, event }: GuardArgs): boolean =>
    context.dueAt === null || isAfter(field(event, 'proposedDueAt') as string, context.dueAt),
  newDueAtValid: ({ event }: GuardArgs): boolean => isValidInstant(field(event, 'newDueAt') as string),
  newDueAtInFuture: ({ event }: GuardArgs): boolean => isAfter(field(event, 'newDueAt') as string, event.at),
  // ROLL_UP (version 3): the state the event names; one guard per target, since guards take no params
  rollUpToAssigned: ({ event }: GuardArgs): boolean => field(event, 'state') === 'ASSIGNED',
  rollUpToInProgress: ({ event }: GuardArgs): boolean => field(event, 'state') === 'IN_PROGRESS',
  rollUpToReported: ({ event }: GuardArgs): boolean => field(event, 'state') === 'REPORTED',
  rollUpToVerified: ({ event }: GuardArgs): boolean => field(event, 'state') === 'VERIFIED',
  rollUpToOverdue: ({ event }: GuardArgs): boolean => field(event, 'state') === 'OVERDUE',
  // WITHDRAW / AMEND (version 4)
  hasReason: ({ event }: GuardArgs): boolean => nonEmpty(field(event, 'reason')),
  amendmentValid: ({ context, event }: GuardArgs): boolean =>
    event.type === 'AMEND' && amendedSchedule(context, event as TaskEventOf<'AMEND'>) !== null,
  // the amended due time lies ahead of the event: an overdue task is back in progress
  amendedDueInFuture: ({ context, event }: GuardArgs): boolean => {
    if (event.type !== 'AMEND') return false;
    const schedule = amendedSchedule(context, event as TaskEventOf<'AMEND'>);
    // no date any more: nothing can be overdue
    return schedule !== null && schedule !== undefined && (schedule.dueAt === null || isAfter(schedule.dueAt, event.at));
  },
};

export type TaskGuardName = keyof typeof taskGuards;
