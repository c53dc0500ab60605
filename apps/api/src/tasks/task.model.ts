import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { TaskEventTypeEnum, TaskStateEnum } from '../graphql/enums';
import { TaskFieldChange } from '../graphql/task-field-change.model';

@ObjectType({ description: 'A task of a plan: one row of its appendix, run through the lifecycle' })
export class Task {
  @Field(() => ID) id: string;
  @Field({ description: 'As written in the plan, e.g. "3" of section II' }) ordinal: string;
  @Field() title: string;
  @Field({ description: 'As written in the plan, e.g. "Thường xuyên", "Năm 2023"' }) timeframe: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) dueAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) originalDueAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Mục tiêu phấn đấu' }) target: string | null;
  @Field(() => String, { nullable: true, description: 'Ghi chú' }) note: string | null;
  @Field(() => TaskStateEnum) state: string;
  @Field(() => Int) version: number;
  @Field() late: boolean;
  provinceCode: string;
  planId: string;
  sectionId: string | null;
  parentId: string | null;
  leadAgencyId: string;
  sortKey: string;
}

@ObjectType({
  description: "One row of the append-only audit trail (a WITHDRAW's reason is its comment, an AMEND's changes its changes)",
})
export class TaskEvent {
  @Field(() => Int) seq: number;
  @Field(() => TaskEventTypeEnum) type: string;
  @Field(() => TaskStateEnum, { nullable: true }) fromState: string | null;
  @Field(() => TaskStateEnum) toState: string;
  @Field(() => String, { nullable: true }) actor: string | null;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field(() => String, { nullable: true }) comment: string | null;
  @Field(() => String, { nullable: true, description: 'The report summary of SUBMIT_REPORT, the text of CONTRIBUTE' })
  reportSummary: string | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "The new or proposed due time of an extension event; an AMEND's amended due time",
  })
  dueAt: Date | null;
  @Field(() => [TaskFieldChange], {
    nullable: true,
    description: 'AMEND and WITHDRAW: the fields the amended plan changed (before → after); null when the event records none',
  })
  changes: TaskFieldChange[] | null;
  @Field() prevHash: string;
  @Field() hash: string;
  actorAgencyId: string | null;
}

@ObjectType()
export class TaskEdge {
  @Field() cursor: string;
  @Field(() => Task) node: Task;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType()
export class TaskConnection {
  @Field(() => [TaskEdge]) edges: TaskEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int) totalCount: number;
}
