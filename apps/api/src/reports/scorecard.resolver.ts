import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import { AgencyScore, SectionScore } from './scorecard.model';
import { ScorecardService } from './scorecard.service';

@Resolver(() => AgencyScore)
export class ScorecardResolver {
  constructor(@Inject(ScorecardService) private readonly scorecards: ScorecardService) {}

  @Query(() => [AgencyScore], {
    description:
      "Per lead agency, in the plan's order: its leaf tasks in the four tracking categories as of asOf (default now), from the events",
  })
  async agencyScorecard(
    @CurrentActor() actor: Actor,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf?: Date,
  ) {
    const rows = await this.scorecards.agencyScorecard(actor, planId, asOf ?? null);
    return rows.map(({ total, ...row }) => ({ ...row, led: total }));
  }

  @Query(() => [SectionScore], {
    description: "The same per section of the plan's appendix, in plan order (tasks under no section last)",
  })
  sectionScorecard(
    @CurrentActor() actor: Actor,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf?: Date,
  ) {
    return this.scorecards.sectionScorecard(actor, planId, asOf ?? null);
  }

  @ResolveField(() => Agency)
  agency(@Parent() row: AgencyScore, @RequestLoaders() loaders: Loaders) {
    return loaders.agency.load(row.agencyId);
  }
}
