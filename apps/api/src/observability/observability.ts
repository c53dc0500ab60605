import { Logger } from '@nestjs/common';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { AppConfig } from '../config/app-config';
import { createLogger, PinoNestLogger, requestScope, type AppLogger } from './logger';
import { serveMetrics } from './metrics-endpoint';
import { AppMetrics, type PoolStats } from './metrics';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';
import { noteOperation, outcomeOfRequest } from './request-outcome';

// The few fields of the caller the request line names (auth/actor.ts's Actor has them).
export interface LoggedActor {
  userId: string | null;
  provinceCode: string;
  agencyCode: string | null;
  roles: readonly string[];
}

export interface ObservabilityDeps {
  actorOf(request: FastifyRequest): LoggedActor | null;
  poolStats(): PoolStats | null;
}

const GRAPHQL_PATH = '/graphql';
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const QUIET_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'INVALID_TRANSITION']);

// Logs and metrics (README "Logs and metrics"): one pino logger for Fastify and Nest, one line per
// request, and the Prometheus registry behind GET /metrics.
export class Observability {
  readonly logger: AppLogger;
  readonly nestLogger: PinoNestLogger;
  // a secret known only later (embedded mode's generated AUTH_JWT_SECRET) is scrubbed from then on
  readonly scrub: (secret: string | null) => void;

  constructor(private readonly config: AppConfig) {
    const { logger, scrubber } = createLogger({
      format: config.logFormat,
      level: config.logLevel,
      secrets: [config.jwt.secret, config.metrics.token],
    });
    this.logger = logger;
    this.scrub = (secret) => scrubber.addSecret(secret);
    this.nestLogger = new PinoNestLogger(logger);
    Logger.overrideLogger(this.nestLogger);
  }

  // FastifyAdapter's options: pino as Fastify's logger, our request id, our one line per request
  fastifyOptions() {
    return {
      loggerInstance: this.logger,
      genReqId: requestIdOf,
      logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
    };
  }

  // Before the other hooks, so that every answer (a refused token too) carries the request id.
  async register(fastify: FastifyInstance, deps: ObservabilityDeps): Promise<void> {
    const metrics = new AppMetrics(deps.poolStats);
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      requestScope.run({ reqId: request.id }, done);
    });
    fastify.addHook('onResponse', async (request, reply) => this.completed(request, reply, deps, metrics));
    // Mercurius is registered when Nest starts the GraphQL module; its hooks are added once it is there
    fastify.addHook('onReady', async function () {
      const graphql = (this as unknown as { graphql?: { addHook(name: string, hook: unknown): void } }).graphql;
      graphql?.addHook('preExecution', async (_schema: unknown, document: DocumentNode, context: { reply?: FastifyReply }) => {
        const request = context.reply?.request;
        if (!request) return;
        const operation = getOperationAST(document, requestedOperationName(request));
        noteOperation(request, operation?.name?.value ?? null, operation?.operation ?? null);
      });
    });
    const closeMetrics = await serveMetrics(fastify, metrics, this.config, this.logger);
    fastify.addHook('onClose', async () => {
      await closeMetrics();
      metrics.close();
    });
  }

  private completed(request: FastifyRequest, reply: FastifyReply, deps: ObservabilityDeps, metrics: AppMetrics): void {
    const status = reply.statusCode;
    const path = request.url.split('?', 1)[0].slice(0, 200);
    const known = outcomeOfRequest(request);
    const codes = known.errorCodes;
    const outcome = codes.length > 0 ? codes.join(',') : status >= 500 ? 'INTERNAL_SERVER_ERROR' : status >= 400 ? `HTTP_${status}` : 'ok';
    const graphql = isGraphqlOperation(request, path, status);
    const operationName = known.operationName ?? (graphql ? requestedOperationName(request) : null);
    const operationType = known.operationType;
    const actor = deps.actorOf(request);
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    const line = {
      method: request.method,
      url: path,
      status,
      durationMs,
      sub: actor?.userId ?? null,
      province: actor?.provinceCode ?? null,
      agency: actor?.agencyCode ?? null,
      roles: actor ? [...actor.roles] : [],
      ...(graphql ? { operationName, operationType } : {}),
      outcome,
    };
    request.log[levelOf(status, codes)](line, 'request completed');
    metrics.countRequest(request.method, request.routeOptions?.url, status);
    if (graphql)
      metrics.countOperation(operationName, operationType, codes[0] ?? (status >= 400 ? `HTTP_${status}` : 'ok'), durationMs / 1000);
  }
}

// ok and the expected refusals at info; a refused token or rule, a busy database at warn; the
// unexpected at error (its stack is logged once, by the error formatter, with its error id)
function levelOf(status: number, codes: readonly string[]): 'info' | 'warn' | 'error' {
  if (status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) return 'error';
  if (codes.every((code) => QUIET_CODES.has(code)) && (codes.length > 0 || status < 400)) return 'info';
  return 'warn';
}

function isGraphqlOperation(request: FastifyRequest, path: string, status: number): boolean {
  if (path.replace(/\/$/, '') !== GRAPHQL_PATH || status === 302) return false;
  return String(request.headers.upgrade ?? '').toLowerCase() !== 'websocket';
}

// the operationName the client sent (POST body or GET query string), when it is a GraphQL name
function requestedOperationName(request: FastifyRequest): string | null {
  const source = (request.method === 'GET' ? request.query : request.body) as { operationName?: unknown } | undefined;
  const name = source?.operationName;
  return typeof name === 'string' && GRAPHQL_NAME.test(name) ? name : null;
}
