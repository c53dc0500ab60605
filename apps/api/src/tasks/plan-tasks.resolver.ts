import { Inject } from '@nestjs/common';
import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { TaskState } from '@app/lifecycle';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import { TaskStateEnum } from '../graphql/enums';
import { Plan } from '../plans/plan.model';
import type { PlanEntity } from '../repositories/plan.repository';
import { TaskQueryService } from './task-query.service';
import { TaskConnection } from './task.model';
import { toConnection } from './tasks.resolver';

// Plan.tasks lives with the tasks: plans know nothing of tasks.
@Resolver(() => Plan)
export class PlanTasksResolver {
  constructor(@Inject(TaskQueryService) private readonly taskQueries: TaskQueryService) {}

  @ResolveField(() => TaskConnection)
  async tasks(
    @Parent() plan: PlanEntity,
    @CurrentActor() actor: Actor,
    @RequestLoaders() loaders: Loaders,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('state', { type: () => TaskStateEnum, nullable: true }) state?: TaskState,
  ): Promise<TaskConnection> {
    return toConnection(await this.taskQueries.pageOfPlan(actor, plan, { first, after, state }), loaders);
  }
}
