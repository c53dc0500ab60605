import type { DataSource } from 'typeorm';
import { Scope } from '../common/scope';
import { createServices, type Services } from '../services';
import { TaskEventRepository } from '../repositories/task-event.repository';
import type { TransitionService } from '../tasks/transition.service';
import { cast, MINUTE, openDataSource, seedPlan, TestClock, uniqueProvince, type SeededPlan } from '../test-support/int-helpers';
import { openRecordedDataSource } from '../test-support/sql-recorder';
import { AuditService, DEFAULT_AUDIT_LIMITS, type AuditLimits } from './audit.service';

const START_AT = new Date('2030-03-01T02:00:00.000Z');
type Command = Parameters<TransitionService['transition']>[1];

// The event reads of the audit, with real work slipped in before the next one: a transition
// committed on another connection between reading the task rows and reading their events.
class InterleavedEvents extends TaskEventRepository {
  reads = 0;
  constructor(
    dataSource: DataSource,
    private readonly before: (read: number) => Promise<void>,
  ) {
    super(dataSource);
  }

  override async historyPage(...args: Parameters<TaskEventRepository['historyPage']>) {
    await this.before(this.reads++);
    return super.historyPage(...args);
  }
}

// verifyAuditTrail and replayTask read rows and events in one REPEATABLE READ snapshot: a transition
// committed while they run is seen wholly or not at all, never as a row ahead of its events.
describe(`${AuditService.name} snapshot`, () => {
  let ds: DataSource;
  let services: Services;
  let clock: TestClock;
  const province = uniqueProvince('int-audit-snapshot');

  beforeAll(async () => {
    ds = await openDataSource();
    clock = new TestClock(START_AT);
    services = createServices({ dataSource: ds, clock });
  });

  afterAll(async () => ds?.destroy());

  function auditWith(events: TaskEventRepository, limits: Partial<AuditLimits> = {}): AuditService {
    const { plans, tasks, transactions } = services.repositories;
    return new AuditService(
      { plans, tasks, events, transactions, denials: services.accessDenials, periods: services.periodCloses },
      { ...DEFAULT_AUDIT_LIMITS, ...limits },
    );
  }

  async function fire(seeded: SeededPlan, taskId: string, command: Omit<Command, 'taskId'>): Promise<void> {
    clock.advance(MINUTE);
    const { lead, supervisor } = cast(seeded);
    await services.transitions.transition(command.event === 'VERIFY' ? supervisor : lead, { taskId, ...command });
  }

  it('does not report a task as broken when it moves between the read of its row and of its events', async () => {
    const seeded = await seedPlan(ds, province, [{}, {}, {}]);
    await fire(seeded, seeded.taskIds[0], { event: 'START' });
    const events = new InterleavedEvents(ds, async (read) => {
      if (read === 0) await fire(seeded, seeded.taskIds[0], { event: 'SUBMIT_REPORT', report: { summary: 'Xong' } });
    });
    const verdict = await auditWith(events).verifyPlan(cast(seeded).auditor, seeded.planId);
    // as of its snapshot: the report committed meanwhile is not counted, and nothing is broken
    expect(verdict).toMatchObject({ ok: true, tasksChecked: 3, eventsChecked: 1, brokenTaskCount: 0, brokenTaskIds: [] });
    expect(await services.audit.verifyPlan(cast(seeded).auditor, seeded.planId)).toMatchObject({ ok: true, eventsChecked: 2 });
  });

  it('does replay a task as it was when the replay began although it moved before its events were read', async () => {
    const seeded = await seedPlan(ds, province, [{}]);
    const [taskId] = seeded.taskIds;
    await fire(seeded, taskId, { event: 'START' });
    const events = new InterleavedEvents(ds, async (read) => {
      if (read === 0) await fire(seeded, taskId, { event: 'SUBMIT_REPORT', report: { summary: 'Xong' } });
    });
    expect(await auditWith(events).replay(cast(seeded).auditor, taskId, null)).toEqual({
      state: 'IN_PROGRESS',
      eventsApplied: 1,
      consistent: true,
      chainValid: true,
    });
    expect(await services.audit.replay(cast(seeded).auditor, taskId, null)).toMatchObject({ state: 'REPORTED', consistent: true });
  });

  it('does verify consistently while transitions run on the plan at the same time', async () => {
    const seeded = await seedPlan(
      ds,
      province,
      Array.from({ length: 12 }, () => ({})),
    );
    const steps: Omit<Command, 'taskId'>[] = [
      { event: 'START' },
      { event: 'SUBMIT_REPORT', report: { summary: 'Lần 1' } },
      { event: 'VERIFY' },
    ];
    // small batches and pages: many statements per verification, for transitions to fall between
    const audit = auditWith(services.repositories.events, { taskBatch: 3, eventPage: 4 });
    let writing = true;
    const writer = (async () => {
      for (const step of steps) for (const taskId of seeded.taskIds) await fire(seeded, taskId, step);
      writing = false;
    })();
    const verdicts = [];
    do verdicts.push(await audit.verifyPlan(cast(seeded).auditor, seeded.planId));
    while (writing);
    await writer;
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(verdicts.at(-1)).toMatchObject({ ok: true, tasksChecked: 12 });
    expect(await audit.verifyPlan(cast(seeded).auditor, seeded.planId)).toMatchObject({ ok: true, eventsChecked: 36 });
  });

  it('does read a plan in one read-only snapshot, with a fixed number of statements per batch of tasks', async () => {
    const { ds: recorded, recorder } = await openRecordedDataSource();
    try {
      const seeded = await seedPlan(
        ds,
        province,
        Array.from({ length: 7 }, () => ({})),
      );
      for (const taskId of seeded.taskIds) await fire(seeded, taskId, { event: 'START' });
      const { plans, tasks, events, transactions } = createServices({ dataSource: recorded, clock }).repositories;
      const audit = new AuditService(
        { plans, tasks, events, transactions, denials: services.accessDenials, periods: services.periodCloses },
        { ...DEFAULT_AUDIT_LIMITS, taskBatch: 3, eventPage: 100 },
      );
      const statements = await recorder.during(() => audit.verifyPlan(cast(seeded).auditor, seeded.planId));
      // the plan, then START … COMMIT: (tasks, events) for batches of 3, 3 and 1
      expect(statements.slice(1)).toEqual([
        'START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY',
        ...Array.from({ length: 3 }, () => [expect.stringMatching(/FROM tasks t/), expect.stringMatching(/FROM task_events e/)]).flat(),
        'COMMIT',
      ]);
    } finally {
      await recorded.destroy();
    }
  });

  it('does give the same verdict whatever the batch and page sizes', async () => {
    const seeded = await seedPlan(
      ds,
      province,
      Array.from({ length: 7 }, () => ({})),
    );
    for (const [i, taskId] of seeded.taskIds.entries()) {
      for (const step of [{ event: 'START' }, { event: 'SUBMIT_REPORT', report: { summary: 'x' } }, { event: 'VERIFY' }].slice(0, i % 4)) {
        await fire(seeded, taskId, step as Omit<Command, 'taskId'>);
      }
    }
    await ds.query(`UPDATE tasks SET late = NOT late WHERE province_code = $1 AND id = ANY($2::uuid[])`, [
      province.code,
      [seeded.taskIds[1], seeded.taskIds[2], seeded.taskIds[5]],
    ]);
    const auditor = cast(seeded).auditor;
    const reference = await services.audit.verifyPlan(auditor, seeded.planId);
    expect(reference).toMatchObject({ ok: false, tasksChecked: 7, eventsChecked: 0 + 1 + 2 + 3 + 0 + 1 + 2, brokenTaskCount: 3 });
    expect(reference.brokenTaskIds).toEqual([seeded.taskIds[1], seeded.taskIds[2], seeded.taskIds[5]].sort());
    for (const limits of [
      { taskBatch: 1, eventPage: 1 },
      { taskBatch: 2, eventPage: 3 },
      { taskBatch: 7, eventPage: 2 },
      { taskBatch: 100, eventPage: 5 },
    ]) {
      expect(await auditWith(services.repositories.events, limits).verifyPlan(auditor, seeded.planId)).toEqual(reference);
    }
    // a bounded list: every broken task counted, the first ones named
    const bounded = await auditWith(services.repositories.events, { listed: 2 }).verifyPlan(auditor, seeded.planId);
    expect(bounded).toMatchObject({ ok: false, brokenTaskCount: 3, brokenTaskIds: reference.brokenTaskIds.slice(0, 2) });
    expect(bounded.brokenTasks).toEqual(reference.brokenTasks.slice(0, 2));
  });

  it('does read nothing of a plan outside the scope it is given', async () => {
    const seeded = await seedPlan(ds, province, [{}]);
    const { tasks, transactions } = services.repositories;
    const other = Scope.province(uniqueProvince('int-audit-snapshot-x').code);
    const plan = { provinceCode: province.code, id: seeded.planId };
    expect(await transactions.readSnapshot((tx) => tasks.planTasksAfter(tx, other, plan, null, 10))).toEqual([]);
    expect(await transactions.readSnapshot((tx) => tasks.planTasksAfter(tx, Scope.national(), plan, null, 10))).toHaveLength(1);
  });
});
