import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '../graphql/date.scalar';
import { TaskStateEnum } from '../graphql/enums';

@ObjectType()
export class ReportingDeadline {
  @Field({ description: 'H1, H2, YEAR, Q1..Q4 or M01..M12 (a monthly report)' }) period: string;
  @Field({
    description:
      'MM-DD, e.g. "05-30": in the period\'s year, or in the next year when the month comes before the period starts ' +
      '(a report due the month after: M12 on "01-05" is due 5 January of the next year)',
  })
  dueMonthDay: string;
}

@ObjectType()
export class PeriodCutoff {
  @Field({ description: 'H1, YEAR, Q1..Q4' }) period: string;
  @Field({ description: 'MM-DD: the last Vietnam day whose data the period covers' }) cutoffMonthDay: string;
}

@ObjectType()
export class StateCount {
  @Field(() => TaskStateEnum) state: string;
  @Field(() => Int) count: number;
}

@ObjectType()
export class PlanProgress {
  @Field(() => Int) total: number;
  @Field(() => [StateCount]) byState: StateCount[];
  @Field(() => Int) overdue: number;
  @Field(() => Int) verifiedOnTime: number;
  @Field(() => Int) verifiedLate: number;
}

@ObjectType({ description: 'One imported version of a plan: 1 = the first import, then each amendment (sửa đổi, bổ sung)' })
export class PlanVersion {
  @Field(() => Int) version: number;
  @Field() number: string;
  @Field() title: string;
  @Field(() => DateScalar, { nullable: true }) issuedOn: string | null;
  @Field({ description: 'When it was imported' }) importedAt: Date;
  @Field(() => Int, { nullable: true, description: 'Tasks added by this version (null for the first import)' }) added: number | null;
  @Field(() => Int, { nullable: true, description: 'Tasks it removed, withdrawn (null for the first import)' }) removed: number | null;
  @Field(() => Int, { nullable: true, description: 'Tasks it changed (null for the first import)' }) changed: number | null;
}

@ObjectType({ description: 'A provincial plan (Kế hoạch) implementing a Government resolution' })
export class Plan {
  @Field(() => ID) id: string;
  @Field() number: string;
  @Field() title: string;
  @Field(() => DateScalar, { nullable: true }) issuedOn: string | null;
  @Field(() => Int, { nullable: true }) year: number | null;
  @Field(() => String, { nullable: true, description: 'The resolution it implements, e.g. 02/NQ-CP' }) resolution: string | null;
  @Field(() => [ReportingDeadline], { description: 'When agencies report to the monitoring agency' })
  reportingDeadlines: ReportingDeadline[];
  @Field(() => [ReportingDeadline], { description: "When the monitoring agency reports to the People's Committee or ministry" })
  consolidationDeadlines: ReportingDeadline[];
  @Field(() => [PeriodCutoff], { description: "The plan's own data cut-offs; a period not named takes Decree 09/2019/NĐ-CP's" })
  periodCutoffs: PeriodCutoff[];
  @Field({ description: 'SUBMIT_REPORT waits for every coordinating agency of the task (a LEADER may waive it)' })
  coordinatorInputRequired: boolean;
  provinceCode: string;
  monitoringAgencyId: string | null;
}
