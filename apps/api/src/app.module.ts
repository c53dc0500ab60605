import { Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { AgenciesService } from './agencies/agencies.service';
import { AuditService } from './audit/audit.service';
import { CLOCK } from './common/clock';
import type { AppConfig } from './config/app-config';
import { DeadlineScheduler } from './deadlines/deadline-scheduler';
import { DeadlinesService } from './deadlines/deadlines.service';
import { PlanReportsService } from './deadlines/plan-reports.service';
import { AuthGuard, requireActor } from './graphql/auth.guard';
import { createErrorFormatter } from './graphql/error-formatter';
import { actorOf } from './graphql/http-guards';
import { QUERY_LIMITS, documentRules, limitComplexity, limitQueryText, limitSubscription } from './graphql/query-limits';
import { Loaders, type RequestContext } from './graphql/request-context';
import { HealthController } from './health/health.controller';
import { LiveConnections } from './live/live-connections';
import { liveSubscriptionOptions } from './live/live-subscriptions';
import { LiveUpdatesRelay } from './live/live-updates.relay';
import { LiveUpdatesService } from './live/live-updates.service';
import { PlanImportService } from './plans/plan-import.service';
import { PlanSettingsService } from './plans/plan-settings.service';
import { PlansService } from './plans/plans.service';
import { NotificationsService } from './reminders/notifications.service';
import { UpcomingDeadlinesService } from './reminders/upcoming-deadlines.service';
import { HealthRepository } from './repositories/health.repository';
import { PeriodCloseService } from './reports/period-close.service';
import { ReportExportService } from './reports/report-export.service';
import { ScorecardService } from './reports/scorecard.service';
import { RESOLVERS } from './resolvers';
import type { Services } from './services';
import { TaskQueryService } from './tasks/task-query.service';
import { TransitionService } from './tasks/transition.service';
import { ShutdownState } from './shutdown/shutdown-state';

export interface AppModuleOptions {
  config: AppConfig;
  services: Services;
}

// Nest only serves what createServices built: each service is a provider by value.
function serviceProviders(services: Services): Provider[] {
  return [
    { provide: CLOCK, useValue: services.clock },
    { provide: AgenciesService, useValue: services.agencies },
    { provide: PlansService, useValue: services.plans },
    { provide: PlanImportService, useValue: services.planImport },
    { provide: PlanSettingsService, useValue: services.planSettings },
    { provide: TaskQueryService, useValue: services.taskQueries },
    { provide: TransitionService, useValue: services.transitions },
    { provide: AuditService, useValue: services.audit },
    { provide: DeadlinesService, useValue: services.deadlines },
    { provide: PlanReportsService, useValue: services.planReports },
    { provide: ScorecardService, useValue: services.scorecards },
    { provide: ReportExportService, useValue: services.reportExport },
    { provide: PeriodCloseService, useValue: services.periodCloses },
    { provide: UpcomingDeadlinesService, useValue: services.upcomingDeadlines },
    { provide: NotificationsService, useValue: services.notifications },
    { provide: HealthRepository, useValue: services.repositories.health },
    { provide: LiveUpdatesService, useValue: services.liveUpdates },
  ];
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { services } = options;
    const scheduler = new DeadlineScheduler(
      services.sweeper,
      services.clock,
      options.config.deadlineSweepIntervalMs,
      new Logger('DeadlineSweep'),
      services.digest,
    );
    const relay: Provider = {
      provide: LiveUpdatesRelay,
      inject: [HttpAdapterHost],
      // Mercurius decorates Fastify with its pubsub when the GraphQL module starts (before bootstrap hooks)
      useFactory: (host: HttpAdapterHost) =>
        new LiveUpdatesRelay(
          services.taskChangeFeed(),
          () => host.httpAdapter.getInstance<{ graphql: { pubsub: never } }>().graphql.pubsub,
        ),
    };
    const providers = [...serviceProviders(services), { provide: DeadlineScheduler, useValue: scheduler }, relay];
    const core: DynamicModule = {
      module: CoreModule,
      global: true,
      providers,
      exports: providers.map((p) => (p as { provide: unknown }).provide as never),
    };
    return {
      module: AppModule,
      imports: [core, graphqlModule(options.config, services)],
      controllers: [HealthController],
      providers: [...RESOLVERS, { provide: APP_GUARD, useClass: AuthGuard }, ShutdownState],
    };
  }
}

@Module({})
export class CoreModule {}

function graphqlModule(config: AppConfig, services: Services): DynamicModule {
  const sources = services.repositories;
  return GraphQLModule.forRootAsync<MercuriusDriverConfig>({
    driver: MercuriusDriver,
    useFactory: () => ({
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      graphiql: config.introspection,
      csrfPrevention: true,
      jit: 1,
      graphql: { parseOptions: { maxTokens: QUERY_LIMITS.tokens } },
      validationRules: documentRules({ introspection: config.introspection }),
      hooks: {
        preParsing: limitQueryText as never,
        preValidation: requireActor as never,
        preExecution: limitComplexity as never,
        preSubscriptionExecution: limitSubscription({ introspection: config.introspection }) as never,
      },
      errorFormatter: createErrorFormatter(new Logger('GraphQL')) as never,
      // the token was verified before the body was read (graphql/http-guards.ts)
      context: (request: never): RequestContext => {
        const actor = actorOf(request);
        return { actor, loaders: new Loaders(sources, actor) };
      },
      // taskChanged over graphql-ws (live/): the token comes in connection_init
      subscription: liveSubscriptionOptions({
        actors: services.actors!,
        sources,
        connections: new LiveConnections(),
        keepAliveMs: 30_000,
      }) as never,
    }),
  });
}
