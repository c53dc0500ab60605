import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { RoleEnum } from './enums';
import type { Actor } from '../auth/actor';
import { CurrentActor } from './current-actor.decorator';

@ObjectType({ description: 'Who the token says the viewer is' })
export class Viewer {
  @Field(() => String, { nullable: true }) userId: string | null;
  @Field({ description: "Province code, '*' for national operators" }) provinceCode: string;
  @Field(() => String, { nullable: true }) agencyCode: string | null;
  @Field(() => String, { nullable: true }) agencyId: string | null;
  @Field(() => [RoleEnum]) roles: string[];
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The authenticated viewer (for frontends deciding what to show)' })
  me(@CurrentActor() actor: Actor): Viewer {
    return { ...actor, roles: [...actor.roles] };
  }
}
