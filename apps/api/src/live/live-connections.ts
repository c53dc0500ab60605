import type { Actor } from '../auth/actor';
import { DomainError } from '../common/domain-error';
import { closeReason, LIVE_CLOSE } from './live-close-codes';

// Bounds of live updates, per instance (README "Live updates").
export const LIVE_LIMITS = {
  subscriptionsPerConnection: 20,
  connectionsPerUser: 10, // connections holding at least one subscription
  // changes queued for a client that reads slower than they come (Mercurius' queue has no bound of
  // its own); beyond, one resync delivery per plan (live-updates.service.ts QueueBound)
  queuedPerSubscription: 1000,
} as const;

interface ClosableSocket {
  readonly readyState: number;
  once(event: 'close', listener: () => void): unknown;
  close(code?: number, reason?: string): void;
}

const OPEN = 1; // WebSocket.OPEN
// setTimeout fires at once beyond this delay (2^31 - 1 ms, about 24.8 days): longer waits are chained
const MAX_TIMER_MS = 2_147_483_647;

// One websocket: created when it sends connection_init, counted against its user from its first
// subscription until the socket closes (the close event, not Mercurius' callbacks, releases it).
export class LiveConnection {
  private user: string | null = null;
  private subscriptions = 0;
  private expiry: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: LiveConnections,
    private readonly socket: ClosableSocket,
  ) {
    socket.once('close', () => this.clearExpiry());
  }

  // Closes the socket with a code of LIVE_CLOSE and a reason naming why (cut to 123 bytes).
  close(code: number, reason: string): void {
    this.clearExpiry();
    if (this.socket.readyState === OPEN) this.socket.close(code, closeReason(reason));
  }

  // The token's exp (ms since the epoch): the socket is closed with 4403 when it passes.
  expireAt(expiresAtMs: number, now = Date.now()): void {
    this.clearExpiry();
    const wait = expiresAtMs - now;
    if (wait <= 0) return this.close(LIVE_CLOSE.forbidden, 'Forbidden: token expired');
    this.expiry = setTimeout(() => this.expireAt(expiresAtMs), Math.min(wait, MAX_TIMER_MS));
    this.expiry.unref();
  }

  private clearExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }

  // Counts one subscription; the returned function ends it (once).
  startSubscription(actor: Actor): () => void {
    if (this.subscriptions >= this.registry.limits.subscriptionsPerConnection) {
      throw tooMany(`at most ${this.registry.limits.subscriptionsPerConnection} subscriptions on one connection`);
    }
    if (this.user === null) this.bind(userKey(actor));
    this.subscriptions += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.subscriptions -= 1;
    };
  }

  private bind(user: string): void {
    const open = this.registry.count(user);
    if (open >= this.registry.limits.connectionsPerUser) {
      const error = tooMany(`at most ${this.registry.limits.connectionsPerUser} live connections per user on one instance`);
      // the whole connection is refused, not only this subscription: close it once the error is sent
      setImmediate(() => this.close(LIVE_CLOSE.tooMany, error.message));
      throw error;
    }
    this.user = user;
    if (this.socket.readyState !== OPEN) return; // closed meanwhile: nothing to hold
    this.registry.add(user);
    this.socket.once('close', () => this.registry.remove(user));
  }
}

export class LiveConnections {
  private readonly perUser = new Map<string, number>();
  private readonly seen = new WeakSet<object>();

  constructor(readonly limits: { subscriptionsPerConnection: number; connectionsPerUser: number } = LIVE_LIMITS) {}

  // Mercurius calls this on each connection_init: a second init on one socket closes it with 4429
  // (graphql-ws protocol).
  open(socket: ClosableSocket): LiveConnection {
    if (this.seen.has(socket)) {
      if (socket.readyState === OPEN) socket.close(LIVE_CLOSE.tooMany, 'Too many initialisation requests');
      throw new Error('Too many initialisation requests');
    }
    this.seen.add(socket);
    return new LiveConnection(this, socket);
  }

  count(user: string): number {
    return this.perUser.get(user) ?? 0;
  }

  add(user: string): void {
    this.perUser.set(user, this.count(user) + 1);
  }

  remove(user: string): void {
    const left = this.count(user) - 1;
    if (left > 0) this.perUser.set(user, left);
    else this.perUser.delete(user);
  }
}

function userKey(actor: Actor): string {
  return actor.kind === 'user' ? `${actor.provinceCode}\u0000${actor.userId}` : `${actor.kind}`;
}

function tooMany(message: string): DomainError {
  return new DomainError('RATE_LIMITED', `Too many live subscriptions: ${message}`);
}
