import type { DataSource } from 'typeorm';
import { AccessDenialRepository } from './access-denial.repository';
import { AgencyRepository } from './agency.repository';
import { HealthRepository } from './health.repository';
import { NotificationRepository } from './notification.repository';
import { PeriodCloseRepository } from './period-close.repository';
import { PlanRepository } from './plan.repository';
import { ReadRouter, type ReadRoutingLog } from './read-routing';
import { ScorecardRepository } from './scorecard.repository';
import { TaskEventRepository } from './task-event.repository';
import { TaskRepository } from './task.repository';
import { Transactions } from './transaction';

// The data-access layer: one repository per aggregate. All SQL of the API lives in these files.
export interface Repositories {
  agencies: AgencyRepository;
  plans: PlanRepository;
  tasks: TaskRepository;
  events: TaskEventRepository;
  notifications: NotificationRepository;
  health: HealthRepository;
  accessDenials: AccessDenialRepository;
  scorecards: ScorecardRepository;
  periodCloses: PeriodCloseRepository;
  transactions: Transactions;
}

// log: where a replica falling out of use, and coming back, is reported (read-routing.ts).
export function createRepositories(dataSource: DataSource, log: ReadRoutingLog | null = null): Repositories {
  ReadRouter.of(dataSource, log);
  return {
    agencies: new AgencyRepository(dataSource),
    plans: new PlanRepository(dataSource),
    tasks: new TaskRepository(dataSource),
    events: new TaskEventRepository(dataSource),
    notifications: new NotificationRepository(dataSource),
    health: new HealthRepository(dataSource),
    accessDenials: new AccessDenialRepository(dataSource),
    scorecards: new ScorecardRepository(dataSource),
    periodCloses: new PeriodCloseRepository(dataSource),
    transactions: new Transactions(dataSource),
  };
}
