import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import { Task } from '../tasks/task.model';
import type { DigestItem, NotificationEntity } from '../repositories/notification.repository';
import { encodeNotificationCursor, NotificationsService } from './notifications.service';
import { Notification, NotificationConnection, NotificationItem } from './reminders.model';

@Resolver(() => Notification)
export class NotificationsResolver {
  constructor(@Inject(NotificationsService) private readonly service: NotificationsService) {}

  @Query(() => NotificationConnection, {
    description:
      'Newest first, a page at a time. ADMIN and AUDITOR read any agency (all when agencyId is left out); staff read their own agency. ' +
      'first: 1..100, default 20; after: a cursor from a previous page',
  })
  async notifications(
    @CurrentActor() actor: Actor,
    @Args('agencyId', { type: () => ID, nullable: true }) agencyId?: string,
    @Args('undeliveredOnly', { type: () => Boolean, nullable: true }) undeliveredOnly?: boolean,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<NotificationConnection> {
    const page = await this.service.page(actor, { agencyId, undeliveredOnly, first, after });
    const edges = page.notifications.map((node) => ({ cursor: encodeNotificationCursor(node), node }));
    return {
      edges,
      nodes: page.notifications,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
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

  @ResolveField(() => [NotificationItem], { description: 'Tasks the agency leads, due within 7 days' })
  dueSoon(@Parent() notification: NotificationEntity): NotificationItem[] {
    return (notification.payload.dueSoon ?? []).map(toItem);
  }

  @ResolveField(() => [NotificationItem], { description: 'Overdue tasks the agency leads' })
  overdue(@Parent() notification: NotificationEntity): NotificationItem[] {
    return (notification.payload.overdue ?? []).map(toItem);
  }

  @ResolveField(() => [NotificationItem], { description: 'Tasks the agency coordinates (and does not lead), due within 7 days' })
  coordinatingDueSoon(@Parent() notification: NotificationEntity): NotificationItem[] {
    return (notification.payload.coordinatingDueSoon ?? []).map(toItem);
  }

  @ResolveField(() => [NotificationItem], { description: 'Overdue tasks the agency coordinates (and does not lead)' })
  coordinatingOverdue(@Parent() notification: NotificationEntity): NotificationItem[] {
    return (notification.payload.coordinatingOverdue ?? []).map(toItem);
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
