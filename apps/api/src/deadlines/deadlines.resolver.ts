import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, Int, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { DeadlinesService } from './deadlines.service';

@Resolver()
export class DeadlinesResolver {
  constructor(@Inject(DeadlinesService) private readonly deadlines: DeadlinesService) {}

  @Mutation(() => Int, {
    description: "ADMIN: sweep now (asOf defaults to now); returns how many tasks became OVERDUE. A province's ADMIN sweeps that province.",
  })
  runDeadlineSweep(
    @CurrentActor() actor: Actor,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf?: Date,
  ): Promise<number> {
    return this.deadlines.runSweep(actor, asOf ?? null);
  }
}
