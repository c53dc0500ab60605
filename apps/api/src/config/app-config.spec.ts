import { resolve } from 'node:path';
import { ConfigError, databasePoolConfig, loadConfig, type AppConfig } from './app-config';
import { ENV_NAMES, settingMeta } from './config-schema';

const TTY = { stdoutIsTty: true };
const PIPE = { stdoutIsTty: false };

function problemsOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env, PIPE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe(loadConfig.name, () => {
  it('does give every default when no variable is set', () => {
    const expected: AppConfig = {
      databaseUrl: null,
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('.data'),
      jwt: { secret: null, jwksUrl: null, issuer: null, audience: null },
      logLevel: 'log',
      logFormat: 'json',
      loadSample: false,
      deadlineSweepIntervalMs: 60_000,
      production: false,
      exposeSqlQueryCount: false,
      introspection: true,
      rateLimit: { max: 600, windowMs: 60_000 },
      bodyLimit: { user: 1024 * 1024, admin: 16 * 1024 * 1024 },
      database: {
        poolMax: 20,
        connectTimeoutMs: 5_000,
        statementTimeoutMs: 10_000,
        lockTimeoutMs: 5_000,
        idleInTransactionTimeoutMs: 60_000,
        queryTimeoutMs: 12_000,
        healthTimeoutMs: 2_000,
        replicaUrls: [],
      },
      metrics: { token: null, port: null },
      console: { enabled: true },
      shutdownGraceMs: 10_000,
    };
    expect(loadConfig({}, PIPE)).toEqual(expected);
  });

  it('does treat blank variables as unset', () => {
    expect(loadConfig({ PORT: '  ', LOG_LEVEL: '', DATABASE_URL: ' ' }, PIPE)).toMatchObject({
      port: 3000,
      logLevel: 'log',
      databaseUrl: null,
    });
  });

  it('does pick pretty logs on a terminal outside production and json otherwise', () => {
    expect(loadConfig({}, TTY).logFormat).toBe('pretty');
    expect(loadConfig({}, PIPE).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'production' }, TTY).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'PRETTY', NODE_ENV: 'production' }, PIPE).logFormat).toBe('pretty');
  });

  it('does turn off introspection and the console in production unless enabled', () => {
    expect(loadConfig({ NODE_ENV: 'production' }, PIPE)).toMatchObject({
      production: true,
      introspection: false,
      console: { enabled: false },
    });
    expect(loadConfig({ NODE_ENV: 'production', CONSOLE_ENABLED: 'true', GRAPHQL_INTROSPECTION: '1' }, PIPE)).toMatchObject({
      introspection: true,
      console: { enabled: true },
    });
  });

  it('does read every new operations variable when it is valid', () => {
    const config = loadConfig(
      {
        METRICS_TOKEN: 'm'.repeat(16),
        METRICS_PORT: '9464',
        DATABASE_REPLICA_URLS: 'postgres://r1/db, postgresql://u:p@r2:5433/db',
        SHUTDOWN_GRACE_MS: '2500',
        LOG_LEVEL: 'INFO',
        LOAD_SAMPLE: 'true',
      },
      PIPE,
    );
    expect(config.metrics).toEqual({ token: 'm'.repeat(16), port: 9464 });
    expect(config.database.replicaUrls).toEqual(['postgres://r1/db', 'postgresql://u:p@r2:5433/db']);
    expect(config.shutdownGraceMs).toBe(2500);
    expect(config.logLevel).toBe('log');
    expect(config.loadSample).toBe(true);
  });

  it('does derive the query timeout from the statement timeout unless it is set', () => {
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '3000' }, PIPE).database.queryTimeoutMs).toBe(5000);
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '3000', DATABASE_QUERY_TIMEOUT_MS: '4000' }, PIPE).database.queryTimeoutMs).toBe(
      4000,
    );
  });

  it.each([
    ['PORT', 'abc', 'an integer between 0 and 65535'],
    ['PORT', '70000', 'an integer between 0 and 65535'],
    ['DATABASE_POOL_MAX', '1.5', 'an integer between 1 and 1000'],
    ['SHUTDOWN_GRACE_MS', '50', 'an integer between 100 and 3600000'],
    ['METRICS_PORT', '0', 'an integer between 1 and 65535'],
    ['LOG_LEVEL', 'loud', 'one of error, warn, log, debug, verbose (info means log)'],
    ['LOG_FORMAT', 'xml', 'json or pretty'],
    ['CONSOLE_ENABLED', 'yes', 'true or false'],
    ['AUTH_JWKS_URL', 'not a url', 'an https: URL'],
    ['HOST', 'h'.repeat(256), 'at most 255 characters'],
  ])('does refuse a wrong %s, saying what it must be and what it got', (variable, value, expected) => {
    const error = problemsOf({ [variable]: value, AUTH_JWT_ISSUER: 'https://id.example.vn', AUTH_JWT_AUDIENCE: 'action-plans' });
    const shown = value.length > 100 ? `${value.slice(0, 100)}…` : value;
    expect(error.problems).toEqual([{ variable, expected, given: JSON.stringify(shown) }]);
    expect(error.message).toBe(`${variable} must be ${expected}, got ${JSON.stringify(shown)}`);
  });

  it('does name both missing settings when AUTH_JWKS_URL is set without an issuer and audience', () => {
    const error = problemsOf({ AUTH_JWKS_URL: 'https://id.example.vn/jwks.json' });
    expect(error.problems.map((p) => p.variable)).toEqual(['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE']);
  });

  it('does report every wrong variable at once, each by name', () => {
    const error = problemsOf({ PORT: '-1', LOG_LEVEL: 'loud', RATE_LIMIT_WINDOW_MS: '10', LOAD_SAMPLE: 'maybe', HOST: '127.0.0.1' });
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['LOAD_SAMPLE', 'LOG_LEVEL', 'PORT', 'RATE_LIMIT_WINDOW_MS']);
    for (const variable of ['PORT', 'LOG_LEVEL', 'RATE_LIMIT_WINDOW_MS', 'LOAD_SAMPLE'])
      expect(error.message).toContain(`${variable} must be`);
  });

  it('does never echo a secret value, only its size', () => {
    const env = {
      AUTH_JWT_SECRET: 'short-jwt-secret',
      METRICS_TOKEN: 'tiny-token',
      DATABASE_URL: 'mysql://root:hunter2-password@db/app',
      DATABASE_REPLICA_URLS: 'postgres://u:pw@r1/db,http://u:replica-password@r2/db',
    };
    const error = problemsOf(env);
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'AUTH_JWT_SECRET',
      'DATABASE_REPLICA_URLS',
      'DATABASE_URL',
      'METRICS_TOKEN',
    ]);
    for (const secret of ['short-jwt-secret', 'tiny-token', 'hunter2-password', 'replica-password', 'mysql', 'http://']) {
      expect(error.message).not.toContain(secret);
    }
    expect(error.problems.find((p) => p.variable === 'AUTH_JWT_SECRET')).toEqual({
      variable: 'AUTH_JWT_SECRET',
      expected: 'at least 32 bytes (generate one with: openssl rand -base64 32)',
      given: 'a secret of 16 bytes (not shown)',
    });
  });

  it('does count a secret in bytes, so 11 Vietnamese letters are not a 32-byte key', () => {
    expect(problemsOf({ AUTH_JWT_SECRET: 'ệ'.repeat(10) }).problems[0].given).toBe('a secret of 30 bytes (not shown)');
    expect(loadConfig({ AUTH_JWT_SECRET: 'ệ'.repeat(11) }, PIPE).jwt.secret).toBe('ệ'.repeat(11));
  });

  it('does refuse more replicas than it takes', () => {
    const urls = Array.from({ length: 17 }, (_, i) => `postgres://r${i}/db`).join(',');
    expect(problemsOf({ DATABASE_REPLICA_URLS: urls }).problems[0].expected).toMatch(/lists 17 URLs; at most 16/);
  });
});

describe(databasePoolConfig.name, () => {
  it('does validate only the pool variables', () => {
    expect(databasePoolConfig({ PORT: 'not checked here', DATABASE_POOL_MAX: '7' }).poolMax).toBe(7);
    expect(() => databasePoolConfig({ DATABASE_HEALTH_TIMEOUT_MS: '5' })).toThrow(
      /DATABASE_HEALTH_TIMEOUT_MS must be an integer between 100 and 3600000, got "5"/,
    );
  });
});

describe('config schema', () => {
  it('does describe every variable, each with a default', () => {
    for (const name of ENV_NAMES) {
      const meta = settingMeta(name);
      expect([name, meta.description.length > 10, meta.default.length > 0]).toEqual([name, true, true]);
    }
  });
});
