import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: "A closed reporting period: the plan's figures sealed as of its data cut-off" })
export class PeriodClose {
  @Field(() => ID) planId: string;
  @Field({ description: '"2023" (the year), "2023-H1" (half year), "2023-Q2" (quarter)' }) period: string;
  @Field(() => GraphQLISODateTime, { description: "The data cut-off: the plan's own, else Decree 09/2019/NĐ-CP's" }) cutoff: Date;
  @Field(() => GraphQLISODateTime) closedAt: Date;
  @Field({ description: "SHA-256 hex over the previous close's hash (or the plan's genesis value) and the sealed figures' canonical JSON" })
  hash: string;
  @Field(() => Int, { description: "Its place in the chain of the plan's closes (1, 2, …)" }) seq: number;
  @Field(() => String, { nullable: true, description: 'Who closed it (sub)' }) closedBy: string | null;
  @Field({ description: 'The hash it chains from' }) prevHash: string;
}
