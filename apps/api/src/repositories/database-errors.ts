// Recognises "the database is not there or not answering in time" among the errors the driver
// (pg), the pool and TypeORM throw, by code and class, not by the text a client might see. The
// GraphQL error mapper answers these SERVICE_UNAVAILABLE; everything else stays an internal error.

import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

// SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
const UNAVAILABLE_SQLSTATE_CLASSES = [
  '08', // connection exception
  '53', // insufficient resources: too many connections (53300), disk full, out of memory
  '57', // operator intervention: statement timeout (57014), admin/crash shutdown (57P01/57P02), cannot connect now (57P03)
  '58', // system error (I/O error on the server)
];
const UNAVAILABLE_SQLSTATES = new Set([
  '55P03', // lock_not_available: lock_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

// Socket errors of Node's net module.
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// pg and pg-pool throw these without a code.
const UNAVAILABLE_DRIVER_MESSAGES = [
  /^Connection terminated/, // unexpectedly, due to connection timeout
  /^timeout exceeded when trying to connect$/, // pool: no free connection within connectionTimeoutMillis
  /^Query read timeout$/, // query_timeout: the server did not answer
  /is not queryable$/, // a client after a connection error
  /^Cannot use a pool after calling end on the pool$/,
  /^Client was closed and is not queryable$/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some(unavailable);
}

function unavailable(error: object): boolean {
  // the connection died mid-transaction (TypeORM released it on the client's error event)
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^[0-9A-Z]{5}$/.test(code) && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2)))) {
      return true;
    }
    if (UNAVAILABLE_ERRNO.has(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && UNAVAILABLE_DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}

// The error and what it wraps: TypeORM's driverError, Error.cause, GraphQL's originalError and
// AggregateError's errors (a refused connection to every address of a host name).
function causes(error: unknown, depth = 0, seen = new Set<unknown>()): object[] {
  if (error === null || typeof error !== 'object' || seen.has(error) || depth > 5) return [];
  seen.add(error);
  const inner = error as { driverError?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  const nested = [inner.driverError, inner.cause, inner.originalError, ...(Array.isArray(inner.errors) ? inner.errors : [])];
  return [error, ...nested.flatMap((e) => causes(e, depth + 1, seen))];
}
