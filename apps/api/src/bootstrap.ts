import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { samplePlan } from './plans/sample-plan';
import { systemClock, type Clock } from './common/clock';
import { localYear } from './common/vietnam-time';
import { loadConfig, type AppConfig } from './config/app-config';
import { createDataSource } from './database/data-source';
import { QueryCounter } from './database/query-counter';
import { resolveDatabase, resolveJwtSecret, runMigrations } from './database/database-bootstrap';
import { createServices, type Services } from './services';
import { actorOf, registerRequestGuards } from './graphql/http-guards';
import { Observability } from './observability/observability';
import { poolStatsOf } from './observability/pool-stats';
import { installGracefulShutdown } from './shutdown/graceful-shutdown';
import { registerConsole } from './console/console-route';

export async function bootstrap(config: AppConfig = loadConfig(), clock: Clock = systemClock): Promise<NestFastifyApplication> {
  const observability = new Observability(config); // pino behind Fastify's and Nest's logs
  const logger = new Logger('Bootstrap');
  const database = await resolveDatabase(config, (m) => logger.log(m));
  const counter = config.exposeSqlQueryCount ? new QueryCounter() : null;
  const dataSource = createDataSource(database.url, counter ? { logger: counter, logging: ['query'] } : {}, config.database);
  await dataSource.initialize();
  const applied = await runMigrations(dataSource, (m) => logger.log(m));
  logger.log(`Database ready (${database.embedded ? 'embedded' : 'DATABASE_URL'}); ${applied} migration(s) applied`);
  const jwtSecret = await resolveJwtSecret(config);
  observability.scrub(jwtSecret);
  if (!jwtSecret && !config.jwt.jwksUrl) throw new Error('AUTH_JWT_SECRET (or AUTH_JWKS_URL) must be set when DATABASE_URL is set');
  const services = createServices({ dataSource, clock, jwt: { ...config.jwt, secret: jwtSecret }, logger: new Logger('Services') });
  // the largest body anyone may send; each caller's own limit is applied once the token is known
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimit.admin, ...observability.fastifyOptions() });
  await observability.register(adapter.getInstance(), { actorOf, poolStats: () => poolStatsOf(dataSource) });
  await registerRequestGuards(adapter.getInstance(), {
    actors: services.actors!,
    production: config.production,
    bodyLimit: config.bodyLimit,
    rateLimit: config.rateLimit,
  });
  registerConsole(adapter.getInstance(), config.console);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, services }), adapter, {
    logger: observability.nestLogger,
  });
  if (database.embedded || config.loadSample) await loadSampleIfEmpty(services, logger);
  redirectBrowsersToGraphiql(app);
  if (counter) exposeQueryCount(app, counter);
  // SIGTERM/SIGINT drain, then the pool, then the embedded PostgreSQL (in place of app.enableShutdownHooks())
  installGracefulShutdown(app, {
    dataSource,
    embedded: database.embedded,
    graceMs: config.shutdownGraceMs,
    logger: new Logger('Shutdown'),
  });
  await app.listen(config.port, config.host);
  printWelcome(app, config, Boolean(database.embedded), logger);
  return app;
}

async function loadSampleIfEmpty(services: Services, logger: Logger): Promise<void> {
  if (await services.repositories.plans.any()) return;
  const plan = await services.planWriter.write(samplePlan(localYear(services.clock.now())));
  logger.log(`Loaded the sample plan ${plan.number} (${plan.provinceCode}) into the empty database`);
}

// GET /graphql from a browser opens GraphiQL; GET with a query still executes it.
function redirectBrowsersToGraphiql(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      const url = request.url;
      if (
        request.method === 'GET' &&
        (url === '/graphql' || url === '/graphql/') &&
        String(request.headers.accept ?? '').includes('text/html')
      ) {
        await reply.redirect('/graphiql', 302);
      }
    });
}

// Sequential diagnostics only: the header is the number of statements run while serving the request.
function exposeQueryCount(app: NestFastifyApplication, counter: QueryCounter): void {
  const started = new WeakMap<object, number>();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request) => void started.set(request, counter.total));
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-sql-query-count', String(counter.total - (started.get(request) ?? counter.total)));
  });
}

function printWelcome(app: NestFastifyApplication, config: AppConfig, embedded: boolean, logger: Logger): void {
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(`GraphQL API on http://localhost:${port}/graphql (GraphiQL: http://localhost:${port}/graphiql), health: /health`);
  if (config.console.enabled) logger.log(`Supervisor's console: http://localhost:${port}/console`);
  logger.log(
    `Get a token: npm run token -- --province thai-binh --agency so-ke-hoach-va-dau-tu --role SUPERVISOR` +
      (embedded ? ' (the secret is kept in .data/jwt-secret)' : ''),
  );
}
