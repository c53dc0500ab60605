import { authorize, type TaskRelations } from '@app/approval-rules';
import { acceptedEventTypes, type TaskEventType } from '@app/lifecycle';
import { toRuleActor, type Actor } from '../auth/actor';
import type { TaskEntity } from '../database/entities/task.entity';

// The events this viewer may fire now: what the machine takes, joined with what the rules allow.
export function availableEvents(actor: Actor, task: TaskEntity, relations: TaskRelations, now: Date): TaskEventType[] {
  const ruleActor = toRuleActor(actor, task.provinceCode);
  return acceptedEventTypes(task.snapshot, now.toISOString()).filter((type) => authorize(ruleActor, relations, type).allowed);
}
