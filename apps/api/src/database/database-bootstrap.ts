import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';

export interface DatabaseTarget {
  url: string;
  embedded: EmbeddedPostgresHandle | null;
}

// DATABASE_URL when given; else the embedded PostgreSQL another process of ours already runs on
// <dataDir>/pg (the service while the import CLI runs, say); else one we start, announced in
// <dataDir>/embedded-url until it stops.
export async function resolveDatabase(config: AppConfig, log: (m: string) => void): Promise<DatabaseTarget> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const announced = join(config.dataDir, 'embedded-url');
  const running = existsSync(announced) ? (await readFile(announced, 'utf8')).trim() : null;
  if (running && (await answers(running))) {
    log(`Using the embedded PostgreSQL already running on ${join(config.dataDir, 'pg')}`);
    return { url: running, embedded: null };
  }
  log(`No DATABASE_URL: starting embedded PostgreSQL with its data in ${join(config.dataDir, 'pg')}`);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'action_plans' });
  await writeFile(announced, `${embedded.url}\n`, { mode: 0o600 });
  return {
    url: embedded.url,
    embedded: {
      url: embedded.url,
      stop: async () => {
        await rm(announced, { force: true });
        await embedded.stop();
      },
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Several instances may start at once (a rolling upgrade, a scaled deployment), and TypeORM's
// runMigrations takes no lock: without one, two instances apply the same migration and one fails.
// A PostgreSQL advisory lock makes them take turns: one applies what is pending, the others wait,
// then find nothing left. The lock is held by one connection, so a crashed holder releases it.
export const MIGRATION_LOCK_KEY = 7_301_146_200;
const MIGRATION_LOCK_POLL_MS = 250;
const MIGRATION_LOCK_WAIT_MS = 15 * 60_000;

export async function runMigrations(dataSource: DataSource, log: (message: string) => void = () => undefined): Promise<number> {
  const runner = dataSource.createQueryRunner('master');
  try {
    // pg_try_advisory_lock answers at once, so no statement or lock timeout cuts the wait short
    for (let waited = 0; ; waited += MIGRATION_LOCK_POLL_MS) {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY])) as { locked: boolean }[];
      if (locked) break;
      if (waited === 0) log('Another instance is applying migrations: waiting for it');
      if (waited >= MIGRATION_LOCK_WAIT_MS)
        throw new Error(`Another instance held the migration lock for ${MIGRATION_LOCK_WAIT_MS / 60_000} minutes`);
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
    }
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.length;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

// In embedded mode the JWT secret is generated once and kept beside the data.
export async function resolveJwtSecret(config: AppConfig): Promise<string | null> {
  if (config.jwt.secret || config.jwt.jwksUrl) return config.jwt.secret;
  if (config.databaseUrl) return null;
  const file = join(config.dataDir, 'jwt-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
