import { Inject } from '@nestjs/common';
import { Args, Field, ID, InputType, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { Plan } from './plan.model';
import { PlanSettingsService } from './plan-settings.service';

@InputType()
export class ReportingDeadlineInput {
  @Field({ description: 'H1, H2, YEAR, Q1..Q4, M01..M12' }) period: string;
  @Field({ description: 'MM-DD, a day that exists every year; before the period starts (M12 on 01-05): the next year' })
  dueMonthDay: string;
}

@InputType()
export class PeriodCutoffInput {
  @Field({ description: 'H1, YEAR, Q1..Q4' }) period: string;
  @Field({ description: 'MM-DD: the last Vietnam day whose data the period covers (Decree 09/2019: H1 06-14, YEAR 12-14)' })
  cutoffMonthDay: string;
}

@InputType()
export class PlanSettingsInput {
  @Field(() => ID) planId: string;
  @Field(() => Boolean, { nullable: true, description: 'SUBMIT_REPORT waits for every coordinating agency (a LEADER may waive)' })
  coordinatorInputRequired?: boolean | null;
  @Field(() => [ReportingDeadlineInput], {
    nullable: true,
    description: 'Agencies → monitoring agency; each period at most once (at most 19)',
  })
  reportingDeadlines?: ReportingDeadlineInput[] | null;
  @Field(() => [ReportingDeadlineInput], {
    nullable: true,
    description: "Monitoring agency → People's Committee / ministry; each period at most once (at most 19)",
  })
  consolidationDeadlines?: ReportingDeadlineInput[] | null;
  @Field(() => [PeriodCutoffInput], {
    nullable: true,
    description: "The plan's own data cut-offs; a period not named keeps Decree 09/2019/NĐ-CP's; [] goes back to the Decree's",
  })
  periodCutoffs?: PeriodCutoffInput[] | null;
}

@Resolver(() => Plan)
export class PlanSettingsResolver {
  constructor(@Inject(PlanSettingsService) private readonly settings: PlanSettingsService) {}

  @Mutation(() => Plan, { description: "ADMIN: edit a plan's reporting deadlines and whether coordinating input is required" })
  updatePlanSettings(@CurrentActor() actor: Actor, @Args('input') input: PlanSettingsInput) {
    return this.settings.update(actor, input);
  }
}
