import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
// what a proxy's or a caller's id may look like to be taken as ours: short, and nothing that could
// forge a log line or a header
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

// Fastify's genReqId: the caller's X-Request-Id when it is short and safe, else a new UUID. (Fastify's
// own requestIdHeader option would take any value, so the header is read here instead.)
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}
