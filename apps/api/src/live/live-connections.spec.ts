import { EventEmitter } from 'node:events';
import type { Actor } from '../auth/actor';
import { LiveConnections } from './live-connections';

class FakeSocket extends EventEmitter {
  readyState = 1;
  close(): void {
    this.readyState = 3;
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
});
