import type { DataSource } from 'typeorm';
import { replayTask, type TaskInput } from '@app/lifecycle';
import { toStoredMachineEvent } from '../audit/stored-event';
import { Scope } from '../common/scope';
import { TaskEventEntity } from '../database/entities/task-event.entity';
import { TaskEntity } from '../database/entities/task.entity';
import type { ScoreCounts } from '../repositories/scorecard.repository';
import { createServices } from '../services';
import { cast, expectDomainError, NATIONAL_AUDITOR, openDataSource, TestClock, userActor } from '../test-support/int-helpers';
import { seedScriptedPlan, type ScriptedPlan } from '../test-support/scripted-plan';
import { ScorecardService } from './scorecard.service';

const local = (dateTime: string) => new Date(`${dateTime}+07:00`);
const BEFORE_REPORTS = local('2030-04-01T12:00:00');
const MID_YEAR = local('2030-07-01T12:00:00');
const YEAR_END = local('2030-12-20T12:00:00');

function score(counts: Partial<ScoreCounts>): ScoreCounts {
  return {
    total: 0,
    withdrawn: 0,
    verifiedOnTime: 0,
    verifiedLate: 0,
    pendingWithinDeadline: 0,
    overdue: 0,
    reportsMissing: 0,
    averageDaysLate: null,
    ...counts,
  };
}

