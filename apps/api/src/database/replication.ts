import type { Pool, PoolConfig } from 'pg';
import type { DataSource, DataSourceOptions } from 'typeorm';

// TypeORM replication (DATABASE_REPLICA_URLS): the primary is the master, each replica a slave.
// defaultMode 'master': TypeORM would otherwise send every find() outside a transaction to a
// replica; here a read goes to one only when repositories/read-routing.ts says so.
export function replicationOptions(url: string, replicaUrls: readonly string[]): Partial<DataSourceOptions> {
  if (replicaUrls.length === 0) return {};
  return {
    replication: { master: { url }, slaves: replicaUrls.map((replica) => ({ url: replica })), defaultMode: 'master' },
  } as Partial<DataSourceOptions>;
}

interface PoolCreatingDriver {
  options: { replication?: { master: unknown }; extra?: PoolConfig };
  postgres: { Pool: new (config: PoolConfig) => Pool };
  createPool(options: unknown, credentials: { url?: string }): Promise<Pool>;
}

// TypeORM opens a connection to every server when the data source initialises, so one replica
// down at start would stop the service. A replica's pool is created without that probe instead:
// it connects on first use, and a read that cannot reach it falls back to the primary (ReadRouter).
// The primary's pool is TypeORM's own, probe included.
export function replicaPoolsConnectOnUse(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as PoolCreatingDriver;
  if (!driver.options.replication) return;
  const createPool = driver.createPool.bind(driver);
  driver.createPool = async (options, credentials) => {
    if (credentials === driver.options.replication?.master) return createPool(options, credentials);
    const pool = new driver.postgres.Pool({ ...driver.options.extra, connectionString: credentials.url });
    // an idle replica connection that dies (replica stopped) must not crash the process
    pool.on('error', () => undefined);
    return pool;
  };
}
