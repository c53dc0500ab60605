import type { DataSource } from 'typeorm';
import type { PoolStats } from './metrics';

// The pg Pool behind TypeORM's postgres driver (its primary; `master` in TypeORM's words), read at
// scrape time. Null before the data source is initialized or after it is destroyed.
export function poolStatsOf(dataSource: DataSource): PoolStats | null {
  const pool = (dataSource.driver as unknown as { master?: Partial<PoolStats> }).master;
  if (!pool || typeof pool.totalCount !== 'number') return null;
  return { totalCount: pool.totalCount, idleCount: pool.idleCount ?? 0, waitingCount: pool.waitingCount ?? 0 };
}
