import { runInThisContext } from 'node:vm';
import type { DataSource } from 'typeorm';
import { TASK_MACHINE_VERSION } from '@app/lifecycle';
import { endOfLocalDayUtc, parseTimeframe } from '@app/plan-import';
import { SYSTEM_ACTOR } from '../auth/actor';
import {
  cast,
  DAY,
  eventRows,
  expectDomainError,
  MINUTE,
  NATIONAL_ADMIN,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { DeadlineSweepService } from './deadline-sweep.service';
import { DeadlinesService } from './deadlines.service';
import { createServices } from '../services';
import { systemClock } from '../common/clock';
import { Scope } from '../common/scope';

// "Năm 2023": due at the end of 31 Dec 2023 in Vietnam (UTC+7), whatever the host's TZ.
const DUE_2023 = '2023-12-31T16:59:59.999Z';
const LAST_SECOND_2023 = new Date('2023-12-31T23:59:59+07:00');
const DUE_INSTANT_2023 = new Date('2023-12-31T23:59:59.999+07:00');
const FIRST_INSTANT_2024 = new Date('2024-01-01T00:00:00+07:00');

// testPlan's default due time (end of 31 Dec 2030 in Vietnam) and instants around it.
const DUE_2030 = '2030-12-31T16:59:59.999Z';
const BEFORE_2030 = new Date('2030-06-01T02:00:00.000Z');
const AFTER_2030 = new Date('2031-01-05T02:00:00.000Z');

// Jest gives each test file a copy of process.env: assigning process.env.TZ there never reaches
// Node, so the host time zone is changed on the real process (Node applies a new TZ at once).
const realProcess = runInThisContext('process') as NodeJS.Process;

async function withHostTimeZone<T>(tz: string, work: () => Promise<T>): Promise<T> {
  const before = { real: realProcess.env.TZ, sandbox: process.env.TZ };
  realProcess.env.TZ = tz;
  process.env.TZ = tz;
  try {
    return await work();
  } finally {
    if (before.real === undefined) delete realProcess.env.TZ;
    else realProcess.env.TZ = before.real;
    if (before.sandbox === undefined) delete process.env.TZ;
    else process.env.TZ = before.sandbox;
  }
}

// Minutes the host is behind UTC on 1 Jan 2024 (Date#getTimezoneOffset), per zone.
const HOST_ZONES: [string, number][] = [
  ['UTC', 0],
  ['America/New_York', 300],
  ['Asia/Ho_Chi_Minh', -420],
];

describe(DeadlineSweepService.name, () => {
  let ds: DataSource;
  let clock: TestClock;
  let sweeper: DeadlineSweepService;

  beforeAll(async () => {
    ds = await openDataSource();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  beforeEach(() => {
    clock = new TestClock(BEFORE_2030);
    sweeper = createServices({ dataSource: ds, clock: systemClock }).sweeper;
  });

  async function deadlineEvents(taskId: string) {
    return (await eventRows(ds, taskId)).filter((e) => e.type === 'DEADLINE_PASSED');
  }

  describe('the end of "Năm 2023" in Vietnam', () => {
    it.each(HOST_ZONES)('does mark the task OVERDUE only from 00:00 on 1 Jan 2024 (UTC+7) when the host TZ is %s', async (tz, offset) => {
      await withHostTimeZone(tz, async () => {
        // the zone really is in force for this process
        expect(new Date('2024-01-01T00:00:00Z').getTimezoneOffset()).toBe(offset);

        const { kind, dueDate } = parseTimeframe('Năm 2023', 2023);
        expect({ kind, dueDate }).toEqual({ kind: 'fixed', dueDate: '2023-12-31' });
        const dueAt = endOfLocalDayUtc(dueDate!);
        expect(dueAt).toBe(DUE_2023);

        const seeded = await seedPlan(ds, uniqueProvince('int-sweep-tz'), [{ timeframe: 'Năm 2023', dueAt }], { year: 2023 });
        const [taskId] = seeded.taskIds;
        const scope = Scope.province(seeded.province.code);
        expect((await taskRow(ds, taskId)).dueAt).toEqual(new Date(DUE_2023));

        expect(await sweeper.sweep(scope, LAST_SECOND_2023)).toBe(0);
        expect(await sweeper.sweep(scope, DUE_INSTANT_2023)).toBe(0);
        expect((await taskRow(ds, taskId)).state).toBe('ASSIGNED');
        expect(await eventRows(ds, taskId)).toEqual([]);

        expect(await sweeper.sweep(scope, FIRST_INSTANT_2024)).toBe(1);
        const task = await taskRow(ds, taskId);
        expect({ state: task.state, version: task.version, dueAt: task.dueAt }).toEqual({
          state: 'OVERDUE',
          version: 1,
          dueAt: new Date(DUE_2023),
        });
        const events = await eventRows(ds, taskId);
        expect(
          events.map((e) => ({ seq: e.seq, type: e.type, fromState: e.fromState, toState: e.toState, actor: e.actor, at: e.at })),
        ).toEqual([
          {
            seq: 1,
            type: 'DEADLINE_PASSED',
            fromState: 'ASSIGNED',
            toState: 'OVERDUE',
            actor: SYSTEM_ACTOR.userId,
            at: FIRST_INSTANT_2024,
          },
        ]);

        // exactly once: a later sweep finds nothing more to do
        expect(await sweeper.sweep(scope, new Date(FIRST_INSTANT_2024.getTime() + DAY))).toBe(0);
        expect(await eventRows(ds, taskId)).toHaveLength(1);
      });
    });
  });

  describe('what is swept', () => {
    let seeded: SeededPlan;
    let ids: Record<'assigned' | 'inProgress' | 'reported' | 'verified' | 'rejectedLate' | 'undated' | 'notDue' | 'split', string>;
    let splitChildren: string[];

    beforeAll(async () => {
      const province = uniqueProvince('int-sweep-what');
      seeded = await seedPlan(ds, province, [
        {}, // 1 assigned
        {}, // 2 in progress
        {}, // 3 reported before the due time
        {}, // 4 verified
        {}, // 5 report rejected after the due time: OVERDUE by REJECT
        { timeframe: 'Không xác định', dueAt: null }, // 6 no due time
        { timeframe: 'Năm 2031', dueAt: '2031-12-31T16:59:59.999Z' }, // 7 not due yet
        { coLeadAgencyCodes: ['so-thong-tin-va-truyen-thong'] }, // 8 split: parent + two children
      ]);
      const rows: { id: string; ordinal: string }[] = await ds.query('SELECT id, ordinal FROM tasks WHERE plan_id = $1', [seeded.planId]);
      const byOrdinal = new Map(rows.map((r) => [r.ordinal, r.id]));
      ids = {
        assigned: byOrdinal.get('1')!,
        inProgress: byOrdinal.get('2')!,
        reported: byOrdinal.get('3')!,
        verified: byOrdinal.get('4')!,
        rejectedLate: byOrdinal.get('5')!,
        undated: byOrdinal.get('6')!,
        notDue: byOrdinal.get('7')!,
        split: byOrdinal.get('8')!,
      };
      splitChildren = [byOrdinal.get('8.1')!, byOrdinal.get('8.2')!];
      expect(splitChildren.every(Boolean)).toBe(true);

      const actors = cast(seeded);
      const setup = createServices({ dataSource: ds, clock: new TestClock(BEFORE_2030) }).transitions;
      for (const id of [ids.inProgress, ids.reported, ids.verified, ids.rejectedLate])
        await setup.transition(actors.lead, { taskId: id, event: 'START' });
      for (const id of [ids.reported, ids.verified, ids.rejectedLate]) {
        await setup.transition(actors.lead, { taskId: id, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } });
      }
      await setup.transition(actors.supervisor, { taskId: ids.verified, event: 'VERIFY' });
      const late = createServices({ dataSource: ds, clock: new TestClock(AFTER_2030) }).transitions;
      await late.transition(actors.supervisor, { taskId: ids.rejectedLate, event: 'REJECT', comment: 'Chưa đạt yêu cầu' });
      expect((await taskRow(ds, ids.rejectedLate)).state).toBe('OVERDUE');
    });

    it('does fire DEADLINE_PASSED on ASSIGNED and IN_PROGRESS leaf tasks only when their due time passed', async () => {
      const before = new Map<string, { state: string; version: number; events: number }>();
      for (const id of [...Object.values(ids), ...splitChildren]) {
        const row = await taskRow(ds, id);
        before.set(id, { state: row.state, version: row.version, events: (await eventRows(ds, id)).length });
      }

      const fired = await sweeper.sweep(Scope.province(seeded.province.code), AFTER_2030);

      expect(fired).toBe(4); // assigned, in progress and the two children of the split task
      for (const id of [ids.assigned, ids.inProgress, ...splitChildren]) {
        expect({ id, state: (await taskRow(ds, id)).state }).toEqual({ id, state: 'OVERDUE' });
        const events = await deadlineEvents(id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          at: AFTER_2030,
          actor: SYSTEM_ACTOR.userId,
          toState: 'OVERDUE',
          fromState: before.get(id)!.state,
        });
      }
      for (const id of [ids.reported, ids.verified, ids.rejectedLate, ids.undated, ids.notDue]) {
        const row = await taskRow(ds, id);
        expect({ id, state: row.state, version: row.version, events: (await eventRows(ds, id)).length }).toEqual({
          id,
          ...before.get(id)!,
        });
      }
      // the split task is not swept itself: it follows its children, one ROLL_UP in the same write
      const split = await taskRow(ds, ids.split);
      expect({ state: split.state, version: split.version }).toEqual({ state: 'OVERDUE', version: before.get(ids.split)!.version + 1 });
      const rollUps = await eventRows(ds, ids.split);
      expect(rollUps).toHaveLength(before.get(ids.split)!.events + 1);
      expect(rollUps.at(-1)).toMatchObject({
        type: 'ROLL_UP',
        fromState: before.get(ids.split)!.state,
        toState: 'OVERDUE',
        machineVersion: TASK_MACHINE_VERSION,
        actor: 'system:roll-up',
        payload: { state: 'OVERDUE', by: null },
      });
      expect(splitChildren).toContain(rollUps.at(-1)!.payload.childTaskId);
    });

    it('does fire nothing more when the same tasks are swept again later', async () => {
      expect(await sweeper.sweep(Scope.province(seeded.province.code), new Date(AFTER_2030.getTime() + 30 * DAY))).toBe(0);
      for (const id of [ids.assigned, ids.inProgress, ...splitChildren]) expect(await deadlineEvents(id)).toHaveLength(1);
      expect(await deadlineEvents(ids.split)).toHaveLength(0);
    });

    it('does sweep a task that is not due yet once a later sweep passes its due time', async () => {
      expect(await sweeper.sweep(Scope.province(seeded.province.code), new Date('2032-01-01T00:00:00+07:00'))).toBe(1);
      expect((await taskRow(ds, ids.notDue)).state).toBe('OVERDUE');
      expect((await taskRow(ds, ids.undated)).state).toBe('ASSIGNED');
      expect((await taskRow(ds, ids.reported)).state).toBe('REPORTED');
    });
  });

  describe('province scoping', () => {
    let north: SeededPlan;
    let south: SeededPlan;

    beforeEach(async () => {
      north = await seedPlan(ds, uniqueProvince('int-sweep-north'), [{}, {}]);
      south = await seedPlan(ds, uniqueProvince('int-sweep-south'), [{}]);
    });

    async function states(seeded: SeededPlan): Promise<string[]> {
      return Promise.all(seeded.taskIds.map(async (id) => (await taskRow(ds, id)).state));
    }

    it('does sweep only the named province when a provinceCode is given', async () => {
      expect(await sweeper.sweep(Scope.province(north.province.code), AFTER_2030)).toBe(2);
      expect(await states(north)).toEqual(['OVERDUE', 'OVERDUE']);
      expect(await states(south)).toEqual(['ASSIGNED']);
      expect(await sweeper.sweep(Scope.province(south.province.code), AFTER_2030)).toBe(1);
      expect(await states(south)).toEqual(['OVERDUE']);
    });

    it('does stop after the batch at work when its signal is aborted (shutdown), leaving the rest to the next sweep', async () => {
      const scope = Scope.province(north.province.code);
      const stopping = new AbortController();
      stopping.abort();
      expect(await sweeper.sweep(scope, AFTER_2030, 1, stopping.signal)).toBe(1);
      expect((await states(north)).sort()).toEqual(['ASSIGNED', 'OVERDUE']);
      expect(await sweeper.sweep(scope, AFTER_2030, 1)).toBe(1);
      expect(await states(north)).toEqual(['OVERDUE', 'OVERDUE']);
    });

    it("does sweep only the ADMIN's own province when a provincial ADMIN runs the sweep", async () => {
      const deadlines = new DeadlinesService(sweeper, clock, createServices({ dataSource: ds, clock }).accessDenials);
      const southAdmin = userActor(south, 'committee', ['ADMIN'], 'south-admin');
      clock.set(AFTER_2030); // asOf may not be later than now
      expect(await deadlines.runSweep(southAdmin, AFTER_2030)).toBe(1);
      expect(await states(south)).toEqual(['OVERDUE']);
      expect(await states(north)).toEqual(['ASSIGNED', 'ASSIGNED']);
    });

    it('does sweep as of the clock when the ADMIN gives no asOf', async () => {
      const deadlines = new DeadlinesService(sweeper, clock, createServices({ dataSource: ds, clock }).accessDenials);
      const northAdmin = userActor(north, 'committee', ['ADMIN'], 'north-admin');
      expect(await deadlines.runSweep(northAdmin, null)).toBe(0); // the clock is before the due time
      clock.set(AFTER_2030);
      expect(await deadlines.runSweep(northAdmin, null)).toBe(2);
      expect((await deadlineEvents(north.taskIds[0]))[0].at).toEqual(AFTER_2030);
    });

    it('does refuse with FORBIDDEN and sweep nothing when an OFFICER, LEADER or AUDITOR runs the sweep', async () => {
      const deadlines = new DeadlinesService(sweeper, clock, createServices({ dataSource: ds, clock }).accessDenials);
      const actors = cast(north);
      for (const actor of [actors.lead, actors.leader, actors.supervisor, actors.auditor]) {
        const error = await expectDomainError(deadlines.runSweep(actor, AFTER_2030), 'FORBIDDEN');
        expect(error.details).toMatchObject({ rule: 'sweep-needs-admin' });
      }
      expect(await states(north)).toEqual(['ASSIGNED', 'ASSIGNED']);
    });

    it('does sweep every province when a national ADMIN runs the sweep', async () => {
      // tasks due in 1971, so that no other test's task is due before the asOf used here
      const due1971 = endOfLocalDayUtc('1971-01-15');
      const a = await seedPlan(ds, uniqueProvince('int-sweep-1971a'), [{ timeframe: 'Tháng 1/1971', dueAt: due1971 }], { year: 1971 });
      const b = await seedPlan(ds, uniqueProvince('int-sweep-1971b'), [{ timeframe: 'Tháng 1/1971', dueAt: due1971 }], { year: 1971 });
      const deadlines = new DeadlinesService(sweeper, clock, createServices({ dataSource: ds, clock }).accessDenials);
      expect(await deadlines.runSweep(NATIONAL_ADMIN, new Date('1971-02-01T00:00:00+07:00'))).toBe(2);
      expect(await states(a)).toEqual(['OVERDUE']);
      expect(await states(b)).toEqual(['OVERDUE']);
      expect(await states(north)).toEqual(['ASSIGNED', 'ASSIGNED']);
    });

    it('does refuse with BAD_USER_INPUT when asOf is not a valid date-time', async () => {
      const deadlines = new DeadlinesService(sweeper, clock, createServices({ dataSource: ds, clock }).accessDenials);
      await expectDomainError(deadlines.runSweep(NATIONAL_ADMIN, new Date('not a date')), 'BAD_USER_INPUT');
    });
  });

  describe('concurrency', () => {
    it('does fire exactly one DEADLINE_PASSED per task when two instances sweep 300 due tasks at once', async () => {
      const seeded = await seedPlan(
        ds,
        uniqueProvince('int-sweep-race'),
        Array.from({ length: 300 }, () => ({})),
      );
      expect(seeded.taskIds).toHaveLength(300);
      const second = await openDataSource();
      try {
        const instances = [ds, second].map(
          (dataSource) => createServices({ dataSource: dataSource, clock: new TestClock(AFTER_2030) }).sweeper,
        );
        const scope = Scope.province(seeded.province.code);
        const fired = await Promise.all(instances.map((instance) => instance.sweep(scope, AFTER_2030, 20)));

        expect(fired[0] + fired[1]).toBe(300);
        // both instances took batches: the race was real
        expect(fired.every((n) => n > 0)).toBe(true);
        const perTask: { task_id: string; n: number }[] = await ds.query(
          `SELECT t.id AS task_id, count(e.seq)::int AS n
             FROM tasks t LEFT JOIN task_events e ON e.task_id = t.id AND e.type = 'DEADLINE_PASSED'
            WHERE t.province_code = $1 GROUP BY t.id`,
          [seeded.province.code],
        );
        expect(perTask).toHaveLength(300);
        expect(perTask.filter((row) => row.n !== 1)).toEqual([]);
        const [summary] = await ds.query(
          `SELECT count(*) FILTER (WHERE state = 'OVERDUE')::int AS overdue, count(*) FILTER (WHERE version = 1)::int AS v1,
                  (SELECT count(*)::int FROM task_events WHERE province_code = $1) AS events
             FROM tasks WHERE province_code = $1`,
          [seeded.province.code],
        );
        expect(summary).toEqual({ overdue: 300, v1: 300, events: 300 });
        expect(await Promise.all(instances.map((instance) => instance.sweep(scope, AFTER_2030, 20)))).toEqual([0, 0]);
      } finally {
        await second.destroy();
      }
    });
  });

  describe('a task whose snapshot was edited by hand', () => {
    // Each way of breaking the stored snapshot; the row's state column still says ASSIGNED.
    const BREAKAGES: [string, string][] = [
      ['names a machine version this code does not know', `jsonb_set(snapshot, '{machineVersion}', '99')`],
      ['names a state the machine does not know', `jsonb_set(snapshot, '{state}', '"ARCHIVED"')`],
      ['has a null context', `jsonb_set(snapshot, '{context}', 'null')`],
      ['is an object with none of the snapshot fields', `'{"edited": "by hand"}'::jsonb`],
      ['is not an object at all', `'"unreadable"'::jsonb`],
    ];

    it.each(BREAKAGES)('does sweep the other due tasks when one snapshot %s', async (_how, expression) => {
      const seeded = await seedPlan(ds, uniqueProvince('int-sweep-broken'), [{}, {}, {}, {}, {}]);
      const [broken, ...others] = seeded.taskIds;
      const [{ snapshot: original }] = await ds.query('SELECT snapshot::text AS snapshot FROM tasks WHERE id = $1', [broken]);
      await ds.query(`UPDATE tasks SET snapshot = ${expression} WHERE id = $1`, [broken]);
      try {
        // batches of 2 over five tasks due at the same time: whichever batch holds the broken task goes on
        const fired = await sweeper.sweep(Scope.province(seeded.province.code), AFTER_2030, 2);

        expect(fired).toBe(4);
        for (const id of others) {
          expect({ id, state: (await taskRow(ds, id)).state, events: (await deadlineEvents(id)).length }).toEqual({
            id,
            state: 'OVERDUE',
            events: 1,
          });
        }
        const [row] = await ds.query('SELECT state, version FROM tasks WHERE id = $1', [broken]);
        expect(row).toEqual({ state: 'ASSIGNED', version: 0 });
        expect(await eventRows(ds, broken)).toEqual([]);
      } finally {
        // put the plan's own snapshot back, so the run's closing audit replays this task cleanly
        await ds.query('UPDATE tasks SET snapshot = $2::jsonb WHERE id = $1', [broken, original]);
      }
      // once repaired, the next sweep takes it
      expect(await sweeper.sweep(Scope.province(seeded.province.code), new Date(AFTER_2030.getTime() + MINUTE))).toBe(1);
      expect((await taskRow(ds, broken)).state).toBe('OVERDUE');
    });
  });

  it('does mark the due time passed with the sweep instant, not the clock, when the sweep is run for a past asOf', async () => {
    const seeded = await seedPlan(ds, uniqueProvince('int-sweep-asof'), [{ dueAt: DUE_2030 }]);
    clock.set('2035-01-01T00:00:00.000Z');
    const asOf = new Date('2031-01-01T00:00:00+07:00');
    expect(await sweeper.sweep(Scope.province(seeded.province.code), asOf)).toBe(1);
    const [event] = await eventRows(ds, seeded.taskIds[0]);
    expect(event).toMatchObject({ type: 'DEADLINE_PASSED', at: asOf });
    expect((await taskRow(ds, seeded.taskIds[0])).snapshot.state).toBe('OVERDUE');
  });
});
