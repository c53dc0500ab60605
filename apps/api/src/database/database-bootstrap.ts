import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';

export interface DatabaseTarget {
  url: string;
  embedded: EmbeddedPostgresHandle | null;
}

// DATABASE_URL when given, else an embedded PostgreSQL whose data stays under <dataDir>/pg.
export async function resolveDatabase(config: AppConfig, log: (m: string) => void): Promise<DatabaseTarget> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  log(`No DATABASE_URL: starting embedded PostgreSQL with its data in ${join(config.dataDir, 'pg')}`);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'action_plans' });
  return { url: embedded.url, embedded };
}

export async function runMigrations(dataSource: DataSource): Promise<number> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.length;
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
