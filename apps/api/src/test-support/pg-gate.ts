import { createServer, connect, type Server, type Socket } from 'node:net';

// A TCP proxy in front of the test PostgreSQL: while `refusing`, new connections are dropped at once,
// so a client that lost its connection cannot reconnect until the test lets it (the gap is the
// test's, not a timer's). Connections already made pass through untouched.
export class PgGate {
  refusing = false;
  private readonly upstreams = new Set<Socket>();
  private readonly pairs = new Set<[Socket, Socket]>();
  private server: Server | null = null;

  constructor(private readonly databaseUrl: string) {}

  // Starts listening; returns the database URL through the gate.
  async start(): Promise<string> {
    const target = new URL(this.databaseUrl);
    this.server = createServer((client) => {
      if (this.refusing) return void client.destroy();
      const upstream = connect(Number(target.port || 5432), target.hostname);
      this.upstreams.add(upstream);
      client.pipe(upstream).pipe(client);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.upstreams.delete(upstream);
        this.pairs.delete(pair);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const url = new URL(this.databaseUrl);
    url.host = `127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return url.toString();
  }

  // The connections made so far stop carrying bytes either way, open but silent: a frozen server
  // or a link that died without a reset. New connections pass.
  freeze(): void {
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  // The client ports PostgreSQL sees (pg_stat_activity.client_port) for the connections through the gate.
  ports(): number[] {
    return [...this.upstreams].map((s) => s.localPort).filter((port): port is number => typeof port === 'number');
  }

  async stop(): Promise<void> {
    this.upstreams.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
