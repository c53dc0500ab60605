import { endOfLocalDayUtc } from '../libs/plan-import/src';
import { gql, startApiServer, token, type ApiServer, type GqlResponse } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, type TransitionVars } from './support/e2e-helpers';

// Coordinating input (phối hợp) over GraphQL: once the ADMIN requires it, the lead agency reports
// only after every coordinating agency contributed in the current period, or a LEADER waived it.
const COMMITTEE = 'uy-ban-nhan-dan-tinh';
const H1_DUE = endOfLocalDayUtc('2030-06-05');
const YEAR_DUE = endOfLocalDayUtc('2030-12-05');

const FIELDS = `
  id state version availableEvents
  contributions { agency { code } text value period at }
  history { seq type actor comment reportSummary }
`;

interface View {
  id: string;
  state: string;
  version: number;
  availableEvents: string[];
  contributions: { agency: { code: string } | null; text: string; value: string | null; period: number; at: string }[];
  history: { seq: number; type: string; actor: string | null; comment: string | null; reportSummary: string | null }[];
}

const SETTINGS = `mutation U($input: PlanSettingsInput!) {
  updatePlanSettings(input: $input) { id coordinatorInputRequired reportingDeadlines { period dueMonthDay } }
}`;

describe('coordinating input over GraphQL', () => {
  const province = uniqueProvince('coordinating');
  let server: ApiServer;
  let planId: string;
  const t: Record<string, string> = {};
  const ids: Record<'two' | 'waived' | 'none' | 'recurring' | 'later', string> = {
    two: '',
    waived: '',
    none: '',
    recurring: '',
    later: '',
  };
  const VIEWERS = ['leadOfficer', 'ictOfficer', 'taxOfficer', 'monitoringOfficer', 'supervisor', 'leader'];

  beforeAll(async () => {
    ({ planId } = await seedPlan(
      testPlan(province, [
        { coordinatingAgencyCodes: [AGENCIES.ict.code, AGENCIES.tax.code] }, // 1: two coordinating agencies
        { coordinatingAgencyCodes: [AGENCIES.ict.code] }, // 2: the LEADER waives
        { coordinatingAgencyCodes: [] }, // 3: nobody to wait for
        { coordinatingAgencyCodes: [AGENCIES.ict.code], timeframe: 'Định kỳ 6 tháng', dueAt: H1_DUE, periodDueDates: [H1_DUE, YEAR_DUE] }, // 4: recurring
        { coordinatingAgencyCodes: [AGENCIES.ict.code, AGENCIES.tax.code] }, // 5: reports once the rule is off again
      ]),
    ));
    server = await startApiServer();
    const p = province.code;
    Object.assign(t, {
      leadOfficer: await token(p, AGENCIES.justice.code, ['OFFICER'], 'officer-tu-phap'),
      ictOfficer: await token(p, AGENCIES.ict.code, ['OFFICER'], 'officer-tttt'),
      taxOfficer: await token(p, AGENCIES.tax.code, ['OFFICER'], 'officer-thue'),
      monitoringOfficer: await token(p, AGENCIES.monitoring.code, ['OFFICER'], 'officer-khdt'),
      supervisor: await token(p, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-khdt'),
      leader: await token(p, COMMITTEE, ['LEADER'], 'leader-ubnd'),
      admin: await token(p, 'quan-tri', ['ADMIN'], 'admin-tinh'),
    });
    const tasks = await gql(server, t.supervisor, 'query P($id: ID!) { plan(id: $id) { tasks { edges { node { id ordinal } } } } }', {
      id: planId,
    });
    const byOrdinal = new Map<string, string>(
      tasks.data!.plan.tasks.edges.map((e: { node: { id: string; ordinal: string } }) => [e.node.ordinal, e.node.id]),
    );
    Object.assign(ids, {
      two: byOrdinal.get('1'),
      waived: byOrdinal.get('2'),
      none: byOrdinal.get('3'),
      recurring: byOrdinal.get('4'),
      later: byOrdinal.get('5'),
    });
  });

  afterAll(async () => server?.stop());

  async function view(taskId: string, who = 'supervisor'): Promise<View> {
    const result = await gql<{ task: View | null }>(server, t[who], `query T($id: ID!) { task(id: $id) { ${FIELDS} } }`, { id: taskId });
    if (result.errors?.length || !result.data?.task) throw new Error(`task(${taskId}) as ${who} failed: ${JSON.stringify(result.errors)}`);
    return result.data.task;
  }

  function send(who: string, input: TransitionVars): Promise<GqlResponse<{ transitionTask: View }>> {
    return gql<{ transitionTask: View }>(
      server,
      t[who],
      `mutation M($input: TransitionInput!) { transitionTask(input: $input) { ${FIELDS} } }`,
      { input },
    );
  }

  async function fire(who: string, input: TransitionVars): Promise<View> {
    const result = await send(who, input);
    if (result.errors?.length || !result.data?.transitionTask)
      throw new Error(`${input.event} as ${who} failed: ${JSON.stringify(result.errors)}`);
    return result.data.transitionTask;
  }

  // One error with this code, naming the rule when given (whole word), and nothing written.
  async function expectRefused(who: string, input: TransitionVars, code: string, rule?: string): Promise<void> {
    const before = await view(input.taskId);
    const result = await send(who, input);
    expectError(result, code, rule ? new RegExp(`(^|[^a-z-])${rule}([^a-z-]|$)`) : undefined);
    expect(result.data?.transitionTask ?? null).toBeNull();
    expect(await view(input.taskId)).toEqual(before);
  }

  async function available(taskId: string, viewers = VIEWERS): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = {};
    for (const who of viewers) result[who] = [...(await view(taskId, who)).availableEvents].sort();
    return result;
  }

  async function required(): Promise<boolean> {
    const result = await gql(server, t.supervisor, 'query P($id: ID!) { plan(id: $id) { coordinatorInputRequired } }', { id: planId });
    return result.data!.plan.coordinatorInputRequired;
  }

  const report = (summary: string) => ({ taskId: '', event: 'SUBMIT_REPORT', report: { summary } });

  describe('before the plan requires coordinating input', () => {
    it('does offer SUBMIT_REPORT to the lead and no waiver to the LEADER when the plan does not require input', async () => {
      expect(await required()).toBe(false);
      for (const taskId of Object.values(ids)) await fire('leadOfficer', { taskId, event: 'START' });
      expect(await available(ids.two)).toEqual({
        leadOfficer: ['REQUEST_EXTENSION', 'SUBMIT_REPORT'],
        ictOfficer: ['CONTRIBUTE'],
        taxOfficer: ['CONTRIBUTE'],
        monitoringOfficer: [],
        supervisor: [],
        leader: [],
      });
      await expectRefused('leader', { taskId: ids.two, event: 'WAIVE_COORDINATION', comment: 'Miễn' }, 'FORBIDDEN', 'no-rule-allows');
    });

    it('does refuse with FORBIDDEN and change nothing when a non-ADMIN turns coordinatorInputRequired on', async () => {
      for (const who of ['leader', 'supervisor', 'leadOfficer']) {
        const result = await gql(server, t[who], SETTINGS, { input: { planId, coordinatorInputRequired: true } });
        expectError(result, 'FORBIDDEN', 'ADMIN');
        expect(result.errors![0].extensions).toMatchObject({ rule: 'plan-settings-need-admin' });
      }
      expect(await required()).toBe(false);
    });

    it('does refuse with BAD_USER_INPUT and change nothing when the ADMIN sends 31 February as a reporting deadline', async () => {
      const result = await gql(server, t.admin, SETTINGS, {
        input: { planId, coordinatorInputRequired: true, reportingDeadlines: [{ period: 'H1', dueMonthDay: '02-31' }] },
      });
      expectError(result, 'BAD_USER_INPUT', '02-31');
      expect(await required()).toBe(false);
    });

    it('does require coordinating input when the ADMIN turns coordinatorInputRequired on', async () => {
      const result = await gql(server, t.admin, SETTINGS, { input: { planId, coordinatorInputRequired: true } });
      expect(result.errors).toBeUndefined();
      expect(result.data!.updatePlanSettings).toEqual({
        id: planId,
        coordinatorInputRequired: true,
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '06-05' },
          { period: 'YEAR', dueMonthDay: '12-05' },
        ],
      });
      expect(await required()).toBe(true);
    });
  });

  describe('every coordinating agency contributes', () => {
    it('does refuse SUBMIT_REPORT with FORBIDDEN naming coordinator-input-required when no coordinating agency contributed', async () => {
      await expectRefused('leadOfficer', { ...report('Báo cáo'), taskId: ids.two }, 'FORBIDDEN', 'coordinator-input-required');
      expect(await available(ids.two)).toEqual({
        leadOfficer: ['REQUEST_EXTENSION'],
        ictOfficer: ['CONTRIBUTE'],
        taxOfficer: ['CONTRIBUTE'],
        monitoringOfficer: [],
        supervisor: [],
        leader: ['WAIVE_COORDINATION'],
      });
    });

    it('does refuse CONTRIBUTE with FORBIDDEN and write nothing when the agency does not coordinate the task', async () => {
      for (const who of ['monitoringOfficer', 'supervisor', 'leadOfficer', 'leader']) {
        await expectRefused(
          who,
          { taskId: ids.two, event: 'CONTRIBUTE', report: { summary: 'Ý kiến', value: '1' } },
          'FORBIDDEN',
          'no-rule-allows',
        );
      }
    });

    it('does refuse CONTRIBUTE with BAD_USER_INPUT and write nothing when it carries neither a report nor a comment', async () => {
      await expectRefused('ictOfficer', { taskId: ids.two, event: 'CONTRIBUTE' }, 'BAD_USER_INPUT');
    });

    it('does list the contribution with its agency and still hold the report back when one of two agencies contributed', async () => {
      const task = await fire('ictOfficer', {
        taskId: ids.two,
        event: 'CONTRIBUTE',
        report: { summary: 'Đã số hóa hồ sơ', value: '12 thủ tục' },
      });
      expect(task.state).toBe('IN_PROGRESS');
      expect(task.contributions.map(({ agency, text, value, period }) => ({ agency, text, value, period }))).toEqual([
        { agency: { code: AGENCIES.ict.code }, text: 'Đã số hóa hồ sơ', value: '12 thủ tục', period: 0 },
      ]);
      expect(task.history.at(-1)).toMatchObject({ type: 'CONTRIBUTE', actor: 'officer-tttt', reportSummary: 'Đã số hóa hồ sơ' });
      await expectRefused('leadOfficer', { ...report('Báo cáo'), taskId: ids.two }, 'FORBIDDEN', 'coordinator-input-required');
      expect(await available(ids.two, ['leadOfficer', 'leader'])).toEqual({
        leadOfficer: ['REQUEST_EXTENSION'],
        leader: ['WAIVE_COORDINATION'],
      });
    });

    it('does offer SUBMIT_REPORT to the lead and no waiver when every coordinating agency contributed', async () => {
      const task = await fire('taxOfficer', {
        taskId: ids.two,
        event: 'CONTRIBUTE',
        report: { summary: 'Số liệu thu ngân sách', value: '98%' },
      });
      expect(task.contributions.map(({ agency, text, value, period }) => ({ agency, text, value, period }))).toEqual([
        { agency: { code: AGENCIES.ict.code }, text: 'Đã số hóa hồ sơ', value: '12 thủ tục', period: 0 },
        { agency: { code: AGENCIES.tax.code }, text: 'Số liệu thu ngân sách', value: '98%', period: 0 },
      ]);
      expect(await available(ids.two)).toEqual({
        leadOfficer: ['REQUEST_EXTENSION', 'SUBMIT_REPORT'],
        ictOfficer: ['CONTRIBUTE'],
        taxOfficer: ['CONTRIBUTE'],
        monitoringOfficer: [],
        supervisor: [],
        leader: [],
      });
    });

    it('does refuse WAIVE_COORDINATION with FORBIDDEN when nothing is missing', async () => {
      await expectRefused(
        'leader',
        { taskId: ids.two, event: 'WAIVE_COORDINATION', comment: 'Miễn phối hợp' },
        'FORBIDDEN',
        'no-rule-allows',
      );
    });

    it('does accept SUBMIT_REPORT when every coordinating agency contributed', async () => {
      const task = await fire('leadOfficer', { ...report('Báo cáo tổng hợp'), taskId: ids.two });
      expect(task.state).toBe('REPORTED');
      expect(await available(ids.two)).toEqual({
        leadOfficer: [],
        ictOfficer: [],
        taxOfficer: [],
        monitoringOfficer: [],
        supervisor: ['REJECT', 'VERIFY'],
        leader: [],
      });
    });
  });

  describe('a LEADER waives the missing input', () => {
    it("does refuse WAIVE_COORDINATION with FORBIDDEN when anyone but a LEADER of the People's Committee waives", async () => {
      for (const who of ['supervisor', 'leadOfficer', 'ictOfficer']) {
        await expectRefused(who, { taskId: ids.waived, event: 'WAIVE_COORDINATION', comment: 'Miễn' }, 'FORBIDDEN', 'no-rule-allows');
      }
    });

    it('does refuse WAIVE_COORDINATION with BAD_USER_INPUT and write nothing when the LEADER gives no comment', async () => {
      await expectRefused('leader', { taskId: ids.waived, event: 'WAIVE_COORDINATION' }, 'BAD_USER_INPUT', 'comment');
      await expectRefused('leader', { taskId: ids.waived, event: 'WAIVE_COORDINATION', comment: '  ' }, 'BAD_USER_INPUT', 'comment');
    });

    it('does let the lead report without the input when a LEADER waived it with a comment', async () => {
      await expectRefused('leadOfficer', { ...report('Báo cáo'), taskId: ids.waived }, 'FORBIDDEN', 'coordinator-input-required');
      const waived = await fire('leader', { taskId: ids.waived, event: 'WAIVE_COORDINATION', comment: 'Sở TT&TT đang kiện toàn nhân sự' });
      expect({ state: waived.state, contributions: waived.contributions, last: waived.history.at(-1) }).toEqual({
        state: 'IN_PROGRESS',
        contributions: [],
        last: { seq: 2, type: 'WAIVE_COORDINATION', actor: 'leader-ubnd', comment: 'Sở TT&TT đang kiện toàn nhân sự', reportSummary: null },
      });
      expect(await available(ids.waived)).toEqual({
        leadOfficer: ['REQUEST_EXTENSION', 'SUBMIT_REPORT'],
        ictOfficer: ['CONTRIBUTE'],
        taxOfficer: [],
        monitoringOfficer: [],
        supervisor: [],
        leader: [],
      });
      await expectRefused(
        'leader',
        { taskId: ids.waived, event: 'WAIVE_COORDINATION', comment: 'Miễn lần nữa' },
        'FORBIDDEN',
        'no-rule-allows',
      );
      expect((await fire('leadOfficer', { ...report('Báo cáo'), taskId: ids.waived })).state).toBe('REPORTED');
    });

    it('does let the lead report and refuse a waiver when the task has no coordinating agency', async () => {
      expect(await available(ids.none, ['leadOfficer', 'leader'])).toEqual({
        leadOfficer: ['REQUEST_EXTENSION', 'SUBMIT_REPORT'],
        leader: [],
      });
      await expectRefused('leader', { taskId: ids.none, event: 'WAIVE_COORDINATION', comment: 'Miễn' }, 'FORBIDDEN', 'no-rule-allows');
      expect((await fire('leadOfficer', { ...report('Báo cáo'), taskId: ids.none })).state).toBe('REPORTED');
    });
  });

  describe('a recurring task', () => {
    it('does ask for new input in the next period when the previous period was verified', async () => {
      await fire('ictOfficer', { taskId: ids.recurring, event: 'CONTRIBUTE', comment: 'Ý kiến 6 tháng' });
      await fire('leadOfficer', { ...report('Báo cáo 6 tháng'), taskId: ids.recurring });
      const next = await fire('supervisor', { taskId: ids.recurring, event: 'VERIFY' });
      expect(next.state).toBe('IN_PROGRESS');
      await expectRefused('leadOfficer', { ...report('Báo cáo năm'), taskId: ids.recurring }, 'FORBIDDEN', 'coordinator-input-required');
      expect(await available(ids.recurring, ['leadOfficer', 'ictOfficer', 'leader'])).toEqual({
        leadOfficer: ['REQUEST_EXTENSION'],
        ictOfficer: ['CONTRIBUTE'],
        leader: ['WAIVE_COORDINATION'],
      });
      const task = await fire('ictOfficer', {
        taskId: ids.recurring,
        event: 'CONTRIBUTE',
        report: { summary: 'Ý kiến cả năm', value: null },
      });
      expect(task.contributions.map(({ agency, text, period }) => ({ agency: agency?.code, text, period }))).toEqual([
        { agency: AGENCIES.ict.code, text: 'Ý kiến 6 tháng', period: 0 },
        { agency: AGENCIES.ict.code, text: 'Ý kiến cả năm', period: 1 },
      ]);
      expect((await fire('leadOfficer', { ...report('Báo cáo năm'), taskId: ids.recurring })).state).toBe('REPORTED');
    });
  });

  describe('after the ADMIN turns the rule off again', () => {
    it('does let the lead report without any contribution', async () => {
      await expectRefused('leadOfficer', { ...report('Báo cáo'), taskId: ids.later }, 'FORBIDDEN', 'coordinator-input-required');
      const result = await gql(server, t.admin, SETTINGS, { input: { planId, coordinatorInputRequired: false } });
      expect(result.data?.updatePlanSettings.coordinatorInputRequired).toBe(false);
      expect(await available(ids.later, ['leadOfficer', 'leader'])).toEqual({
        leadOfficer: ['REQUEST_EXTENSION', 'SUBMIT_REPORT'],
        leader: [],
      });
      expect((await fire('leadOfficer', { ...report('Báo cáo'), taskId: ids.later })).state).toBe('REPORTED');
    });
  });
});
