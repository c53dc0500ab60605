import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';

// The columns shared by both scorecards.
@ObjectType({ isAbstract: true })
export abstract class ScoreColumns {
  @Field(() => Int, { description: 'Verified, neither reported nor verified after its due time (hoàn thành đúng hạn)' })
  verifiedOnTime: number;
  @Field(() => Int, { description: 'Verified, reported or verified after its due time (hoàn thành quá hạn)' })
  verifiedLate: number;
  @Field(() => Int, {
    description: 'Not verified and within its due time, or its report came in time and waits for a verdict (chưa hoàn thành, trong hạn)',
  })
  pendingWithinDeadline: number;
  @Field(() => Int, {
    description: 'Not verified and past its due time, or its report came late and waits for a verdict (chưa hoàn thành, quá hạn)',
  })
  overdue: number;
  @Field(() => Int, { description: 'Reporting periods whose due time passed without a report standing (a rejected one does not count)' })
  reportsMissing: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Mean started days past the due time of the verified-late and overdue tasks; null when there are none',
  })
  averageDaysLate: number | null;
  @Field(() => Int, {
    description: 'Withdrawn by an amended plan (đã rút khỏi kế hoạch) by asOf: counted apart, in none of the four categories',
  })
  withdrawn: number;
}

@ObjectType({
  description: "Leaf tasks an agency leads (chủ trì) as they stood at asOf: the four categories of the Government Office's task tracking",
})
export class AgencyScore extends ScoreColumns {
  @Field(() => Agency) agency: Agency;
  @Field(() => Int, { description: 'Leaf tasks it leads: the sum of the four categories' }) led: number;
  agencyId: string;
}

@ObjectType({
  description: "A section's leaf tasks (nhóm nhiệm vụ) as they stood at asOf; ordinal and title null for tasks under no section",
})
export class SectionScore extends ScoreColumns {
  @Field(() => String, { nullable: true, description: 'e.g. "I"' }) ordinal: string | null;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => Int, { description: 'Leaf tasks of the section: the sum of the four categories' }) total: number;
}
