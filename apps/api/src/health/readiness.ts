import type { HealthRepository } from '../repositories/health.repository';
import type { ShutdownState } from '../shutdown/shutdown-state';

export interface ReadinessAnswer {
  ready: boolean;
  body: { status: 'ready' | 'unavailable'; reason?: string; database?: 'up' | 'down'; migrations?: 'applied' | 'pending' | 'unknown' };
}

// Send traffic here only while migrated, the database answers within DATABASE_HEALTH_TIMEOUT_MS,
// and no shutdown has begun (checked first: a draining instance asks the database nothing).
export async function readiness(health: HealthRepository, shutdown: ShutdownState): Promise<ReadinessAnswer> {
  if (shutdown.draining) return { ready: false, body: { status: 'unavailable', reason: 'shutting down' } };
  const { database, migrations } = await health.check();
  const reason =
    database === 'down'
      ? 'database not answering'
      : migrations !== 'applied'
        ? 'migrations pending'
        : shutdown.draining
          ? 'shutting down'
          : null;
  if (reason) return { ready: false, body: { status: 'unavailable', reason, database, migrations } };
  return { ready: true, body: { status: 'ready', database, migrations } };
}
