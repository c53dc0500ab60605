import type { Clock } from '../common/clock';
import { DeadlineScheduler, type DailyDigest, type SchedulerLog } from '../deadlines/deadline-scheduler';
import type { DeadlineSweepService } from '../deadlines/deadline-sweep.service';

// The scheduler's digest step, with a fake sweep and digest: the database side is in digest.service.int-spec.ts.
describe('DeadlineScheduler daily digest', () => {
  let now: Date;
  let calls: string[];
  let sweepFails: boolean;
  let digestFails: boolean;
  let scheduler: DeadlineScheduler;
  const clock: Clock = { now: () => new Date(now.getTime()) };
  const logs: string[] = [];
  const logger: SchedulerLog = { log: (m) => logs.push(m), error: (m) => logs.push(`error: ${m}`) };

  beforeEach(() => {
    calls = [];
    sweepFails = false;
    digestFails = false;
    logs.length = 0;
    const sweeper = {
      sweep: async (_scope: unknown, asOf: Date) => {
        calls.push(`sweep ${asOf.toISOString()}`);
        if (sweepFails) throw new Error('database away');
        return 0;
      },
    } as unknown as DeadlineSweepService;
    const digest: DailyDigest = {
      runDaily: async (_scope: unknown, asOf: Date) => {
        calls.push(`digest ${asOf.toISOString()}`);
        if (digestFails) throw new Error('digest broke');
        return 2;
      },
    };
    scheduler = new DeadlineScheduler(sweeper, clock, 60_000, logger, digest);
  });

  it('runs the digest after the sweep once per Vietnam day when ticks repeat', async () => {
    now = new Date('2030-03-09T10:00:00.000Z');
    await scheduler.tick();
    now = new Date('2030-03-09T16:59:59.999Z'); // still 03-09 in Vietnam
    await scheduler.tick();
    now = new Date('2030-03-09T17:00:00.000Z'); // 03-10 begins
    await scheduler.tick();
    await scheduler.tick();
    expect(calls).toEqual([
      'sweep 2030-03-09T10:00:00.000Z',
      'digest 2030-03-09T10:00:00.000Z',
      'sweep 2030-03-09T16:59:59.999Z',
      'sweep 2030-03-09T17:00:00.000Z',
      'digest 2030-03-09T17:00:00.000Z',
      'sweep 2030-03-09T17:00:00.000Z',
    ]);
    expect(logs).toEqual(['Daily digest 2030-03-09: 2 notification(s) written', 'Daily digest 2030-03-10: 2 notification(s) written']);
  });

  it('still runs the digest when the sweep fails', async () => {
    now = new Date('2030-03-09T10:00:00.000Z');
    sweepFails = true;
    await scheduler.tick();
    expect(calls).toEqual(['sweep 2030-03-09T10:00:00.000Z', 'digest 2030-03-09T10:00:00.000Z']);
    expect(logs[0]).toBe('error: Deadline sweep failed: database away');
  });

  it('tries the digest again on the next tick when it failed', async () => {
    now = new Date('2030-03-09T10:00:00.000Z');
    digestFails = true;
    await scheduler.tick();
    digestFails = false;
    await scheduler.tick();
    await scheduler.tick();
    expect(calls.filter((call) => call.startsWith('digest'))).toHaveLength(2);
    expect(logs).toEqual(['error: Daily digest failed: digest broke', 'Daily digest 2030-03-09: 2 notification(s) written']);
  });

  it('joins the tick at work instead of starting a second one when ticks overlap', async () => {
    now = new Date('2030-03-09T10:00:00.000Z');
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    expect(calls).toEqual(['sweep 2030-03-09T10:00:00.000Z', 'digest 2030-03-09T10:00:00.000Z']);
  });
});
