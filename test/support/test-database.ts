import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { createDataSource as CreateDataSource } from '../../apps/api/src/database/data-source';
import type { EmbeddedPostgresHandle, startEmbeddedPostgres as StartEmbeddedPostgres } from '../../apps/api/src/database/embedded-postgres';

// globalSetup runs outside jest's module mapping, so it uses the build `npm test` made first.
const DIST = resolve(__dirname, '../../dist/apps/api/apps/api/src');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDataSource } = require(`${DIST}/database/data-source.js`) as { createDataSource: typeof CreateDataSource };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmbeddedPostgres } = require(`${DIST}/database/embedded-postgres.js`) as {
  startEmbeddedPostgres: typeof StartEmbeddedPostgres;
};

// TEST_DATABASE_URL when set, else an embedded PostgreSQL started for this run and removed after.
export async function prepareTestDatabase(): Promise<{ url: string; embedded: EmbeddedPostgresHandle | null }> {
  let url = process.env.TEST_DATABASE_URL ?? null;
  let embedded: EmbeddedPostgresHandle | null = null;
  if (!url) {
    const dataDir = mkdtempSync(join(tmpdir(), 'action-plans-test-'));
    embedded = await startEmbeddedPostgres({ dataDir, database: 'action_plans_test', persistent: false });
    url = embedded.url;
  }
  const name = new URL(url).pathname.slice(1);
  if (!name.includes('test')) throw new Error(`Refusing to reset database "${name}": its name must contain "test"`);
  await resetSchema(url);
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  return { url, embedded };
}

async function resetSchema(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('DROP FUNCTION IF EXISTS task_events_append_only() CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}
