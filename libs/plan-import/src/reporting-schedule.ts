import type { ReportingDeadline } from './draft-plan.types';
import { endOfLocalDayUtc, formatDate, lastDayOfMonth, localYearOf } from './local-date.util';

/**
 * The end-of-local-day instant of the next reporting deadline strictly after the given instant,
 * or null when there are no (readable) deadlines.
 */
export function nextReportingDue(deadlines: readonly ReportingDeadline[], afterIsoInstant: string): string | null {
  const after = Date.parse(afterIsoInstant);
  if (Number.isNaN(after)) throw new RangeError(`Not an ISO instant: "${afterIsoInstant}"`);
  const year = localYearOf(after);
  let best: string | null = null;
  // This local year and the next always contain the next occurrence of a yearly deadline.
  for (const candidateYear of [year, year + 1]) {
    for (const deadline of deadlines) {
      const due = dueInstant(deadline, candidateYear);
      if (due !== null && Date.parse(due) > after && (best === null || due < best)) best = due;
    }
  }
  return best;
}

function dueInstant(deadline: ReportingDeadline, year: number): string | null {
  const match = /^(\d{2})-(\d{2})$/.exec(deadline.dueMonthDay);
  if (!match) return null;
  const month = Number(match[1]);
  // '02-29' falls back to the 28th in common years rather than vanishing.
  const day = month >= 1 && month <= 12 ? Math.min(Number(match[2]), lastDayOfMonth(year, month)) : 0;
  const date = formatDate(year, month, day);
  return date === null ? null : endOfLocalDayUtc(date);
}
