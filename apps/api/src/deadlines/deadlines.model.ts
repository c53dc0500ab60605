import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export const PeriodStatusEnum = {
  PENDING: 'PENDING',
  MISSING: 'MISSING',
  SUBMITTED: 'SUBMITTED',
  VERIFIED: 'VERIFIED',
  WITHDRAWN: 'WITHDRAWN',
} as const;
registerEnumType(PeriodStatusEnum, {
  name: 'PeriodStatus',
  description:
    'PENDING: not due, no report; MISSING: due passed, no report; SUBMITTED: report in; VERIFIED: report verified; ' +
    'WITHDRAWN: no report, and the task was withdrawn by an amended plan (never missing)',
});

@ObjectType()
export class PeriodReport {
  @Field() summary: string;
  @Field(() => String, { nullable: true }) value?: string | null;
}

@ObjectType({ description: 'One reporting period of a task (a recurring task has one per reporting deadline)' })
export class TaskPeriod {
  @Field(() => Int) index: number;
  @Field({ description: 'e.g. "2022-H1", "2022-YEAR", "2021-Q3"' }) label: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) dueAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) reportedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) verifiedAt: Date | null;
  @Field() late: boolean;
  @Field(() => Int, { description: 'Reports of this period that were rejected' }) rejections: number;
  @Field(() => PeriodStatusEnum) status: string;
  @Field(() => PeriodReport, { nullable: true }) report: PeriodReport | null;
}

@ObjectType()
export class PendingExtension {
  @Field(() => GraphQLISODateTime) requestedAt: Date;
  @Field(() => GraphQLISODateTime) proposedDueAt: Date;
  @Field() reason: string;
}

@ObjectType({ description: "A coordinating agency's input (phối hợp) to a task" })
export class Contribution {
  @Field(() => GraphQLISODateTime) at: Date;
  @Field() text: string;
  @Field(() => String, { nullable: true }) value?: string | null;
  @Field(() => Int, { description: 'The index of the period it was given in' }) period: number;
  agencyId: string;
}

@ObjectType({ description: 'Reports of one lead agency for one reporting period of a plan' })
export class PlanReportRow {
  @Field() period: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) dueAt: Date | null;
  @Field(() => Int) expected: number;
  @Field(() => Int, { description: 'Reports in (a rejected report counts only once resubmitted)' }) submitted: number;
  @Field(() => Int) onTime: number;
  @Field(() => Int) late: number;
  @Field(() => Int) verified: number;
  @Field(() => Int, { description: 'Due time passed and no report' }) missing: number;
  @Field(() => Int, { description: 'Not due yet and no report' }) pending: number;
  @Field(() => Int, { description: 'Periods without a report of tasks an amended plan withdrew: not in expected' }) withdrawn: number;
  agencyId: string;
}