describe(ScorecardService.name, () => {
  let ds: DataSource;
  let plan: ScriptedPlan;
  let scorecards: ScorecardService;

  beforeAll(async () => {
    ds = await openDataSource();
    plan = await seedScriptedPlan(ds, 'int-scorecard');
    scorecards = createServices({ dataSource: ds, clock: new TestClock('2031-01-01T00:00:00Z') }).scorecards;
  });

  afterAll(async () => ds?.destroy());

  async function byAgency(asOf: Date | null) {
    const rows = await scorecards.agencyScorecard(cast(plan).supervisor, plan.planId, asOf);
    return rows.map(({ agencyId, agencyName, ...counts }) => ({ agencyId, agencyName, counts }));
  }

  async function bySection(asOf: Date | null) {
    const rows = await scorecards.sectionScorecard(cast(plan).supervisor, plan.planId, asOf);
    return rows.map(({ ordinal, title, sectionId, ...counts }) => ({ ordinal, title, sectionId: sectionId !== null, counts }));
  }

  it('does count every task pending within its deadline when asked about a time before any due time', async () => {
    const { justice, ict, tax } = plan.agencies;
    // 11 leaf tasks: row I.5 is split into I.5.1 (justice) and I.5.2 (ICT) and is itself left out
    expect(await byAgency(BEFORE_REPORTS)).toEqual([
      { agencyId: justice, agencyName: 'Sở Tư pháp', counts: score({ total: 5, pendingWithinDeadline: 5 }) },
      { agencyId: ict, agencyName: 'Sở Thông tin và Truyền thông', counts: score({ total: 3, pendingWithinDeadline: 3 }) },
      { agencyId: tax, agencyName: 'Cục Thuế tỉnh', counts: score({ total: 3, pendingWithinDeadline: 3 }) },
    ]);
  });

  it('does give each agency its four categories, missing reports and days late as they stood on 1 July', async () => {
    const { justice, ict, tax } = plan.agencies;
    expect(await byAgency(MID_YEAR)).toEqual([
      {
        agencyId: justice,
        agencyName: 'Sở Tư pháp',
        // I.1 on time; I.2 verified 7 days late; I.4 reported in time, its rejection (5 July) not yet given;
        // II.4 within its extended due time (31 July); I.5.1 never started, 26 days overdue
        counts: score({
          total: 5,
          verifiedOnTime: 1,
          verifiedLate: 1,
          pendingWithinDeadline: 2,
          overdue: 1,
          reportsMissing: 1,
          averageDaysLate: 16.5,
        }),
      },
      {
        agencyId: ict,
        agencyName: 'Sở Thông tin và Truyền thông',
        // I.3 report rejected, 26 days overdue; I.5.2 26 days overdue; II.1 due in December
        counts: score({ total: 3, pendingWithinDeadline: 1, overdue: 2, reportsMissing: 2, averageDaysLate: 26 }),
      },
      {
        agencyId: tax,
        agencyName: 'Cục Thuế tỉnh',
        // II.2 nothing reported for H1; II.3 H1 verified, in its YEAR period; II.5 has no due time
        counts: score({ total: 3, pendingWithinDeadline: 2, overdue: 1, reportsMissing: 1, averageDaysLate: 26 }),
      },
    ]);
  });

  it('does give the same figures per section, in plan order, as they stood on 1 July', async () => {
    expect(await bySection(MID_YEAR)).toEqual([
      {
        ordinal: 'I',
        title: 'Cải thiện môi trường kinh doanh',
        sectionId: true,
        counts: score({
          total: 6,
          verifiedOnTime: 1,
          verifiedLate: 1,
          pendingWithinDeadline: 1,
          overdue: 3,
          reportsMissing: 3,
          averageDaysLate: 21.25,
        }),
      },
      {
        ordinal: 'II',
        title: 'Chuyển đổi số',
        sectionId: true,
        counts: score({ total: 5, pendingWithinDeadline: 4, overdue: 1, reportsMissing: 1, averageDaysLate: 26 }),
      },
    ]);
  });

  it('does count the later rejection, the missed YEAR reports and the verified extension when asked about 20 December', async () => {
    const { justice, ict, tax } = plan.agencies;
    expect(await byAgency(YEAR_END)).toEqual([
      {
        agencyId: justice,
        agencyName: 'Sở Tư pháp',
        // II.4 verified on 20 July, on time against its extension; I.4 and I.5.1 198 days overdue
        counts: score({ total: 5, verifiedOnTime: 2, verifiedLate: 1, overdue: 2, reportsMissing: 2, averageDaysLate: 134.33 }),
      },
      {
        agencyId: ict,
        agencyName: 'Sở Thông tin và Truyền thông',
        // II.1 15 days past 5 December
        counts: score({ total: 3, overdue: 3, reportsMissing: 3, averageDaysLate: 137 }),
      },
      {
        agencyId: tax,
        agencyName: 'Cục Thuế tỉnh',
        // II.2 misses both its H1 and its YEAR report; II.3 misses its YEAR report
        counts: score({ total: 3, pendingWithinDeadline: 1, overdue: 2, reportsMissing: 3, averageDaysLate: 106.5 }),
      },
    ]);
    const sections = await bySection(YEAR_END);
    expect(sections.map((s) => s.counts)).toEqual([
      score({ total: 6, verifiedOnTime: 1, verifiedLate: 1, overdue: 4, reportsMissing: 4, averageDaysLate: 159.8 }),
      score({ total: 5, verifiedOnTime: 1, pendingWithinDeadline: 1, overdue: 3, reportsMissing: 4, averageDaysLate: 76 }),
    ]);
  });

  it('does total the plan in the same statement, and agree with Plan.progress on the verified counts as of now', async () => {
    const { total } = (await scorecards.planScores(Scope.province(plan.province.code), plan.planId, null)).scores;
    expect(total).toEqual(
      score({
        total: 11,
        verifiedOnTime: 2,
        verifiedLate: 1,
        pendingWithinDeadline: 1,
        overdue: 7,
        reportsMissing: 8,
        averageDaysLate: expect.any(Number),
      }),
    );
    const progress = (
      await createServices({ dataSource: ds, clock: new TestClock('2031-01-01T00:00:00Z') }).repositories.plans.progress(
        Scope.province(plan.province.code),
        [plan.planId],
      )
    ).get(plan.planId)!;
    expect({ total: progress.total, verifiedOnTime: progress.verifiedOnTime, verifiedLate: progress.verifiedLate }).toEqual({
      total: total.total,
      verifiedOnTime: total.verifiedOnTime,
      verifiedLate: total.verifiedLate,
    });
  });

  it("does derive each task's state, due time and lateness at every event's instant exactly as replaying its events does", async () => {
    const tasks = await ds.getRepository(TaskEntity).find({ where: { planId: plan.planId } });
    const events = await ds.getRepository(TaskEventEntity).find({ where: { provinceCode: plan.province.code }, order: { seq: 'ASC' } });
    const instants = [...new Set(events.map((e) => e.at.getTime()))].flatMap((ms) => [new Date(ms - 1), new Date(ms)]);
    const repository = createServices({ dataSource: ds, clock: new TestClock('2031-01-01T00:00:00Z') }).repositories.scorecards;
    for (const asOf of instants) {
      const rows = await repository.tasksAsOf(Scope.province(plan.province.code), plan.planId, asOf);
      const derived = rows.map((row) => ({
        id: row.taskId,
        state: row.state,
        dueAt: row.dueAt?.toISOString() ?? null,
        late: row.state === 'VERIFIED' || row.state === 'REPORTED' ? ['VERIFIED_LATE', 'OVERDUE'].includes(row.category) : null,
      }));
      const replayed = rows.map((row) => {
        const task = tasks.find((t) => t.id === row.taskId)!;
        const upTo = events.filter((e) => e.taskId === task.id && e.at.getTime() <= asOf.getTime()).map(toStoredMachineEvent);
        const { snapshot } = replayTask(task.input as TaskInput, upTo);
        const { state, context } = snapshot;
        return {
          id: task.id,
          state,
          dueAt: context.dueAt && new Date(context.dueAt).toISOString(),
          // verified: the machine's late flag; reported: whether the standing report came late
          late: state === 'VERIFIED' ? context.late : state === 'REPORTED' ? context.periods.at(-1)!.late : null,
        };
      });
      expect({ asOf, derived }).toEqual({ asOf, derived: replayed });
    }
    expect(instants.length).toBeGreaterThan(20);
  });

  it('does answer a national auditor, and NOT_FOUND to a token of another province', async () => {
    expect(await scorecards.agencyScorecard(NATIONAL_AUDITOR, plan.planId, MID_YEAR)).toHaveLength(3);
    const other = await seedScriptedPlan(ds, 'int-scorecard-other', { until: '2030-01-01' });
    await expectDomainError(scorecards.agencyScorecard(userActor(other, 'monitoring', ['SUPERVISOR']), plan.planId, null), 'NOT_FOUND');
    await expectDomainError(scorecards.sectionScorecard(cast(other).leader, plan.planId, null), 'NOT_FOUND');
  });

  it('does refuse with BAD_USER_INPUT a planId that is not a UUID, an invalid asOf and an asOf in the future', async () => {
    const { supervisor } = cast(plan);
    await expectDomainError(scorecards.agencyScorecard(supervisor, 'plan-1', null), 'BAD_USER_INPUT');
    await expectDomainError(scorecards.agencyScorecard(supervisor, plan.planId, new Date('nope')), 'BAD_USER_INPUT');
    const error = await expectDomainError(
      scorecards.sectionScorecard(supervisor, plan.planId, new Date('2031-02-01T00:00:00Z')),
      'BAD_USER_INPUT',
    );
    expect(error.message).toContain('asOf must not be later than now');
  });
});
