import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, ID, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { validInstant } from '../common/validation';
import { AuditVerification, ReplayResult, TimelineEntry } from './audit.model';
import { AuditService } from './audit.service';

@Resolver()
export class AuditResolver {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Query(() => ReplayResult, { description: 'Re-run the stored events through the machine (up to asOf)' })
  replayTask(
    @CurrentActor() actor: Actor,
    @Args('taskId', { type: () => ID }) taskId: string,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf?: Date,
  ) {
    return this.audit.replay(actor, taskId, validInstant(asOf, 'asOf'));
  }

  @Query(() => AuditVerification, { description: "Check every task's hash chain, replay and stored row in a plan" })
  verifyAuditTrail(@CurrentActor() actor: Actor, @Args('planId', { type: () => ID }) planId: string) {
    return this.audit.verifyPlan(actor, planId);
  }

  @Query(() => [TimelineEntry], {
    description:
      'Every state the task was in, with when it entered and left it and who moved it there, from the machine replaying its events',
  })
  taskTimeline(@CurrentActor() actor: Actor, @Args('taskId', { type: () => ID }) taskId: string) {
    return this.audit.timeline(actor, taskId);
  }
}
