import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import type { TaskEntity } from '../repositories/task.repository';
import { Task } from '../tasks/task.model';
import { UpcomingDeadlinesService } from './upcoming-deadlines.service';

@Resolver()
export class UpcomingDeadlinesResolver {
  constructor(@Inject(UpcomingDeadlinesService) private readonly deadlines: UpcomingDeadlinesService) {}

  @Query(() => [Task], {
    description:
      'Leaf tasks the agency leads or coordinates, not yet reported or verified, due from now to the end of the Vietnam day withinDays (1..366) ahead; by due time',
  })
  upcomingDeadlines(
    @CurrentActor() actor: Actor,
    @Args('agencyId', { type: () => ID }) agencyId: string,
    @Args('withinDays', { type: () => Int }) withinDays: number,
  ): Promise<TaskEntity[]> {
    return this.deadlines.upcoming(actor, agencyId, withinDays);
  }

  @Query(() => [Task], { description: 'OVERDUE tasks the agency leads or coordinates, by due time' })
  overdueTasks(@CurrentActor() actor: Actor, @Args('agencyId', { type: () => ID }) agencyId: string): Promise<TaskEntity[]> {
    return this.deadlines.overdue(actor, agencyId);
  }
}
