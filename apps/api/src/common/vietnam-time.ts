// Vietnam has one offset all year (UTC+7, no DST), so local dates convert arithmetically,
// never through the host's TZ.
const OFFSET_MS = 7 * 60 * 60 * 1000;

export function endOfLocalDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day, 23, 59, 59, 999) - OFFSET_MS);
}

export function localYear(instant: Date): number {
  return new Date(instant.getTime() + OFFSET_MS).getUTCFullYear();
}
