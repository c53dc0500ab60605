import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import {
  cast,
  expectDomainError,
  MINUTE,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  TestClock,
  uniqueProvince,
  type SeededPlan,
} from '../test-support/int-helpers';
import { TransitionService } from '../tasks/transition.service';
import { PlansService, type PlanProgress } from './plans.service';
import { createServices } from '../services';
import { systemClock } from '../common/clock';
import { createRepositories } from '../repositories/repositories';
import { Scope } from '../common/scope';

const BEFORE_DUE = new Date('2030-03-01T02:00:00.000Z');
const AFTER_DUE = new Date('2031-01-10T02:00:00.000Z');

const EMPTY: PlanProgress = {
  total: 0,
  byState: [
    { state: 'ASSIGNED', count: 0 },
    { state: 'IN_PROGRESS', count: 0 },
    { state: 'REPORTED', count: 0 },
    { state: 'VERIFIED', count: 0 },
    { state: 'OVERDUE', count: 0 },
    { state: 'WITHDRAWN', count: 0 },
  ],
  overdue: 0,
  verifiedOnTime: 0,
  verifiedLate: 0,
};

describe(PlansService.name, () => {
  let ds: DataSource;
  let plans: PlansService;

  beforeAll(async () => {
    ds = await openDataSource();
    plans = createServices({ dataSource: ds, clock: systemClock }).plans;
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  describe('progress', () => {
    let seeded: SeededPlan;
    let clock: TestClock;
    let transitions: TransitionService;
    let actors: ReturnType<typeof cast>;

    const fire = (actor: Actor, index: number, event: Parameters<TransitionService['transition']>[1]['event'], extra = {}) => {
      clock.advance(MINUTE);
      return transitions.transition(actor, { taskId: seeded.taskIds[index], event, ...extra });
    };

    beforeAll(async () => {
      seeded = await seedPlan(
        ds,
        uniqueProvince('int-plans'),
        Array.from({ length: 10 }, () => ({})),
      );
      actors = cast(seeded);
      clock = new TestClock(BEFORE_DUE);
      transitions = createServices({ dataSource: ds, clock: clock }).transitions;
      const { lead, supervisor } = actors;
      const report = { report: { summary: 'Báo cáo' } };
      // before the due time
      await fire(lead, 1, 'START');
      await fire(lead, 2, 'START');
      await fire(lead, 2, 'SUBMIT_REPORT', report);
      await fire(lead, 3, 'START');
      for (const i of [4, 5, 7, 9]) await fire(lead, i, 'START');
      await fire(lead, 4, 'SUBMIT_REPORT', report);
      await fire(supervisor, 4, 'VERIFY');
      await fire(lead, 7, 'SUBMIT_REPORT', report);
      await fire(lead, 9, 'SUBMIT_REPORT', report);
      // after the due time
      clock.set(AFTER_DUE);
      await fire(lead, 3, 'SUBMIT_REPORT', report); // REPORTED, late, not verified
      await fire(lead, 5, 'SUBMIT_REPORT', report);
      await fire(supervisor, 5, 'VERIFY'); // VERIFIED late: reported late
      await fire(SYSTEM_ACTOR, 6, 'DEADLINE_PASSED'); // OVERDUE from ASSIGNED
      await fire(supervisor, 7, 'REJECT', { comment: 'Chưa đạt' }); // OVERDUE: rejected after due
      await fire(SYSTEM_ACTOR, 8, 'DEADLINE_PASSED');
      await fire(lead, 8, 'SUBMIT_REPORT', report);
      await fire(supervisor, 8, 'VERIFY'); // VERIFIED late: reported from OVERDUE
      await fire(supervisor, 9, 'VERIFY'); // VERIFIED late: reported on time, verified after due
    });

    it('counts every state, overdue, verifiedOnTime and verifiedLate when tasks were walked through the lifecycle', async () => {
      const progress = await createRepositories(ds).plans.progress(Scope.national(), [seeded.planId]);
      expect(progress.get(seeded.planId)).toEqual({
        total: 10,
        byState: [
          { state: 'ASSIGNED', count: 1 },
          { state: 'IN_PROGRESS', count: 1 },
          { state: 'REPORTED', count: 2 },
          { state: 'VERIFIED', count: 4 },
          { state: 'OVERDUE', count: 2 },
          { state: 'WITHDRAWN', count: 0 },
        ],
        overdue: 2,
        verifiedOnTime: 1,
        verifiedLate: 3,
      });
    });

    it('agrees with the tasks table when counted independently', async () => {
      const rows: { state: string; late: boolean }[] = await ds.query('SELECT state, late FROM tasks WHERE plan_id = $1', [seeded.planId]);
      const progress = (await createRepositories(ds).plans.progress(Scope.national(), [seeded.planId])).get(seeded.planId)!;
      for (const { state, count } of progress.byState) expect(count).toBe(rows.filter((r) => r.state === state).length);
      expect(progress.verifiedLate).toBe(rows.filter((r) => r.state === 'VERIFIED' && r.late).length);
      // a withdrawn task is listed in byState but is no longer part of the plan's total
      expect(progress.byState.filter((s) => s.state !== 'WITHDRAWN').reduce((sum, s) => sum + s.count, 0)).toBe(progress.total);
    });

    it('answers zero counts for every state when a plan has no tasks or is unknown', async () => {
      const empty = await seedPlan(ds, seeded.province, []);
      const unknown = randomUUID();
      const progress = await createRepositories(ds).plans.progress(Scope.national(), [empty.planId, unknown, seeded.planId]);
      expect(progress.get(empty.planId)).toEqual(EMPTY);
      expect(progress.get(unknown)).toEqual(EMPTY);
      expect(progress.get(seeded.planId)?.total).toBe(10);
    });

    it('counts leaf tasks only when some tasks have children', async () => {
      const split = await seedPlan(ds, seeded.province, [{}, {}, {}]);
      const [parent, childA, childB] = split.taskIds;
      await ds.query('UPDATE tasks SET parent_id = $1 WHERE id = ANY($2::uuid[])', [parent, [childA, childB]]);
      await transitions.transition(actors.lead, { taskId: childA, event: 'START' });
      const progress = (await createRepositories(ds).plans.progress(Scope.national(), [split.planId])).get(split.planId)!;
      expect(progress.total).toBe(2);
      expect(progress.byState.filter((s) => s.count > 0)).toEqual([
        { state: 'ASSIGNED', count: 1 },
        { state: 'IN_PROGRESS', count: 1 },
      ]);
    });
  });

  describe('list', () => {
    let a: { code: string; name: string };
    let b: { code: string; name: string };
    let a2029: SeededPlan;
    let a2031: SeededPlan;
    let b2030: SeededPlan;
    let actorA: Actor;
    let actorB: Actor;

    beforeAll(async () => {
      a = uniqueProvince('int-plans-a');
      b = uniqueProvince('int-plans-b');
      a2029 = await seedPlan(ds, a, [{}], { year: 2029 });
      a2031 = await seedPlan(ds, a, [{}], { year: 2031 });
      b2030 = await seedPlan(ds, b, [{}], { year: 2030 });
      actorA = cast(a2029).lead;
      actorB = cast(b2030).supervisor;
    });

    it("lists only the plans of the actor's own province, newest first, when no provinceCode is given", async () => {
      expect((await plans.list(actorA)).map((p) => p.id)).toEqual([a2031.planId, a2029.planId]);
      expect((await plans.list(actorB)).map((p) => p.id)).toEqual([b2030.planId]);
    });

    it('lists the same plans when the actor names its own province', async () => {
      expect((await plans.list(actorA, a.code)).map((p) => p.id)).toEqual([a2031.planId, a2029.planId]);
    });

    it('refuses with FORBIDDEN when a provincial actor names another province, BAD_USER_INPUT for an empty code', async () => {
      await expectDomainError(plans.list(actorA, b.code), 'FORBIDDEN');
      await expectDomainError(plans.list(actorB, a.code), 'FORBIDDEN');
      await expectDomainError(plans.list(actorA, '*'), 'FORBIDDEN');
      await expectDomainError(plans.list(actorA, ''), 'BAD_USER_INPUT');
      await expectDomainError(plans.list(NATIONAL_AUDITOR, ''), 'BAD_USER_INPUT');
    });

    it('lists the plans of any province when a national ("*") actor names it', async () => {
      expect((await plans.list(NATIONAL_ADMIN, a.code)).map((p) => p.id)).toEqual([a2031.planId, a2029.planId]);
      expect((await plans.list(NATIONAL_AUDITOR, b.code)).map((p) => p.id)).toEqual([b2030.planId]);
    });

    it('lists the plans of every province when a national ("*") actor names none', async () => {
      const all = (await plans.list(NATIONAL_AUDITOR)).map((p) => p.id);
      expect(all).toEqual(expect.arrayContaining([a2029.planId, a2031.planId, b2030.planId]));
      expect(all.indexOf(a2031.planId)).toBeLessThan(all.indexOf(b2030.planId));
      expect(all.indexOf(b2030.planId)).toBeLessThan(all.indexOf(a2029.planId));
    });

    it('refuses with BAD_USER_INPUT when provinceCode is longer than 100 characters', async () => {
      await expectDomainError(plans.list(actorA, 'x'.repeat(101)), 'BAD_USER_INPUT');
    });

    it('finds a plan by id only when the actor sees its province', async () => {
      expect((await plans.findById(actorA, a2029.planId))?.id).toBe(a2029.planId);
      expect(await plans.findById(actorB, a2029.planId)).toBeNull();
      expect((await plans.findById(NATIONAL_ADMIN, b2030.planId))?.id).toBe(b2030.planId);
      expect(await plans.findById(actorA, randomUUID())).toBeNull();
      await expectDomainError(plans.findById(actorA, 'not-a-uuid'), 'BAD_USER_INPUT');
    });
  });
});
