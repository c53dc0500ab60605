import { Inject } from '@nestjs/common';
import { Args, ID, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Agency, Province } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import { selectsField } from '../graphql/look-ahead';
import type { Loaders } from '../graphql/request-context';
import type { PlanEntity, PlanVersionRow } from '../repositories/plan.repository';
import { Plan, PlanProgress, PlanVersion } from './plan.model';
import { PlansService } from './plans.service';

@Resolver(() => Plan)
export class PlansResolver {
  constructor(@Inject(PlansService) private readonly planService: PlansService) {}

  @Query(() => [Plan], { description: 'Plans of a province (default: every province the viewer sees); another province is FORBIDDEN' })
  plans(@CurrentActor() actor: Actor, @Args('provinceCode', { nullable: true }) provinceCode?: string): Promise<PlanEntity[]> {
    return this.planService.list(actor, provinceCode);
  }

  @Query(() => Plan, { nullable: true })
  async plan(
    @CurrentActor() actor: Actor,
    @RequestLoaders() loaders: Loaders,
    @Info() info: GraphQLResolveInfo,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanEntity | null> {
    // a plan page asks for its progress: read both in one statement
    if (!selectsField(info, 'progress')) return this.planService.findById(actor, id);
    const found = await this.planService.findWithProgress(actor, id);
    if (found) loaders.progress.prime(found.plan.id, found.progress);
    return found?.plan ?? null;
  }

  @ResolveField(() => Province)
  province(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.province.load(plan.provinceCode);
  }

  @ResolveField(() => Agency, { nullable: true, description: 'Who consolidates the reports (đầu mối theo dõi)' })
  monitoringAgency(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders) {
    return plan.monitoringAgencyId ? loaders.agency.load(plan.monitoringAgencyId) : null;
  }

  @ResolveField(() => [PlanVersion], { description: 'Every imported version, oldest first: the first import, then each amendment' })
  async versions(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders): Promise<PlanVersion[]> {
    const rows = await loaders.planVersions.load(plan.id);
    const count = (row: PlanVersionRow, key: string) => (row.version === 1 ? null : Number(row.summary[key] ?? 0));
    return rows.map((row) => ({
      ...row,
      added: count(row, 'added'),
      removed: count(row, 'removed'),
      changed: count(row, 'changed'),
    }));
  }

  @ResolveField(() => PlanProgress)
  progress(@Parent() plan: PlanEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.progress.load(plan.id);
  }
}
