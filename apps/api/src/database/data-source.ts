import { Client, type ClientConfig } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { databasePoolConfig, type DatabasePoolConfig } from '../config/app-config';
import { replicationOptions, replicaPoolsConnectOnUse } from './replication';
import { AgencyGroupMemberEntity } from './entities/agency-group-member.entity';
import { AgencyEntity } from './entities/agency.entity';
import { ProvinceEntity } from './entities/province.entity';
import { TaskEventEntity } from './entities/task-event.entity';
import { PlanEntity } from './entities/plan.entity';
import { SectionEntity } from './entities/section.entity';
import { NotificationEntity } from './entities/notification.entity';
import { TaskCoordinatorEntity } from './entities/task-coordinator.entity';
import { TaskEntity } from './entities/task.entity';
import { InitialSchema1763900000000 } from './migrations/1763900000000-initial-schema';
import { PlanSourceHash1763990000000 } from './migrations/1763990000000-plan-source-hash';
import { AuditNoTruncate1764000000000 } from './migrations/1764000000000-audit-no-truncate';
import { PlanCoordinatorInput1764100000000 } from './migrations/1764100000000-plan-coordinator-input';
import { Notifications1764200000000 } from './migrations/1764200000000-notifications';
import { AgencyGroupMembers1764300000000 } from './migrations/1764300000000-agency-group-members';
import { TaskLastHash1764400000000 } from './migrations/1764400000000-task-last-hash';
import { TaskCoordinatorPosition1764500000000 } from './migrations/1764500000000-task-coordinator-position';
import { IdempotencyPerActor1764600000000 } from './migrations/1764600000000-idempotency-per-actor';
import { AccessDenials1764610000000 } from './migrations/1764610000000-access-denials';
import { OpenDueIndex1764700000000 } from './migrations/1764700000000-open-due-index';
import { PeriodCloses1764800000000 } from './migrations/1764800000000-period-closes';
import { PlanVersions1764900000000 } from './migrations/1764900000000-plan-versions';
import { AccessDenialEntity } from './entities/access-denial.entity';

export const ENTITIES = [
  ProvinceEntity,
  AgencyEntity,
  AgencyGroupMemberEntity,
  PlanEntity,
  SectionEntity,
  TaskEntity,
  TaskCoordinatorEntity,
  TaskEventEntity,
  NotificationEntity,
  AccessDenialEntity,
];
export const MIGRATIONS = [
  InitialSchema1763900000000,
  PlanSourceHash1763990000000,
  AuditNoTruncate1764000000000,
  PlanCoordinatorInput1764100000000,
  Notifications1764200000000,
  AgencyGroupMembers1764300000000,
  TaskLastHash1764400000000,
  TaskCoordinatorPosition1764500000000,
  IdempotencyPerActor1764600000000,
  AccessDenials1764610000000,
  OpenDueIndex1764700000000,
  PeriodCloses1764800000000,
  PlanVersions1764900000000,
];

// The pool's bounds, and the streaming replicas reads may be routed to (none: every read on `url`).
export type DataSourcePoolConfig = DatabasePoolConfig & { replicaUrls?: readonly string[] };

// synchronize is off everywhere, tests included: the schema comes only from migrations.
// The pool's bounds (app-config DatabasePoolConfig) make a stopped or frozen database an error
// within seconds instead of a request that hangs. With replicas, TypeORM's replication keeps one
// pool per server; only what repositories/read-routing.ts sends to 'replica' reads from them.
export function dataSourceOptions(
  url: string,
  extra: Partial<DataSourceOptions> = {},
  pool: DataSourcePoolConfig = databasePoolConfig(),
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    ...replicationOptions(url, pool.replicaUrls ?? []),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: poolOptions(pool),
    ...extra,
  } as DataSourceOptions;
}

export function poolOptions(pool: DatabasePoolConfig): Record<string, unknown> {
  return {
    max: pool.poolMax,
    // opening a connection, and waiting for a free one when all are busy
    connectionTimeoutMillis: pool.connectTimeoutMs,
    // server side: PostgreSQL cancels the statement (57014), gives up a lock (55P03), ends an idle transaction
    statement_timeout: pool.statementTimeoutMs,
    lock_timeout: pool.lockTimeoutMs,
    idle_in_transaction_session_timeout: pool.idleInTransactionTimeoutMs,
    // client side: a database that does not answer at all (frozen, network gone) cannot cancel anything
    query_timeout: pool.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'action-plans',
    Client: BoundedClient,
  };
}

const TIMEOUTS = new WeakMap<DataSource, DatabasePoolConfig>();

export function createDataSource(
  url: string,
  extra: Partial<DataSourceOptions> = {},
  pool: DataSourcePoolConfig = databasePoolConfig(),
): DataSource {
  const dataSource = new DataSource(dataSourceOptions(url, extra, pool));
  replicaPoolsConnectOnUse(dataSource);
  TIMEOUTS.set(dataSource, pool);
  return dataSource;
}

// The bounds a data source was built with (the health check uses its own short one).
export function poolConfigOf(dataSource: DataSource): DatabasePoolConfig {
  return TIMEOUTS.get(dataSource) ?? databasePoolConfig();
}

// pg's query_timeout answers the caller but keeps the connection waiting for the late reply, so
// the transaction's ROLLBACK and every later query on it would queue behind that reply (each
// waiting its own query_timeout). A connection whose query timed out is closed instead: what is
// queued on it fails at once, the pool drops it, and PostgreSQL rolls its transaction back.
class BoundedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    (this as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) result.catch((error: unknown) => this.closeOnReadTimeout(error));
      return result;
    };
  }

  private closeOnReadTimeout(error: unknown): void {
    if ((error as Error)?.message !== 'Query read timeout') return;
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}
