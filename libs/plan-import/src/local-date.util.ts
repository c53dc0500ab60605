// Vietnam keeps UTC+7 all year (no DST), so local dates convert arithmetically, never via host TZ.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const LAST_MS_OF_DAY = ((23 * 60 + 59) * 60 + 59) * 1000 + 999;

export function lastDayOfMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  return day <= lastDayOfMonth(year, month);
}

/** 'YYYY-MM-DD', or null when the parts are not a real calendar date. */
export function formatDate(year: number, month: number, day: number): string | null {
  if (!isValidDate(year, month, day)) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** ISO instant of 23:59:59.999 on that local date in Asia/Ho_Chi_Minh. */
export function endOfLocalDayUtc(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!isValidDate(year, month, day)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): "${date}"`);
  return new Date(Date.UTC(year, month - 1, day) + LAST_MS_OF_DAY - VIETNAM_OFFSET_MS).toISOString();
}

/** The local (UTC+7) calendar year an instant falls in. */
export function localYearOf(instantMs: number): number {
  return new Date(instantMs + VIETNAM_OFFSET_MS).getUTCFullYear();
}
