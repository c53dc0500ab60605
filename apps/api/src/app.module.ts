import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgenciesService } from './agencies/agencies.service';
import { AuditService } from './audit/audit.service';
import { ActorResolver } from './auth/actor-resolver.service';
import { AuthGuard, requireActor } from './auth/auth.guard';
import { JwtService } from './auth/jwt.service';
import { CLOCK, type Clock } from './common/clock';
import { DeadlineScheduler } from './deadlines/deadline-scheduler';
import { DeadlineSweepService } from './deadlines/deadline-sweep.service';
import { DeadlinesService } from './deadlines/deadlines.service';
import { PlanReportsService } from './deadlines/plan-reports.service';
import type { AppConfig } from './config/app-config';
import { createErrorFormatter } from './graphql/error-formatter';
import { MAX_QUERY_DEPTH, limitComplexity } from './graphql/query-limits';
import { Loaders, type RequestContext } from './graphql/request-context';
import { RESOLVERS } from './graphql/resolvers';
import { HealthController } from './health/health.controller';
import { PlanWriterService } from './plans/plan-writer.service';
import { PlanImportService } from './plans/plan-import.service';
import { PlanSettingsService } from './plans/plan-settings.service';
import { PlansService } from './plans/plans.service';
import { DigestService } from './reminders/digest.service';
import { NotificationsService } from './reminders/notifications.service';
import { UpcomingDeadlinesService } from './reminders/upcoming-deadlines.service';
import { TaskQueryService } from './tasks/task-query.service';
import { TransitionService } from './tasks/transition.service';

export interface AppModuleOptions {
  config: AppConfig;
  dataSource: DataSource;
  jwtSecret: string | null;
  clock: Clock;
}

// Domain services are plain classes (no framework imports), wired here by factories.
const SERVICES = [
  { provide: AgenciesService, useFactory: (ds: DataSource) => new AgenciesService(ds), inject: [DataSource] },
  { provide: PlansService, useFactory: (ds: DataSource) => new PlansService(ds), inject: [DataSource] },
  { provide: PlanWriterService, useFactory: (ds: DataSource) => new PlanWriterService(ds), inject: [DataSource] },
  {
    provide: PlanImportService,
    useFactory: (ds: DataSource, writer: PlanWriterService) => new PlanImportService(ds, writer),
    inject: [DataSource, PlanWriterService],
  },
  { provide: TaskQueryService, useFactory: (ds: DataSource) => new TaskQueryService(ds), inject: [DataSource] },
  { provide: AuditService, useFactory: (ds: DataSource) => new AuditService(ds), inject: [DataSource] },
  {
    provide: TransitionService,
    useFactory: (ds: DataSource, clock: Clock) => new TransitionService(ds, clock),
    inject: [DataSource, CLOCK],
  },
  {
    provide: DeadlineSweepService,
    useFactory: (ds: DataSource, transitions: TransitionService) => new DeadlineSweepService(ds, transitions),
    inject: [DataSource, TransitionService],
  },
  { provide: PlanSettingsService, useFactory: (ds: DataSource) => new PlanSettingsService(ds), inject: [DataSource] },
  {
    provide: PlanReportsService,
    useFactory: (ds: DataSource, clock: Clock) => new PlanReportsService(ds, clock),
    inject: [DataSource, CLOCK],
  },
  {
    provide: DeadlinesService,
    useFactory: (sweeper: DeadlineSweepService, clock: Clock) => new DeadlinesService(sweeper, clock),
    inject: [DeadlineSweepService, CLOCK],
  },
  {
    provide: UpcomingDeadlinesService,
    useFactory: (ds: DataSource, agencies: AgenciesService, clock: Clock) => new UpcomingDeadlinesService(ds, agencies, clock),
    inject: [DataSource, AgenciesService, CLOCK],
  },
  { provide: DigestService, useFactory: (ds: DataSource) => new DigestService(ds), inject: [DataSource] },
  {
    provide: NotificationsService,
    useFactory: (ds: DataSource, agencies: AgenciesService, digest: DigestService, clock: Clock) =>
      new NotificationsService(ds, agencies, digest, clock),
    inject: [DataSource, AgenciesService, DigestService, CLOCK],
  },
  {
    provide: ActorResolver,
    useFactory: (jwt: JwtService, agencies: AgenciesService) => new ActorResolver(jwt, agencies),
    inject: [JwtService, AgenciesService],
  },
];

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const core: DynamicModule = {
      module: CoreModule,
      global: true,
      imports: [TypeOrmModule.forRootAsync({ useFactory: () => options.dataSource.options, dataSourceFactory: async () => options.dataSource })],
      providers: [
        { provide: CLOCK, useValue: options.clock },
        {
          provide: DeadlineScheduler,
          useFactory: (sweeper: DeadlineSweepService, clock: Clock, digest: DigestService) =>
            new DeadlineScheduler(sweeper, clock, options.config.deadlineSweepIntervalMs, new Logger('DeadlineSweep'), digest),
          inject: [DeadlineSweepService, CLOCK, DigestService],
        },
        { provide: JwtService, useValue: new JwtService({ ...options.config.jwt, secret: options.jwtSecret }) },
        ...SERVICES,
      ],
      exports: [CLOCK, JwtService, ...SERVICES.map((s) => s.provide)],
    };
    return {
      module: AppModule,
      imports: [core, graphqlModule(options.config)],
      controllers: [HealthController],
      providers: [...RESOLVERS, { provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}

@Module({})
export class CoreModule {}

function graphqlModule(config: AppConfig): DynamicModule {
  return GraphQLModule.forRootAsync<MercuriusDriverConfig>({
    driver: MercuriusDriver,
    inject: [ActorResolver, AgenciesService, PlansService, TaskQueryService],
    useFactory: (actors: ActorResolver, agencies: AgenciesService, plans: PlansService, tasks: TaskQueryService) => ({
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      graphiql: true,
      queryDepth: MAX_QUERY_DEPTH,
      hooks: { preValidation: requireActor as never, preExecution: limitComplexity as never },
      errorFormatter: createErrorFormatter(new Logger('GraphQL'), config.production) as never,
      context: async (request: { headers: Record<string, string | string[] | undefined> }): Promise<RequestContext> => {
        const loaders = new Loaders(agencies, plans, tasks);
        const header = request.headers.authorization;
        try {
          const actor = await actors.fromAuthorization(Array.isArray(header) ? header[0] : header);
          return { actor, authError: null, loaders };
        } catch (error) {
          return { actor: null, authError: error as Error, loaders };
        }
      },
    }),
  });
}
