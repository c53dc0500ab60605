import { endOfLocalDayUtc } from '../libs/plan-import/src';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, fire, getTask, storedTask } from './support/e2e-helpers';

// planReports over GraphQL: one row per lead agency and reporting period of a 2025 plan (every
// deadline long past, so every report made now is late), and who may run the deadline sweep.
const COMMITTEE = 'uy-ban-nhan-dan-tinh';
const H1 = endOfLocalDayUtc('2025-06-05'); // testPlan's H1 deadline, 06-05
const YEAR = endOfLocalDayUtc('2025-12-05'); // testPlan's YEAR deadline, 12-05

const REPORTS = `query R($planId: ID!, $asOf: DateTime) {
  planReports(planId: $planId, asOf: $asOf) { agency { code } period dueAt expected submitted onTime late verified missing pending }
}`;

interface Row {
  agency: { code: string };
  period: string;
  dueAt: string | null;
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  verified: number;
  missing: number;
  pending: number;
}

// Rows keyed "agency|period", every count zero unless given.
function rows(entries: [string, string, string | null, Partial<Row>][]): Record<string, Omit<Row, 'agency' | 'period'>> {
  return Object.fromEntries(
    entries.map(([agency, period, dueAt, counts]) => [
      `${agency}|${period}`,
      { dueAt, expected: 0, submitted: 0, onTime: 0, late: 0, verified: 0, missing: 0, pending: 0, ...counts },
    ]),
  );
}

