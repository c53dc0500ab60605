// The read sides of a task an amended plan withdrew (WITHDRAW) or rescheduled (AMEND), with the
// events written as the system writes them (test-support/system-events.ts): plan progress,
// scorecards as of any instant, the consolidated report, reporting periods, reminder lists and
// digests, the roll-up of a split task, and the audit.
import type { DataSource } from 'typeorm';
import { replayTask, type TaskInput } from '@app/lifecycle';
import { endOfLocalDayUtc } from '@app/plan-import';
import { toStoredMachineEvent } from '../audit/stored-event';
import { TaskEventEntity } from '../database/entities/task-event.entity';
import { TaskEntity } from '../database/entities/task.entity';
import { Scope } from '../common/scope';
import { createServices, type Services } from '../services';
import {
  cast,
  eventRows,
  openDataSource,
  seedPlan,
  TestClock,
  taskRow,
  uniqueProvince,
  type SeededPlan,
} from '../test-support/int-helpers';
import { applySystemEvent } from '../test-support/system-events';

const due = (date: string) => endOfLocalDayUtc(date);

// The scorecard SQL's state and due time of every leaf task, at every event's instant (and just
// before it), against replaying the task's events through the machine.
async function expectSqlAgreesWithReplay(ds: DataSource, services: Services, seeded: SeededPlan): Promise<number> {
  const tasks = await ds.getRepository(TaskEntity).find({ where: { planId: seeded.planId } });
  const events = await ds.getRepository(TaskEventEntity).find({ where: { provinceCode: seeded.province.code }, order: { seq: 'ASC' } });
  const instants = [...new Set(events.map((e) => e.at.getTime()))].flatMap((ms) => [new Date(ms - 1), new Date(ms)]);
  for (const asOf of instants) {
    const rows = await services.repositories.scorecards.tasksAsOf(Scope.national(), seeded.planId, asOf);
    const derived = rows.map((row) => ({ id: row.taskId, state: row.state, dueAt: row.dueAt?.toISOString() ?? null }));
    const replayed = rows.map((row) => {
      const task = tasks.find((t) => t.id === row.taskId)!;
      const upTo = events.filter((e) => e.taskId === task.id && e.at.getTime() <= asOf.getTime()).map(toStoredMachineEvent);
      const { snapshot } = replayTask(task.input as TaskInput, upTo);
      return { id: task.id, state: snapshot.state, dueAt: snapshot.context.dueAt && new Date(snapshot.context.dueAt).toISOString() };
    });
    expect({ asOf, derived }).toEqual({ asOf, derived: replayed });
  }
  return instants.length;
}
const local = (dateTime: string) => new Date(`${dateTime}+07:00`);
const REASON = 'Nhiệm vụ không còn trong Kế hoạch sửa đổi';

// 1 withdrawn after it started; 2 rescheduled by AMEND after its old due time passed (the sweep made
// it OVERDUE); 3 recurring (H1, YEAR), withdrawn once its H1 report was missing; 4 split per lead:
// 4.1 verified, 4.2 withdrawn; 5 an untouched control.
const TASKS = [
  { title: 'Nhiệm vụ rút', dueAt: due('2030-06-30') },
  { title: 'Nhiệm vụ điều chỉnh hạn', dueAt: due('2030-03-31') },
  {
    title: 'Nhiệm vụ định kỳ',
    timeframe: 'Thường xuyên',
    dueAt: due('2030-06-05'),
    periodDueDates: [due('2030-06-05'), due('2030-12-05')],
  },
  { title: 'Nhiệm vụ hai cơ quan', dueAt: due('2030-10-31'), coLeadAgencyCodes: ['so-thong-tin-va-truyen-thong'] },
  { title: 'Nhiệm vụ đối chứng', dueAt: due('2030-12-31') },
];

