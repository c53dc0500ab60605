import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { DeadlineScheduler } from '../deadlines/deadline-scheduler';
import { ShutdownState } from './shutdown-state';

export interface ShutdownLog {
  log(message: string): void;
  error(message: string): void;
}

export interface GracefulShutdownDeps {
  state: ShutdownState;
  scheduler: DeadlineScheduler;
  closePool: () => Promise<void>;
  stopDatabase: (() => Promise<void>) | null; // the embedded PostgreSQL, when this process started it
  graceMs: number;
  logger: ShutdownLog;
}

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

// SIGTERM/SIGINT: what Nest's enableShutdownHooks would do (app.close(): module destroy hooks, which
// close the LISTEN feed; Fastify's close, which stops accepting, closes the websockets and waits for
// in-flight requests; onApplicationShutdown, where the scheduler waits for a running sweep), plus
// what it leaves out: readiness turns 503 first, the pool is closed after the last request and
// sweep, the embedded PostgreSQL after the pool, the process exits 0, and the whole drain is bounded
// by SHUTDOWN_GRACE_MS (then exit 1 with a line naming what was still running). So it replaces
// enableShutdownHooks instead of running beside it (Nest's handler would kill the process with the
// signal as soon as app.close() returned, before the pool and the database are closed).
export class GracefulShutdown {
  private step = 'not started';
  private inFlight = 0;
  private started: Promise<void> | null = null;

  constructor(
    private readonly app: INestApplication,
    private readonly deps: GracefulShutdownDeps,
  ) {}

  install(): this {
    const server = this.app.getHttpServer() as Server;
    server.on('request', (_request, response) => {
      this.inFlight += 1;
      response.once('close', () => (this.inFlight -= 1));
    });
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void this.shutdown(signal));
    return this;
  }

  // Idempotent: a second signal while draining waits for the same drain.
  shutdown(signal: string): Promise<void> {
    this.started ??= this.run(signal);
    return this.started;
  }

  private async run(signal: string): Promise<void> {
    const { state, scheduler, graceMs, logger } = this.deps;
    const exit = (code: number) => process.exit(code);
    const began = Date.now();
    state.begin(`${signal} received`);
    logger.log(`${signal} received: draining (at most ${graceMs} ms); /health/ready answers 503`);
    const watchdog = setTimeout(() => {
      logger.error(`Shutdown grace of ${graceMs} ms ran out; still running: ${this.stillRunning()}`);
      exit(1);
    }, graceMs);
    try {
      this.at('the deadline scheduler');
      scheduler.stop(); // no new sweep starts; a running one is awaited below
      this.at('the HTTP server (in-flight requests and subscriptions)');
      await this.app.close();
      this.at('the deadline sweep');
      await scheduler.onApplicationShutdown();
      this.at('the database pool');
      await this.deps.closePool();
      if (this.deps.stopDatabase) {
        this.at('the embedded PostgreSQL');
        await this.deps.stopDatabase();
      }
      clearTimeout(watchdog);
      logger.log(`Shut down cleanly in ${Date.now() - began} ms`);
      exit(0);
    } catch (error) {
      clearTimeout(watchdog);
      logger.error(`Shutdown failed while closing ${this.step}: ${(error as Error)?.stack ?? String(error)}`);
      exit(1);
    }
  }

  private at(step: string): void {
    this.step = step;
  }

  private stillRunning(): string {
    const running = [`closing ${this.step}`];
    if (this.inFlight > 0) running.push(`${this.inFlight} HTTP request(s) in flight`);
    if (this.deps.scheduler.sweeping) running.push('a deadline sweep');
    return running.join(', ');
  }
}

export interface ShutdownTargets {
  dataSource: { destroy(): Promise<void> };
  embedded: { stop(): Promise<void> } | null;
  graceMs: number;
  logger: ShutdownLog;
}

// What bootstrap calls instead of app.enableShutdownHooks().
export function installGracefulShutdown(app: INestApplication, targets: ShutdownTargets): GracefulShutdown {
  const embedded = targets.embedded;
  return new GracefulShutdown(app, {
    state: app.get(ShutdownState),
    scheduler: app.get(DeadlineScheduler),
    closePool: () => targets.dataSource.destroy(),
    stopDatabase: embedded ? () => embedded.stop() : null,
    graceMs: targets.graceMs,
    logger: targets.logger,
  }).install();
}
