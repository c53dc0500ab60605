import { slugify } from '@app/plan-import';
import { hasRole, type Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput, forbidden, notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { requireUuid } from '../common/validation';
import { vietnamDate } from '../common/vietnam-time';
import { closeLabel, dataWindow, REPORT_PERIODS, type ReportPeriod } from '../deadlines/reporting-periods';
import type { AgencyRepository } from '../repositories/agency.repository';
import type { PlanEntity, PlanRepository } from '../repositories/plan.repository';
import type { ScorecardRepository } from '../repositories/scorecard.repository';
import { consolidatedReport, type ReportSource } from './consolidated-report';
import type { PeriodCloseService } from './period-close.service';
import { revivedTasks, type SealedFigures } from './period-seal';
import { reportMarkdown } from './report-markdown';
import { reportXlsx } from './report-xlsx';

export const REPORT_FORMATS = ['xlsx', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const MIME_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  md: 'text/markdown; charset=utf-8',
};

export interface ReportRequest {
  planId: string;
  period: string; // H1 or YEAR
  format: string; // xlsx or md
  year?: number | null; // default: the plan's year
  // a closed period: also list the events after its cut-off (a sheet / section of their own)
  amendments?: boolean | null;
}

export interface ReportFile {
  filename: string;
  mimeType: string;
  content: Buffer;
  asOf: Date; // the figures' cut-off
}

export interface ReportExportDeps {
  plans: PlanRepository;
  scorecards: ScorecardRepository;
  agencies: AgencyRepository;
  periods: PeriodCloseService;
  clock: Clock;
}

// The consolidated report of a plan for a half year or a year: the appendix with each task as it
// stood at the period's data cut-off (or now, while the period runs), and the scorecards.
// SUPERVISOR, LEADER and AUDITOR of the plan's province export it (national AUDITOR: any province).
export class ReportExportService {
  constructor(private readonly deps: ReportExportDeps) {}

  async export(actor: Actor, request: ReportRequest): Promise<ReportFile> {
    if (!hasRole(actor, 'SUPERVISOR', 'LEADER', 'AUDITOR')) {
      throw forbidden('Only SUPERVISOR, LEADER and AUDITOR export the consolidated report', { rule: 'report-export-needs-supervisor' });
    }
    const period = parseReportPeriod(request.period);
    const format = parseReportFormat(request.format);
    const id = requireUuid(request.planId, 'planId');
    const scope = Scope.ofActor(actor);
    const plan = await this.deps.plans.findById(scope, id);
    if (!plan) throw notFound(`No plan with id ${request.planId}`);
    const source = await this.source(scope.narrow(plan.provinceCode), plan, period, request.year ?? null, request.amendments === true);
    const report = consolidatedReport(source);
    const content = format === 'xlsx' ? await reportXlsx(report, source.asOf) : Buffer.from(reportMarkdown(report), 'utf8');
    const filename = `bao-cao-${fileSlug(plan.number)}-${source.window.year}-${period}.${format}`;
    return { filename, mimeType: MIME_TYPES[format], content, asOf: source.asOf };
  }

  // A closed period renders its sealed figures (the same bytes however late it is run again);
  // an open one is computed from the events as of its cut-off (the plan's own, else the Decree's).
  private async source(
    scope: Scope,
    plan: PlanEntity,
    period: ReportPeriod,
    year: number | null,
    amendments: boolean,
  ): Promise<ReportSource> {
    const decree = dataWindow(period, reportYear(plan, year));
    const sealed = await this.deps.periods.sealed(scope, plan, closeLabel(period, decree.year));
    const window = { ...decree, until: sealed?.cutoff ?? this.deps.periods.cutoffOf(plan, { year: decree.year, kind: period }) };
    const now = this.deps.clock.now();
    if (window.from.getTime() > now.getTime()) {
      throw badInput(`The ${period} ${window.year} period starts on ${vietnamDate(window.from)}: there is nothing to report yet`, {
        field: 'year',
      });
    }
    const asOf = window.until.getTime() < now.getTime() ? window.until : now;
    const monitoring = plan.monitoringAgencyId ? await this.deps.agencies.findById(scope, plan.monitoringAgencyId) : null;
    const figures = sealed ? (sealed.figures as SealedFigures) : null;
    return {
      plan: { number: plan.number, title: plan.title, issuedOn: plan.issuedOn },
      provinceName: await this.deps.agencies.provinceName(plan.provinceCode),
      monitoringAgencyName: monitoring?.name ?? null,
      window,
      asOf,
      tasks: figures ? revivedTasks(figures) : await this.deps.scorecards.tasksAsOf(scope, plan.id, asOf),
      scores: figures ? figures.scores : await this.deps.scorecards.scores(scope, plan.id, asOf),
      sealed: sealed ? { closedAt: sealed.closedAt, hash: sealed.hash } : null,
      ownCutoff: window.until.getTime() !== decree.until.getTime(),
      amendments: sealed && amendments ? await this.deps.periods.amendments(plan, sealed) : null,
    };
  }
}

export function parseReportPeriod(value: string | null | undefined): ReportPeriod {
  const period = String(value ?? '').toUpperCase();
  if (!(REPORT_PERIODS as readonly string[]).includes(period)) {
    throw badInput(`period must be H1 (half year) or YEAR, got "${String(value ?? '').slice(0, 40)}"`, { field: 'period' });
  }
  return period as ReportPeriod;
}

export function parseReportFormat(value: string | null | undefined): ReportFormat {
  const format = String(value ?? '').toLowerCase();
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw badInput(`format must be xlsx or md, got "${String(value ?? '').slice(0, 40)}"`, { field: 'format' });
  }
  return format as ReportFormat;
}

// The year asked for, else the plan's own (its year, or the year it was issued).
function reportYear(plan: PlanEntity, year: number | null): number {
  const chosen = year ?? plan.year ?? (plan.issuedOn ? Number(plan.issuedOn.slice(0, 4)) : null);
  if (chosen === null) throw badInput(`Plan ${plan.number} states no year: give the year of the report`, { field: 'year' });
  if (!Number.isInteger(chosen) || chosen < 2000 || chosen > 2100) {
    throw badInput(`year must be between 2000 and 2100, got ${chosen}`, { field: 'year' });
  }
  return chosen;
}

// "12/KH-UBND" → "12-kh-ubnd": a file name every system accepts.
function fileSlug(text: string): string {
  return slugify(text).slice(0, 60).replace(/-$/, '') || 'ke-hoach';
}
