import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar } from '../graphql/date.scalar';
import { NOTIFICATION_KINDS, type NotificationEntity } from '../repositories/notification.repository';
import { PageInfo } from '../tasks/task.model';

export const NotificationKindEnum = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, kind])) as Record<
  (typeof NOTIFICATION_KINDS)[number],
  string
>;
registerEnumType(NotificationKindEnum, {
  name: 'NotificationKind',
  description: 'DAILY_DIGEST: the tasks an agency leads or coordinates that are overdue or due within 7 days',
});

@ObjectType({ description: 'A task in a notification, as it stood when the notification was written' })
export class NotificationItem {
  @Field(() => ID) taskId: string;
  @Field() ordinal: string;
  @Field() title: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) dueAt: Date | null;
}

@ObjectType({ description: 'A message for an agency, for a mail/SMS/Zalo gateway to send and mark delivered' })
export class Notification {
  @Field(() => ID) id: string;
  @Field(() => NotificationKindEnum) kind: string;
  @Field(() => DateScalar, { description: 'The Vietnam calendar date the digest is for' }) digestDate: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set by the gateway once sent' }) deliveredAt: Date | null;
  agencyId: string;
}

@ObjectType()
export class NotificationEdge {
  @Field() cursor: string;
  @Field(() => Notification) node: NotificationEntity;
}

@ObjectType({ description: 'A page of notifications, newest first' })
export class NotificationConnection {
  @Field(() => [NotificationEdge]) edges: NotificationEdge[];
  @Field(() => [Notification], { description: 'The nodes of edges, for clients that need no cursor per item' })
  nodes: NotificationEntity[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int, { description: 'Every notification the arguments match, whatever the page' }) totalCount: number;
}
