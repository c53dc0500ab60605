import { DataSource, type DataSourceOptions } from 'typeorm';
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
];

// synchronize is off everywhere, tests included: the schema comes only from migrations.
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: 20 },
    ...extra,
  } as DataSourceOptions;
}

export function createDataSource(url: string, extra: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(dataSourceOptions(url, extra));
}
