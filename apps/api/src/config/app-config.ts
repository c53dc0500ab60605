import { resolve } from 'node:path';

// The one place that reads process.env (ARCHITECTURE.md).
export interface AppConfig {
  databaseUrl: string | null;
  port: number;
  host: string;
  dataDir: string;
  jwt: JwtConfig;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  loadSample: boolean;
  deadlineSweepIntervalMs: number;
  production: boolean;
  exposeSqlQueryCount: boolean; // diagnostics: x-sql-query-count response header
  introspection: boolean; // schema introspection and the GraphiQL page (off in production unless enabled)
  rateLimit: { max: number; windowMs: number }; // GraphQL requests per user per window
  bodyLimit: { user: number; admin: number }; // bytes of one GraphQL request body
  database: DatabasePoolConfig;
  console: { enabled: boolean }; // GET /console, the supervisor's web page (off in production unless enabled)
}

export interface JwtConfig {
  secret: string | null; // HS256 shared secret (AUTH_JWT_SECRET)
  jwksUrl: string | null; // OIDC issuer's JWKS (AUTH_JWKS_URL) replaces the secret when set
  issuer: string | null;
  audience: string | null;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const jwt = jwtConfig(env);
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    port: intInRange(env.PORT, 'PORT', 3000, 0, 65535),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    dataDir: resolve(nonEmpty(env.DATA_DIR) ?? '.data'),
    jwt,
    logLevel: logLevel(env.LOG_LEVEL),
    loadSample: env.LOAD_SAMPLE === 'true',
    deadlineSweepIntervalMs: intInRange(env.DEADLINE_SWEEP_INTERVAL_MS, 'DEADLINE_SWEEP_INTERVAL_MS', 60000, 0, 86_400_000),
    production,
    exposeSqlQueryCount: env.EXPOSE_SQL_QUERY_COUNT === 'true',
    introspection: bool(env.GRAPHQL_INTROSPECTION, 'GRAPHQL_INTROSPECTION', !production),
    rateLimit: {
      max: intInRange(env.RATE_LIMIT_MAX, 'RATE_LIMIT_MAX', 600, 1, 1_000_000_000),
      windowMs: intInRange(env.RATE_LIMIT_WINDOW_MS, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000),
    },
    bodyLimit: {
      user: intInRange(env.BODY_LIMIT_BYTES, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 16 * 1024 * 1024),
      // a 10 MB document arrives as about 13.4 MB of base64
      admin: intInRange(env.ADMIN_BODY_LIMIT_BYTES, 'ADMIN_BODY_LIMIT_BYTES', 16 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    },
    database: databasePoolConfig(env),
    console: { enabled: bool(env.CONSOLE_ENABLED, 'CONSOLE_ENABLED', !production) },
  };
}

function bool(raw: string | undefined, name: string, fallback: boolean): boolean {
  const given = nonEmpty(raw);
  if (given === null) return fallback;
  const value = given.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export const MIN_JWT_SECRET_BYTES = 32;

// A shared secret of at least 32 bytes (HS256's key size), or an OIDC issuer's keys fetched over
// https and bound to one issuer and audience.
function jwtConfig(env: NodeJS.ProcessEnv): JwtConfig {
  const jwt: JwtConfig = {
    secret: nonEmpty(env.AUTH_JWT_SECRET),
    jwksUrl: nonEmpty(env.AUTH_JWKS_URL),
    issuer: nonEmpty(env.AUTH_JWT_ISSUER),
    audience: nonEmpty(env.AUTH_JWT_AUDIENCE),
  };
  if (jwt.secret !== null && Buffer.byteLength(jwt.secret, 'utf8') < MIN_JWT_SECRET_BYTES) {
    throw new ConfigError(
      `AUTH_JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes (it has ${Buffer.byteLength(jwt.secret, 'utf8')}); generate one with: openssl rand -base64 32`,
    );
  }
  if (jwt.jwksUrl !== null) {
    let url: URL;
    try {
      url = new URL(jwt.jwksUrl);
    } catch {
      throw new ConfigError(`AUTH_JWKS_URL is not a URL: "${jwt.jwksUrl}"`);
    }
    if (url.protocol !== 'https:') throw new ConfigError(`AUTH_JWKS_URL must be an https: URL, got "${url.protocol}"`);
    const missing = (['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE'] as const).filter((name) => nonEmpty(env[name]) === null);
    if (missing.length > 0)
      throw new ConfigError(`With AUTH_JWKS_URL, ${missing.join(' and ')} must be set: tokens are accepted for one issuer and audience`);
  }
  return jwt;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function intInRange(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (nonEmpty(raw) === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function logLevel(raw: string | undefined): AppConfig['logLevel'] {
  const value = (nonEmpty(raw) ?? 'log').toLowerCase();
  if (value === 'info') return 'log';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as AppConfig['logLevel'];
  throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
}

// How long the service waits for PostgreSQL before it answers SERVICE_UNAVAILABLE. Every bound is
// finite, so a frozen or stopped database never holds a request for longer than about
// connectTimeoutMs + queryTimeoutMs.
export interface DatabasePoolConfig {
  poolMax: number; // DATABASE_POOL_MAX
  connectTimeoutMs: number; // DATABASE_CONNECT_TIMEOUT_MS: open a connection or wait for a free one
  statementTimeoutMs: number; // DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a longer statement
  lockTimeoutMs: number; // DATABASE_LOCK_TIMEOUT_MS: PostgreSQL gives up waiting for a row or table lock
  idleInTransactionTimeoutMs: number; // DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS
  queryTimeoutMs: number; // DATABASE_QUERY_TIMEOUT_MS: the client gives up on a database that does not answer at all
  healthTimeoutMs: number; // DATABASE_HEALTH_TIMEOUT_MS: GET /health reports the database down after this
}

export function databasePoolConfig(env: NodeJS.ProcessEnv = process.env): DatabasePoolConfig {
  const ms = (name: string, fallback: number, min = 100) => intInRange(env[name], name, fallback, min, 3_600_000);
  const statementTimeoutMs = ms('DATABASE_STATEMENT_TIMEOUT_MS', 10_000);
  return {
    poolMax: intInRange(env.DATABASE_POOL_MAX, 'DATABASE_POOL_MAX', 20, 1, 1000),
    connectTimeoutMs: ms('DATABASE_CONNECT_TIMEOUT_MS', 5_000),
    statementTimeoutMs,
    lockTimeoutMs: ms('DATABASE_LOCK_TIMEOUT_MS', 5_000),
    idleInTransactionTimeoutMs: ms('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000),
    queryTimeoutMs: ms('DATABASE_QUERY_TIMEOUT_MS', statementTimeoutMs + 2_000),
    healthTimeoutMs: ms('DATABASE_HEALTH_TIMEOUT_MS', 2_000),
  };
}
