import type { DataSource } from 'typeorm';
import { endOfLocalDayUtc } from '@app/plan-import';
import { PlanEntity } from '../database/entities/plan.entity';
import {
  cast,
  expectDomainError,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { TransitionService } from '../tasks/transition.service';
import { DeadlineSweepService } from './deadline-sweep.service';
import { PlanReportsService, type PlanReportRow } from './plan-reports.service';
import { taskPeriods, type TaskPeriodView } from './reporting-periods';
import { createServices } from '../services';
import { systemClock } from '../common/clock';
import { Scope } from '../common/scope';

// testPlan's reporting deadlines: H1 on 06-05, YEAR on 12-05, each at the end of the local day.
const H1_DUE = endOfLocalDayUtc('2030-06-05'); // 2030-06-05T16:59:59.999Z
const YEAR_DUE = endOfLocalDayUtc('2030-12-05'); // 2030-12-05T16:59:59.999Z
const Q3_DUE = endOfLocalDayUtc('2030-09-30');

const at = (iso: string) => new Date(iso);

// A row with every count zero unless given.
function row(agencyId: string, period: string, dueAt: string | null, counts: Partial<PlanReportRow>): PlanReportRow {
  return {
    agencyId,
    period,
    dueAt,
    expected: 0,
    submitted: 0,
    onTime: 0,
    late: 0,
    verified: 0,
    missing: 0,
    pending: 0,
    withdrawn: 0,
    ...counts,
  };
}

describe(PlanReportsService.name, () => {
  let ds: DataSource;
  let clock: TestClock;
  let transitions: TransitionService;
  let reports: PlanReportsService;

  beforeAll(async () => {
    ds = await openDataSource();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  beforeEach(() => {
    clock = new TestClock('2030-03-01T02:00:00.000Z');
    transitions = createServices({ dataSource: ds, clock: clock }).transitions;
    reports = createServices({ dataSource: ds, clock: clock }).planReports;
  });

  async function deadlinesOf(planId: string) {
    return (await ds.getRepository(PlanEntity).findOneByOrFail({ id: planId })).reportingDeadlines;
  }

  describe('a recurring task walked through two periods', () => {
    let seeded: SeededPlan;
    let taskId: string;
    let actors: ReturnType<typeof cast>;
    let sweeper: DeadlineSweepService;

    beforeAll(async () => {
      seeded = await seedPlan(ds, uniqueProvince('int-reports-walk'), [
        { timeframe: 'Thường xuyên', dueAt: H1_DUE, periodDueDates: [H1_DUE, YEAR_DUE] },
      ]);
      taskId = seeded.taskIds[0];
      actors = cast(seeded);
    });

    beforeEach(() => {
      sweeper = createServices({ dataSource: ds, clock: systemClock }).sweeper;
    });

    // the clock is shared by the steps of one test; each test continues where the last one stopped
    async function step(when: string, fire: () => Promise<unknown>) {
      clock.set(when);
      await fire();
    }

    async function periods(asOf: Date = clock.now()): Promise<TaskPeriodView[]> {
      return taskPeriods((await taskRow(ds, taskId)).snapshot, await deadlinesOf(seeded.planId), asOf);
    }

    const justice = () => seeded.agencies.justice;

    it('does show both periods ahead, none reported, when the task is new', async () => {
      expect(await deadlinesOf(seeded.planId)).toEqual([
        { period: 'H1', dueMonthDay: '06-05' },
        { period: 'YEAR', dueMonthDay: '12-05' },
      ]);
      expect(await periods()).toEqual([
        {
          index: 0,
          label: '2030-H1',
          dueAt: H1_DUE,
          reportedAt: null,
          verifiedAt: null,
          late: false,
          rejections: 0,
          status: 'PENDING',
          report: null,
        },
        {
          index: 1,
          label: '2030-YEAR',
          dueAt: YEAR_DUE,
          reportedAt: null,
          verifiedAt: null,
          late: false,
          rejections: 0,
          status: 'PENDING',
          report: null,
        },
      ]);
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, pending: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }),
      ]);
    });

    it('does count the period-1 report as submitted on time when it is reported before the H1 deadline', async () => {
      await step('2030-03-01T02:00:00.000Z', () => transitions.transition(actors.lead, { taskId, event: 'START' }));
      await step('2030-05-20T02:00:00.000Z', () =>
        transitions.transition(actors.lead, { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo 6 tháng', value: '60%' } }),
      );
      expect((await periods())[0]).toMatchObject({
        status: 'SUBMITTED',
        reportedAt: '2030-05-20T02:00:00.000Z',
        late: false,
        report: { summary: 'Báo cáo 6 tháng', value: '60%' },
      });
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, submitted: 1, onTime: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }),
      ]);
    });

    it('does count a rejected report as not submitted (pending, or missing once the deadline passed) until it is resubmitted', async () => {
      await step('2030-05-22T02:00:00.000Z', () =>
        transitions.transition(actors.supervisor, { taskId, event: 'REJECT', comment: 'Thiếu số liệu' }),
      );
      expect((await taskRow(ds, taskId)).state).toBe('IN_PROGRESS');
      expect((await periods())[0]).toMatchObject({ status: 'PENDING', reportedAt: null, report: null, rejections: 1 });
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, pending: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }),
      ]);
      // asked about a time after the H1 deadline, the rejected report is missing
      expect(await reports.planReports(actors.supervisor, seeded.planId, at('2030-06-10T00:00:00+07:00'))).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, missing: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }),
      ]);

      await step('2030-05-25T02:00:00.000Z', () =>
        transitions.transition(actors.lead, {
          taskId,
          event: 'SUBMIT_REPORT',
          report: { summary: 'Báo cáo 6 tháng (bổ sung)', value: '62%' },
        }),
      );
      expect((await periods())[0]).toMatchObject({
        status: 'SUBMITTED',
        reportedAt: '2030-05-25T02:00:00.000Z',
        rejections: 1,
        late: false,
      });
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, submitted: 1, onTime: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }),
      ]);
    });

    it('does open period 2 with the YEAR deadline when period 1 is verified', async () => {
      await step('2030-06-01T02:00:00.000Z', () => transitions.transition(actors.supervisor, { taskId, event: 'VERIFY' }));
      const task = await taskRow(ds, taskId);
      expect({ state: task.state, dueAt: task.dueAt, originalDueAt: task.originalDueAt, late: task.late }).toEqual({
        state: 'IN_PROGRESS',
        dueAt: at(YEAR_DUE),
        originalDueAt: at(YEAR_DUE),
        late: false,
      });
      expect(await periods()).toEqual([
        {
          index: 0,
          label: '2030-H1',
          dueAt: H1_DUE,
          reportedAt: '2030-05-25T02:00:00.000Z',
          verifiedAt: '2030-06-01T02:00:00.000Z',
          late: false,
          rejections: 1,
          status: 'VERIFIED',
          report: { summary: 'Báo cáo 6 tháng (bổ sung)', value: '62%' },
        },
        {
          index: 1,
          label: '2030-YEAR',
          dueAt: YEAR_DUE,
          reportedAt: null,
          verifiedAt: null,
          late: false,
          rejections: 0,
          status: 'PENDING',
          report: null,
        },
      ]);
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, submitted: 1, onTime: 1, verified: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }),
      ]);
    });

    it('does count period 2 as missing and the sweep marks the task OVERDUE when the YEAR deadline passes without a report', async () => {
      clock.set('2030-12-05T23:00:00+07:00');
      expect(await sweeper.sweep(Scope.province(seeded.province.code), clock.now())).toBe(0);
      expect((await periods())[1].status).toBe('PENDING');

      clock.set('2030-12-06T00:00:00+07:00');
      expect((await periods())[1].status).toBe('MISSING');
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, submitted: 1, onTime: 1, verified: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, missing: 1 }),
      ]);
      expect(await sweeper.sweep(Scope.province(seeded.province.code), clock.now())).toBe(1);
      expect((await taskRow(ds, taskId)).state).toBe('OVERDUE');
    });

    it('does count the late period-2 report as submitted late when it arrives after the YEAR deadline', async () => {
      await step('2030-12-10T02:00:00.000Z', () =>
        transitions.transition(actors.lead, { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo năm', value: '100%' } }),
      );
      const task = await taskRow(ds, taskId);
      expect({ state: task.state, late: task.late }).toEqual({ state: 'REPORTED', late: true });
      expect((await periods())[1]).toMatchObject({ status: 'SUBMITTED', late: true, reportedAt: '2030-12-10T02:00:00.000Z' });
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, submitted: 1, onTime: 1, verified: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, submitted: 1, late: 1 }),
      ]);
    });

    it('does show period 1 on time and period 2 late, both verified, when the last period is verified', async () => {
      await step('2030-12-12T02:00:00.000Z', () => transitions.transition(actors.supervisor, { taskId, event: 'VERIFY' }));
      const task = await taskRow(ds, taskId);
      expect({ state: task.state, late: task.late, version: task.version }).toEqual({ state: 'VERIFIED', late: true, version: 8 });
      expect(await periods()).toEqual([
        {
          index: 0,
          label: '2030-H1',
          dueAt: H1_DUE,
          reportedAt: '2030-05-25T02:00:00.000Z',
          verifiedAt: '2030-06-01T02:00:00.000Z',
          late: false,
          rejections: 1,
          status: 'VERIFIED',
          report: { summary: 'Báo cáo 6 tháng (bổ sung)', value: '62%' },
        },
        {
          index: 1,
          label: '2030-YEAR',
          dueAt: YEAR_DUE,
          reportedAt: '2030-12-10T02:00:00.000Z',
          verifiedAt: '2030-12-12T02:00:00.000Z',
          late: true,
          rejections: 0,
          status: 'VERIFIED',
          report: { summary: 'Báo cáo năm', value: '100%' },
        },
      ]);
      expect(await reports.planReports(actors.supervisor, seeded.planId, null)).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, submitted: 1, onTime: 1, verified: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, submitted: 1, late: 1, verified: 1 }),
      ]);
    });

    it('does leave out reports and verdicts that came after asOf when asked about an earlier time', async () => {
      // As of 1 Apr 2030 nothing had been reported (the first report came on 20 May).
      expect(await reports.planReports(actors.supervisor, seeded.planId, at('2030-04-01T00:00:00+07:00'))).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, pending: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }),
      ]);
      // As of 6 Dec 2030 the YEAR report (10 Dec) was not in yet: missing, not submitted late.
      expect(await reports.planReports(actors.supervisor, seeded.planId, at('2030-12-06T12:00:00+07:00'))).toEqual([
        row(justice(), '2030-H1', H1_DUE, { expected: 1, submitted: 1, onTime: 1, verified: 1 }),
        row(justice(), '2030-YEAR', YEAR_DUE, { expected: 1, missing: 1 }),
      ]);
    });
  });

  describe('per-agency grouping', () => {
    let seeded: SeededPlan;
    let byOrdinal: Map<string, string>;

    beforeAll(async () => {
      seeded = await seedPlan(ds, uniqueProvince('int-reports-agencies'), [
        { timeframe: 'Trước ngày 05/6/2030', dueAt: H1_DUE }, // 1 justice, H1
        { timeframe: 'Trước ngày 05/12/2030', dueAt: YEAR_DUE }, // 2 justice, YEAR
        { timeframe: 'Thường xuyên', dueAt: H1_DUE, periodDueDates: [H1_DUE, YEAR_DUE] }, // 3 justice, both
        { leadAgencyCode: 'so-thong-tin-va-truyen-thong', coordinatingAgencyCodes: ['so-tu-phap'], dueAt: H1_DUE }, // 4 ict, H1
        { leadAgencyCode: 'cuc-thue-tinh', coordinatingAgencyCodes: [], dueAt: YEAR_DUE }, // 5 tax, YEAR
        { coLeadAgencyCodes: ['so-thong-tin-va-truyen-thong'], dueAt: H1_DUE }, // 6 split: 6.1 justice, 6.2 ict
        { leadAgencyCode: 'cuc-thue-tinh', coordinatingAgencyCodes: [], timeframe: 'Chưa xác định', dueAt: null }, // 7 tax, no date
        { leadAgencyCode: 'so-thong-tin-va-truyen-thong', timeframe: 'Quý III/2030', dueAt: Q3_DUE }, // 8 ict, labelled YEAR
      ]);
      const rows: { id: string; ordinal: string }[] = await ds.query('SELECT id, ordinal FROM tasks WHERE plan_id = $1', [seeded.planId]);
      byOrdinal = new Map(rows.map((r) => [r.ordinal, r.id]));

      const actors = cast(seeded);
      const ictLead = userActor(seeded, 'ict', ['OFFICER'], 'ict-lead');
      const setup = createServices({ dataSource: ds, clock: new TestClock('2030-05-01T02:00:00.000Z') }).transitions;
      for (const ordinal of ['1', '3']) {
        await setup.transition(actors.lead, { taskId: byOrdinal.get(ordinal)!, event: 'START' });
        await setup.transition(actors.lead, {
          taskId: byOrdinal.get(ordinal)!,
          event: 'SUBMIT_REPORT',
          report: { summary: `Báo cáo ${ordinal}` },
        });
      }
      await setup.transition(actors.supervisor, { taskId: byOrdinal.get('3')!, event: 'VERIFY' });
      await setup.transition(ictLead, { taskId: byOrdinal.get('6.2')!, event: 'START' });
      await setup.transition(ictLead, { taskId: byOrdinal.get('6.2')!, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo 6.2' } });
    });

    it('does give one row per lead agency and period, parents of split tasks left out, when several agencies lead tasks', async () => {
      const { justice, ict, tax } = seeded.agencies;
      const rows = await reports.planReports(cast(seeded).supervisor, seeded.planId, at('2030-07-01T00:00:00+07:00'));
      const expected = [
        row(justice, '2030-H1', H1_DUE, { expected: 3, submitted: 2, onTime: 2, verified: 1, missing: 1 }), // 1, 3 (period 1), 6.1
        row(ict, '2030-H1', H1_DUE, { expected: 2, submitted: 1, onTime: 1, missing: 1 }), // 4, 6.2
        row(justice, '2030-YEAR', YEAR_DUE, { expected: 2, pending: 2 }), // 2, 3 (period 2)
        row(ict, '2030-YEAR', Q3_DUE, { expected: 1, pending: 1 }), // 8: due 30 Sep, the YEAR deadline is the first on or after it
        row(tax, '2030-YEAR', YEAR_DUE, { expected: 1, pending: 1 }), // 5
        row(tax, 'UNSCHEDULED', null, { expected: 1, pending: 1 }), // 7
      ];
      expect([...rows].sort(byKey)).toEqual([...expected].sort(byKey));
      // ordered by period, then agency
      expect(rows.map((r) => `${r.period}|${r.agencyId}`)).toEqual(rows.map((r) => `${r.period}|${r.agencyId}`).sort());
      expect(rows.reduce((n, r) => n + r.expected, 0)).toBe(10); // 9 leaf tasks, one of them with two periods
    });

    it('does count every period as pending when asked about a time before the reports and the deadlines', async () => {
      // the setup reported at 09:00 on 1 May (UTC+7): at midnight nothing was in yet
      const rows = await reports.planReports(cast(seeded).supervisor, seeded.planId, at('2030-05-01T00:00:00+07:00'));
      expect(rows.reduce((n, r) => n + r.missing + r.submitted, 0)).toBe(0);
      expect(rows.find((r) => r.agencyId === seeded.agencies.ict && r.period === '2030-H1')).toMatchObject({ pending: 2, missing: 0 });
    });

    it("does keep a period's label and show the extended due time when an extension moves a task's due time", async () => {
      const actors = cast(seeded);
      const taskId = byOrdinal.get('2')!;
      const extended = new Date('2031-01-31T16:59:59.999Z');
      clock.set('2030-07-01T02:00:00.000Z');
      await transitions.transition(actors.lead, {
        taskId,
        event: 'REQUEST_EXTENSION',
        comment: 'Chờ hướng dẫn của Bộ',
        newDueAt: extended,
      });
      await transitions.transition(actors.leader, {
        taskId,
        event: 'APPROVE_EXTENSION',
        newDueAt: extended,
        comment: 'Công văn 88/UBND-TH ngày 02/7/2030',
      });
      const rows = await reports.planReports(actors.supervisor, seeded.planId, at('2030-12-10T00:00:00+07:00'));
      // task 2 is no longer missing on 10 Dec: its period's due time is now 31 Jan 2031; task 3's period 2 is
      expect(rows.find((r) => r.agencyId === seeded.agencies.justice && r.period === '2030-YEAR')).toEqual(
        row(seeded.agencies.justice, '2030-YEAR', extended.toISOString(), { expected: 2, missing: 1, pending: 1 }),
      );
    });
  });

  describe('who may ask', () => {
    let seeded: SeededPlan;

    beforeAll(async () => {
      seeded = await seedPlan(ds, uniqueProvince('int-reports-who'), [{}]);
    });

    it('does answer every viewer of the province and a national auditor', async () => {
      const actors = cast(seeded);
      for (const actor of [actors.lead, actors.coordinator, actors.supervisor, actors.leader, NATIONAL_AUDITOR]) {
        expect(await reports.planReports(actor, seeded.planId, null)).toHaveLength(1);
      }
    });

    it('does refuse with NOT_FOUND when a token of another province asks', async () => {
      const other = await seedPlan(ds, uniqueProvince('int-reports-who-other'), []);
      await expectDomainError(reports.planReports(userActor(other, 'monitoring', ['SUPERVISOR']), seeded.planId, null), 'NOT_FOUND');
    });

    it('does refuse with BAD_USER_INPUT when planId is not a UUID or asOf is not a date-time', async () => {
      const { supervisor } = cast(seeded);
      await expectDomainError(reports.planReports(supervisor, 'plan-1', null), 'BAD_USER_INPUT');
      await expectDomainError(reports.planReports(supervisor, seeded.planId, new Date('nope')), 'BAD_USER_INPUT');
    });
  });
});

function byKey(a: PlanReportRow, b: PlanReportRow): number {
  return `${a.period}|${a.agencyId}`.localeCompare(`${b.period}|${b.agencyId}`);
}
