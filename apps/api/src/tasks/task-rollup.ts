import type { TaskState } from '@app/lifecycle';

// A task split per lead agency shows the roll-up of its children's states: VERIFIED when all are,
// OVERDUE when any is, REPORTED when all reported or verified, IN_PROGRESS once any has started.
// A withdrawn child (an amended plan removed its lead) no longer counts; with every child withdrawn
// there is no roll-up (null), and the parent shows its own state.
export function rollUpState(states: readonly TaskState[]): TaskState | null {
  const children = states.filter((state) => state !== 'WITHDRAWN');
  if (children.length === 0) return null;
  if (children.every((state) => state === 'VERIFIED')) return 'VERIFIED';
  if (children.some((state) => state === 'OVERDUE')) return 'OVERDUE';
  if (children.every((state) => state === 'REPORTED' || state === 'VERIFIED')) return 'REPORTED';
  if (children.some((state) => state !== 'ASSIGNED')) return 'IN_PROGRESS';
  return 'ASSIGNED';
}
