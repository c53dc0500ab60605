import type { Clock } from '../common/clock';
import type { DeadlineSweepService } from './deadline-sweep.service';

export interface SchedulerLog {
  log(message: string): void;
  error(message: string, trace?: string): void;
}

// Every instance sweeps on its own timer. Nothing is held in memory: due times live in the
// database and the sweep's row locks keep instances apart, so a restart or a second instance
// needs no coordination (hence no job queue). The first sweep runs at start-up.
export class DeadlineScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly sweeper: DeadlineSweepService,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly logger: SchedulerLog,
  ) {}

  // Nest calls these lifecycle hooks by name.
  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.running) return; // the previous sweep is still at work
    this.running = this.sweeper
      .sweep(this.clock.now())
      .then((count) => {
        if (count > 0) this.logger.log(`Deadline sweep: ${count} task(s) became OVERDUE`);
      })
      .catch((error: Error) => this.logger.error(`Deadline sweep failed: ${error.message}`, error.stack))
      .finally(() => {
        this.running = null;
      });
  }
}