describe('plan reports over GraphQL', () => {
  const province = uniqueProvince('reports');
  const other = uniqueProvince('reports-other');
  let server: ApiServer;
  let planId: string;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const { justice, ict, tax } = { justice: AGENCIES.justice.code, ict: AGENCIES.ict.code, tax: AGENCIES.tax.code };

  beforeAll(async () => {
    ({ planId } = await seedPlan(
      testPlan(
        province,
        [
          { timeframe: 'Định kỳ 6 tháng', dueAt: H1, periodDueDates: [H1, YEAR] }, // 1 justice, both periods
          { timeframe: 'Trước ngày 05/6/2025', dueAt: H1 }, // 2 justice, H1
          { leadAgencyCode: ict, coordinatingAgencyCodes: [justice], timeframe: 'Năm 2025', dueAt: YEAR }, // 3 ict, YEAR
          { leadAgencyCode: tax, coordinatingAgencyCodes: [], timeframe: 'Trước ngày 05/6/2025', dueAt: H1 }, // 4 tax, H1
          { coLeadAgencyCodes: [ict], timeframe: 'Năm 2025', dueAt: YEAR }, // 5 split: 5.1 justice, 5.2 ict
        ],
        2025,
      ),
    ));
    await seedPlan(testPlan(other, [{ timeframe: 'Trước ngày 05/6/2025', dueAt: H1 }], 2025));
    server = await startApiServer();
    const p = province.code;
    Object.assign(t, {
      leadOfficer: await token(p, justice, ['OFFICER'], 'officer-tu-phap'),
      ictOfficer: await token(p, ict, ['OFFICER'], 'officer-tttt'),
      supervisor: await token(p, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-khdt'),
      leader: await token(p, COMMITTEE, ['LEADER'], 'leader-ubnd'),
      admin: await token(p, 'quan-tri', ['ADMIN'], 'admin-tinh'),
      otherAdmin: await token(other.code, 'quan-tri', ['ADMIN'], 'admin-tinh-khac'),
      otherSupervisor: await token(other.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-khac'),
    });
    const tasks = await gql(
      server,
      t.supervisor,
      'query P($id: ID!) { plan(id: $id) { tasks(first: 100) { edges { node { id ordinal children { id ordinal } } } } } }',
      { id: planId },
    );
    for (const { node } of tasks.data!.plan.tasks.edges as {
      node: { id: string; ordinal: string; children: { id: string; ordinal: string }[] };
    }[]) {
      ids[node.ordinal] = node.id;
      for (const child of node.children) ids[child.ordinal] = child.id;
    }
    expect(Object.keys(ids).sort()).toEqual(['1', '2', '3', '4', '5', '5.1', '5.2']);
  });

  afterAll(async () => server?.stop());

  async function reports(asOf: string | null = null, who = 'supervisor'): Promise<Record<string, Omit<Row, 'agency' | 'period'>>> {
    const result = await gql<{ planReports: Row[] }>(server, t[who], REPORTS, { planId, asOf });
    if (result.errors?.length) throw new Error(`planReports failed: ${JSON.stringify(result.errors)}`);
    return Object.fromEntries(result.data!.planReports.map(({ agency, period, ...counts }) => [`${agency.code}|${period}`, counts]));
  }

  function sweep(who: string, asOf: string | null = null) {
    return gql<{ runDeadlineSweep: number }>(server, t[who], 'mutation S($asOf: DateTime) { runDeadlineSweep(asOf: $asOf) }', { asOf });
  }

  async function states(): Promise<Record<string, string>> {
    const entries = await Promise.all(Object.entries(ids).map(async ([ordinal, id]) => [ordinal, (await storedTask(id)).state] as const));
    return Object.fromEntries(entries);
  }

  const ALL_ASSIGNED = {
    '1': 'ASSIGNED',
    '2': 'ASSIGNED',
    '3': 'ASSIGNED',
    '4': 'ASSIGNED',
    '5': 'ASSIGNED',
    '5.1': 'ASSIGNED',
    '5.2': 'ASSIGNED',
  };

  describe('before anything is reported', () => {
    it('does count every period as pending when asked as of a time before the deadlines', async () => {
      expect(await reports('2025-06-01T00:00:00+07:00')).toEqual(
        rows([
          [justice, '2025-H1', H1, { expected: 2, pending: 2 }], // 1 (period 1), 2
          [tax, '2025-H1', H1, { expected: 1, pending: 1 }], // 4
          [justice, '2025-YEAR', YEAR, { expected: 2, pending: 2 }], // 1 (period 2), 5.1
          [ict, '2025-YEAR', YEAR, { expected: 2, pending: 2 }], // 3, 5.2
        ]),
      );
    });

    it('does count the H1 periods as missing and the YEAR periods as pending when asked as of July 2025', async () => {
      expect(await reports('2025-07-01T00:00:00+07:00')).toEqual(
        rows([
          [justice, '2025-H1', H1, { expected: 2, missing: 2 }],
          [tax, '2025-H1', H1, { expected: 1, missing: 1 }],
          [justice, '2025-YEAR', YEAR, { expected: 2, pending: 2 }],
          [ict, '2025-YEAR', YEAR, { expected: 2, pending: 2 }],
        ]),
      );
    });

    it('does answer the same rows to every viewer of the province and NOT_FOUND to another province', async () => {
      const expected = await reports();
      expect(await reports(null, 'leadOfficer')).toEqual(expected);
      expect(await reports(null, 'leader')).toEqual(expected);
      expectError(await gql(server, t.otherSupervisor, REPORTS, { planId, asOf: null }), 'NOT_FOUND');
    });
  });

  describe('runDeadlineSweep', () => {
    it('does refuse with FORBIDDEN and sweep nothing when an OFFICER, SUPERVISOR or LEADER runs it', async () => {
      for (const who of ['leadOfficer', 'supervisor', 'leader']) {
        const result = await sweep(who);
        expectError(result, 'FORBIDDEN', 'ADMIN');
        expect(result.errors![0].extensions).toMatchObject({ rule: 'sweep-needs-admin' });
        expect(result.data?.runDeadlineSweep ?? null).toBeNull();
      }
      expect(await states()).toEqual(ALL_ASSIGNED);
    });

    it('does sweep nothing in this province when the ADMIN of another province runs it', async () => {
      const result = await sweep('otherAdmin');
      expect(result.errors).toBeUndefined();
      expect(result.data!.runDeadlineSweep).toBe(1); // its own province's one past-due task
      expect(await states()).toEqual(ALL_ASSIGNED);
    });

    it("does mark every past-due leaf task OVERDUE (6, the sweep's count) and roll the split parent's row up to OVERDUE with them when this province's ADMIN runs it", async () => {
      const result = await sweep('admin');
      expect(result.errors).toBeUndefined();
      expect(result.data!.runDeadlineSweep).toBe(6);
      expect(await states()).toEqual({
        '1': 'OVERDUE',
        '2': 'OVERDUE',
        '3': 'OVERDUE',
        '4': 'OVERDUE',
        '5': 'OVERDUE', // rolled up from 5.1 and 5.2 (a ROLL_UP event, not a DEADLINE_PASSED of its own)
        '5.1': 'OVERDUE',
        '5.2': 'OVERDUE',
      });
      expect((await sweep('admin')).data!.runDeadlineSweep).toBe(0);
    });
  });

  describe('after some reports', () => {
    it('does count late reports, verifications and a rejected report per agency and period', async () => {
      await fire(server, t.leadOfficer, { taskId: ids['1'], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo 6 tháng' } });
      await fire(server, t.supervisor, { taskId: ids['1'], event: 'VERIFY' });
      await fire(server, t.leadOfficer, { taskId: ids['2'], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } });
      await fire(server, t.supervisor, { taskId: ids['2'], event: 'REJECT', comment: 'Thiếu số liệu' });
      await fire(server, t.ictOfficer, { taskId: ids['3'], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo năm' } });
      await fire(server, t.supervisor, { taskId: ids['3'], event: 'VERIFY' });

      expect(await reports()).toEqual(
        rows([
          [justice, '2025-H1', H1, { expected: 2, submitted: 1, late: 1, verified: 1, missing: 1 }], // 1 verified late; 2 rejected
          [tax, '2025-H1', H1, { expected: 1, missing: 1 }],
          [justice, '2025-YEAR', YEAR, { expected: 2, missing: 2 }], // 1 (period 2), 5.1
          [ict, '2025-YEAR', YEAR, { expected: 2, submitted: 1, late: 1, verified: 1, missing: 1 }], // 3 verified late; 5.2
        ]),
      );
    });

    it('does show both periods of the recurring task with their own due time and status', async () => {
      const result = await gql(
        server,
        t.supervisor,
        'query T($id: ID!) { task(id: $id) { state dueAt periods { index label dueAt status late rejections reportedAt verifiedAt } } }',
        { id: ids['1'] },
      );
      expect(result.errors).toBeUndefined();
      const task = result.data!.task;
      expect({ state: task.state, dueAt: task.dueAt }).toEqual({ state: 'IN_PROGRESS', dueAt: YEAR });
      expect(task.periods).toEqual([
        {
          index: 0,
          label: '2025-H1',
          dueAt: H1,
          status: 'VERIFIED',
          late: true,
          rejections: 0,
          reportedAt: expect.any(String),
          verifiedAt: expect.any(String),
        },
        { index: 1, label: '2025-YEAR', dueAt: YEAR, status: 'MISSING', late: false, rejections: 0, reportedAt: null, verifiedAt: null },
      ]);
    });

    it('does sweep the recurring task again when its second period is also past due', async () => {
      expect((await sweep('admin')).data!.runDeadlineSweep).toBe(1);
      expect((await getTask(server, t.supervisor, ids['1']))!.state).toBe('OVERDUE');
    });

    it('does count the rejected report as submitted once it is resubmitted', async () => {
      await fire(server, t.leadOfficer, { taskId: ids['2'], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo bổ sung' } });
      expect((await reports())[`${justice}|2025-H1`]).toEqual({
        dueAt: H1,
        expected: 2,
        submitted: 2,
        onTime: 0,
        late: 2,
        verified: 1,
        missing: 0,
        pending: 0,
      });
    });
  });
});
