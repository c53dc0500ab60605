import { formatDate, lastDayOfMonth } from './local-date.util';
import { cleanInline, lowerNfc } from './text-cleanup.util';

export type TimeframeKind = 'fixed' | 'recurring' | 'unknown';

export interface ParsedTimeframe {
  kind: TimeframeKind;
  /** 'YYYY-MM-DD' in Asia/Ho_Chi_Minh; the task is due at the END of that local day. */
  dueDate: string | null;
}

const QUARTER_END_MONTH: Readonly<Record<string, number>> = { i: 3, '1': 3, ii: 6, '2': 6, iii: 9, '3': 9, iv: 12, '4': 12 };
// "\d{1,3}", not "\d+": the test finds the same texts, and a long number is not retried from each digit.
const RECURRING =
  /thường xuyên|liên tục|(hàng|hằng) (năm|quý|tháng|tuần)|định kỳ|mỗi (năm|quý|tháng)|\d{1,3}\s*tháng\s*\/\s*lần|(hàng|hằng) ngày/u;
const YEAR = '((?:19|20)\\d{2})';

// "10/2022" (no day, no "tháng"): the end of that month; not a day/month ("15/10/2022" has a
// slash before the month), not a document number ("số 10/2021") and not a quarter ("Quý 4/2022"
// is read as a quarter first).
const MONTH_SLASH_YEAR = new RegExp(`(?<![\\d/])(?<![\\d/]\\s)(?<!số\\s?)(\\d{1,2})\\s*/\\s*${YEAR}(?![\\d/])`, 'u');
// The same as the whole cell, give or take a word before it ("Trước 13/2022"): a month out of range is a typo.
const ONLY_MONTH_SLASH_YEAR = new RegExp(`^\\D{0,20}?(\\d{1,2})\\s*/\\s*${YEAR}$`, 'u');

/** Reads a timeframe cell; planYear fills in missing years and unreadable cells. */
export function parseTimeframe(timeframe: string, planYear: number | null): ParsedTimeframe {
  const text = lowerNfc(cleanInline(timeframe)).replace(/[–—]/g, '-');
  const range = new RegExp(`${YEAR}\\s*-\\s*${YEAR}`, 'u').exec(text);
  // A multi-year span repeats every year but still has a final date.
  if (range && Number(range[2]) >= Number(range[1])) return { kind: 'recurring', dueDate: `${range[2]}-12-31` };
  if (RECURRING.test(text)) return { kind: 'recurring', dueDate: null };
  // "According to the schedule of Plan No. 12/KH-UBND of 20/01/2022": that date is the other
  // document's, not this task's due date.
  if (refersElsewhere(text)) return { kind: 'unknown', dueDate: planYear === null ? null : `${planYear}-12-31` };
  const fixed = hasImpossibleDate(text) ? null : fixedDate(text, planYear);
  if (fixed) return { kind: 'fixed', dueDate: fixed };
  return { kind: 'unknown', dueDate: planYear === null ? null : `${planYear}-12-31` };
}

// Most specific first: a day, a month, a quarter, a half year, then a bare year.
function fixedDate(text: string, planYear: number | null): string | null {
  return (
    dayDate(text) ??
    dayMonth(text, planYear) ??
    monthEnd(text, planYear) ??
    quarterEnd(text, planYear) ??
    halfYearEnd(text, planYear) ??
    monthSlashYear(text) ??
    yearEnd(text) ??
    endOfPlanYear(text, planYear)
  );
}

const REFERENCE = /^(?:thực hiện\s+)?theo\s+(?:tiến độ|kế hoạch|lộ trình|quyết định|văn bản|công văn|chương trình|đề án|thời gian)/u;

/** The timeframe defers to another document's schedule ("Theo tiến độ của Kế hoạch số …"). */
export function refersElsewhere(timeframe: string): boolean {
  return REFERENCE.test(lowerNfc(cleanInline(timeframe)));
}

