import { decodeJwt } from 'jose';
import type { Actor } from '../auth/actor';
import type { ActorResolver } from '../auth/actor-resolver.service';
import { Loaders, type LoaderSources, type RequestContext } from '../graphql/request-context';
import { LIVE_CLOSE } from './live-close-codes';
import type { LiveConnection, LiveConnections } from './live-connections';

// The GraphQL context of a subscription: the connection's actor and loaders, its limits, its pubsub.
export interface LiveContext extends RequestContext {
  live?: LiveConnection;
  pubsub: { subscribe(topic: string): Promise<AsyncIterable<unknown>> };
}

export interface LiveSubscriptionDeps {
  actors: ActorResolver;
  sources: LoaderSources;
  connections: LiveConnections;
  keepAliveMs: number;
}

// Mercurius calls onConnect as a method of its SubscriptionConnection: `this.context` holds what
// `context` returned for this socket (mercurius 16, lib/subscription-connection.js).
interface MercuriusConnection {
  context?: { live?: LiveConnection };
}

// Mercurius' `subscription` options: graphql-ws on /graphql, authenticated by the connection_init
// payload { authorization: 'Bearer <JWT>' }. A missing, invalid or expired token closes the socket
// with 4403 before connection_ack; an accepted one closes it with 4403 when its exp passes.
export function liveSubscriptionOptions(deps: LiveSubscriptionDeps) {
  return {
    keepAlive: deps.keepAliveMs,
    // runs on connection_init, before onConnect
    context: (socket: Parameters<LiveConnections['open']>[0]) => ({ live: deps.connections.open(socket) }),
    onConnect: async function (
      this: MercuriusConnection | undefined,
      { payload }: { payload?: unknown },
    ): Promise<false | { actor: Actor; loaders: Loaders }> {
      const live = this?.context?.live;
      try {
        const authorization = authorizationOf(payload);
        const actor = await deps.actors.fromAuthorization(authorization);
        // verified above: exp is present (a required claim) and signed
        const expiresAtMs = (decodeJwt(authorization!.trim().split(/\s+/)[1]).exp ?? 0) * 1000;
        // the verifier allows some clock skew; a live connection ends at exp itself
        if (expiresAtMs <= Date.now()) throw new Error('Invalid token: the token has expired');
        live?.expireAt(expiresAtMs);
        return { actor, loaders: new Loaders(deps.sources, actor) };
      } catch (error) {
        // Mercurius then sends connection_error and closes; the close code and reason come first
        live?.close(LIVE_CLOSE.forbidden, `Forbidden: ${(error as Error).message}`);
        return false;
      }
    },
  };
}

function authorizationOf(payload: unknown): string | null {
  if (!payload || typeof payload !== 'object') return null;
  const value = (payload as Record<string, unknown>).authorization ?? (payload as Record<string, unknown>).Authorization;
  return typeof value === 'string' ? value : null;
}
