import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, fire } from './support/e2e-helpers';

// The read side: plans, their progress, Relay pages of tasks, filters, province isolation and the
// DataLoaders keeping a page at a constant number of SQL statements.
const COMMITTEE = 'uy-ban-nhan-dan-tinh';

// 60 tasks whose lead and coordinating agencies rotate, so the agency filter has something to tell apart.
const ROTATION = [
  { leadAgencyCode: AGENCIES.justice.code, coordinatingAgencyCodes: [AGENCIES.ict.code] },
  { leadAgencyCode: AGENCIES.ict.code, coordinatingAgencyCodes: [AGENCIES.tax.code] },
  { leadAgencyCode: AGENCIES.tax.code, coordinatingAgencyCodes: [AGENCIES.justice.code, AGENCIES.ict.code] },
  { leadAgencyCode: AGENCIES.justice.code, coordinatingAgencyCodes: [] },
];
const BIG_PLAN_TASKS = Array.from({ length: 60 }, (_, i) => ROTATION[i % 4]);

interface Edge {
  cursor: string;
  node: { id: string; ordinal: string; state: string };
}
interface Page {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

describe('queries', () => {
  const province = uniqueProvince('queries');
  const other = uniqueProvince('queries-other');
  let server: ApiServer;
  let bigPlanId: string;
  let smallPlanId: string;
  let otherPlanId: string;
  let officer: string;
  let supervisor: string;
  let otherOfficer: string;
  let auditor: string;

  beforeAll(async () => {
    ({ planId: bigPlanId } = await seedPlan({ ...testPlan(province, BIG_PLAN_TASKS), number: '60/KH-UBND' }));
    ({ planId: smallPlanId } = await seedPlan({
      ...testPlan(
        province,
        Array.from({ length: 5 }, () => ({})),
      ),
      number: '05/KH-UBND',
      title: 'Kế hoạch nhỏ',
    }));
    ({ planId: otherPlanId } = await seedPlan(testPlan(other, [{}, {}])));
    server = await startApiServer();
    officer = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'officer-queries');
    supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-queries');
    otherOfficer = await token(other.code, AGENCIES.justice.code, ['OFFICER'], 'officer-other');
    auditor = await token('*', 'kiem-toan', ['AUDITOR'], 'auditor-national');
  });

  afterAll(async () => server?.stop());

  async function page(tok: string, vars: Record<string, unknown>): Promise<Page> {
    const result = await gql(
      server,
      tok,
      `query Q($planId: ID, $state: TaskState, $agencyId: ID, $first: Int, $after: String) {
        tasks(planId: $planId, state: $state, agencyId: $agencyId, first: $first, after: $after) {
          edges { cursor node { id ordinal state } } pageInfo { hasNextPage endCursor } totalCount
        } }`,
      vars,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.tasks;
  }

  async function agencyIds(): Promise<Record<string, string>> {
    const result = await gql(server, officer, 'query A($p: String!) { agencies(provinceCode: $p) { id code } }', { p: province.code });
    return Object.fromEntries(result.data!.agencies.map((a: { id: string; code: string }) => [a.code, a.id]));
  }

  describe('plans', () => {
    it("does list the plans of the viewer's province when plans is queried", async () => {
      const result = await gql(server, officer, '{ plans { id number province { code } } }');
      expect(result.errors).toBeUndefined();
      expect(result.data!.plans.map((p: { id: string }) => p.id).sort()).toEqual([bigPlanId, smallPlanId].sort());
      for (const plan of result.data!.plans) expect(plan.province.code).toBe(province.code);
    });

    it('does answer plan(id) with province, monitoring agency and deadlines', async () => {
      const result = await gql(
        server,
        officer,
        `query P($id: ID!) { plan(id: $id) {
          id number title issuedOn province { code name } monitoringAgency { code name province { code } }
          reportingDeadlines { period dueMonthDay } consolidationDeadlines { period dueMonthDay }
          progress { total } tasks(first: 1) { totalCount }
        } }`,
        { id: smallPlanId },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.plan).toEqual({
        id: smallPlanId,
        number: '05/KH-UBND',
        title: 'Kế hoạch nhỏ',
        issuedOn: '2030-01-15',
        province: { code: province.code, name: province.name },
        monitoringAgency: { code: AGENCIES.monitoring.code, name: AGENCIES.monitoring.name, province: { code: province.code } },
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '06-05' },
          { period: 'YEAR', dueMonthDay: '12-05' },
        ],
        consolidationDeadlines: [],
        progress: { total: 5 },
        tasks: { totalCount: 5 },
      });
    });

    it('does change the progress counts when tasks move through the lifecycle', async () => {
      const progressQuery = `query P($id: ID!) { plan(id: $id) { progress { total overdue verifiedOnTime verifiedLate byState { state count } } } }`;
      const countsOf = async () => {
        const result = await gql(server, officer, progressQuery, { id: smallPlanId });
        expect(result.errors).toBeUndefined();
        const progress = result.data!.plan.progress;
        return {
          ...progress,
          byState: Object.fromEntries(progress.byState.map((s: { state: string; count: number }) => [s.state, s.count])),
        };
      };
      expect(await countsOf()).toEqual({
        total: 5,
        overdue: 0,
        verifiedOnTime: 0,
        verifiedLate: 0,
        byState: { ASSIGNED: 5, IN_PROGRESS: 0, REPORTED: 0, VERIFIED: 0, OVERDUE: 0, WITHDRAWN: 0 },
      });
      const ids = (await page(officer, { planId: smallPlanId, first: 5 })).edges.map((e) => e.node.id);
      for (const id of ids.slice(0, 3)) await fire(server, officer, { taskId: id, event: 'START' });
      for (const id of ids.slice(0, 2)) await fire(server, officer, { taskId: id, event: 'SUBMIT_REPORT', report: { summary: 'Đã xong' } });
      await fire(server, supervisor, { taskId: ids[0], event: 'VERIFY' });
      expect(await countsOf()).toEqual({
        total: 5,
        overdue: 0,
        verifiedOnTime: 1,
        verifiedLate: 0,
        byState: { ASSIGNED: 2, IN_PROGRESS: 1, REPORTED: 1, VERIFIED: 1, OVERDUE: 0, WITHDRAWN: 0 },
      });
      const reported = await page(officer, { planId: smallPlanId, state: 'REPORTED' });
      expect(reported.totalCount).toBe(1);
      expect(reported.edges.map((e) => e.node.id)).toEqual([ids[1]]);
    });
  });

