// Vietnam has one offset all year (UTC+7, no DST), so local dates convert arithmetically, never
// through the host's TZ. (The end of a local day comes from @app/plan-import's endOfLocalDayUtc.)
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function localYear(instant: Date): number {
  return new Date(instant.getTime() + OFFSET_MS).getUTCFullYear();
}

// The Vietnam calendar date (YYYY-MM-DD) an instant falls on.
export function vietnamDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

// The last millisecond of the Vietnam day `days` after the day of `instant` (0 = that same day):
// "due within 7 days" asked any time on the 10th reaches the end of the 17th.
export function endOfVietnamDayAfter(instant: Date, days: number): Date {
  const localMidnight = Math.floor((instant.getTime() + OFFSET_MS) / DAY_MS) * DAY_MS;
  return new Date(localMidnight + (days + 1) * DAY_MS - 1 - OFFSET_MS);
}
