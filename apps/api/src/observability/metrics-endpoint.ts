import { createHash, timingSafeEqual } from 'node:crypto';
import fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import type { AppLogger } from './logger';
import type { AppMetrics } from './metrics';

export const METRICS_PATH = '/metrics';

// GET /metrics: on a listener of its own when METRICS_PORT is set, else on the API's port when
// METRICS_TOKEN is set, else nowhere (404). A token, when set, is required wherever it is served.
// Returns what closes the separate listener.
export async function serveMetrics(
  api: FastifyInstance,
  metrics: AppMetrics,
  config: Pick<AppConfig, 'metrics' | 'host'>,
  logger: AppLogger,
): Promise<() => Promise<void>> {
  const { token, port } = config.metrics;
  const handler = metricsHandler(metrics, token);
  if (port === null) {
    if (token !== null) api.get(METRICS_PATH, handler);
    return async () => undefined;
  }
  const listener = fastify({
    loggerInstance: logger.child({ listener: 'metrics' }),
    logController: new LogController({ disableRequestLogging: true }),
  });
  listener.get(METRICS_PATH, handler);
  await listener.listen({ port, host: config.host });
  logger.info(`Metrics on http://${config.host}:${port}${METRICS_PATH}${token ? ' (Bearer METRICS_TOKEN)' : ''}`);
  return () => listener.close();
}

function metricsHandler(metrics: AppMetrics, token: string | null) {
  const expected = token === null ? null : digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected !== null && !timingSafeEqual(digest(bearerOf(request.headers.authorization)), expected)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .type('text/plain; charset=utf-8')
        .send('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>\n');
    }
    return reply.type(metrics.contentType).send(await metrics.metrics());
  };
}

// digests of equal length, so the comparison takes the same time whatever was sent
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function bearerOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match ? match[1] : '';
}