  describe('task pagination', () => {
    it('does walk all pages of a 60-task plan with first: 25 without duplicates or gaps', async () => {
      const seen: Edge[] = [];
      const pages: Page[] = [];
      let after: string | null = null;
      do {
        const current: Page = await page(officer, { planId: bigPlanId, first: 25, after });
        pages.push(current);
        seen.push(...current.edges);
        after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
        expect(pages.length).toBeLessThanOrEqual(3);
      } while (after);
      expect(pages.map((p) => p.edges.length)).toEqual([25, 25, 10]);
      expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
      expect(pages.map((p) => p.totalCount)).toEqual([60, 60, 60]);
      for (const p of pages) expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
      expect(new Set(seen.map((e) => e.node.id)).size).toBe(60);
      expect(new Set(seen.map((e) => e.cursor)).size).toBe(60);
      expect(seen.map((e) => e.node.ordinal)).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));
      const beyond = await page(officer, { planId: bigPlanId, first: 25, after: pages[2].pageInfo.endCursor });
      expect(beyond).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 60 });
    });

    it('does give the same pages through plan.tasks as through tasks(planId)', async () => {
      const result = await gql(
        server,
        officer,
        'query P($id: ID!) { plan(id: $id) { tasks(first: 25) { edges { node { id } } totalCount pageInfo { hasNextPage } } } }',
        {
          id: bigPlanId,
        },
      );
      const direct = await page(officer, { planId: bigPlanId, first: 25 });
      expect(result.data!.plan.tasks.edges.map((e: Edge) => e.node.id)).toEqual(direct.edges.map((e) => e.node.id));
      expect(result.data!.plan.tasks.totalCount).toBe(60);
      expect(result.data!.plan.tasks.pageInfo.hasNextPage).toBe(true);
    });

    it('does answer BAD_USER_INPUT when the cursor is not one the API returned', async () => {
      const query = 'query Q($id: ID!, $after: String) { tasks(planId: $id, first: 5, after: $after) { totalCount } }';
      for (const after of [
        'not-a-cursor',
        Buffer.from('task:abc').toString('base64url'),
        Buffer.from('plan:1').toString('base64url'),
        'x'.repeat(500),
      ]) {
        expectError(await gql(server, officer, query, { id: bigPlanId, after }), 'BAD_USER_INPUT');
      }
      expectError(
        await gql(server, officer, 'query P($id: ID!) { plan(id: $id) { tasks(after: "%%%") { totalCount } } }', { id: bigPlanId }),
        'BAD_USER_INPUT',
      );
    });
  });

  describe('agency filter', () => {
    it('does match tasks the agency leads or coordinates when agencyId is given', async () => {
      const ids = await agencyIds();
      const expected = (code: string) =>
        BIG_PLAN_TASKS.map((task, i) => ({ ...task, ordinal: String(i + 1) }))
          .filter((task) => task.leadAgencyCode === code || task.coordinatingAgencyCodes.includes(code))
          .map((task) => task.ordinal);
      for (const code of [AGENCIES.ict.code, AGENCIES.tax.code, AGENCIES.justice.code, AGENCIES.monitoring.code]) {
        const result = await page(officer, { planId: bigPlanId, agencyId: ids[code], first: 100 });
        expect({ code, ordinals: result.edges.map((e) => e.node.ordinal), total: result.totalCount }).toEqual({
          code,
          ordinals: expected(code),
          total: expected(code).length,
        });
      }
      expect(expected(AGENCIES.ict.code)).toHaveLength(45);
      expect(expected(AGENCIES.tax.code)).toHaveLength(30);
    });

    it('does page through the filtered tasks with first and after', async () => {
      const ids = await agencyIds();
      const first = await page(officer, { planId: bigPlanId, agencyId: ids[AGENCIES.tax.code], first: 20 });
      const second = await page(officer, {
        planId: bigPlanId,
        agencyId: ids[AGENCIES.tax.code],
        first: 20,
        after: first.pageInfo.endCursor,
      });
      expect([first.edges.length, second.edges.length, first.pageInfo.hasNextPage, second.pageInfo.hasNextPage]).toEqual([
        20,
        10,
        true,
        false,
      ]);
      expect(new Set([...first.edges, ...second.edges].map((e) => e.node.id)).size).toBe(30);
    });

    it('does answer BAD_USER_INPUT when agencyId is not an id', async () => {
      expectError(await gql(server, officer, '{ tasks(agencyId: "so-tu-phap") { totalCount } }'), 'BAD_USER_INPUT');
    });
  });

  describe('agencies', () => {
    it("does list the province registry with the People's Committee when agencies is queried", async () => {
      const result = await gql(
        server,
        officer,
        'query A($p: String!) { agencies(provinceCode: $p) { id code name province { code name } } }',
        { p: province.code },
      );
      expect(result.errors).toBeUndefined();
      const agencies = result.data!.agencies as { id: string; code: string; name: string; province: { code: string; name: string } }[];
      expect(agencies.map((a) => a.code).sort()).toEqual([...Object.values(AGENCIES).map((a) => a.code), COMMITTEE].sort());
      expect(agencies.find((a) => a.code === COMMITTEE)!.name).toBe('Ủy ban nhân dân tỉnh');
      for (const agency of agencies) {
        expect(agency.province).toEqual({ code: province.code, name: province.name });
        expect(agency.id).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  });

  describe('province isolation', () => {
    it('does hide the plans of another province from a provincial token', async () => {
      expect((await gql(server, officer, 'query P($id: ID!) { plan(id: $id) { id } }', { id: otherPlanId })).data!.plan).toBeNull();
      // naming another province is FORBIDDEN; another province's plan id answers like a missing one
      expectError(await gql(server, officer, 'query P($p: String) { plans(provinceCode: $p) { id } }', { p: other.code }), 'FORBIDDEN');
      expectError(await gql(server, officer, 'query T($id: ID) { tasks(planId: $id) { totalCount } }', { id: otherPlanId }), 'NOT_FOUND');
      expectError(await gql(server, officer, 'query A($p: String!) { agencies(provinceCode: $p) { id } }', { p: other.code }), 'FORBIDDEN');
      const otherPlans = await gql(server, otherOfficer, '{ plans { id } }');
      expect(otherPlans.data!.plans.map((p: { id: string }) => p.id)).toEqual([otherPlanId]);
      expect((await gql(server, otherOfficer, 'query P($id: ID!) { plan(id: $id) { id } }', { id: bigPlanId })).data!.plan).toBeNull();
    });

    it('does hide tasks of another province from tasks without planId', async () => {
      const mine = await page(officer, { first: 100 });
      expect(mine.totalCount).toBe(65);
      const theirs = await page(otherOfficer, { first: 100 });
      expect(theirs.totalCount).toBe(2);
      const myIds = new Set(mine.edges.map((e) => e.node.id));
      for (const edge of theirs.edges) expect(myIds.has(edge.node.id)).toBe(false);
    });

    it('does show a national auditor the plans of any province', async () => {
      const result = await gql(server, auditor, 'query P($p: String) { plans(provinceCode: $p) { id } }', { p: other.code });
      expect(result.data!.plans.map((p: { id: string }) => p.id)).toEqual([otherPlanId]);
      expect((await gql(server, auditor, 'query P($id: ID!) { plan(id: $id) { id } }', { id: bigPlanId })).data!.plan).toEqual({
        id: bigPlanId,
      });
    });
  });

  describe('DataLoaders', () => {
    const pageQuery = (first: number) => `query P($id: ID!) { plan(id: $id) { tasks(first: ${first}) { edges { node {
      leadAgency { name } coordinatingAgencies { name } availableEvents history { seq } plan { number }
    } } } } }`;

    async function sqlCount(first: number): Promise<number> {
      await gql(server, supervisor, '{ plans { id } }'); // warm the token's agency cache
      const result = await gql(server, supervisor, pageQuery(first), { id: bigPlanId });
      expect(result.errors).toBeUndefined();
      expect(result.data!.plan.tasks.edges).toHaveLength(first);
      expect(result.sqlQueries).not.toBeNull();
      return result.sqlQueries!;
    }

    it('does run the same number of SQL statements for a page of 10 and a page of 50 tasks', async () => {
      const ids = (await page(officer, { planId: bigPlanId, first: 12 })).edges.map((e) => e.node.id);
      const justiceLed = ids.filter((_, i) => BIG_PLAN_TASKS[i].leadAgencyCode === AGENCIES.justice.code);
      for (const id of justiceLed) await fire(server, officer, { taskId: id, event: 'START' });
      await fire(server, officer, { taskId: justiceLed[0], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } });
      const ten = await sqlCount(10);
      const fifty = await sqlCount(50);
      expect({ ten, fifty }).toEqual({ ten: fifty, fifty });
      expect(fifty).toBeLessThan(20);
      expect(fifty).toBeGreaterThan(0);
    });

    it('does answer a plan page (plan, progress, tasks with state, agencies) in two statements whatever its size', async () => {
      const planPage = (first: number) => `query P($id: ID!) { plan(id: $id) { id title progress { total byState { state count } }
        tasks(first: ${first}) { totalCount edges { node { id state late dueAt leadAgency { code } coordinatingAgencies { code } } } } } }`;
      await gql(server, supervisor, '{ plans { id } }'); // warm the token's agency cache
      const counts: number[] = [];
      for (const first of [10, 50]) {
        const result = await gql(server, supervisor, planPage(first), { id: bigPlanId });
        expect(result.errors).toBeUndefined();
        expect(result.data!.plan.tasks.edges).toHaveLength(first);
        expect(result.data!.plan.progress.total).toBe(60);
        counts.push(result.sqlQueries!);
      }
      // plan with progress; the page with its total, coordinating agencies, children flags and agencies
      expect(counts).toEqual([2, 2]);
    });
  });
});
