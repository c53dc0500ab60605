import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { RoleEnum } from '../graphql/enums';

@ObjectType({ description: 'A refused attempt (FORBIDDEN): who tried what, and which rule said no' })
export class AccessDenial {
  @Field(() => ID) id: string;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field({ description: "The province the attempt aimed at, else the actor's own" }) provinceCode: string;
  @Field(() => String, { nullable: true, description: "The token's sub" }) actorSub: string | null;
  @Field() actorProvince: string;
  @Field(() => String, { nullable: true, description: "The token's agency code" }) actorAgency: string | null;
  @Field(() => [RoleEnum]) roles: string[];
  @Field({ description: 'The task event, or the ADMIN operation (e.g. run-deadline-sweep)' }) operation: string;
  @Field(() => ID, { nullable: true }) taskId: string | null;
  @Field(() => String, { nullable: true, description: 'What else the attempt named (a province, plan, agency …)' }) target: string | null;
  @Field({ description: 'The approval rule that said no' }) rule: string;
  @Field() message: string;
}

@ObjectType()
export class AccessDenialPage {
  @Field(() => [AccessDenial], { description: 'Newest first' }) nodes: AccessDenial[];
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next (older) page' }) endCursor: string | null;
}
