import { Inject } from '@nestjs/common';
import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Agency, Province } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import type { PlanEntity } from '../repositories/plan.repository';
import { Plan, PlanProgress } from './plan.model';
import { PlansService } from './plans.service';

@Resolver(() => Plan)
export class PlansResolver {
  constructor(@Inject(PlansService) private readonly planService: PlansService) {}

  @Query(() => [Plan], { description: 'Plans of a province (default: every province the viewer sees); another province is FORBIDDEN' })
  plans(@CurrentActor() actor: Actor, @Args('provinceCode', { nullable: true }) provinceCode?: string): Promise<PlanEntity[]> {
    return this.planService.list(actor, provinceCode);
  }

  @Query(() => Plan, { nullable: true })
  plan(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<PlanEntity | null> {
    return this.planService.findById(actor, id);
  }

  @ResolveField(() => Province)
  province(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.province.load(plan.provinceCode);
  }

  @ResolveField(() => Agency, { nullable: true, description: 'Who consolidates the reports (đầu mối theo dõi)' })
  monitoringAgency(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders) {
    return plan.monitoringAgencyId ? loaders.agency.load(plan.monitoringAgencyId) : null;
  }

  @ResolveField(() => PlanProgress)
  progress(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.progress.load(plan.id);
  }
}
