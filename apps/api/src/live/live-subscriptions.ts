import type { Actor } from '../auth/actor';
import type { ActorResolver } from '../auth/actor-resolver.service';
import { Loaders, type LoaderSources, type RequestContext } from '../graphql/request-context';
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

// Mercurius' `subscription` options: graphql-ws on /graphql, authenticated by the connection_init
// payload { authorization: 'Bearer <JWT>' }; a missing or invalid token is refused before connection_ack.
export function liveSubscriptionOptions(deps: LiveSubscriptionDeps) {
  return {
    keepAlive: deps.keepAliveMs,
    // runs on connection_init, before onConnect
    context: (socket: Parameters<LiveConnections['open']>[0]) => ({ live: deps.connections.open(socket) }),
    onConnect: async ({ payload }: { payload?: unknown }): Promise<false | { actor: Actor; loaders: Loaders }> => {
      try {
        const actor = await deps.actors.fromAuthorization(authorizationOf(payload));
        return { actor, loaders: new Loaders(deps.sources, actor) };
      } catch {
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
