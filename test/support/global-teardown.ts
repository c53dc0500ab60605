import type { EmbeddedPostgresHandle } from '../../apps/api/src/database/embedded-postgres';
import { auditEveryTask } from './audit-every-task';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __EMBEDDED_PG__?: EmbeddedPostgresHandle | null }).__EMBEDDED_PG__;
  try {
    const { tasks, broken } = await auditEveryTask(process.env.TEST_DATABASE_URL!);
    if (broken.length > 0) {
      throw new Error(
        `replay is not consistent for ${broken.length} of ${tasks} tasks the tests touched: ${broken.slice(0, 10).join(', ')}`,
      );
    }
    console.log(`\nAudit of every task the tests touched: ${tasks} tasks replay consistently, every hash chain intact`);
  } finally {
    if (embedded) await embedded.stop();
  }
}
