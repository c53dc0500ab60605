import { endOfLocalDayUtc } from '../libs/plan-import/src';
import { createDataSource } from '../apps/api/src/database/data-source';
import { applySystemEvent } from '../apps/api/src/test-support/system-events';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, fire, storedTask } from './support/e2e-helpers';

// A withdrawn and an amended task over HTTP: the history shows a WITHDRAW's reason as its comment
// and an AMEND's changes; plan progress, scorecards and reporting periods keep withdrawn tasks
// apart; a user cannot fire WITHDRAW or AMEND.
const H1 = endOfLocalDayUtc('2025-06-05');
const YEAR = endOfLocalDayUtc('2025-12-05');
// the events are written now (the server's clock): a plan of 2025, amended to a date still ahead
const AMENDED = endOfLocalDayUtc('2099-06-30');
const REASON = 'Kế hoạch sửa đổi đã bỏ nhiệm vụ này';

describe('withdrawn and amended tasks over GraphQL', () => {
  const province = uniqueProvince('withdrawn');
  let server: ApiServer;
  let planId: string;
  let ids: string[];
  let supervisor: string;
  let lead: string;

  beforeAll(async () => {
    ({ planId } = await seedPlan(
      testPlan(
        province,
        [
          { timeframe: 'Định kỳ 6 tháng', dueAt: H1, periodDueDates: [H1, YEAR] }, // 1: withdrawn
          { dueAt: YEAR }, // 2: amended to 30/6/2099
          { dueAt: YEAR }, // 3: untouched
        ],
        2025,
      ),
    ));
    server = await startApiServer();
    supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'withdrawn-supervisor');
    lead = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'withdrawn-lead');
    const listed = await gql<{ tasks: { edges: { node: { id: string } }[] } }>(
      server,
      lead,
      'query T($planId: ID!) { tasks(planId: $planId, first: 10) { edges { node { id } } } }',
      { planId },
    );
    ids = listed.data!.tasks.edges.map((edge) => edge.node.id);
    await fire(server, lead, { taskId: ids[0], event: 'START' });
    const ds = createDataSource(process.env.TEST_DATABASE_URL!);
    await ds.initialize();
    try {
      await applySystemEvent(ds, ids[0], { type: 'WITHDRAW', reason: REASON, amendment: { version: 2, label: '12/KH-UBND' } }, new Date());
      await applySystemEvent(
        ds,
        ids[1],
        {
          type: 'AMEND',
          dueAt: AMENDED,
          changes: [
            { field: 'dueAt', from: '2025-12-05', to: '2099-06-30' },
            { field: 'target', from: null, to: '100% hồ sơ trực tuyến' },
          ],
          amendment: { version: 2 },
        },
        new Date(),
      );
    } finally {
      await ds.destroy();
    }
  });

  afterAll(async () => server?.stop());

  it("does show a WITHDRAW's reason as its comment and an AMEND's changes and due time in the history", async () => {
    const query =
      'query T($id: ID!) { task(id: $id) { state dueAt originalDueAt history { type toState comment dueAt changes { field from to } } } }';
    const withdrawn = await gql(server, supervisor, query, { id: ids[0] });
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data!.task.state).toBe('WITHDRAWN');
    expect(withdrawn.data!.task.history.at(-1)).toEqual({
      type: 'WITHDRAW',
      toState: 'WITHDRAWN',
      comment: REASON,
      dueAt: null,
      changes: null,
    });
    const amended = await gql(server, supervisor, query, { id: ids[1] });
    expect(amended.data!.task).toMatchObject({ state: 'ASSIGNED', dueAt: AMENDED, originalDueAt: AMENDED });
    expect(amended.data!.task.history).toEqual([
      {
        type: 'AMEND',
        toState: 'ASSIGNED',
        comment: null,
        dueAt: AMENDED,
        changes: [
          { field: 'dueAt', from: '2025-12-05', to: '2099-06-30' },
          { field: 'target', from: null, to: '100% hồ sơ trực tuyến' },
        ],
      },
    ]);
  });

  it('does list the withdrawn task in byState, outside the total, the scorecards and the expected reports', async () => {
    const result = await gql(
      server,
      supervisor,
      `query P($id: ID!) {
        plan(id: $id) { progress { total byState { state count } } }
        agencyScorecard(planId: $id) { agency { code } led withdrawn pendingWithinDeadline overdue reportsMissing }
        sectionScorecard(planId: $id) { total withdrawn }
        planReports(planId: $id) { agency { code } period expected missing pending withdrawn }
        task(id: "${ids[0]}") { periods { label status } }
      }`,
      { id: planId },
    );
    expect(result.errors).toBeUndefined();
    const data = result.data!;
    expect(data.plan.progress.total).toBe(2);
    expect(data.plan.progress.byState).toContainEqual({ state: 'WITHDRAWN', count: 1 });
    // now: task 3 overdue (5/12/2025), task 2 within its amended date, task 1 withdrawn
    expect(data.agencyScorecard).toEqual([
      { agency: { code: AGENCIES.justice.code }, led: 2, withdrawn: 1, pendingWithinDeadline: 1, overdue: 1, reportsMissing: 1 },
    ]);
    expect(data.sectionScorecard).toEqual([{ total: 2, withdrawn: 1 }]);
    expect(data.planReports).toEqual([
      { agency: { code: AGENCIES.justice.code }, period: '2025-H1', expected: 0, missing: 0, pending: 0, withdrawn: 1 },
      { agency: { code: AGENCIES.justice.code }, period: '2025-YEAR', expected: 1, missing: 1, pending: 0, withdrawn: 1 },
      { agency: { code: AGENCIES.justice.code }, period: '2099-YEAR', expected: 1, missing: 0, pending: 1, withdrawn: 0 },
    ]);
    // the task's own periods, now (its withdrawal lies before)
    expect(data.task.periods).toEqual([
      { label: '2025-H1', status: 'WITHDRAWN' },
      { label: '2025-YEAR', status: 'WITHDRAWN' },
    ]);
  });

  it('does refuse a user WITHDRAW and AMEND (amendment-import-only) and any event on a withdrawn task, changing nothing', async () => {
    const before = await storedTask(ids[2]);
    for (const event of ['WITHDRAW', 'AMEND']) {
      const refused = await gql(server, supervisor, 'mutation M($input: TransitionInput!) { transitionTask(input: $input) { id } }', {
        input: { taskId: ids[2], event, comment: 'Rút nhiệm vụ' },
      });
      expectError(refused, 'FORBIDDEN');
      expect(refused.errors![0].extensions?.rule).toBe('amendment-import-only');
    }
    expect(await storedTask(ids[2])).toEqual(before);
    const onWithdrawn = await gql(server, lead, 'mutation M($input: TransitionInput!) { transitionTask(input: $input) { id } }', {
      input: { taskId: ids[0], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } },
    });
    expectError(onWithdrawn, 'INVALID_TRANSITION');
    const available = await gql(server, lead, `{ task(id: "${ids[0]}") { availableEvents } }`);
    expect(available.data!.task.availableEvents).toEqual([]);
  });
});
