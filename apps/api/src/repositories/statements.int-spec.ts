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

  it('does a transition of a child that moves its state in six statements: its parent locked first, then the child, one write for both', async () => {
    const split = await seedPlan(ds, uniqueProvince('int-statements-split'), [{ coLeadAgencyCodes: ['so-thong-tin-va-truyen-thong'] }]);
    const { lead } = cast(split);
    const [parentId, childId] = split.taskIds;
    const start = await recorder.during(() => services.transitions.transition(lead, { taskId: childId, event: 'START' }));
    // the unlocked read finds a parent; BEGIN, the parent FOR UPDATE, the child FOR UPDATE with its
    // siblings' states, the write of the child and the parent's ROLL_UP, COMMIT
    expect(start).toHaveLength(6);
    expect(start[0]).not.toMatch(/FOR UPDATE/);
    expect(start[1]).toMatch(/^(START TRANSACTION|BEGIN)/);
    expect(start[2]).toMatch(/FROM tasks WHERE province_code = \$1 AND id = \$2 FOR UPDATE/);
    expect(start[3]).toMatch(/FOR UPDATE[\s\S]*ctx_sibling_states/);
    expect(start[4]).toMatch(/UPDATE tasks[\s\S]*INSERT INTO task_events/);
    expect(start[5]).toBe('COMMIT');
    const rows: { id: string; version: number }[] = await ds.query('SELECT id, version FROM tasks WHERE id = ANY($1) ORDER BY version', [
      [parentId, childId],
    ]);
    expect(rows.map((r) => r.version)).toEqual([1, 1]);
    // a transition that leaves the child's state as it is cannot move the roll-up: two statements
    const { coordinator } = cast(split);
    const contribute = await recorder.during(() =>
      services.transitions.transition(coordinator, { taskId: childId, event: 'CONTRIBUTE', comment: 'ý kiến' }),
    );
    expect(contribute).toHaveLength(2);
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
    // one batch (BEGIN, lock the parents of due children, lock the due tasks, write, COMMIT); a batch
    // smaller than asked ends the sweep
    expect(sweepLarge.length).toBeLessThanOrEqual(7);
  });
});
