import type { TaskEvent } from '@app/lifecycle';
import type { TaskEventEntity } from '../repositories/task-event.repository';

// A task_events row back into the machine event it recorded (payload = the event minus type and at).
export function toStoredMachineEvent(event: TaskEventEntity): TaskEvent {
  return { ...event.payload, type: event.type, at: event.at.toISOString() } as TaskEvent;
}
