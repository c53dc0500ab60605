import { z } from 'zod';

// Every environment variable the service reads, in one zod schema. Each entry carries what
// docs/CONFIGURATION.md shows (description, default, whether it is a secret); scripts/generate-config-doc.ts
// renders that page from this file, so the doc cannot drift from what start-up validates.
export interface SettingMeta {
  group: string;
  description: string;
  default: string; // as the doc shows it; defaults that depend on other settings are resolved in app-config.ts
  secret: boolean; // never echoed in an error message
}

export const settings = z.registry<SettingMeta>();

// A blank variable counts as unset; values are trimmed.
const blank = (value: unknown) => (typeof value !== 'string' ? value : value.trim() === '' ? undefined : value.trim());

function setting<T extends z.ZodType>(schema: T, meta: Partial<SettingMeta> & Pick<SettingMeta, 'group' | 'description'>) {
  return z.preprocess(blank, schema.optional()).register(settings, { default: '(unset)', secret: false, ...meta });
}

function int(min: number, max: number) {
  const expected = `an integer between ${min} and ${max}`;
  return z.coerce.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

const milliseconds = (min = 100) => int(min, 3_600_000);

const bool = z.enum(['true', 'false', '1', '0'], { error: 'true or false' }).transform((value) => value === 'true' || value === '1');
const boolLoose = z.preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), bool);

const text = (max = 2048) => z.string().max(max, { error: `at most ${max} characters` });

