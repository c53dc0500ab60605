import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { TaskStateEnum } from '../graphql/enums';

@ObjectType()
export class ReplayResult {
  @Field(() => TaskStateEnum) state: string;
  @Field(() => Int) eventsApplied: number;
  @Field({ description: 'The stored state and snapshot equal the replay of the stored events' }) consistent: boolean;
  @Field() chainValid: boolean;
}

@ObjectType()
export class AuditVerification {
  @Field() ok: boolean;
  @Field(() => Int) tasksChecked: number;
  @Field(() => Int) eventsChecked: number;
  @Field(() => [ID]) brokenTaskIds: string[];
}
