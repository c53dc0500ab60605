import { Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { TaskEventTypeEnum } from '../graphql/enums';

@InputType()
export class ReportInput {
  @Field() summary: string;
  @Field(() => String, { nullable: true }) value?: string | null;
}

@InputType()
export class TransitionInput {
  @Field(() => ID) taskId: string;
  @Field(() => TaskEventTypeEnum) event: string;
  @Field(() => Int, { nullable: true, description: 'The version you saw; a stale one answers CONFLICT' }) expectedVersion?: number | null;
  @Field(() => String, { nullable: true, description: 'Required for REJECT and DENY_EXTENSION; the reason of REQUEST_EXTENSION' })
  comment?: string | null;
  @Field(() => ReportInput, { nullable: true, description: 'Required for SUBMIT_REPORT; the input of CONTRIBUTE' })
  report?: ReportInput | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'APPROVE_EXTENSION: the new due time; REQUEST_EXTENSION: the proposed one',
  })
  newDueAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'Retrying with the same key returns the first result and appends nothing' })
  idempotencyKey?: string | null;
}
