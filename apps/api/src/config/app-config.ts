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
