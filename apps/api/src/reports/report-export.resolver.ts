import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { ReportFile, ReportFormatEnum, ReportPeriodEnum } from './report-export.model';
import { ReportExportService } from './report-export.service';

@Resolver()
export class ReportExportResolver {
  constructor(@Inject(ReportExportService) private readonly reports: ReportExportService) {}

  @Query(() => ReportFile, {
    description:
      "The consolidated report of a plan (the appendix with each task's state, report, verdict and lateness, and the scorecards) as of the period's data cut-off; the same document as `npm run report`. SUPERVISOR, LEADER, AUDITOR",
  })
  async planReportExport(
    @CurrentActor() actor: Actor,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('period', { type: () => ReportPeriodEnum }) period: string,
    @Args('format', { type: () => ReportFormatEnum }) format: string,
    @Args('year', { type: () => Int, nullable: true, description: "Default: the plan's year" }) year?: number,
    @Args('amendments', {
      type: () => Boolean,
      nullable: true,
      description:
        'A closed period: also list the events after its cut-off, in a sheet (section) of their own. Default false: the sealed document alone, the same bytes every time',
    })
    amendments?: boolean,
  ): Promise<ReportFile> {
    const file = await this.reports.export(actor, { planId, period, format, year: year ?? null, amendments: amendments ?? false });
    return {
      filename: file.filename,
      mimeType: file.mimeType,
      base64: file.content.toString('base64'),
      byteLength: file.content.length,
      asOf: file.asOf,
    };
  }
}
