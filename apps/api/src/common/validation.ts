import { badInput } from './domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const LIMITS = {
  comment: 4000,
  reportSummary: 20000,
  reportValue: 2000,
  idempotencyKey: 200,
  pageSize: 100,
  agencyName: 300,
  alias: 300,
  provinceCode: 100,
  // CONTRIBUTE: per coordinating agency and reporting period, per task, and the text a task's
  // snapshot keeps (every transition rewrites the snapshot, and the sweep writes it too)
  contributionsPerAgencyPeriod: 20,
  contributionsPerTask: 200,
  contributionTextPerTask: 400_000,
  // how far past the server's clock an ADMIN's asOf may be (clock skew between machines)
  clockSkewMs: 60_000,
} as const;

export function requireUuid(value: string, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw badInput(`${field} must be a UUID, got "${truncate(value)}"`, { field });
  return value.toLowerCase();
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw badInput(`${field} must be text`, { field });
  if (value.length > max) throw badInput(`${field} is too long: ${value.length} characters, at most ${max}`, { field });
  assertStorableText(value, field);
  return value;
}

// PostgreSQL text and jsonb refuse NUL characters and unpaired surrogates.
export function assertStorableText(value: string, field: string): void {
  if (value.includes('\u0000') || !value.isWellFormed())
    throw badInput(`${field} contains characters that are not text (NUL or broken Unicode)`, { field });
}

export function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = optionalText(value, field, max);
  if (text === null || text.trim() === '') throw badInput(`${field} is required`, { field });
  return text;
}

export function pageSize(first: number | null | undefined, fallback = 20): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > LIMITS.pageSize) {
    throw badInput(`first must be between 1 and ${LIMITS.pageSize}, got ${first}`, { field: 'first' });
  }
  return first;
}

export function validInstant(value: Date | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field} is not a valid date-time`, { field });
  return value;
}

function truncate(value: unknown): string {
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
