import { Inject, Logger } from '@nestjs/common';
import { Args, Context, ID, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { badInput } from '../common/domain-error';
import { CurrentActor } from '../graphql/current-actor.decorator';
import type { TaskEntity } from '../repositories/task.repository';
import { Task } from '../tasks/task.model';
import type { LiveContext } from './live-subscriptions';
import { LiveUpdatesService, type LiveTask, type TaskChange } from './live-updates.service';

const logger = new Logger('LiveUpdates');

@Resolver(() => Task)
export class TaskChangedResolver {
  constructor(@Inject(LiveUpdatesService) private readonly live: LiveUpdatesService) {}

  @Subscription(() => Task, {
    description:
      'Each committed transition of a task the viewer may see (of one plan, or all of the scope), as a query would show it now; graphql-ws only',
    resolve: (task: TaskEntity) => task,
  })
  taskChanged(
    @CurrentActor() actor: Actor,
    @Context() context: LiveContext,
    @Args('planId', { type: () => ID, nullable: true }) planId?: string,
  ): Promise<AsyncIterableIterator<TaskEntity>> {
    if (!context.live) throw badInput('Subscriptions are served over the graphql-ws protocol (a websocket on /graphql)');
    const loaders = context.loaders;
    return this.live.taskChanges(actor, planId, {
      connection: context.live,
      subscribe: (topic) => context.pubsub.subscribe(topic) as Promise<AsyncIterable<TaskChange>>,
      // the connection's loaders, emptied per notification: every Task field reads the task as it is now
      read: (taskId) => {
        loaders.clearAll();
        return loaders.task.load(taskId);
      },
      log: logger,
    });
  }

  // Optional, so `taskChanged: Task!` keeps its type (CONTRACT.md): set on live deliveries only.
  @ResolveField('resync', () => Boolean, {
    nullable: true,
    description:
      'taskChanged only: true when this delivery stands for more changes of its plan than were listed after the server reconnected to the database; re-read the plan. Null otherwise and in queries',
  })
  resync(@Parent() task: LiveTask): boolean | null {
    return task.resync === true ? true : null;
  }
}
