import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isDatabaseUnavailable } from './database-errors';

// Where a read runs (docs/OPERATIONS.md, "Read replicas").
// - 'replica': a streaming replica of DATABASE_REPLICA_URLS, when there is one. It may lag the
//   primary by the replication delay, so only reads that show data (scorecards, report exports,
//   plan pages, task pages, replays and timelines, the audit's batches, plan reports) ask for it.
// - 'primary': writes, transitions and the reads they decide on, idempotency checks, and anything
//   that must see a write just made. Every read that does not name a preference stays here.
export type ReadPreference = 'primary' | 'replica';

// Both messages are warnings: an operator who sees the first must see the second at the same level.
export interface ReadRoutingLog {
  warn(message: string): void;
}

// After a replica failed, reads go straight to the primary for this long before one tries again:
// a replica that is down costs one failed connection attempt per interval, not one per request.
const RETRY_AFTER_MS = 5_000;

// SQLSTATE of a standby cancelling a query that conflicts with the WAL it replays.
const RECOVERY_CONFLICT = new Set(['40001', '40P01']);

const ROUTERS = new WeakMap<DataSource, ReadRouter>();

// Sends a read to a replica or the primary. A replica that is down, refuses the connection or is
// cancelled by recovery falls back to the primary, which answers instead; the fall-back is logged
// once when it starts and once when the replica answers again, never per request.
export class ReadRouter {
  private failedAt: number | null = null;
  private log: ReadRoutingLog | null = null;

  private constructor(private readonly dataSource: DataSource) {}

  // One router per data source, shared by its repositories (so the "replica down" state is too).
  static of(dataSource: DataSource, log?: ReadRoutingLog | null): ReadRouter {
    let router = ROUTERS.get(dataSource);
    if (!router) {
      router = new ReadRouter(dataSource);
      ROUTERS.set(dataSource, router);
    }
    if (log) router.log = log;
    return router;
  }

  // Whether DATABASE_REPLICA_URLS named any replica.
  get replicated(): boolean {
    const driver = this.dataSource.driver as unknown as { isReplicated?: boolean; slaves?: unknown[] };
    return Boolean(driver.isReplicated && (driver.slaves?.length ?? 0) > 0);
  }

  query<T = Record<string, unknown>>(read: ReadPreference, sql: string, parameters: unknown[]): Promise<T[]> {
    if (!this.useReplica(read)) return this.dataSource.query(sql, parameters);
    return this.onReplica(
      (runner) => runner.query(sql, parameters) as Promise<T[]>,
      () => this.dataSource.query(sql, parameters),
    );
  }

  // One REPEATABLE READ READ ONLY snapshot for several reads (a standby serves those too): every
  // statement of `work` sees the database as it was at the first one. On a replica failure the
  // whole of `work` runs again on the primary, so `work` must only read, and build its result from
  // scratch (not add to something outside it).
  snapshot<T>(read: ReadPreference, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const onPrimary = () => inSnapshot(this.dataSource.createQueryRunner('master'), work);
    if (!this.useReplica(read)) return onPrimary();
    return this.onReplica((runner) => inSnapshot(runner, work, false), onPrimary);
  }

  private useReplica(read: ReadPreference): boolean {
    if (read !== 'replica' || !this.replicated) return false;
    return this.failedAt === null || Date.now() - this.failedAt >= RETRY_AFTER_MS;
  }

  private async onReplica<T>(work: (runner: QueryRunner) => Promise<T>, onPrimary: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('slave');
    let result: T;
    try {
      result = await work(runner);
    } catch (error) {
      if (!replicaFailure(error)) throw error;
      this.failed(error);
      return onPrimary();
    } finally {
      await runner.release().catch(() => undefined);
    }
    this.answered();
    return result;
  }

  private failed(error: unknown): void {
    const first = this.failedAt === null;
    this.failedAt = Date.now();
    if (first) {
      this.log?.warn(
        `Read replica unavailable (${describe(error)}): replica reads go to the primary until it answers again (retried every ${RETRY_AFTER_MS / 1000} s)`,
      );
    }
  }

  private answered(): void {
    if (this.failedAt === null) return;
    this.failedAt = null;
    this.log?.warn('Read replica answering again: replica reads go to it again');
  }
}

// release: false when the caller releases the runner itself.
async function inSnapshot<T>(runner: QueryRunner, work: (manager: EntityManager) => Promise<T>, release = true): Promise<T> {
  try {
    await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(runner.manager);
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    // the first error is the one to report; a connection too broken to roll back is dropped by the pool
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    if (release) await runner.release();
  }
}

function replicaFailure(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const code = (error as { driverError?: { code?: unknown }; code?: unknown })?.driverError?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && RECOVERY_CONFLICT.has(code);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}
