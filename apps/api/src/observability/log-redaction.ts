// What never reaches a log line, whoever writes it (Fastify, Nest, Mercurius, our services):
// fields by name (pino's redact), and secrets and tokens by value in the finished line.

// The request's headers, a websocket's connection_init payload, GraphQL variables and the texts users
// write (reports, comments, contributions, imported documents). The per-request line logs none of
// them; these paths are the net for anything else that logs a request or an error object. Exact paths
// only: pino's wildcard paths (`*.token`) cost about 40 µs a line, five times the line itself.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'Authorization',
  'token',
  'cookie',
  'payload',
  'variables',
  'body',
  'req.body',
  'query',
  'input',
  'report',
  'summary',
  'comment',
  'content',
];

export const REDACTED = '[REDACTED]';

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /(bearer\s+)[^\s"'\\,]+/gi;
const MIN_SECRET_LENGTH = 8;

// Replaces every known secret (as written, and as JSON escapes it), any JWT and any Bearer
// credential in one finished log line.
export class LineScrubber {
  private readonly secrets: string[] = [];

  addSecret(secret: string | null | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    // the longest first, so that a secret containing another is replaced whole
    this.secrets.sort((a, b) => b.length - a.length);
  }

  scrub(line: string): string {
    let clean = line;
    for (const secret of this.secrets) if (clean.includes(secret)) clean = clean.split(secret).join(REDACTED);
    if (clean.includes('eyJ')) clean = clean.replace(JWT, REDACTED);
    if (/bearer/i.test(clean)) clean = clean.replace(BEARER, `$1${REDACTED}`);
    return clean;
  }
}
