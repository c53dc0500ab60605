import type { EmbeddedPostgresHandle } from '../../apps/api/src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __EMBEDDED_PG__?: EmbeddedPostgresHandle | null }).__EMBEDDED_PG__;
  if (embedded) await embedded.stop();
}