function postgresUrl(value: string): boolean {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const POSTGRES_URL = 'a postgres:// or postgresql:// URL';

// The first thing wrong with a replica list, naming the item by position (never its text: it may
// hold a password).
function replicaUrlsProblem(urls: string[]): string | null {
  if (urls.length > MAX_REPLICAS) return `it lists ${urls.length} URLs; at most ${MAX_REPLICAS}`;
  for (const [index, url] of urls.entries()) {
    if (url === '') return `item ${index + 1} is empty`;
    if (url.length > 2048) return `item ${index + 1} is longer than 2048 characters`;
    if (!postgresUrl(url)) return `item ${index + 1} is not ${POSTGRES_URL}`;
  }
  return null;
}
const MAX_REPLICAS = 16;

export const MIN_JWT_SECRET_BYTES = 32;
export const MIN_METRICS_TOKEN_CHARS = 16;
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

const SERVER = 'Server';
const DATABASE = 'Database';
const AUTH = 'Authentication';
const LIMITS = 'Request limits';
const OPERATIONS = 'Operations';

export const EnvSchema = z.object({
  NODE_ENV: setting(text(64), {
    group: SERVER,
    description:
      '`production` changes the defaults marked below (introspection, console, log format) and turns on the content security policy.',
  }),
  PORT: setting(int(0, 65535), { group: SERVER, description: 'HTTP port of the API (0 picks a free one).', default: '3000' }),
  HOST: setting(text(255), { group: SERVER, description: 'Address the HTTP server binds to.', default: '0.0.0.0' }),
  DATA_DIR: setting(text(), {
    group: SERVER,
    description:
      'Directory of the embedded PostgreSQL data and the generated development JWT secret (resolved against the working directory).',
    default: '.data',
  }),
  LOAD_SAMPLE: setting(boolLoose, {
    group: SERVER,
    description: '`true` loads the sample plan into an empty database also when DATABASE_URL is set (embedded mode always does).',
    default: 'false',
  }),
  GRAPHQL_INTROSPECTION: setting(boolLoose, {
    group: SERVER,
    description: 'Schema introspection and the GraphiQL page.',
    default: 'true outside production, false in production',
  }),
  CONSOLE_ENABLED: setting(boolLoose, {
    group: SERVER,
    description: "The supervisor's web page at `GET /console`.",
    default: 'true outside production, false in production',
  }),
  DEADLINE_SWEEP_INTERVAL_MS: setting(int(0, 86_400_000), {
    group: SERVER,
    description: 'How often each instance sweeps for passed deadlines; `0` turns the scheduled sweep off (`runDeadlineSweep` still works).',
    default: '60000',
  }),
  SHUTDOWN_GRACE_MS: setting(milliseconds(), {
    group: SERVER,
    description:
      'On SIGTERM or SIGINT: how long in-flight requests, a running deadline sweep and the database connections get to finish before the process exits with 1, naming what was still running.',
    default: '10000',
  }),

  DATABASE_URL: setting(text().refine(postgresUrl, { error: POSTGRES_URL }), {
    group: DATABASE,
    description: 'PostgreSQL to use. Unset: an embedded PostgreSQL is started with its data under DATA_DIR/pg.',
    default: '(unset: embedded PostgreSQL)',
    secret: true,
  }),
  DATABASE_REPLICA_URLS: setting(
    text(MAX_REPLICAS * 2048)
      .transform((value) => (value.trim() === '' ? [] : value.split(',').map((url) => url.trim())))
      .superRefine((urls, ctx) => {
        const problem = replicaUrlsProblem(urls);
        if (problem) ctx.addIssue({ code: 'custom', message: `comma-separated postgres:// or postgresql:// URLs (${problem})` });
      }),
    {
      group: DATABASE,
      description: 'Comma-separated streaming replicas for reads that may lag.',
      default: '(none)',
      secret: true,
    },
  ),
  DATABASE_POOL_MAX: setting(int(1, 1000), { group: DATABASE, description: 'Connections in the pool.', default: '20' }),
  DATABASE_CONNECT_TIMEOUT_MS: setting(milliseconds(), {
    group: DATABASE,
    description: 'How long to wait to open a connection or for a free one before answering SERVICE_UNAVAILABLE.',
    default: '5000',
  }),
  DATABASE_STATEMENT_TIMEOUT_MS: setting(milliseconds(), {
    group: DATABASE,
    description: 'PostgreSQL cancels a longer statement.',
    default: '10000',
  }),
  DATABASE_LOCK_TIMEOUT_MS: setting(milliseconds(), {
    group: DATABASE,
    description: 'PostgreSQL gives up waiting for a row or table lock after this.',
    default: '5000',
  }),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: setting(milliseconds(), {
    group: DATABASE,
    description: 'PostgreSQL ends a session idle inside a transaction for longer.',
    default: '60000',
  }),
  DATABASE_QUERY_TIMEOUT_MS: setting(milliseconds(), {
    group: DATABASE,
    description: 'The client gives up on a database that does not answer at all.',
    default: 'DATABASE_STATEMENT_TIMEOUT_MS + 2000',
  }),
  DATABASE_HEALTH_TIMEOUT_MS: setting(milliseconds(), {
    group: DATABASE,
    description: '`/health` and `/health/ready` report the database down when it does not answer within this.',
    default: '2000',
  }),

  AUTH_JWT_SECRET: setting(
    z.string().refine((value) => Buffer.byteLength(value, 'utf8') >= MIN_JWT_SECRET_BYTES, {
      error: `at least ${MIN_JWT_SECRET_BYTES} bytes (generate one with: openssl rand -base64 32)`,
    }),
    {
      group: AUTH,
      description:
        'HS256 shared secret of the tokens. Required with DATABASE_URL unless AUTH_JWKS_URL is set; in embedded mode one is generated once and kept under DATA_DIR.',
      secret: true,
    },
  ),
  AUTH_JWKS_URL: setting(
    text().refine(
      (value) => {
        try {
          return new URL(value).protocol === 'https:';
        } catch {
          return false;
        }
      },
      { error: 'an https: URL' },
    ),
    {
      group: AUTH,
      description: "An OIDC issuer's JWKS; replaces the shared secret when set (then AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE are required).",
    },
  ),
  AUTH_JWT_ISSUER: setting(text(), { group: AUTH, description: 'The `iss` a token must carry.' }),
  AUTH_JWT_AUDIENCE: setting(text(), { group: AUTH, description: 'The `aud` a token must carry.' }),

  RATE_LIMIT_MAX: setting(int(1, 1_000_000_000), {
    group: LIMITS,
    description: 'GraphQL requests per user per window.',
    default: '600',
  }),
  RATE_LIMIT_WINDOW_MS: setting(int(1000, 86_400_000), { group: LIMITS, description: 'The rate limit window.', default: '60000' }),
  BODY_LIMIT_BYTES: setting(int(1024, 16 * 1024 * 1024), {
    group: LIMITS,
    description: 'Bytes of one GraphQL request body.',
    default: String(1024 * 1024),
  }),
  ADMIN_BODY_LIMIT_BYTES: setting(int(1024, 64 * 1024 * 1024), {
    group: LIMITS,
    description: "Bytes of one ADMIN's GraphQL request body (a 10 MB document arrives as about 13.4 MB of base64).",
    default: String(16 * 1024 * 1024),
  }),

  LOG_LEVEL: setting(
    z.preprocess(
      (value) => (typeof value === 'string' ? value.toLowerCase().replace(/^info$/, 'log') : value),
      z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(', ')} (info means log)` }),
    ),
    { group: OPERATIONS, description: 'The most detailed level written.', default: 'log' },
  ),
  LOG_FORMAT: setting(
    z.preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(LOG_FORMATS, { error: 'json or pretty' })),
    {
      group: OPERATIONS,
      description: 'One JSON object per line, or coloured lines for a person.',
      default: 'pretty when stdout is a terminal and not production, else json',
    },
  ),
  EXPOSE_SQL_QUERY_COUNT: setting(boolLoose, {
    group: OPERATIONS,
    description: 'Diagnostics: an `x-sql-query-count` response header with the statements each request ran.',
    default: 'false',
  }),
  METRICS_TOKEN: setting(z.string().min(MIN_METRICS_TOKEN_CHARS, { error: `at least ${MIN_METRICS_TOKEN_CHARS} characters` }), {
    group: OPERATIONS,
    description: 'When set, `GET /metrics` (Prometheus text format) needs `Authorization: Bearer <METRICS_TOKEN>`.',
    secret: true,
  }),
  METRICS_PORT: setting(int(1, 65535), {
    group: OPERATIONS,
    description: 'Serve `/metrics` on this separate port instead of the API port.',
  }),
});

export type Env = z.output<typeof EnvSchema>;
export type EnvName = keyof Env;
export const ENV_NAMES = Object.keys(EnvSchema.shape) as EnvName[];

export function settingMeta(name: EnvName): SettingMeta {
  return settings.get(EnvSchema.shape[name])!;
}