// "Trước 30/6" or "30/6 năm 2024": a day and month, the year from the text or the plan.
function dayMonth(text: string, planYear: number | null): string | null {
  const match = new RegExp(`(?:^|\\D)(\\d{1,2})\\s*/\\s*(\\d{1,2})(?![\\d/])(?:\\s+năm\\s+${YEAR})?`, 'u').exec(text);
  if (!match) return null;
  const year = match[3] ? Number(match[3]) : planYear;
  const [day, month] = [Number(match[1]), Number(match[2])];
  if (year === null || month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) return null;
  return formatDate(year, month, day);
}

// "Cuối năm", "Trong năm", "Hết năm" with no year written: the end of the plan's year.
function endOfPlanYear(text: string, planYear: number | null): string | null {
  return planYear !== null && /(?:cuối|trong|hết)\s+năm(?!\s*\d)/u.test(text) ? `${planYear}-12-31` : null;
}

// "Month 13/2022" and "13/2022" are typos, not the end of 2022.
function hasImpossibleDate(text: string): boolean {
  const slashMonth = ONLY_MONTH_SLASH_YEAR.exec(text.trim());
  const months = [...text.matchAll(/tháng\s+(\d{1,2})/gu), ...(slashMonth ? [slashMonth] : [])].map((m) => Number(m[1]));
  return months.some((month) => month < 1 || month > 12);
}

function monthSlashYear(text: string): string | null {
  const match = MONTH_SLASH_YEAR.exec(text);
  if (!match) return null;
  const [month, year] = [Number(match[1]), Number(match[2])];
  return month >= 1 && month <= 12 ? formatDate(year, month, lastDayOfMonth(year, month)) : null;
}

function dayDate(text: string): string | null {
  const slash = new RegExp(`(\\d{1,2})\\s*/\\s*(\\d{1,2})\\s*/\\s*${YEAR}`, 'u').exec(text);
  if (slash) return formatDate(Number(slash[3]), Number(slash[2]), Number(slash[1]));
  const words = new RegExp(`ngày\\s+(\\d{1,2})\\s+tháng\\s+(\\d{1,2})\\s+năm\\s+${YEAR}`, 'u').exec(text);
  return words ? formatDate(Number(words[3]), Number(words[2]), Number(words[1])) : null;
}

function monthEnd(text: string, planYear: number | null): string | null {
  const match = new RegExp(`tháng\\s+(\\d{1,2})(?:\\s*(?:/|-|năm)\\s*${YEAR})?`, 'u').exec(text);
  // "the first 6 months of the year" is a half year, not June.
  if (!match || /^\s*(đầu|cuối)/u.test(text.slice(match.index + match[0].length))) return null;
  const year = match[2] ? Number(match[2]) : planYear;
  const month = Number(match[1]);
  if (year === null || month < 1 || month > 12) return null;
  return formatDate(year, month, lastDayOfMonth(year, month));
}

function quarterEnd(text: string, planYear: number | null): string | null {
  const numeral = '(?:iv|iii|ii|i|[1-4])';
  const numerals = `${numeral}(?:\\s*(?:,|và|-)\\s*${numeral})*`;
  const match = new RegExp(`quý\\s+(${numerals})\\b(?:\\s*(?:/|-|năm)\\s*${YEAR})?`, 'u').exec(text);
  if (!match) return null;
  // "Quarters II, III/2022": the work is due at the end of the last quarter named.
  const last = match[1].split(/\s*(?:,|và|-)\s*/u).pop() ?? '';
  const year = match[2] ? Number(match[2]) : Number(new RegExp(YEAR, 'u').exec(text)?.[1] ?? planYear);
  const month = QUARTER_END_MONTH[last];
  if (!year || !month) return null;
  return formatDate(year, month, lastDayOfMonth(year, month));
}

function halfYearEnd(text: string, planYear: number | null): string | null {
  const match = /(6|sáu)\s+tháng\s+(đầu|cuối)\s+năm/u.exec(text);
  if (!match) return null;
  const year = Number(new RegExp(YEAR, 'u').exec(text)?.[1] ?? planYear);
  if (!year) return null;
  return match[2] === 'đầu' ? `${year}-06-30` : `${year}-12-31`;
}

function yearEnd(text: string): string | null {
  const match = new RegExp(`(?:^|\\D)${YEAR}(?:\\D|$)`, 'u').exec(text);
  return match ? `${match[1]}-12-31` : null;
}