describe('withdrawn and amended tasks: the read sides', () => {
  let ds: DataSource;
  let seeded: SeededPlan;
  let services: Services;
  let clock: TestClock;
  const ids: Record<string, string> = {};
  const actors = () => cast(seeded);

  beforeAll(async () => {
    ds = await openDataSource();
    seeded = await seedPlan(ds, uniqueProvince('int-withdrawn'), TASKS);
    const rows: { id: string; ordinal: string }[] = await ds.query('SELECT id, ordinal FROM tasks WHERE plan_id = $1', [seeded.planId]);
    for (const row of rows) ids[row.ordinal] = row.id;
    clock = new TestClock('2030-02-01T02:00:00Z');
    services = createServices({ dataSource: ds, clock });
    const { lead, supervisor } = actors();
    const ictLead = { ...lead, userId: 'ict-lead', agencyCode: 'so-thong-tin-va-truyen-thong', agencyId: seeded.agencies.ict };
    const fire = async (at: string, actor: typeof lead, task: string, command: object) => {
      clock.set(local(at));
      await services.transitions.transition(actor, { taskId: ids[task], ...command } as never);
    };
    await fire('2030-03-01T09:00:00', lead, '1', { event: 'START' });
    await fire('2030-03-01T09:00:00', lead, '4.1', { event: 'START' });
    await fire('2030-03-01T09:00:00', ictLead, '4.2', { event: 'START' });
    // task 2's due time passes: the sweep makes it OVERDUE
    await services.sweeper.sweep(Scope.province(seeded.province.code), local('2030-04-02T00:30:00'));
    await applySystemEvent(
      ds,
      ids['1'],
      { type: 'WITHDRAW', reason: REASON, amendment: { version: 2, label: '99/KH-UBND ngày 10/4/2030' } },
      local('2030-04-10T09:00:00'),
    );
    await applySystemEvent(
      ds,
      ids['2'],
      {
        type: 'AMEND',
        dueAt: due('2030-10-31'),
        changes: [{ field: 'dueAt', from: '2030-03-31', to: '2030-10-31' }],
        amendment: { version: 2 },
      },
      local('2030-04-10T09:00:00'),
    );
    await fire('2030-05-01T09:00:00', lead, '4.1', { event: 'SUBMIT_REPORT', report: { summary: 'Đã hoàn thành' } });
    await fire('2030-05-02T09:00:00', supervisor, '4.1', { event: 'VERIFY' });
    await applySystemEvent(ds, ids['4.2'], { type: 'WITHDRAW', reason: REASON }, local('2030-05-10T09:00:00'));
    // task 3 misses its H1 report, then the plan withdraws it
    await applySystemEvent(ds, ids['3'], { type: 'WITHDRAW', reason: REASON }, local('2030-07-10T09:00:00'));
    clock.set(local('2030-07-15T09:00:00'));
  }, 60_000);

  afterAll(async () => ds?.destroy());

  it('does move the withdrawn tasks to WITHDRAWN and keep every hash chain and replay intact', async () => {
    expect((await taskRow(ds, ids['1'])).state).toBe('WITHDRAWN');
    expect((await taskRow(ds, ids['3'])).state).toBe('WITHDRAWN');
    expect(await eventRows(ds, ids['1'])).toEqual([
      expect.objectContaining({ type: 'START' }),
      expect.objectContaining({
        type: 'WITHDRAW',
        fromState: 'IN_PROGRESS',
        toState: 'WITHDRAWN',
        payload: expect.objectContaining({ reason: REASON }),
      }),
    ]);
    // AMEND took task 2 out of OVERDUE: its new due time lies ahead
    expect(await taskRow(ds, ids['2'])).toMatchObject({
      state: 'IN_PROGRESS',
      dueAt: new Date(due('2030-10-31')),
      originalDueAt: new Date(due('2030-10-31')),
    });
    expect(await services.audit.verifyPlan(actors().auditor, seeded.planId)).toMatchObject({ ok: true, brokenTaskIds: [] });
    expect((await services.audit.timeline(actors().auditor, ids['1'])).map((entry) => entry.state)).toEqual([
      'ASSIGNED',
      'IN_PROGRESS',
      'WITHDRAWN',
    ]);
  });

  it("does derive each task's state and due time at every event's instant as replaying its events does", async () => {
    expect(await expectSqlAgreesWithReplay(ds, services, seeded)).toBeGreaterThan(10);
  });

  it('does roll a split task up from its children that are not withdrawn', async () => {
    expect((await taskRow(ds, ids['4'])).state).toBe('VERIFIED');
  });

  it('does list withdrawn tasks in byState but leave them out of the plan total', async () => {
    const progress = (await services.repositories.plans.progress(Scope.national(), [seeded.planId])).get(seeded.planId)!;
    // leaf tasks: 1, 2, 3, 4.1, 4.2, 5; withdrawn: 1, 3, 4.2
    expect(progress).toEqual({
      total: 3,
      byState: [
        { state: 'ASSIGNED', count: 1 },
        { state: 'IN_PROGRESS', count: 1 },
        { state: 'REPORTED', count: 0 },
        { state: 'VERIFIED', count: 1 },
        { state: 'OVERDUE', count: 0 },
        { state: 'WITHDRAWN', count: 3 },
      ],
      overdue: 0,
      verifiedOnTime: 1,
      verifiedLate: 0,
    });
  });

  it('does score a withdrawn task as WITHDRAWN from its WITHDRAW on, outside the total, and as before until then', async () => {
    const scores = (asOf: string) => services.repositories.scorecards.scores(Scope.national(), seeded.planId, local(asOf));
    const before = await scores('2030-04-05T12:00:00');
    // task 2 overdue (due 31/3), everything else pending: nothing withdrawn yet
    expect(before.total).toMatchObject({ total: 6, withdrawn: 0, overdue: 1, pendingWithinDeadline: 5, reportsMissing: 1 });
    const after = await scores('2030-07-15T12:00:00');
    // 2 pending again (AMEND: due 31/10), 4.1 verified, 5 pending; 1, 3, 4.2 withdrawn, 3's missing H1 report no longer counted
    expect(after.total).toEqual({
      total: 3,
      withdrawn: 3,
      verifiedOnTime: 1,
      verifiedLate: 0,
      pendingWithinDeadline: 2,
      overdue: 0,
      reportsMissing: 0,
      averageDaysLate: null,
    });
    const justice = after.agencies.find((row) => row.agencyId === seeded.agencies.justice)!;
    const ict = after.agencies.find((row) => row.agencyId === seeded.agencies.ict)!;
    expect([justice.total, justice.withdrawn, ict.total, ict.withdrawn]).toEqual([3, 2, 0, 1]);
    expect(after.sections.map((row) => [row.total, row.withdrawn])).toEqual([[3, 3]]);
  });

  it('does follow the due time an AMEND set from the AMEND on, and the old one before it', async () => {
    const task2 = async (asOf: string) =>
      (await services.repositories.scorecards.tasksAsOf(Scope.national(), seeded.planId, local(asOf))).find((t) => t.taskId === ids['2'])!;
    expect(await task2('2030-04-05T12:00:00')).toMatchObject({
      state: 'OVERDUE',
      category: 'OVERDUE',
      dueAt: new Date(due('2030-03-31')),
      scheduledDueAt: new Date(due('2030-03-31')),
      daysLate: 5,
    });
    expect(await task2('2030-04-10T12:00:00')).toMatchObject({
      state: 'IN_PROGRESS',
      category: 'PENDING_WITHIN_DEADLINE',
      dueAt: new Date(due('2030-10-31')),
      scheduledDueAt: new Date(due('2030-10-31')),
      daysLate: null,
      reportsMissing: 0,
    });
    // past the amended date: overdue again, counted from it
    expect(await task2('2030-11-03T12:00:00')).toMatchObject({ category: 'OVERDUE', dueAt: new Date(due('2030-10-31')), daysLate: 3 });
    const task1 = (await services.repositories.scorecards.tasksAsOf(Scope.national(), seeded.planId, local('2030-12-31T12:00:00'))).find(
      (t) => t.taskId === ids['1'],
    )!;
    expect(task1).toMatchObject({
      state: 'WITHDRAWN',
      category: 'WITHDRAWN',
      daysLate: null,
      reportsMissing: 0,
      withdrawal: { at: local('2030-04-10T09:00:00'), reason: REASON },
    });
  });

  it('does list withdrawn tasks in a table of their own in the report, with reason and date, not in the appendix', async () => {
    const file = await services.reportExport.export(actors().supervisor, {
      planId: seeded.planId,
      period: 'YEAR',
      format: 'md',
      year: 2030,
    });
    const markdown = file.content.toString('utf8');
    const [appendix, withdrawn] = markdown.split('## Nhiệm vụ đã rút khỏi kế hoạch');
    expect(withdrawn).toBeDefined();
    expect(appendix).not.toContain('Nhiệm vụ rút');
    expect(appendix).not.toContain('Nhiệm vụ định kỳ');
    expect(appendix).toContain('Nhiệm vụ điều chỉnh hạn');
    expect(withdrawn).toContain(`| 1 | Nhiệm vụ rút | Sở Tư pháp | Năm 2030 | 10/04/2030 | ${REASON} |`);
    expect(withdrawn).toContain(`| 3 | Nhiệm vụ định kỳ | Sở Tư pháp | Thường xuyên | 10/07/2030 | ${REASON} |`);
    expect(withdrawn).toContain('Tổng cộng: 3 nhiệm vụ');
    const xlsx = await services.reportExport.export(actors().supervisor, {
      planId: seeded.planId,
      period: 'YEAR',
      format: 'xlsx',
      year: 2030,
    });
    const { Workbook } = await import('exceljs');
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.content as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Nhiệm vụ đã rút khỏi kế hoạch')!;
    expect(sheet).toBeDefined();
    const cells: string[] = [];
    sheet.eachRow((row) => cells.push((row.values as unknown[]).join('|')));
    expect(cells.some((line) => line.includes('Nhiệm vụ rút') && line.includes(REASON))).toBe(true);
    const appendixSheet = workbook.getWorksheet('Phụ lục')!;
    const appendixText: string[] = [];
    appendixSheet.eachRow((row) => appendixText.push((row.values as unknown[]).join('|')));
    expect(appendixText.some((line) => line.includes('Nhiệm vụ rút'))).toBe(false);
  });

  it('does show a withdrawn task’s periods without a report as WITHDRAWN, never MISSING, from its withdrawal on', async () => {
    const rows = (asOf: string) => services.planReports.planReports(actors().supervisor, seeded.planId, local(asOf));
    const h1 = (list: Awaited<ReturnType<typeof rows>>) =>
      list.filter((row) => row.agencyId === seeded.agencies.justice && row.period === '2030-H1');
    // before the withdrawal task 3's H1 report was missing
    expect(h1(await rows('2030-07-01T12:00:00'))).toEqual([expect.objectContaining({ expected: 1, missing: 1, withdrawn: 0 })]);
    const after = await rows('2030-07-15T12:00:00');
    expect(h1(after)).toEqual([expect.objectContaining({ expected: 0, missing: 0, withdrawn: 1 })]);
    expect(after.reduce((sum, row) => sum + row.missing, 0)).toBe(0);
    // withdrawn: task 1 (its YEAR period, no report) and task 3's YEAR period; expected: tasks 2, 4.1 (verified) and 5
    expect(after.filter((row) => row.period === '2030-YEAR' && row.agencyId === seeded.agencies.justice)).toEqual([
      expect.objectContaining({ withdrawn: 2, expected: 3, pending: 2, verified: 1 }),
    ]);
  });

  it('does leave withdrawn tasks out of upcoming deadlines, overdue lists and digests', async () => {
    const { lead } = actors();
    clock.set(local('2030-06-01T09:00:00'));
    // due in the window: task 1 (30/6, withdrawn) and task 3 (5/6, withdrawn); nothing else of justice
    const upcoming = await services.upcomingDeadlines.upcoming(lead, seeded.agencies.justice, 60);
    expect(upcoming.map((task) => task.id)).not.toContain(ids['1']);
    expect(upcoming.map((task) => task.id)).not.toContain(ids['3']);
    expect(await services.upcomingDeadlines.overdue(lead, seeded.agencies.justice)).toEqual([]);
    await services.digest.runDaily(Scope.province(seeded.province.code), local('2030-06-01T07:00:00'));
    const digests: { payload: Record<string, { taskId: string }[]> }[] = await ds.query(
      'SELECT payload FROM notifications WHERE province_code = $1 AND agency_id = $2',
      [seeded.province.code, seeded.agencies.justice],
    );
    const listed = digests.flatMap((d) =>
      Object.values(d.payload)
        .flat()
        .map((item) => item.taskId),
    );
    expect(listed).not.toContain(ids['1']);
    expect(listed).not.toContain(ids['3']);
    clock.set(local('2030-07-15T09:00:00'));
  });
});

