import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import { Task } from '../tasks/task.model';
import type { DigestItem, NotificationEntity } from '../repositories/notification.repository';
import { NotificationsService } from './notifications.service';
import { Notification, NotificationItem } from './reminders.model';

@Resolver(() => Notification)
export class NotificationsResolver {
  constructor(@Inject(NotificationsService) private readonly service: NotificationsService) {}

  @Query(() => [Notification], {
    description:
      'Newest first. ADMIN and AUDITOR read any agency (all when agencyId is left out); staff read their own agency. first: 1..100, default 20',
  })
  notifications(
    @CurrentActor() actor: Actor,
    @Args('agencyId', { type: () => ID, nullable: true }) agencyId?: string,
    @Args('undeliveredOnly', { type: () => Boolean, nullable: true }) undeliveredOnly?: boolean,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<NotificationEntity[]> {
    return this.service.list(actor, { agencyId, undeliveredOnly, first });
  }

  @Mutation(() => Int, {
    description:
      "ADMIN: write today's (or asOf's) daily digests now; returns how many were written. A province's ADMIN runs that province.",
  })
  runDailyDigest(
    @CurrentActor() actor: Actor,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf?: Date,
  ): Promise<number> {
    return this.service.runDigest(actor, asOf ?? null);
  }

  @Mutation(() => Notification, { description: 'ADMIN (the gateway): mark a notification sent; a second call keeps the first time' })
  markNotificationDelivered(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<NotificationEntity> {
    return this.service.markDelivered(actor, id);
  }

  @ResolveField(() => Agency)
  agency(@Parent() notification: NotificationEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.agency.load(notification.agencyId);
  }

  @ResolveField(() => [NotificationItem], { description: 'Tasks due within 7 days' })
  dueSoon(@Parent() notification: NotificationEntity): NotificationItem[] {
    return (notification.payload.dueSoon ?? []).map(toItem);
  }

  @ResolveField(() => [NotificationItem], { description: 'Overdue tasks' })
  overdue(@Parent() notification: NotificationEntity): NotificationItem[] {
    return (notification.payload.overdue ?? []).map(toItem);
  }
}

@Resolver(() => NotificationItem)
export class NotificationItemResolver {
  @ResolveField(() => Task, { nullable: true })
  task(@Parent() item: NotificationItem, @RequestLoaders() loaders: Loaders) {
    return loaders.task.load(item.taskId);
  }
}

function toItem(item: DigestItem): NotificationItem {
  return { taskId: item.taskId, ordinal: item.ordinal, title: item.title, dueAt: item.dueAt ? new Date(item.dueAt) : null };
}
