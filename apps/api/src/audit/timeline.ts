import { replayRecordedTask, type TaskState } from '@app/lifecycle';
import type { TaskEventEntity } from '../repositories/task-event.repository';
import type { TaskEntity } from '../repositories/task.repository';
import { recordedEvent } from './task-audit';

export interface TimelineEntry {
  state: TaskState;
  enteredAt: Date;
  leftAt: Date | null;
  // who fired the event that entered the state (null: the task's creation, or the system)
  by: string | null;
}

// Every state the task was in, from the machine's replay of its events: the first entered when the
// task was created, each next one when an event changed the state (events that leave it unchanged,
// such as CONTRIBUTE, add no entry). A trail that does not replay ends at the last event the machine
// takes (replayTask and verifyAuditTrail say why).
export function taskTimeline(task: Pick<TaskEntity, 'input' | 'createdAt'>, events: readonly TaskEventEntity[]): TimelineEntry[] {
  const initial = replayRecordedTask(task.input, []).snapshot.state;
  const entries: TimelineEntry[] = [{ state: initial, enteredAt: task.createdAt, leftAt: null, by: null }];
  replayRecordedTask(task.input, events.map(recordedEvent), (index, state) => {
    const current = entries[entries.length - 1];
    if (state === current.state) return;
    const event = events[index];
    current.leftAt = event.at;
    entries.push({ state, enteredAt: event.at, leftAt: null, by: event.actor });
  });
  return entries;
}

// The events recorded up to `asOf`, in seq order: the chain's order is the history, so an event
// after the first one past asOf does not count even if its own time is earlier (a backdated sweep).
export function eventsUpTo<E extends { at: Date }>(events: readonly E[], asOf: Date): E[] {
  const end = events.findIndex((event) => event.at.getTime() > asOf.getTime());
  return end < 0 ? [...events] : events.slice(0, end);
}
