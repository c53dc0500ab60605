import type { ReportingDeadline } from './draft-plan.types';
import { endOfLocalDayUtc, formatDate, lastDayOfMonth, localYearOf } from './local-date.util';

/** Every period a reporting deadline may name, finest first. */
export const REPORTING_PERIODS = [
  ...Array.from({ length: 12 }, (_, i) => `M${String(i + 1).padStart(2, '0')}`),
  'Q1',
  'Q2',
  'Q3',
  'Q4',
  'H1',
  'H2',
  'YEAR',
] as const;

/** The first month of a period: 'M03' → 3, 'Q4' → 10, 'H1' and 'YEAR' → 1, 'H2' → 7; null when unknown. */
export function periodStartMonth(period: string): number | null {
  const monthly = /^M(0[1-9]|1[0-2])$/.exec(period);
  if (monthly) return Number(monthly[1]);
  const quarter = /^Q([1-4])$/.exec(period);
  if (quarter) return Number(quarter[1]) * 3 - 2;
  if (period === 'H1' || period === 'YEAR') return 1;
  return period === 'H2' ? 7 : null;
}

/** A month's report ('M01'..'M12'). */
export function isMonthlyPeriod(period: string): boolean {
  return /^M(0[1-9]|1[0-2])$/.test(period);
}

/**
 * The local date ('YYYY-MM-DD') a deadline falls on for its period of the given year: in that
 * year, unless its month comes before the period starts — a deadline in the month after the period
 * ("trước ngày 5 của tháng sau": December's report on 5 January, the fourth quarter's on 5 January)
 * falls in the next year. '02-29' falls back to the 28th in common years. Null when unreadable.
 */
export function deadlineDate(deadline: ReportingDeadline, periodYear: number): string | null {
  const match = /^(\d{2})-(\d{2})$/.exec(deadline.dueMonthDay);
  if (!match) return null;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return null;
  const year = month < (periodStartMonth(deadline.period) ?? 1) ? periodYear + 1 : periodYear;
  return formatDate(year, month, Math.min(Number(match[2]), lastDayOfMonth(year, month)));
}

/**
 * The deadlines a recurring task is scheduled on. A plan that states monthly reports besides
 * quarter, half-year or year reports keeps its tasks on the coarser ones (the monthly reports are
 * the agencies' running returns, not twelve assessments a year of every task); a plan whose only
 * cycle is monthly schedules its tasks monthly.
 */
export function taskReportingDeadlines(deadlines: readonly ReportingDeadline[]): ReportingDeadline[] {
  const coarser = deadlines.filter((deadline) => !isMonthlyPeriod(deadline.period));
  return coarser.length > 0 ? coarser : [...deadlines];
}

/** The end-of-local-day instants of a recurring task's periods, from firstYear's to lastYear's, ascending. */
export function taskPeriodDueInstants(deadlines: readonly ReportingDeadline[], firstYear: number, lastYear: number): string[] {
  const instants = new Set<string>();
  for (let year = firstYear; year <= lastYear; year += 1) {
    for (const deadline of taskReportingDeadlines(deadlines)) {
      const date = deadlineDate(deadline, year);
      if (date !== null) instants.add(endOfLocalDayUtc(date));
    }
  }
  return [...instants].sort();
}

/**
 * The end-of-local-day instant of the next reporting deadline strictly after the given instant,
 * or null when there are no (readable) deadlines.
 */
export function nextReportingDue(deadlines: readonly ReportingDeadline[], afterIsoInstant: string): string | null {
  const after = Date.parse(afterIsoInstant);
  if (Number.isNaN(after)) throw new RangeError(`Not an ISO instant: "${afterIsoInstant}"`);
  const year = localYearOf(after);
  let best: string | null = null;
  // The periods of last year (a deadline in the month after), this year and the next always hold
  // the next occurrence of a yearly deadline.
  for (const periodYear of [year - 1, year, year + 1]) {
    for (const deadline of deadlines) {
      const date = deadlineDate(deadline, periodYear);
      const due = date === null ? null : endOfLocalDayUtc(date);
      if (due !== null && Date.parse(due) > after && (best === null || due < best)) best = due;
    }
  }
  return best;
}
