import type { DataSource } from 'typeorm';
import { AgenciesService } from './agencies/agencies.service';
import { AccessDenialsService } from './audit/access-denials.service';
import { AuditService } from './audit/audit.service';
import { ActorResolver } from './auth/actor-resolver.service';
import { JwtService } from './auth/jwt.service';
import type { Clock } from './common/clock';
import type { JwtConfig } from './config/app-config';
import { DeadlineSweepService } from './deadlines/deadline-sweep.service';
import { DeadlinesService } from './deadlines/deadlines.service';
import { PlanReportsService } from './deadlines/plan-reports.service';
import { PlanImportService } from './plans/plan-import.service';
import { PlanAmendmentService } from './plans/amendment/plan-amendment.service';
import { PlanSettingsService } from './plans/plan-settings.service';
import { PlanWriterService } from './plans/plan-writer.service';
import { PlansService } from './plans/plans.service';
import { DigestService } from './reminders/digest.service';
import { NotificationsService } from './reminders/notifications.service';
import { UpcomingDeadlinesService } from './reminders/upcoming-deadlines.service';
import { PeriodCloseService } from './reports/period-close.service';
import { ReportExportService } from './reports/report-export.service';
import { ScorecardService } from './reports/scorecard.service';
import { createRepositories, type Repositories } from './repositories/repositories';
import { TaskQueryService } from './tasks/task-query.service';
import { TransitionService } from './tasks/transition.service';
import { LiveUpdatesService } from './live/live-updates.service';
import { TaskChangeFeed } from './repositories/task-change-feed';

export interface ServiceDeps {
  dataSource: DataSource;
  clock: Clock;
  // null: no token verification (CLIs and tests that act as a fixed operator)
  jwt?: (JwtConfig & { secret: string | null }) | null;
  // where services report what they skipped (a task the sweep could not write, a denial not recorded)
  logger?: { warn(message: string): void } | null;
}

export type Services = ReturnType<typeof createServices>;

// The one wiring of the service graph: the Nest module, the CLIs and the integration tests all
// build it here.
export function createServices({ dataSource, clock, jwt = null, logger = null }: ServiceDeps) {
  const repositories: Repositories = createRepositories(dataSource, logger);
  const { agencies, plans, tasks, events, notifications, transactions } = repositories;
  const log = logger ?? undefined;
  const denials = new AccessDenialsService({ denials: repositories.accessDenials, clock, log });
  const agenciesService = new AgenciesService(agencies, denials);
  const transitions = new TransitionService({ tasks, events, transactions, clock, denials });
  const sweeper = new DeadlineSweepService({ tasks, transactions, transitions, log });
  const writer = new PlanWriterService({ agencies, plans, tasks, transactions });
  const digest = new DigestService(notifications);
  const scorecards = new ScorecardService({ plans, scorecards: repositories.scorecards, clock });
  const periods = new PeriodCloseService({
    plans,
    scorecards: repositories.scorecards,
    periodCloses: repositories.periodCloses,
    denials,
    clock,
  });
  return {
    repositories,
    clock,
    agencies: agenciesService,
    plans: new PlansService(plans),
    planWriter: writer,
    planImport: new PlanImportService({
      agencies,
      plans,
      transactions,
      writer,
      denials,
      clock,
      amendments: new PlanAmendmentService({ agencies, plans, tasks, writer, transitions }),
    }),
    planSettings: new PlanSettingsService(plans, denials),
    taskQueries: new TaskQueryService({ tasks, plans, agencies }),
    transitions,
    audit: new AuditService({ plans, tasks, events, transactions, denials, periods }),
    accessDenials: denials,
    sweeper,
    deadlines: new DeadlinesService(sweeper, clock, denials),
    planReports: new PlanReportsService({ plans, tasks, events, clock }),
    scorecards,
    periodCloses: periods,
    reportExport: new ReportExportService({ plans, scorecards: repositories.scorecards, agencies, periods, clock }),
    upcomingDeadlines: new UpcomingDeadlinesService({ tasks, agencies: agenciesService, clock }),
    digest,
    notifications: new NotificationsService({ notifications, agencies: agenciesService, digest, clock, denials }),
    actors: jwt ? new ActorResolver(new JwtService(jwt), agencies) : null,
    liveUpdates: new LiveUpdatesService(plans),
    // connects only when started (the API's LiveUpdatesRelay)
    taskChangeFeed: () => TaskChangeFeed.of(dataSource, { log }),
  };
}
