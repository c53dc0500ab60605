import type { ReportingDeadline } from './draft-plan.types';
import { pad2 } from './local-date.util';
import type { Paragraph } from './paragraph-reflow.util';

export interface ReportingTiers {
  /** Agencies → monitoring agency. */
  reporting: ReportingDeadline[];
  /** Monitoring agency → People's Committee / ministry. */
  consolidation: ReportingDeadline[];
}

const PERIOD_ORDER = ['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'YEAR'];
const DAY_MONTH = /(\d{1,2})\s*(?:tháng\s*|\/\s*)(\d{1,2})(?!\d|\s*\/\s*\d)/gu;
const QUARTER_END = /ngày\s+(\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:mỗi\s+|của\s+)?quý/u;

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
    const quarter = QUARTER_END.exec(window);
    if (quarter) found.push(...quarterly(Number(quarter[1])));
    else found.push(...periodsFor([...window.matchAll(DAY_MONTH)], sentence.slice(previousEnd, start)));
    previousEnd = start + window.length;
  }
  return found;
}

function quarterly(day: number): ReportingDeadline[] {
  return [3, 6, 9, 12].map((month, i) => ({ period: `Q${i + 1}`, dueMonthDay: `${pad2(month)}-${pad2(day)}` }));
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