describe('amended schedules in the scorecard SQL: AMEND and extensions, the latest wins', () => {
  let ds: DataSource;
  let seeded: SeededPlan;
  let services: Services;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ds = await openDataSource();
    seeded = await seedPlan(ds, uniqueProvince('int-amended'), [
      // 1: recurring; an extension of its H1, then an AMEND of the whole schedule
      { timeframe: 'Thường xuyên', dueAt: due('2030-06-05'), periodDueDates: [due('2030-06-05'), due('2030-12-05')] },
      // 2: an AMEND of its date, then an extension granted after it
      { dueAt: due('2030-06-30') },
    ]);
    const rows: { id: string; ordinal: string }[] = await ds.query('SELECT id, ordinal FROM tasks WHERE plan_id = $1', [seeded.planId]);
    for (const row of rows) ids[row.ordinal] = row.id;
    const clock = new TestClock('2030-02-01T02:00:00Z');
    services = createServices({ dataSource: ds, clock });
    const { lead, leader, supervisor } = cast(seeded);
    const fire = async (at: string, actor: typeof lead, task: string, command: object) => {
      clock.set(local(at));
      await services.transitions.transition(actor, { taskId: ids[task], ...command } as never);
    };
    await fire('2030-03-01T09:00:00', lead, '1', { event: 'START' });
    await fire('2030-03-01T09:00:00', lead, '2', { event: 'START' });
    const extend = async (task: string, day: string, newDueAt: string) => {
      await fire(`2030-${day}T09:00:00`, lead, task, {
        event: 'REQUEST_EXTENSION',
        comment: 'Cần thêm thời gian',
        newDueAt: new Date(newDueAt),
      });
      await fire(`2030-${day}T10:00:00`, leader, task, {
        event: 'APPROVE_EXTENSION',
        comment: `Công văn 12/UBND-TH ngày ${day.slice(3)}/${day.slice(0, 2)}/2030`,
        newDueAt: new Date(newDueAt),
      });
    };
    await extend('1', '04-01', due('2030-06-30'));
    await applySystemEvent(
      ds,
      ids['1'],
      { type: 'AMEND', periodDueDates: [due('2030-07-31'), due('2030-12-20')], changes: [{ field: 'timeframe', from: 'a', to: 'b' }] },
      local('2030-05-01T09:00:00'),
    );
    await fire('2030-07-20T09:00:00', lead, '1', { event: 'SUBMIT_REPORT', report: { summary: 'Kỳ 1' } });
    await fire('2030-07-25T09:00:00', supervisor, '1', { event: 'VERIFY' });
    await applySystemEvent(ds, ids['2'], { type: 'AMEND', dueAt: due('2030-05-31') }, local('2030-04-01T09:00:00'));
    await extend('2', '05-02', due('2030-08-31'));
  }, 60_000);

  afterAll(async () => ds?.destroy());

  const taskAsOf = async (task: string, asOf: string) =>
    (await services.repositories.scorecards.tasksAsOf(Scope.national(), seeded.planId, local(asOf))).find((t) => t.taskId === ids[task])!;

  it('does take an AMEND of the whole schedule over an extension granted before it, in this period and the next', async () => {
    expect(await taskAsOf('1', '2030-04-15T12:00:00')).toMatchObject({
      dueAt: new Date(due('2030-06-30')),
      category: 'PENDING_WITHIN_DEADLINE',
    });
    // the extension's 30/6 passed, the amended 31/7 did not
    expect(await taskAsOf('1', '2030-07-10T12:00:00')).toMatchObject({
      dueAt: new Date(due('2030-07-31')),
      scheduledDueAt: new Date(due('2030-07-31')),
      category: 'PENDING_WITHIN_DEADLINE',
      reportsMissing: 0,
    });
    // its second period runs to the amended 20/12, not the input's 5/12
    expect(await taskAsOf('1', '2030-12-10T12:00:00')).toMatchObject({
      period: 1,
      dueAt: new Date(due('2030-12-20')),
      category: 'PENDING_WITHIN_DEADLINE',
      reportsMissing: 0,
    });
    expect(await taskAsOf('1', '2030-12-25T12:00:00')).toMatchObject({ category: 'OVERDUE', daysLate: 5, reportsMissing: 1 });
  });

  it("does derive each task's state and due time at every event's instant as replaying its events does", async () => {
    expect(await expectSqlAgreesWithReplay(ds, services, seeded)).toBeGreaterThan(10);
  });

  it('does take an extension granted after an AMEND over it, the plan’s own date staying the amended one', async () => {
    expect(await taskAsOf('2', '2030-04-15T12:00:00')).toMatchObject({
      dueAt: new Date(due('2030-05-31')),
      scheduledDueAt: new Date(due('2030-05-31')),
    });
    expect(await taskAsOf('2', '2030-07-15T12:00:00')).toMatchObject({
      dueAt: new Date(due('2030-08-31')),
      scheduledDueAt: new Date(due('2030-05-31')),
      category: 'PENDING_WITHIN_DEADLINE',
    });
    // the stored row agrees with the SQL's reading of the events
    expect(await taskRow(ds, ids['2'])).toMatchObject({ dueAt: new Date(due('2030-08-31')), originalDueAt: new Date(due('2030-05-31')) });
  });
});
