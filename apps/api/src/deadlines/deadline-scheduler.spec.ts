import type { Clock } from '../common/clock';
import { DeadlineScheduler, type DailyDigest, type SchedulerLog } from './deadline-scheduler';
import type { DeadlineSweepService } from './deadline-sweep.service';

// Shutdown of the scheduler, with a sweep the test releases by hand (the database side of stopping
// between batches is in deadline-sweep.service.int-spec.ts).
describe(`${DeadlineScheduler.name} shutdown`, () => {
  const clock: Clock = { now: () => new Date('2030-03-09T10:00:00.000Z') };
  const logger: SchedulerLog = { log: () => undefined, error: () => undefined };
  let calls: string[];
  let signals: (AbortSignal | undefined)[];
  let release: () => void;
  let scheduler: DeadlineScheduler;

  beforeEach(() => {
    calls = [];
    signals = [];
    const sweeper = {
      sweep: (_scope: unknown, _asOf: Date, _batch: number | undefined, signal?: AbortSignal) => {
        calls.push('sweep');
        signals.push(signal);
        return new Promise<number>((resolve) => (release = () => resolve(0)));
      },
    } as unknown as DeadlineSweepService;
    const digest: DailyDigest = { runDaily: async () => (calls.push('digest'), 0) };
    scheduler = new DeadlineScheduler(sweeper, clock, 60_000, logger, digest);
  });

  it('does start no sweep once stopped', async () => {
    scheduler.stop();
    await scheduler.tick();
    expect(calls).toEqual([]);
    expect(scheduler.sweeping).toBe(false);
  });

  it('does tell a running sweep to stop after its batch, wait for it, and skip the digest', async () => {
    const running = scheduler.tick();
    expect(scheduler.sweeping).toBe(true);
    const shutdown = scheduler.onApplicationShutdown();
    expect(signals[0]?.aborted).toBe(true);
    let done = false;
    void shutdown.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false); // still waiting for the sweep
    release();
    await shutdown;
    await running;
    expect(calls).toEqual(['sweep']);
    expect(scheduler.sweeping).toBe(false);
  });
});
