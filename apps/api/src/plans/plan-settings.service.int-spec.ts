import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import {
  cast,
  expectDomainError,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import type { StoredReportingDeadline } from '../database/entities/plan.entity';
import { PlanSettingsService, type PlanSettingsCommand } from './plan-settings.service';
import { createServices } from '../services';
import { systemClock } from '../common/clock';

const DEFAULT_DEADLINES = [
  { period: 'H1', dueMonthDay: '06-05' },
  { period: 'YEAR', dueMonthDay: '12-05' },
];

const months = (n: number): StoredReportingDeadline[] =>
  Array.from({ length: n }, (_, i) => ({
    period: `M${String(i + 1).padStart(2, '0')}`,
    dueMonthDay: `${String(i + 1).padStart(2, '0')}-10`,
  }));

// Deadline lists that must be refused whole: a day that is not there every year, a malformed
// MM-DD, a period named twice, a period name outside H1 H2 YEAR Q1..Q4 M01..M12, too many.
const BAD_DEADLINES: [string, StoredReportingDeadline[]][] = [
  ['31 February (02-31)', [{ period: 'H1', dueMonthDay: '02-31' }]],
  ['month 13 (13-01)', [{ period: 'YEAR', dueMonthDay: '13-01' }]],
  ['29 February, missing in most years (02-29)', [{ period: 'Q1', dueMonthDay: '02-29' }]],
  ['31 April (04-31)', [{ period: 'Q2', dueMonthDay: '04-31' }]],
  ['month 00 (00-10)', [{ period: 'H1', dueMonthDay: '00-10' }]],
  ['day 00 (06-00)', [{ period: 'H1', dueMonthDay: '06-00' }]],
  ['one-digit parts (6-5)', [{ period: 'H1', dueMonthDay: '6-5' }]],
  ['slashes (06/05)', [{ period: 'H1', dueMonthDay: '06/05' }]],
  ['a full date (2030-06-05)', [{ period: 'H1', dueMonthDay: '2030-06-05' }]],
  ['an empty day', [{ period: 'H1', dueMonthDay: '' }]],
  [
    'a period named twice',
    [
      { period: 'H1', dueMonthDay: '06-05' },
      { period: 'H1', dueMonthDay: '07-05' },
    ],
  ],
  ['period H3', [{ period: 'H3', dueMonthDay: '06-05' }]],
  ['period Q5', [{ period: 'Q5', dueMonthDay: '06-05' }]],
  ['period Q0', [{ period: 'Q0', dueMonthDay: '06-05' }]],
  ['period M13', [{ period: 'M13', dueMonthDay: '06-05' }]],
  ['period M1 (not M01)', [{ period: 'M1', dueMonthDay: '06-05' }]],
  ['period in lower case (year)', [{ period: 'year', dueMonthDay: '12-05' }]],
  ['period with a trailing space', [{ period: 'YEAR ', dueMonthDay: '12-05' }]],
  ['an empty period', [{ period: '', dueMonthDay: '12-05' }]],
  ['a Vietnamese period name', [{ period: '6 tháng', dueMonthDay: '06-05' }]],
  [
    '20 deadlines (one more than there are periods)',
    [...months(12), ...['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2', 'YEAR', 'YEAR'].map((period) => ({ period, dueMonthDay: '12-20' }))],
  ],
  [
    'a valid deadline followed by a bad one',
    [
      { period: 'H1', dueMonthDay: '06-05' },
      { period: 'YEAR', dueMonthDay: '12-32' },
    ],
  ],
];

describe(PlanSettingsService.name, () => {
  let ds: DataSource;
  let service: PlanSettingsService;
  let seeded: SeededPlan;
  let admin: Actor;

  beforeAll(async () => {
    ds = await openDataSource();
    service = createServices({ dataSource: ds, clock: systemClock }).planSettings;
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  // A fresh plan per test: settings tests never see each other's writes.
  beforeEach(async () => {
    seeded = await seedPlan(ds, uniqueProvince('int-settings'), [{}]);
    admin = userActor(seeded, 'committee', ['ADMIN'], 'province-admin');
  });

  async function planRow(planId = seeded.planId): Promise<string> {
    const [row] = await ds.query('SELECT row_to_json(p)::text AS row FROM plans p WHERE p.id = $1', [planId]);
    return row.row;
  }

  async function settings(planId = seeded.planId) {
    const [row] = await ds.query(
      'SELECT coordinator_input_required AS "coordinatorInputRequired", reporting_deadlines AS "reportingDeadlines", consolidation_deadlines AS "consolidationDeadlines" FROM plans WHERE id = $1',
      [planId],
    );
    return row;
  }

  function update(actor: Actor, command: Omit<PlanSettingsCommand, 'planId'>, planId = seeded.planId) {
    return service.update(actor, { planId, ...command });
  }

  describe('who may change settings', () => {
    it('does refuse with FORBIDDEN and write nothing when a non-ADMIN changes settings', async () => {
      const actors = cast(seeded);
      const before = await planRow();
      for (const actor of [actors.lead, actors.coordinator, actors.supervisor, actors.leader, actors.auditor, NATIONAL_AUDITOR]) {
        const error = await expectDomainError(
          update(actor, { coordinatorInputRequired: true, reportingDeadlines: [{ period: 'YEAR', dueMonthDay: '11-30' }] }),
          'FORBIDDEN',
        );
        expect({ userId: actor.userId, details: error.details }).toEqual({
          userId: actor.userId,
          details: { rule: 'plan-settings-need-admin' },
        });
      }
      expect(await planRow()).toBe(before);
    });

    it('does refuse with NOT_FOUND and write nothing when an ADMIN of another province changes settings', async () => {
      const other = await seedPlan(ds, uniqueProvince('int-settings-other'), []);
      const before = await planRow();
      await expectDomainError(
        update(userActor(other, 'committee', ['ADMIN'], 'other-admin'), { coordinatorInputRequired: true }),
        'NOT_FOUND',
      );
      expect(await planRow()).toBe(before);
    });

    it('does apply the change when the national ADMIN changes settings', async () => {
      const plan = await update(NATIONAL_ADMIN, { coordinatorInputRequired: true });
      expect(plan).toMatchObject({ id: seeded.planId, coordinatorInputRequired: true });
      expect((await settings()).coordinatorInputRequired).toBe(true);
    });

    it('does refuse with BAD_USER_INPUT when planId is not a UUID and NOT_FOUND when no plan has it', async () => {
      await expectDomainError(update(admin, { coordinatorInputRequired: true }, 'plan-1'), 'BAD_USER_INPUT');
      await expectDomainError(update(admin, { coordinatorInputRequired: true }, randomUUID()), 'NOT_FOUND');
    });
  });

  describe('reporting deadlines', () => {
    it.each(BAD_DEADLINES)('does refuse with BAD_USER_INPUT and write nothing when reportingDeadlines has %s', async (_what, deadlines) => {
      const before = await planRow();
      // the valid part of the command is not written either
      await expectDomainError(update(admin, { coordinatorInputRequired: true, reportingDeadlines: deadlines }), 'BAD_USER_INPUT');
      expect(await planRow()).toBe(before);
      expect(await settings()).toEqual({
        coordinatorInputRequired: false,
        reportingDeadlines: DEFAULT_DEADLINES,
        consolidationDeadlines: [],
      });
    });

    it.each(BAD_DEADLINES.slice(0, 3))(
      'does refuse with BAD_USER_INPUT and write nothing when consolidationDeadlines has %s',
      async (_what, deadlines) => {
        const before = await planRow();
        const valid = [{ period: 'YEAR', dueMonthDay: '11-30' }];
        await expectDomainError(update(admin, { reportingDeadlines: valid, consolidationDeadlines: deadlines }), 'BAD_USER_INPUT');
        expect(await planRow()).toBe(before);
      },
    );

    it('does name the field and the value when a deadline is refused', async () => {
      const error = await expectDomainError(
        update(admin, { reportingDeadlines: [{ period: 'H1', dueMonthDay: '02-31' }] }),
        'BAD_USER_INPUT',
      );
      expect(error.message).toContain('reportingDeadlines');
      expect(error.message).toContain('02-31');
    });

    it('does store the deadlines as given when every one is a day that exists every year', async () => {
      const quarters = [
        { period: 'Q1', dueMonthDay: '03-10' },
        { period: 'Q2', dueMonthDay: '06-10' },
        { period: 'Q3', dueMonthDay: '09-10' },
        { period: 'YEAR', dueMonthDay: '12-31' },
        { period: 'M02', dueMonthDay: '02-28' },
      ];
      const consolidation = [{ period: 'H2', dueMonthDay: '12-15' }];
      const plan = await update(admin, { reportingDeadlines: quarters, consolidationDeadlines: consolidation });
      expect({ reporting: plan.reportingDeadlines, consolidation: plan.consolidationDeadlines }).toEqual({
        reporting: quarters,
        consolidation,
      });
      expect(await settings()).toEqual({
        coordinatorInputRequired: false,
        reportingDeadlines: quarters,
        consolidationDeadlines: consolidation,
      });
    });

    it('does accept twelve monthly deadlines with the half-year and year ones (14, as an import reads them)', async () => {
      const all = [...months(12), { period: 'H1', dueMonthDay: '06-15' }, { period: 'YEAR', dueMonthDay: '12-15' }];
      await update(admin, { reportingDeadlines: all });
      expect((await settings()).reportingDeadlines).toEqual(all);
    });

    it('does accept twelve monthly deadlines', async () => {
      await update(admin, { reportingDeadlines: months(12) });
      expect((await settings()).reportingDeadlines).toEqual(months(12));
    });

    it('does leave the schedule of existing tasks as it was when the deadlines change', async () => {
      const taskBefore = await taskRow(ds, seeded.taskIds[0]);
      await update(admin, { reportingDeadlines: [{ period: 'YEAR', dueMonthDay: '11-30' }] });
      const taskAfter = await taskRow(ds, seeded.taskIds[0]);
      expect({ snapshot: taskAfter.snapshot, dueAt: taskAfter.dueAt, version: taskAfter.version }).toEqual({
        snapshot: taskBefore.snapshot,
        dueAt: taskBefore.dueAt,
        version: taskBefore.version,
      });
    });
  });

  describe('coordinatorInputRequired', () => {
    it('does toggle the setting on and off and leave it when the command omits it or gives null', async () => {
      await update(admin, { coordinatorInputRequired: true });
      expect((await settings()).coordinatorInputRequired).toBe(true);
      await update(admin, { reportingDeadlines: [{ period: 'YEAR', dueMonthDay: '11-30' }] });
      expect((await settings()).coordinatorInputRequired).toBe(true);
      await update(admin, { coordinatorInputRequired: null });
      expect((await settings()).coordinatorInputRequired).toBe(true);
      await update(admin, { coordinatorInputRequired: false });
      expect(await settings()).toEqual({
        coordinatorInputRequired: false,
        reportingDeadlines: [{ period: 'YEAR', dueMonthDay: '11-30' }],
        consolidationDeadlines: [],
      });
    });

    it('does return the plan unchanged and write nothing when the command changes nothing', async () => {
      const before = await planRow();
      const plan = await update(admin, {});
      expect(plan).toMatchObject({ id: seeded.planId, coordinatorInputRequired: false, reportingDeadlines: DEFAULT_DEADLINES });
      expect(await planRow()).toBe(before);
    });

    it('does hold the lead agency report back until coordination when on, and let it through when turned off again', async () => {
      const actors = cast(seeded);
      const taskId = seeded.taskIds[0];
      const transitions = createServices({ dataSource: ds, clock: new TestClock('2030-03-01T02:00:00.000Z') }).transitions;
      await transitions.transition(actors.lead, { taskId, event: 'START' });

      await update(admin, { coordinatorInputRequired: true });
      const error = await expectDomainError(
        transitions.transition(actors.lead, { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } }),
        'FORBIDDEN',
      );
      expect(error.details).toMatchObject({ rule: 'coordinator-input-required' });
      expect((await taskRow(ds, taskId)).state).toBe('IN_PROGRESS');

      await update(admin, { coordinatorInputRequired: false });
      const reported = await transitions.transition(actors.lead, { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } });
      expect(reported.state).toBe('REPORTED');
    });
  });
});
