import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { PeriodClose } from './period-close.model';
import { PeriodCloseService } from './period-close.service';

@Resolver()
export class PeriodCloseResolver {
  constructor(@Inject(PeriodCloseService) private readonly periods: PeriodCloseService) {}

  @Mutation(() => PeriodClose, {
    description:
      "Seal a period's figures as of its data cut-off (SUPERVISOR of the plan's monitoring agency, or LEADER); later events show as amendments",
  })
  closePeriod(
    @CurrentActor() actor: Actor,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('period', { description: '"2023", "2023-H1" or "2023-Q2"' }) period: string,
  ) {
    return this.periods.close(actor, planId, period);
  }

  @Query(() => [PeriodClose], { description: 'The closed periods of a plan, in the order they were closed' })
  periodCloses(@CurrentActor() actor: Actor, @Args('planId', { type: () => ID }) planId: string) {
    return this.periods.list(actor, planId);
  }
}
