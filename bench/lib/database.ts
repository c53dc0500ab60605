// The database the bench runs on: BENCH_DATABASE_URL when set, else an embedded PostgreSQL the
// bench starts in a temporary directory and removes at the end. The schema comes from the
// migrations, as in production.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { runMigrations } from '../../apps/api/src/database/database-bootstrap';
import { startEmbeddedPostgres } from '../../apps/api/src/database/embedded-postgres';

export interface BenchDatabase {
  url: string;
  embedded: boolean;
  serverVersion: string;
  settings: Record<string, string>;
  stop(): Promise<void>;
}

export async function openBenchDatabase(log: (m: string) => void): Promise<BenchDatabase> {
  let url = process.env.BENCH_DATABASE_URL ?? '';
  let stop = async () => undefined;
  const embedded = url === '';
  if (embedded) {
    const dir = await mkdtemp(join(tmpdir(), 'action-plans-bench-'));
    log(`starting embedded PostgreSQL in ${dir}`);
    const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'bench', persistent: false });
    url = pg.url;
    stop = async () => {
      try {
        await pg.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
  } else {
    log('using BENCH_DATABASE_URL');
  }
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    log(`migrations applied: ${applied}`);
    const [{ server_version: serverVersion }] = await dataSource.query('SHOW server_version');
    const settings: Record<string, string> = {};
    for (const name of ['shared_buffers', 'synchronous_commit', 'max_connections', 'work_mem']) {
      const [row] = await dataSource.query(`SHOW ${name}`);
      settings[name] = row[name];
    }
    return { url, embedded, serverVersion, settings, stop };
  } finally {
    await dataSource.destroy();
  }
}

export async function openDataSource(url: string, poolMax = 20): Promise<DataSource> {
  const dataSource = createDataSource(url, {}, { ...poolDefaults(), poolMax });
  await dataSource.initialize();
  return dataSource;
}

function poolDefaults() {
  // the service's own defaults (app-config), with a longer statement timeout for bulk generation
  return {
    poolMax: 20,
    connectTimeoutMs: 30_000,
    statementTimeoutMs: 600_000,
    lockTimeoutMs: 30_000,
    idleInTransactionTimeoutMs: 600_000,
    queryTimeoutMs: 610_000,
    healthTimeoutMs: 2_000,
  };
}
