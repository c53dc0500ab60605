import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { AccessDenialPage } from './access-denials.model';
import { AuditService } from './audit.service';

// Served through AuditService: the app module provides the services it knows by value.
@Resolver()
export class AccessDenialsResolver {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Query(() => AccessDenialPage, {
    description: 'AUDITOR and ADMIN: refused attempts (FORBIDDEN) in the provinces the token covers, newest first (first ≤ 100)',
  })
  async accessDenials(
    @CurrentActor() actor: Actor,
    @Args('provinceCode', { type: () => String, nullable: true }) provinceCode?: string | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<AccessDenialPage> {
    const page = await this.audit.accessDenials(actor, { provinceCode, first, after });
    return { nodes: page.denials, hasNextPage: page.hasNextPage, endCursor: page.endCursor };
  }
}
