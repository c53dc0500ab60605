import type { ReportingDeadline } from './draft-plan.types';
import { lastDayOfMonth, pad2 } from './local-date.util';
import type { Paragraph } from './paragraph-reflow.util';
import { REPORTING_PERIODS } from './reporting-schedule';

export interface ReportingTiers {
  /** Agencies → monitoring agency. */
  reporting: ReportingDeadline[];
  /** Monitoring agency → People's Committee / ministry. */
  consolidation: ReportingDeadline[];
}

const PERIOD_ORDER: readonly string[] = REPORTING_PERIODS;
const DAY_MONTH = /(\d{1,2})\s*(?:tháng\s*|\/\s*)(\d{1,2})(?!\d|\s*\/\s*\d)/gu;
const QUARTER_END = /ngày\s+(\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:mỗi\s+|của\s+)?quý/u;
// Right after "trước ngày": a bare day, then what it is of. Bounded: the window is 60 characters.
const BARE_DAY = /^(\d{1,2})(?!\s*(?:\/|tháng\s*\d|\d))/u;
// "… 15 hằng tháng", "… 15 của mỗi tháng": the day of every month.
const EVERY_MONTH = /^\d{1,2}\s*,?\s*(?:của\s+)?(?:hằng|hàng|mỗi)\s+tháng/u;
// "… 5 của tháng sau", "… 05 tháng tiếp theo": the day of the month after the period.
const NEXT_MONTH = /^\d{1,2}\s*,?\s*(?:của\s+)?tháng\s+(?:sau|kế tiếp|tiếp theo)/u;
// "… 5 của tháng đầu quý sau", "… 5 tháng đầu tiên của quý tiếp theo": the month after the quarter.
const NEXT_QUARTER = /^\d{1,2}\s*,?\s*(?:của\s+)?tháng\s+đầu(?:\s+tiên)?\s+(?:của\s+)?quý\s+(?:sau|kế tiếp|tiếp theo)/u;
const MONTHLY_LABEL = /(?:hằng|hàng|mỗi)\s+tháng|báo cáo tháng(?!\s*\d)/u;
const QUARTERLY_LABEL = /(?:hằng|hàng|mỗi)\s+quý|báo cáo quý/u;

/**
 * Reporting deadlines in the implementation chapter, split by who reports to whom: a sentence that
 * sends reports (to the department) is the agencies' tier; one where reports are consolidated and
 * passed up (to the committee or a ministry) without sending is the monitoring agency's tier.
 */
export function findReportingDeadlines(paragraphs: readonly Paragraph[]): ReportingTiers {
  const tiers: ReportingTiers = { reporting: [], consolidation: [] };
  for (const sentence of paragraphs.flatMap((p) => p.text.split(/(?<=\.)\s+(?=\p{Lu})/u))) {
    const deadlines = deadlinesIn(sentence);
    if (deadlines.length === 0) continue;
    const consolidates = !/gửi/u.test(sentence) && /tổng hợp|báo cáo (bộ|ủy ban|ubnd|chính phủ|thủ tướng)|trình/iu.test(sentence);
    const tier = consolidates ? tiers.consolidation : tiers.reporting;
    for (const deadline of deadlines) {
      if (!tier.some((known) => known.period === deadline.period)) tier.push(deadline);
    }
  }
  tiers.reporting.sort(byPeriod);
  tiers.consolidation.sort(byPeriod);
  return tiers;
}

// Each "before the day …" opens a window holding one or more dates; the words since the previous
// window say which report it is.
export function deadlinesIn(sentence: string): ReportingDeadline[] {
  const found: ReportingDeadline[] = [];
  let previousEnd = 0;
  for (const opening of sentence.matchAll(/trước\s+ngày\s+/gu)) {
    const start = opening.index ?? 0;
    const window = sentence.slice(start, start + 60).split(')')[0];
    const label = sentence.slice(previousEnd, start);
    const quarter = QUARTER_END.exec(window);
    if (quarter) found.push(...quarterly(Number(quarter[1]), 0));
    else found.push(...(everyPeriod(window.slice(opening[0].length), label) ?? periodsFor([...window.matchAll(DAY_MONTH)], label)));
    previousEnd = start + window.length;
  }
  return found;
}

