import type { StoredTaskSnapshot } from '@app/lifecycle';
import { deadlineDate, endOfLocalDayUtc, taskReportingDeadlines } from '@app/plan-import';
import { vietnamDate } from '../common/vietnam-time';
import type { StoredReportingDeadline } from '../repositories/plan.repository';

export type PeriodStatus = 'PENDING' | 'MISSING' | 'SUBMITTED' | 'VERIFIED' | 'WITHDRAWN';

export interface TaskPeriodView {
  index: number;
  label: string; // "2022-H1", "2022-YEAR", "2021-Q3"; "2022" when the plan states no deadlines
  dueAt: string | null;
  reportedAt: string | null;
  verifiedAt: string | null;
  late: boolean;
  rejections: number;
  status: PeriodStatus;
  report: { summary: string; value?: string | null } | null;
}

// Every reporting period of a task — those reached (from the snapshot) and those still ahead
// (from its schedule) — each labelled by the plan's reporting deadline it answers. withdrawnAt:
// when an amended plan withdrew the task (its WITHDRAW event); from then on a period without a
// report is WITHDRAWN, never MISSING or PENDING.
export function taskPeriods(
  snapshot: StoredTaskSnapshot,
  deadlines: readonly StoredReportingDeadline[],
  asOf: Date,
  withdrawnAt: Date | null = null,
): TaskPeriodView[] {
  const { context } = snapshot;
  const schedule = context.periodDueDates.length > 0 ? context.periodDueDates : [context.originalDueAt ?? context.dueAt];
  return schedule.map((scheduledDue, index) => {
    const reached = context.periods[index];
    const dueAt = reached?.dueAt ?? scheduledDue ?? null;
    const reportedAt = reached?.reportedAt ?? null;
    const verifiedAt = reached?.verifiedAt ?? null;
    return {
      index,
      label: periodLabel(deadlines, scheduledDue ?? dueAt),
      dueAt,
      reportedAt,
      verifiedAt,
      late: reached?.late ?? false,
      rejections: reached?.rejections ?? 0,
      report: reached?.report ?? null,
      status: status(reportedAt, verifiedAt, dueAt, asOf, withdrawnAt),
    };
  });
}

// As things stood at asOf: a report or verdict given later does not count yet.
function status(
  reportedAt: string | null,
  verifiedAt: string | null,
  dueAt: string | null,
  asOf: Date,
  withdrawnAt: Date | null,
): PeriodStatus {
  const by = (instant: string | null) => instant !== null && Date.parse(instant) <= asOf.getTime();
  if (by(verifiedAt)) return 'VERIFIED';
  if (by(reportedAt)) return 'SUBMITTED';
  if (withdrawnAt !== null && withdrawnAt.getTime() <= asOf.getTime()) return 'WITHDRAWN';
  return dueAt !== null && Date.parse(dueAt) < asOf.getTime() ? 'MISSING' : 'PENDING';
}

// The period a due time answers: the deadline falling on that very local day — a recurring task's
// own deadlines first (H1 before M06 on the same day) — else the next deadline on or after it
// among the task's; a deadline of the month after its period (December's report on 5 January)
// names the year before. After the year's last deadline: the year's YEAR, else its last period.
export function periodLabel(deadlines: readonly StoredReportingDeadline[], dueAt: string | null): string {
  if (dueAt === null) return 'UNSCHEDULED';
  const local = vietnamDate(new Date(dueAt));
  const year = Number(local.slice(0, 4));
  const dated = (candidates: readonly StoredReportingDeadline[]) =>
    [year, year - 1].flatMap((periodYear) =>
      candidates.map((deadline) => ({ periodYear, period: deadline.period, date: deadlineDate(deadline, periodYear) })),
    );
  for (const candidates of [taskReportingDeadlines(deadlines), deadlines]) {
    const exact = dated(candidates).find((d) => d.date === local);
    if (exact) return `${exact.periodYear}-${exact.period}`;
  }
  const own = dated(taskReportingDeadlines(deadlines)).filter((d) => d.date !== null);
  const next = own.filter((d) => d.date! >= local).sort((a, b) => a.date!.localeCompare(b.date!))[0];
  if (next) return `${next.periodYear}-${next.period}`;
  const thisYear = own.filter((d) => d.periodYear === year).sort((a, b) => a.date!.localeCompare(b.date!));
  const last = thisYear.find((d) => d.period === 'YEAR') ?? thisYear.at(-1);
  return last ? `${year}-${last.period}` : String(year);
}

// The periods of the consolidated report (báo cáo 6 tháng, báo cáo năm).
export const REPORT_PERIODS = ['H1', 'YEAR'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export interface DataWindow {
  period: ReportPeriod;
  year: number;
  from: Date; // first instant whose data the report covers
  until: Date; // the data cut-off: last instant the report covers
}

// Decree 09/2019/NĐ-CP art. 12: a half-year report's data run from 15 Dec of the previous year to
// 14 Jun, a year report's to 14 Dec, each to the end of that Vietnam day.
export function dataWindow(period: ReportPeriod, year: number): DataWindow {
  if (!Number.isInteger(year) || year < 1901 || year > 2999) throw new RangeError(`year must be 1901..2999, got ${year}`);
  return {
    period,
    year,
    from: new Date(`${year - 1}-12-15T00:00:00+07:00`),
    until: new Date(endOfLocalDayUtc(`${year}-${period === 'H1' ? '06-14' : '12-14'}`)),
  };
}

// The periods a plan closes (chốt số liệu): "2023" (the year), "2023-H1", "2023-Q1".."2023-Q4".
export const CLOSE_PERIOD_KINDS = ['YEAR', 'H1', 'Q1', 'Q2', 'Q3', 'Q4'] as const;
export type ClosePeriodKind = (typeof CLOSE_PERIOD_KINDS)[number];

export interface ClosePeriod {
  label: string; // as the contract writes it: "2023", "2023-H1", "2023-Q2"
  year: number;
  kind: ClosePeriodKind;
}

// Decree 09/2019/NĐ-CP art. 12: data run to the 14th of the period's last month (year: 14 Dec,
// half year: 14 Jun, quarter: 14 Mar / Jun / Sep / Dec), from the 15th of the month before.
export const DEFAULT_CUTOFF_MONTH_DAYS: Record<ClosePeriodKind, string> = {
  YEAR: '12-14',
  H1: '06-14',
  Q1: '03-14',
  Q2: '06-14',
  Q3: '09-14',
  Q4: '12-14',
};

export function parseClosePeriod(text: string): ClosePeriod | null {
  const match = /^(\d{4})(?:-(H1|Q[1-4]))?$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1901 || year > 2999) return null;
  return { label: text, year, kind: (match[2] ?? 'YEAR') as ClosePeriodKind };
}

// The data cut-off of a period: the end of the Vietnam day the plan sets for it, else the Decree's.
export function periodCutoff(
  period: Pick<ClosePeriod, 'year' | 'kind'>,
  planCutoffs: readonly { period: string; cutoffMonthDay: string }[],
): Date {
  const own = planCutoffs.find((cutoff) => cutoff.period === period.kind)?.cutoffMonthDay;
  return new Date(endOfLocalDayUtc(`${period.year}-${own ?? DEFAULT_CUTOFF_MONTH_DAYS[period.kind]}`));
}

// The label a report period of a year closes under: H1 → "2023-H1", YEAR → "2023".
export function closeLabel(period: ReportPeriod, year: number): string {
  return period === 'YEAR' ? String(year) : `${year}-${period}`;
}
