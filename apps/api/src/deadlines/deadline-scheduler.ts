import type { Clock } from '../common/clock';
import { Scope } from '../common/scope';
import { vietnamDate } from '../common/vietnam-time';
import type { DeadlineSweepService } from './deadline-sweep.service';

export interface SchedulerLog {
  log(message: string): void;
  error(message: string, trace?: string): void;
}

// The reminders module's daily digest (DigestService), as the scheduler sees it.
export interface DailyDigest {
  runDaily(scope: Scope, asOf: Date): Promise<number>;
}

// Every instance sweeps on its own timer. Nothing that matters is held in memory: due times live
// in the database and the sweep's row locks keep instances apart, so a restart or a second
// instance needs no coordination (hence no job queue). The first sweep runs at start-up.
// After each sweep the daily digest runs once per Vietnam day per instance: the notifications'
// unique key is the real guard, the remembered date only spares the query on later ticks.
export class DeadlineScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private digestDoneFor: string | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly sweeper: DeadlineSweepService,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly logger: SchedulerLog,
    private readonly digest: DailyDigest | null = null,
  ) {}

  // Nest calls these lifecycle hooks by name.
  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    await this.running;
  }

  // Shutdown: no tick starts after this; a running sweep ends after its current batch (one transaction).
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort();
  }

  get sweeping(): boolean {
    return this.running !== null;
  }

  // One sweep, then the digest; also what a test drives instead of the timer.
  tick(): Promise<void> {
    if (this.running) return this.running; // the previous tick is still at work
    if (this.stopping.signal.aborted) return Promise.resolve();
    this.running = this.sweep()
      .then(() => (this.stopping.signal.aborted ? undefined : this.runDigest()))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async sweep(): Promise<void> {
    try {
      const count = await this.sweeper.sweep(Scope.national(), this.clock.now(), undefined, this.stopping.signal);
      if (count > 0) this.logger.log(`Deadline sweep: ${count} task(s) became OVERDUE`);
    } catch (error) {
      this.logger.error(`Deadline sweep failed: ${(error as Error).message}`, (error as Error).stack);
    }
  }

  private async runDigest(): Promise<void> {
    if (!this.digest) return;
    const now = this.clock.now();
    const today = vietnamDate(now);
    if (this.digestDoneFor === today) return;
    try {
      const written = await this.digest.runDaily(Scope.national(), now);
      this.digestDoneFor = today;
      if (written > 0) this.logger.log(`Daily digest ${today}: ${written} notification(s) written`);
    } catch (error) {
      this.logger.error(`Daily digest failed: ${(error as Error).message}`, (error as Error).stack);
    }
  }
}
