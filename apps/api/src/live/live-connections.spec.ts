import { EventEmitter } from 'node:events';
import type { Actor } from '../auth/actor';
import { closeReason, LIVE_CLOSE } from './live-close-codes';
import { LiveConnections } from './live-connections';

// A socket as ws shows it to Mercurius: its state, its close event, and how it was closed.
class FakeSocket extends EventEmitter {
  readyState = 1;
  closedWith: { code?: number; reason?: string } | null = null;
  close(code?: number, reason?: string): void {
    if (this.readyState !== 1) return;
    this.readyState = 3;
    this.closedWith = { code, reason };
    this.emit('close');
  }
}

const actor = (userId: string): Actor => ({
  kind: 'user',
  userId,
  provinceCode: 'thai-binh',
  agencyCode: 'so-tu-phap',
  agencyId: null,
  roles: ['OFFICER'],
});

describe(LiveConnections.name, () => {
  const limits = { subscriptionsPerConnection: 2, connectionsPerUser: 2 };

  it('does refuse a third subscription on one connection until one ends', () => {
    const connection = new LiveConnections(limits).open(new FakeSocket());
    const end = connection.startSubscription(actor('a'));
    connection.startSubscription(actor('a'));
    expect(() => connection.startSubscription(actor('a'))).toThrow(/at most 2 subscriptions/);
    end();
    end(); // ending twice frees one place only
    connection.startSubscription(actor('a'));
    expect(() => connection.startSubscription(actor('a'))).toThrow(/at most 2 subscriptions/);
  });

  it("does refuse a user's third connection until one of the others closes", () => {
    const registry = new LiveConnections(limits);
    const sockets = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    const [first, second, third] = sockets.map((socket) => registry.open(socket));
    first.startSubscription(actor('a'));
    second.startSubscription(actor('a'));
    expect(() => third.startSubscription(actor('a'))).toThrow(/at most 2 live connections/);
    registry.open(new FakeSocket()).startSubscription(actor('b')); // another user is not held back
    sockets[0].close();
    expect(() => third.startSubscription(actor('a'))).not.toThrow();
  });

  it('does not count a connection whose socket closed before it subscribed', () => {
    const registry = new LiveConnections(limits);
    const socket = new FakeSocket();
    const connection = registry.open(socket);
    socket.readyState = 3;
    connection.startSubscription(actor('a'));
    expect(registry.count(`thai-binh\u0000a`)).toBe(0);
  });

  it('does refuse a second connection_init on one socket', () => {
    const registry = new LiveConnections(limits);
    const socket = new FakeSocket();
    registry.open(socket);
    expect(() => registry.open(socket)).toThrow(/Too many initialisation requests/);
  });

  it('does close a second connection_init with 4429, and a connection over the per-user limit with 4429 naming the limit', async () => {
    const registry = new LiveConnections(limits);
    const twice = new FakeSocket();
    registry.open(twice);
    expect(() => registry.open(twice)).toThrow();
    expect(twice.closedWith).toEqual({ code: LIVE_CLOSE.tooMany, reason: 'Too many initialisation requests' });

    const sockets = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    const connections = sockets.map((socket) => registry.open(socket));
    connections[0].startSubscription(actor('a'));
    connections[1].startSubscription(actor('a'));
    expect(() => connections[2].startSubscription(actor('a'))).toThrow(/at most 2 live connections/);
    // closed after the subscription's error has gone out
    expect(sockets[2].closedWith).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sockets[2].closedWith).toEqual({ code: 4429, reason: expect.stringMatching(/at most 2 live connections per user/) });
    expect(sockets[0].closedWith).toBeNull();
  });

  it('does close with 4403 a connection whose token has expired, and not one that closed before', async () => {
    const registry = new LiveConnections(limits);
    const expired = new FakeSocket();
    registry.open(expired).expireAt(Date.now() - 1);
    expect(expired.closedWith).toEqual({ code: LIVE_CLOSE.forbidden, reason: 'Forbidden: token expired' });

    const soon = new FakeSocket();
    registry.open(soon).expireAt(Date.now() + 20);
    expect(soon.closedWith).toBeNull();
    await new Promise<void>((resolve) => soon.once('close', () => resolve()));
    expect(soon.closedWith?.code).toBe(4403);

    // a socket closed by its client leaves no timer that would close it again
    const gone = new FakeSocket();
    registry.open(gone).expireAt(Date.now() + 20);
    gone.close(1000, 'bye');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(gone.closedWith).toEqual({ code: 1000, reason: 'bye' });
  });

  it('does keep a close reason within the 123 bytes a close frame allows', () => {
    const long = closeReason(`Forbidden: ${'Đ'.repeat(200)}`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(long).toMatch(/^Forbidden: Đ+\.\.\.$/);
    expect(closeReason('Forbidden: token expired')).toBe('Forbidden: token expired');
  });
});
