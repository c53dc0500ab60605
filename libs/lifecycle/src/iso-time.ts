// Instant arithmetic on ISO strings. Pure: the current time is never read here.

const DAY_MS = 24 * 60 * 60 * 1000;
// An explicit zone is required: without one Date.parse reads host-local time, and replay on
// another host would disagree.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

export function parseInstant(iso: string | null | undefined): number | null {
  if (typeof iso !== 'string' || !ISO_INSTANT.test(iso)) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function isValidInstant(iso: string | null | undefined): iso is string {
  return parseInstant(iso) !== null;
}

// True only when both instants parse and `a` is strictly later than `b`.
export function isAfter(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = parseInstant(a);
  const right = parseInstant(b);
  return left !== null && right !== null && left > right;
}

export function addDays(iso: string, days: number): string {
  const ms = parseInstant(iso);
  if (ms === null) throw new RangeError(`not an ISO instant: ${iso}`);
  return new Date(ms + days * DAY_MS).toISOString();
}

export function laterOf(a: string, b: string | null): string {
  return b !== null && isAfter(b, a) ? b : a;
}
