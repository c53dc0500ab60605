import type { DataSource } from 'typeorm';
import { Scope } from '../common/scope';
import { createServices, type Services } from '../services';
import { cast, seedPlan, TestClock, uniqueProvince, type SeededPlan } from '../test-support/int-helpers';
import { openRecordedDataSource, type SqlRecorder } from '../test-support/sql-recorder';

const START_AT = new Date('2030-03-01T02:00:00.000Z');
const AFTER_DUE = new Date('2031-01-10T02:00:00.000Z');

// What the data-access issue promised, counted with the statements PostgreSQL receives.
describe('SQL statements per operation', () => {
  let ds: DataSource;
  let recorder: SqlRecorder;
  let services: Services;
  let seeded: SeededPlan;

  beforeAll(async () => {
    ({ ds, recorder } = await openRecordedDataSource());
    services = createServices({ dataSource: ds, clock: new TestClock(START_AT) });
    seeded = await seedPlan(
      ds,
      uniqueProvince('int-statements'),
      Array.from({ length: 6 }, () => ({})),
    );
  });

  afterAll(async () => ds?.destroy());

  it('does a transition of a leaf task nobody else moves in two statements, a read and one write, without a transaction', async () => {
    const { lead, coordinator, supervisor } = cast(seeded);
    const [taskId] = seeded.taskIds;
    const runs = [
      await recorder.during(() => services.transitions.transition(lead, { taskId, event: 'START' })),
      await recorder.during(() =>
        services.transitions.transition(coordinator, { taskId, event: 'CONTRIBUTE', comment: 'ý kiến', idempotencyKey: 'c-1' }),
      ),
      await recorder.during(() =>
        services.transitions.transition(lead, { taskId, event: 'SUBMIT_REPORT', report: { summary: 'xong' }, expectedVersion: 2 }),
      ),
      await recorder.during(() => services.transitions.transition(supervisor, { taskId, event: 'VERIFY' })),
    ];
    for (const statements of runs) {
      expect(statements).toHaveLength(2);
      expect(statements[0]).not.toMatch(/FOR UPDATE/);
      // the task row updated (version-guarded) and its event appended by one statement
      expect(statements[1]).toMatch(/UPDATE tasks[\s\S]*INSERT INTO task_events/);
    }
  });

  it('does answer an idempotent retry without writing', async () => {
    const { lead } = cast(seeded);
    const taskId = seeded.taskIds[1];
    await services.transitions.transition(lead, { taskId, event: 'START', idempotencyKey: 'k' });
    const retry = await recorder.during(() => services.transitions.transition(lead, { taskId, event: 'START', idempotencyKey: 'k' }));
    expect(retry.filter((sql) => /\b(INSERT|UPDATE)\b/.test(sql) && !/FOR UPDATE/.test(sql))).toEqual([]);
  });

  it('does sweep a batch in the same number of statements whatever its size', async () => {
    const small = await seedPlan(
      ds,
      uniqueProvince('int-statements-s'),
      Array.from({ length: 3 }, () => ({})),
    );
    const large = await seedPlan(
      ds,
      uniqueProvince('int-statements-l'),
      Array.from({ length: 60 }, () => ({})),
    );
    let fired = 0;
    const sweepSmall = await recorder.during(
      async () => (fired += await services.sweeper.sweep(Scope.province(small.province.code), AFTER_DUE)),
    );
    const sweepLarge = await recorder.during(
      async () => (fired += await services.sweeper.sweep(Scope.province(large.province.code), AFTER_DUE)),
    );
    expect(fired).toBe(63);
    expect(sweepLarge.length).toBe(sweepSmall.length);
    // one batch (BEGIN, lock, write, COMMIT) and the empty batch that ends the sweep
    expect(sweepLarge.length).toBeLessThanOrEqual(7);
  });
});
