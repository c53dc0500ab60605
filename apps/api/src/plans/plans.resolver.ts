import { Inject } from '@nestjs/common';
import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { TaskState } from '@app/lifecycle';
import { Agency, Province } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../auth/current-actor.decorator';
import { TaskStateEnum } from '../graphql/enums';
import type { Loaders } from '../graphql/request-context';
import { TaskQueryService } from '../tasks/task-query.service';
import { TaskConnection } from '../tasks/task.model';
import { toConnection } from '../tasks/tasks.resolver';
import type { PlanEntity } from '../database/entities/plan.entity';
import { Plan, PlanProgress } from './plan.model';
import { PlansService } from './plans.service';

@Resolver(() => Plan)
export class PlansResolver {
  constructor(
    @Inject(PlansService) private readonly planService: PlansService,
    @Inject(TaskQueryService) private readonly taskQueries: TaskQueryService,
  ) {}

  @Query(() => [Plan], { description: "Plans of a province (default: the viewer's)" })
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

  @ResolveField(() => TaskConnection)
  async tasks(
    @Parent() plan: PlanEntity,
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('state', { type: () => TaskStateEnum, nullable: true }) state?: TaskState,
  ): Promise<TaskConnection> {
    return toConnection(await this.taskQueries.page(actor, { planId: plan.id, first, after, state }));
  }

  @ResolveField(() => PlanProgress)
  progress(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.progress.load(plan.id);
  }
}
