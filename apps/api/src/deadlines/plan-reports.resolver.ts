import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import { PlanReportRow } from './deadlines.model';
import { PlanReportsService } from './plan-reports.service';

@Resolver(() => PlanReportRow)
export class PlanReportsResolver {
  constructor(@Inject(PlanReportsService) private readonly reports: PlanReportsService) {}

  @Query(() => [PlanReportRow], { description: 'Per lead agency and reporting period: reports in, late, missing (as of now or asOf)' })
  async planReports(
    @CurrentActor() actor: Actor,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf?: Date,
  ) {
    const rows = await this.reports.planReports(actor, planId, asOf ?? null);
    return rows.map((row) => ({ ...row, dueAt: row.dueAt ? new Date(row.dueAt) : null }));
  }

  @ResolveField(() => Agency)
  agency(@Parent() row: PlanReportRow, @RequestLoaders() loaders: Loaders) {
    return loaders.agency.load(row.agencyId);
  }
}
