import { AgenciesResolver } from './agencies/agencies.resolver';
import { AccessDenialsResolver } from './audit/access-denials.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { ViewerResolver } from './graphql/viewer.resolver';
import { ContributionResolver } from './deadlines/contribution.resolver';
import { DeadlinesResolver } from './deadlines/deadlines.resolver';
import { PlanReportsResolver } from './deadlines/plan-reports.resolver';
import { ImportResolver } from './plans/import.resolver';
import { PlanSettingsResolver } from './plans/plan-settings.resolver';
import { PlansResolver } from './plans/plans.resolver';
import { NotificationItemResolver, NotificationsResolver } from './reminders/notifications.resolver';
import { UpcomingDeadlinesResolver } from './reminders/upcoming-deadlines.resolver';
import { TaskEventResolver } from './tasks/task-event.resolver';
import { TasksResolver } from './tasks/tasks.resolver';
import { PlanTasksResolver } from './tasks/plan-tasks.resolver';
import { TaskPeriodsResolver } from './deadlines/task-periods.resolver';
import { PeriodCloseResolver } from './reports/period-close.resolver';
import { ReportExportResolver } from './reports/report-export.resolver';
import { ScorecardResolver } from './reports/scorecard.resolver';
import { TaskChangedResolver } from './live/task-changed.resolver';

// Every resolver of the schema: the app module serves them, the schema CLI prints them.
export const RESOLVERS = [
  AgenciesResolver,
  PlansResolver,
  TasksResolver,
  PlanTasksResolver,
  TaskPeriodsResolver,
  TaskEventResolver,
  AuditResolver,
  AccessDenialsResolver,
  ViewerResolver,
  ImportResolver,
  DeadlinesResolver,
  PlanReportsResolver,
  ContributionResolver,
  PlanSettingsResolver,
  UpcomingDeadlinesResolver,
  NotificationsResolver,
  NotificationItemResolver,
  ScorecardResolver,
  ReportExportResolver,
  PeriodCloseResolver,
  TaskChangedResolver,
];
