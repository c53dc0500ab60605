import { Field, ObjectType } from '@nestjs/graphql';
import { MAX_AMENDMENT_CHANGES, type TaskFieldChange as RecordedChange } from '@app/lifecycle';

@ObjectType({
  description:
    'One field of a task an amended plan changed (AMEND, WITHDRAW): as the plan wrote it before and after, ' +
    'e.g. dueAt 2022-12-31 → 2023-06-30, or a title or target; agency lists joined by "; "',
})
export class TaskFieldChange {
  @Field({ description: 'e.g. "dueAt", "title", "target", "leadAgency"' }) field: string;
  @Field(() => String, { nullable: true, description: 'null: the field was empty' }) from: string | null;
  @Field(() => String, { nullable: true, description: 'null: the field is empty now' }) to: string | null;
}

// The changes an event's payload records, as the API shows them: null when it records none; at
// most MAX_AMENDMENT_CHANGES, each text cut to TEXT_MAX characters (a payload is the system's, but
// a list or string the API returns is bounded all the same).
const TEXT_MAX = 4000;

export function recordedChanges(payload: Record<string, unknown>): TaskFieldChange[] | null {
  const changes = payload.changes;
  if (!Array.isArray(changes)) return null;
  return changes.slice(0, MAX_AMENDMENT_CHANGES).flatMap((change: Partial<RecordedChange> | null) => {
    if (!change || typeof change.field !== 'string') return [];
    return [{ field: bounded(change.field)!, from: bounded(change.from), to: bounded(change.to) }];
  });
}

function bounded(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= TEXT_MAX ? text : `${text.slice(0, TEXT_MAX - 1)}…`;
}
