import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import {
  AGENCY_CODES,
  cast,
  expectDomainError,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { encodeCursor, TaskQueryService } from './task-query.service';
import { createServices } from '../services';
import { systemClock } from '../common/clock';
import { createRepositories } from '../repositories/repositories';
import { Scope } from '../common/scope';

describe(TaskQueryService.name, () => {
  let ds: DataSource;
  let query: TaskQueryService;
  let big: SeededPlan; // 45 tasks
  let small: SeededPlan; // 4 tasks with varied agencies, same province
  let other: SeededPlan; // another province
  let actors: ReturnType<typeof cast>;
  let stranger: Actor;

  beforeAll(async () => {
    ds = await openDataSource();
    query = createServices({ dataSource: ds, clock: systemClock }).taskQueries;
    const province = uniqueProvince('int-query');
    big = await seedPlan(
      ds,
      province,
      Array.from({ length: 45 }, () => ({})),
    );
    small = await seedPlan(ds, province, [
      { leadAgencyCode: AGENCY_CODES.tax, coordinatingAgencyCodes: [AGENCY_CODES.ict] },
      { leadAgencyCode: AGENCY_CODES.justice, coordinatingAgencyCodes: [AGENCY_CODES.tax, AGENCY_CODES.ict] },
      { leadAgencyCode: AGENCY_CODES.tax, coordinatingAgencyCodes: [AGENCY_CODES.tax] },
      { leadAgencyCode: AGENCY_CODES.monitoring, coordinatingAgencyCodes: [] },
    ]);
    other = await seedPlan(ds, uniqueProvince('int-query-other'), [{}, {}]);
    actors = cast(big);
    stranger = userActor(other, 'justice', ['OFFICER']);

    // a few state changes in the small plan: [0] IN_PROGRESS, [1] OVERDUE, [2] and [3] ASSIGNED
    const clock = new TestClock('2030-03-01T00:00:00Z');
    const transitions = createServices({ dataSource: ds, clock: clock }).transitions;
    await transitions.transition(userActor(small, 'tax', ['OFFICER']), { taskId: small.taskIds[0], event: 'START' });
    clock.set('2031-01-05T00:00:00Z');
    await transitions.transition(SYSTEM_ACTOR, { taskId: small.taskIds[1], event: 'DEADLINE_PASSED' });
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  describe('page', () => {
    it('walks 45 tasks in pages of 20, 20 and 5 with no overlap when following endCursor', async () => {
      const ids: string[] = [];
      const sizes: number[] = [];
      const more: boolean[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 5; guard += 1) {
        const page = await query.page(actors.lead, { planId: big.planId, first: 20, after });
        expect(page.totalCount).toBe(45);
        sizes.push(page.tasks.length);
        more.push(page.hasNextPage);
        ids.push(...page.tasks.map((t) => t.id));
        if (!page.hasNextPage) break;
        after = encodeCursor(page.tasks[page.tasks.length - 1]);
      }
      expect(sizes).toEqual([20, 20, 5]);
      expect(more).toEqual([true, true, false]);
      expect(new Set(ids).size).toBe(45);
      expect(ids).toEqual(big.taskIds);
    });

    it('returns pages in plan order when tasks are read back', async () => {
      const page = await query.page(actors.lead, { planId: big.planId, first: 5 });
      expect(page.tasks.map((t) => t.ordinal)).toEqual(['1', '2', '3', '4', '5']);
      const sortKeys = page.tasks.map((t) => BigInt(t.sortKey));
      expect([...sortKeys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(sortKeys);
    });

    it('answers 20 tasks when first is not given', async () => {
      const page = await query.page(actors.lead, { planId: big.planId });
      expect(page.tasks).toHaveLength(20);
      expect(page.hasNextPage).toBe(true);
    });

    it('answers an empty last page with hasNextPage false when the cursor is the last task', async () => {
      const all = await query.page(actors.lead, { planId: big.planId, first: 100 });
      expect(all.tasks).toHaveLength(45);
      expect(all.hasNextPage).toBe(false);
      const after = encodeCursor(all.tasks[44]);
      expect(await query.page(actors.lead, { planId: big.planId, after })).toMatchObject({ tasks: [], hasNextPage: false, totalCount: 45 });
    });

    it('says hasNextPage false when exactly first tasks remain', async () => {
      const page = await query.page(actors.lead, {
        planId: big.planId,
        first: 20,
        after: encodeCursor((await query.page(actors.lead, { planId: big.planId, first: 25 })).tasks[24]),
      });
      expect(page.tasks).toHaveLength(20);
      expect(page.hasNextPage).toBe(false);
    });

    it('filters by planId when two plans share a province', async () => {
      const page = await query.page(actors.lead, { planId: small.planId });
      expect(page.tasks.map((t) => t.id)).toEqual(small.taskIds);
      expect(page.totalCount).toBe(4);
      const both = await query.page(actors.lead, { first: 100 });
      expect(both.totalCount).toBe(49);
    });

    it('filters by state when a state is given', async () => {
      expect((await query.page(actors.lead, { planId: small.planId, state: 'IN_PROGRESS' })).tasks.map((t) => t.id)).toEqual([
        small.taskIds[0],
      ]);
      expect((await query.page(actors.lead, { planId: small.planId, state: 'OVERDUE' })).tasks.map((t) => t.id)).toEqual([
        small.taskIds[1],
      ]);
      const assigned = await query.page(actors.lead, { state: 'ASSIGNED', first: 100 });
      expect(assigned.totalCount).toBe(47);
      expect(assigned.tasks.every((t) => t.state === 'ASSIGNED')).toBe(true);
      expect((await query.page(actors.lead, { planId: small.planId, state: 'VERIFIED' })).totalCount).toBe(0);
    });

    it('filters by agencyId on the lead or a coordinating agency, once per task', async () => {
      const tax = await query.page(actors.lead, { agencyId: small.agencies.tax, first: 100 });
      expect(tax.tasks.map((t) => t.id)).toEqual([small.taskIds[0], small.taskIds[1], small.taskIds[2]]);
      expect(tax.totalCount).toBe(3);
      const monitoring = await query.page(actors.lead, { agencyId: small.agencies.monitoring, first: 100 });
      expect(monitoring.tasks.map((t) => t.id)).toEqual([small.taskIds[3]]);
      const ict = await query.page(actors.lead, { planId: small.planId, agencyId: small.agencies.ict });
      expect(ict.tasks.map((t) => t.id)).toEqual([small.taskIds[0], small.taskIds[1]]);
      const justice = await query.page(actors.lead, { agencyId: small.agencies.justice, first: 100 });
      expect(justice.totalCount).toBe(46);
    });

    it('combines planId, state and agencyId filters with AND', async () => {
      const page = await query.page(actors.lead, { planId: small.planId, state: 'ASSIGNED', agencyId: small.agencies.tax });
      expect(page.tasks.map((t) => t.id)).toEqual([small.taskIds[2]]);
    });

    it('pages a filtered list with cursors that skip what the filter excludes', async () => {
      const first = await query.page(actors.lead, { agencyId: small.agencies.tax, first: 2 });
      expect(first.hasNextPage).toBe(true);
      const second = await query.page(actors.lead, { agencyId: small.agencies.tax, first: 2, after: encodeCursor(first.tasks[1]) });
      expect(second.tasks.map((t) => t.id)).toEqual([small.taskIds[2]]);
      expect(second.hasNextPage).toBe(false);
      expect(second.totalCount).toBe(3);
    });

    it('shows a national ("*") actor the tasks of every province', async () => {
      for (const national of [NATIONAL_ADMIN, NATIONAL_AUDITOR]) {
        expect((await query.page(national, { planId: big.planId, first: 100 })).totalCount).toBe(45);
        expect((await query.page(national, { planId: other.planId })).tasks.map((t) => t.id)).toEqual(other.taskIds);
        const everything = await query.page(national, { first: 100 });
        expect(everything.totalCount).toBeGreaterThanOrEqual(51);
      }
    });

    it('shows an actor of another province none of these tasks, whatever the filter', async () => {
      // another province's plan or agency answers like one that does not exist
      await expectDomainError(query.page(stranger, { planId: big.planId }), 'NOT_FOUND');
      await expectDomainError(query.page(stranger, { agencyId: small.agencies.tax }), 'NOT_FOUND');
      const own = await query.page(stranger, { first: 100 });
      expect(own.tasks.map((t) => t.id)).toEqual(other.taskIds);
      expect(own.tasks.every((t) => t.provinceCode === other.province.code)).toBe(true);
    });

    it.each([
      ['is not base64 of a task cursor', 'not-a-cursor'],
      ['holds a non-numeric key', Buffer.from('task:abc').toString('base64url')],
      ['holds a key of more than 18 digits', Buffer.from('task:1234567890123456789').toString('base64url')],
      ['is longer than 64 characters', `${Buffer.from('task:1').toString('base64url')}${'!'.repeat(60)}`],
      ['is empty after decoding', Buffer.from('task:').toString('base64url')],
    ])('refuses with BAD_USER_INPUT when the cursor %s', async (_name, after) => {
      await expectDomainError(query.page(actors.lead, { planId: big.planId, after }), 'BAD_USER_INPUT');
    });

    it.each([0, 101, -1, 1.5, Number.NaN])('refuses with BAD_USER_INPUT when first is %p', async (first) => {
      await expectDomainError(query.page(actors.lead, { planId: big.planId, first }), 'BAD_USER_INPUT');
    });

    it('accepts first 1 and first 100 when they are at the bounds', async () => {
      expect((await query.page(actors.lead, { planId: big.planId, first: 1 })).tasks).toHaveLength(1);
      expect((await query.page(actors.lead, { planId: big.planId, first: 100 })).tasks).toHaveLength(45);
    });

    it('refuses with BAD_USER_INPUT when planId or agencyId is not a UUID or state is not a TaskState', async () => {
      await expectDomainError(query.page(actors.lead, { planId: 'plan-1' }), 'BAD_USER_INPUT');
      await expectDomainError(query.page(actors.lead, { agencyId: "x' OR 1=1 --" }), 'BAD_USER_INPUT');
      await expectDomainError(query.page(actors.lead, { state: 'DONE' as never }), 'BAD_USER_INPUT');
    });
  });

  describe('findById', () => {
    it('returns the task when the actor sees its province', async () => {
      expect((await query.findById(actors.lead, big.taskIds[0]))?.id).toBe(big.taskIds[0]);
      expect((await query.findById(NATIONAL_AUDITOR, other.taskIds[0]))?.id).toBe(other.taskIds[0]);
    });

    it('answers null when the task is in another province or does not exist, BAD_USER_INPUT for a malformed id', async () => {
      expect(await query.findById(stranger, big.taskIds[0])).toBeNull();
      expect(await query.findById(actors.lead, randomUUID())).toBeNull();
      await expectDomainError(query.findById(actors.lead, 'nope'), 'BAD_USER_INPUT');
    });
  });

  describe('batch look-ups', () => {
    it('returns the coordinators and events of the given tasks only, within the scope', async () => {
      const repos = createRepositories(ds);
      const national = Scope.national();
      const coordinators = await repos.tasks.coordinatorsOf(national, [small.taskIds[1], small.taskIds[3]]);
      expect(coordinators.map((c) => c.agencyId).sort()).toEqual([small.agencies.ict, small.agencies.tax].sort());
      const events = await repos.events.eventsOf(national, small.taskIds);
      expect(events.map((e) => [e.taskId, e.seq, e.type])).toEqual(
        expect.arrayContaining([
          [small.taskIds[0], 1, 'START'],
          [small.taskIds[1], 1, 'DEADLINE_PASSED'],
        ]),
      );
      expect(events).toHaveLength(2);
      expect(await repos.tasks.byIds(national, [])).toEqual([]);
      expect((await repos.tasks.byIds(national, small.taskIds)).map((t) => t.id).sort()).toEqual([...small.taskIds].sort());
      const elsewhere = Scope.province(other.province.code);
      expect(await repos.tasks.byIds(elsewhere, small.taskIds)).toEqual([]);
      expect(await repos.events.eventsOf(elsewhere, small.taskIds)).toEqual([]);
      expect(await repos.tasks.coordinatorsOf(elsewhere, small.taskIds)).toEqual([]);
    });
  });
});
