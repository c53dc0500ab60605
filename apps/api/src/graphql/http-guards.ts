import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Transform } from 'node:stream';
import type { Actor } from '../auth/actor';
import type { ActorResolver } from '../auth/actor-resolver.service';
import { DomainError } from '../common/domain-error';
import { noteErrorCodes } from '../observability/request-outcome';

export interface RequestGuardOptions {
  actors: ActorResolver;
  production: boolean;
  bodyLimit: { user: number; admin: number }; // bytes of a GraphQL request body
  rateLimit: { max: number; windowMs: number }; // requests per user (or per address without a token)
}

export const GRAPHQL_PATH = '/graphql';

// What the HTTP layer settles before Mercurius reads a byte of GraphQL (OWASP API2 and API4): the
// token is verified, the body is held to the caller's limit and the caller to a request rate. The
// GraphQL context then only reads the actor found here (graphql-module.ts), so a query text in
// Mercurius' cache is never answered without a token.
const actors = new WeakMap<FastifyRequest, Actor>();

export function actorOf(request: FastifyRequest | undefined): Actor | null {
  return (request && actors.get(request)) ?? null;
}

export async function registerRequestGuards(fastify: FastifyInstance, options: RequestGuardOptions): Promise<void> {
  await fastify.register(helmet, {
    // GraphiQL loads its scripts from a CDN; in production it is off and the API serves only JSON
    contentSecurityPolicy: options.production ? undefined : false,
    crossOriginEmbedderPolicy: false,
  });

  // per user (province and sub), or per address for requests without a valid token
  await fastify.register(rateLimit, { global: false });
  const limiter = fastify.createRateLimit({
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    keyGenerator: (request: FastifyRequest) => {
      const actor = actorOf(request);
      return actor?.kind === 'user' ? `user:${actor.provinceCode}:${actor.userId}` : `ip:${request.ip}`;
    },
  });
  const limited = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const verdict = await limiter(request);
    if (verdict.isAllowed || !verdict.isExceeded) return false;
    const retry = Math.max(1, verdict.ttlInSeconds);
    await sendError(
      reply,
      429,
      'RATE_LIMITED',
      `Too many requests: at most ${verdict.max} requests per ${seconds(options.rateLimit.windowMs)} for one user; retry in ${retry} s`,
      { 'retry-after': String(retry) },
      { retryAfterSeconds: retry },
    );
    return true;
  };

  fastify.addHook('onRequest', async (request, reply) => {
    if (!isGraphqlRequest(request)) return;
    // a websocket (graphql-ws) sends its token in connection_init (live/live-subscriptions.ts):
    // its upgrade is only held to the per-address rate
    if (isWebsocketUpgrade(request)) {
      if (await limited(request, reply)) return reply;
      // Mercurius applies its CSRF check for GET to the upgrade too, which a browser cannot pass (no
      // custom headers on a websocket). It has nothing to protect here: the API knows no cookie, a
      // websocket is authenticated by the token its client sends in connection_init.
      request.raw.headers['mercurius-require-preflight'] = 'websocket';
      return;
    }
    let actor: Actor;
    try {
      actor = await options.actors.fromAuthorization(firstHeader(request.headers.authorization));
    } catch (error) {
      if (await limited(request, reply)) return reply;
      const message = error instanceof DomainError ? error.message : 'Invalid token';
      return sendError(reply, 401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer' });
    }
    actors.set(request, actor);
    if (await limited(request, reply)) return reply;
    const limit = bodyLimitOf(actor, options.bodyLimit);
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) return sendError(reply, 413, 'BAD_USER_INPUT', tooLarge(limit, actor), {});
  });

  // A body sent without Content-Length (chunked) is counted while it arrives.
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const actor = actorOf(request);
    if (!actor || request.headers['content-length'] !== undefined) return payload;
    const limit = bodyLimitOf(actor, options.bodyLimit);
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > limit) return done(Object.assign(new Error(tooLarge(limit, actor)), { statusCode: 413 }));
        done(null, chunk);
      },
    });
    return payload.pipe(counted);
  });
}

function isGraphqlRequest(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0].replace(/\/$/, '');
  if (path !== GRAPHQL_PATH) return false;
  // a browser asking for the page is redirected to GraphiQL (bootstrap.ts)
  return !(request.method === 'GET' && String(request.headers.accept ?? '').includes('text/html') && !request.url.includes('?'));
}

// A real upgrade names itself in Connection too (what Node's parser requires to emit 'upgrade'); an
// Upgrade header alone on a GET is a plain request and goes through the token check.
function isWebsocketUpgrade(request: FastifyRequest): boolean {
  const connection = String(request.headers.connection ?? '').toLowerCase();
  return (
    request.method === 'GET' &&
    String(request.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    connection.split(',').some((token) => token.trim() === 'upgrade')
  );
}

function bodyLimitOf(actor: Actor, limits: RequestGuardOptions['bodyLimit']): number {
  return actor.kind === 'user' && actor.roles.includes('ADMIN') ? limits.admin : limits.user;
}

function tooLarge(limit: number, actor: Actor): string {
  const admin = actor.kind === 'user' && actor.roles.includes('ADMIN');
  return `Request body is too large: at most ${limit} bytes${admin ? '' : ' (plan documents are imported with an ADMIN token, which may send more)'}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string>,
  details: Record<string, unknown> = {},
) {
  noteErrorCodes(reply.request, [code]);
  await reply
    .status(status)
    .headers({ ...headers, 'content-type': 'application/json; charset=utf-8' })
    .send({ data: null, errors: [{ message, extensions: { ...details, code, requestId: reply.request.id } }] });
  return reply;
}
