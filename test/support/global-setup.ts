import { prepareTestDatabase } from './test-database';

// One PostgreSQL for the whole run, migrated from scratch; workers find it in TEST_DATABASE_URL.
export default async function globalSetup(): Promise<void> {
  const { url, embedded } = await prepareTestDatabase();
  process.env.TEST_DATABASE_URL = url;
  (globalThis as { __EMBEDDED_PG__?: unknown }).__EMBEDDED_PG__ = embedded;
}