// A day with no month of its own, repeated every month or quarter: "trước ngày 15 hằng tháng",
// "định kỳ hằng tháng, trước ngày 20", "trước ngày 5 của tháng sau", "hằng quý, trước ngày 5 của
// tháng đầu quý sau". Null when the day is not one of these.
function everyPeriod(afterOpening: string, label: string): ReportingDeadline[] | null {
  const bare = BARE_DAY.exec(afterOpening);
  if (!bare) return null;
  const day = Number(bare[1]);
  if (day < 1 || day > 31) return null;
  if (NEXT_QUARTER.test(afterOpening)) return quarterly(day, 1);
  const nextMonth = NEXT_MONTH.test(afterOpening);
  // "the month after" follows a quarter when the words before speak of quarters, not months
  if (nextMonth && QUARTERLY_LABEL.test(label) && !MONTHLY_LABEL.test(label)) return quarterly(day, 1);
  if (nextMonth) return monthly(day, 1);
  if (EVERY_MONTH.test(afterOpening) || MONTHLY_LABEL.test(label)) return monthly(day, 0);
  return null;
}

// Q1..Q4 on the day of the quarter's last month (shift 0) or of the month after it (shift 1).
function quarterly(day: number, shift: 0 | 1): ReportingDeadline[] {
  return [3, 6, 9, 12].map((month, i) => ({ period: `Q${i + 1}`, dueMonthDay: monthDay(shift === 0 ? month : (month % 12) + 1, day) }));
}

// M01..M12 on the day of that month (shift 0) or of the month after it (shift 1).
function monthly(day: number, shift: 0 | 1): ReportingDeadline[] {
  return Array.from({ length: 12 }, (_, i) => ({ period: `M${pad2(i + 1)}`, dueMonthDay: monthDay(((i + shift) % 12) + 1, day) }));
}

// A day that exists every year: "the 30th of every month" is 28 February (the plan settings
// accept only such days).
function monthDay(month: number, day: number): string {
  return `${pad2(month)}-${pad2(Math.min(day, lastDayOfMonth(2023, month)))}`;
}

// Two dates are the half-year and year reports; four are quarters; one is named by the words
// just before it ("6-month report", "annual report") or else by its month.
function periodsFor(dates: readonly RegExpMatchArray[], label: string): ReportingDeadline[] {
  const valid = dates
    .map((m) => ({ day: Number(m[1]), month: Number(m[2]) }))
    .filter(({ day, month }) => day >= 1 && day <= 31 && month >= 1 && month <= 12);
  const periods =
    valid.length === 4
      ? valid.map(({ month }) => `Q${Math.ceil(month / 3)}`)
      : valid.length === 2
        ? ['H1', 'YEAR']
        : valid.map(({ month }) => labelledPeriod(label) ?? (month <= 7 ? 'H1' : 'YEAR'));
  return valid.map(({ day, month }, i) => ({ period: periods[i], dueMonthDay: `${pad2(month)}-${pad2(day)}` }));
}

function labelledPeriod(label: string): string | null {
  const halfYear = label.search(/(6|sáu)\s+tháng(?!\s*\d)/u);
  const year = label.search(/(báo cáo|hằng|hàng|01|một)\s+năm|năm\s*\(?\s*$/u);
  if (halfYear < 0 && year < 0) return null;
  return halfYear > year ? 'H1' : 'YEAR';
}

function byPeriod(a: ReportingDeadline, b: ReportingDeadline): number {
  return PERIOD_ORDER.indexOf(a.period) - PERIOD_ORDER.indexOf(b.period);
}
