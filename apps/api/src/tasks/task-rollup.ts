import type { TaskState } from '@app/lifecycle';

// A task split per lead agency shows the roll-up of its children's states: VERIFIED when all are,
// OVERDUE when any is, REPORTED when all reported or verified, IN_PROGRESS once any has started.
// A WITHDRAWN child is no longer part of the plan and is left out; when every child is withdrawn
// there is nothing to roll up (null).
export function rollUpState(children: readonly TaskState[]): TaskState | null {
  const held = children.filter((state) => state !== 'WITHDRAWN');
  if (held.length === 0) return null;
  if (held.every((state) => state === 'VERIFIED')) return 'VERIFIED';
  if (held.some((state) => state === 'OVERDUE')) return 'OVERDUE';
  if (held.every((state) => state === 'REPORTED' || state === 'VERIFIED')) return 'REPORTED';
  if (held.some((state) => state !== 'ASSIGNED')) return 'IN_PROGRESS';
  return 'ASSIGNED';
}
