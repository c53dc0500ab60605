import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar } from '../graphql/date.scalar';
import { NOTIFICATION_KINDS } from '../repositories/notification.repository';

export const NotificationKindEnum = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, kind])) as Record<
  (typeof NOTIFICATION_KINDS)[number],
  string
>;
registerEnumType(NotificationKindEnum, {
  name: 'NotificationKind',
  description: 'DAILY_DIGEST: the tasks an agency leads that are overdue or due within 7 days',
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
