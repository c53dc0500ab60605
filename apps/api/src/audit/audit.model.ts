import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TaskStateEnum } from '../graphql/enums';
import { AUDIT_PROBLEMS } from './task-audit';

export const AuditProblemEnum = Object.fromEntries(AUDIT_PROBLEMS.map((p) => [p, p])) as Record<string, string>;

registerEnumType(AuditProblemEnum, {
  name: 'AuditProblem',
  description: "What is wrong with a task's audit trail, the first found in this order",
  valuesMap: {
    SEQ_GAP: { description: 'Its events are not numbered 1, 2, … without a gap (a row was deleted)' },
    CHAIN_BROKEN: { description: 'A row does not hash to its stored hash, or does not link to the row before it' },
    UNKNOWN_MACHINE_VERSION: {
      description: 'An event names a machine version this service does not know, or one older than an event before it',
    },
    REPLAY_REFUSED: { description: 'The machine of its version does not take an event with the states its row records' },
    ROW_DISAGREES: { description: 'The stored task row (state, version, snapshot, …) is not what the replay of its events gives' },
  },
});

@ObjectType()
export class ReplayResult {
  @Field(() => TaskStateEnum) state: string;
  @Field(() => Int) eventsApplied: number;
  @Field({ description: 'The events up to asOf replay with their recorded states; without asOf, the stored row equals the replay' })
  consistent: boolean;
  @Field({ description: 'The hash chain of all the events holds' }) chainValid: boolean;
}

@ObjectType()
export class AuditFinding {
  @Field(() => ID) taskId: string;
  @Field({ description: 'The task ordinal as written in the plan' }) ordinal: string;
  @Field(() => AuditProblemEnum) problem: string;
  @Field(() => Int, { nullable: true, description: 'The first event concerned; null when it is the task row' }) seq: number | null;
  @Field({ description: 'What is wrong, for a person' }) detail: string;
}

@ObjectType({ description: 'A closed period whose seal does not hold' })
export class PeriodFinding {
  @Field({ description: 'e.g. "2023-H1"' }) period: string;
  @Field(() => Int, { description: "Its place in the chain of the plan's closes" }) seq: number;
  @Field({
    description:
      'CHAIN_BROKEN: the sealed row was edited or the chain relinked; FIGURES_DIFFER: the events as of the cut-off give other figures',
  })
  problem: string;
  @Field({ description: 'What is wrong, for a person' }) detail: string;
}

@ObjectType()
export class AuditVerification {
  @Field() ok: boolean;
  @Field(() => Int) tasksChecked: number;
  @Field(() => Int) eventsChecked: number;
  @Field(() => Int, { description: 'Every broken task; the lists below name the first 1,000 in task id order' })
  brokenTaskCount: number;
  @Field(() => [ID]) brokenTaskIds: string[];
  @Field(() => [AuditFinding]) brokenTasks: AuditFinding[];
  @Field(() => Int, { description: 'Closed periods of the plan whose seal was checked' }) periodsChecked: number;
  @Field(() => [PeriodFinding]) brokenPeriods: PeriodFinding[];
}

@ObjectType()
export class TimelineEntry {
  @Field(() => TaskStateEnum) state: string;
  @Field(() => GraphQLISODateTime, { description: 'The time of the event that entered the state (the first: the task creation)' })
  enteredAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'null: the state the task is in' }) leftAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Who fired the event that entered the state' }) by: string | null;
}
