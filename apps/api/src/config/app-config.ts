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
  database: DatabasePoolConfig;
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
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    port: intInRange(env.PORT, 'PORT', 3000, 0, 65535),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    dataDir: resolve(nonEmpty(env.DATA_DIR) ?? '.data'),
    jwt: {
      secret: nonEmpty(env.AUTH_JWT_SECRET),
      jwksUrl: nonEmpty(env.AUTH_JWKS_URL),
      issuer: nonEmpty(env.AUTH_JWT_ISSUER),
      audience: nonEmpty(env.AUTH_JWT_AUDIENCE),
    },
    logLevel: logLevel(env.LOG_LEVEL),
    loadSample: env.LOAD_SAMPLE === 'true',
    deadlineSweepIntervalMs: intInRange(env.DEADLINE_SWEEP_INTERVAL_MS, 'DEADLINE_SWEEP_INTERVAL_MS', 60000, 0, 86_400_000),
    production: env.NODE_ENV === 'production',
    exposeSqlQueryCount: env.EXPOSE_SQL_QUERY_COUNT === 'true',
    database: databasePoolConfig(env),
  };
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
