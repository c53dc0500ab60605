import type { DataSource } from 'typeorm';
import { Scope } from '../common/scope';
import { DeadlineSweepService } from '../deadlines/deadline-sweep.service';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { createServices, type Services } from '../services';
import {
  cast,
  eventRows,
  expectDomainError,
  footprint,
  MINUTE,
  NATIONAL_ADMIN,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { LIMITS } from '../common/validation';

// Abuse limits of the domain: bounded contributions, a sweep one bad task cannot stall, no sweep
// from the future, idempotency keys per actor, four eyes on extensions.
const START_AT = new Date('2030-03-01T02:00:00.000Z');
const AFTER_DUE = new Date('2031-01-10T02:00:00.000Z');

describe('abuse limits', () => {
  let ds: DataSource;
  let clock: TestClock;
  let services: Services;
  let seeded: SeededPlan;
  let actors: ReturnType<typeof cast>;

  beforeAll(async () => {
    ds = await openDataSource();
    seeded = await seedPlan(ds, uniqueProvince('int-abuse'), []);
    actors = cast(seeded);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  beforeEach(() => {
    clock = new TestClock(START_AT);
    services = createServices({ dataSource: ds, clock });
  });

  async function freshTask(task: Parameters<typeof seedPlan>[2][number] = {}): Promise<string> {
    return (await seedPlan(ds, seeded.province, [task])).taskIds[0];
  }

  const contribute = (taskId: string, actor = actors.coordinator) =>
    services.transitions.transition(actor, { taskId, event: 'CONTRIBUTE', comment: `Ý kiến phối hợp ${clock.now().toISOString()}` });

  describe('contributions', () => {
    it('does refuse the contribution past the per-period cap with BAD_USER_INPUT naming the limit, and keeps the task usable', async () => {
      const taskId = await freshTask();
      for (let i = 0; i < LIMITS.contributionsPerAgencyPeriod; i++) {
        clock.advance(MINUTE);
        await contribute(taskId);
      }
      const before = await footprint(ds, seeded.province.code, taskId);
      clock.advance(MINUTE);
      const error = await expectDomainError(contribute(taskId), 'BAD_USER_INPUT');
      expect(error.message).toContain(`at most ${LIMITS.contributionsPerAgencyPeriod} contributions per agency per reporting period`);
      expect(error.details).toMatchObject({ limit: 'contributionsPerAgencyPeriod' });
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);

      // the sweep still marks it overdue, and the lead still reports
      expect(await services.sweeper.sweep(Scope.province(seeded.province.code), AFTER_DUE)).toBeGreaterThanOrEqual(1);
      expect((await taskRow(ds, taskId)).state).toBe('OVERDUE');
      clock.set(AFTER_DUE);
      const reported = await services.transitions.transition(actors.lead, {
        taskId,
        event: 'SUBMIT_REPORT',
        report: { summary: 'Báo cáo' },
      });
      expect(reported.state).toBe('REPORTED');
    });

    it('does still take another coordinating agency when one agency reached its cap', async () => {
      const taskId = await freshTask({ coordinatingAgencyCodes: ['so-thong-tin-va-truyen-thong', 'cuc-thue-tinh'] });
      for (let i = 0; i < LIMITS.contributionsPerAgencyPeriod; i++) await contribute(taskId);
      await expectDomainError(contribute(taskId), 'BAD_USER_INPUT');
      const tax = userActor(seeded, 'tax', ['OFFICER'], 'tax-officer');
      expect((await contribute(taskId, tax)).version).toBe(LIMITS.contributionsPerAgencyPeriod + 1);
    });
  });

  describe('deadline sweep', () => {
    it('does skip and log a task whose write fails, and sweep the rest of the batch', async () => {
      const plan = await seedPlan(ds, uniqueProvince('int-abuse-sweep'), [{}, {}, {}]);
      const bad = plan.taskIds[1];
      // stands for a row the database refuses (oversized, corrupt): its UPDATE raises
      await ds.query(`CREATE OR REPLACE FUNCTION test_refuse_task() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'test: row too big'; END $$`);
      await ds.query(
        `CREATE TRIGGER test_refuse_task BEFORE UPDATE ON tasks FOR EACH ROW WHEN (NEW.id = '${bad}'::uuid) EXECUTE FUNCTION test_refuse_task()`,
      );
      const warnings: string[] = [];
      try {
        const repos = services.repositories;
        const sweeper = new DeadlineSweepService({
          tasks: repos.tasks,
          transactions: repos.transactions,
          transitions: services.transitions,
          log: { warn: (message) => warnings.push(message) },
        });
        expect(await sweeper.sweep(Scope.province(plan.province.code), AFTER_DUE, 2)).toBe(2);
      } finally {
        await ds.query('DROP TRIGGER test_refuse_task ON tasks');
      }
      const states = await Promise.all(plan.taskIds.map(async (id) => (await taskRow(ds, id)).state));
      expect(states).toEqual(['OVERDUE', 'ASSIGNED', 'OVERDUE']);
      expect(warnings.join('\n')).toContain(bad);
      // the next sweep picks it up once the database takes it again
      expect(await services.sweeper.sweep(Scope.province(plan.province.code), AFTER_DUE)).toBe(1);
    });

    it('does refuse runDeadlineSweep with an asOf in the future, and allows now, skew and the past', async () => {
      const plan = await seedPlan(ds, uniqueProvince('int-abuse-asof'), [{}]);
      clock.set(new Date('2030-06-01T00:00:00Z'));
      const admin = userActor(plan, 'committee', ['ADMIN'], 'asof-admin');
      const deadlines = new DeadlinesService(services.sweeper, clock, services.accessDenials);
      const error = await expectDomainError(deadlines.runSweep(admin, AFTER_DUE), 'BAD_USER_INPUT');
      expect(error.message).toContain('asOf');
      expect(error.details).toMatchObject({ field: 'asOf' });
      await expectDomainError(deadlines.runSweep(admin, new Date(clock.now().getTime() + 2 * MINUTE)), 'BAD_USER_INPUT');
      expect((await taskRow(ds, plan.taskIds[0])).state).toBe('ASSIGNED');
      expect(await deadlines.runSweep(admin, new Date(clock.now().getTime() + 30_000))).toBe(0);
      expect(await deadlines.runSweep(admin, new Date('2030-05-01T00:00:00Z'))).toBe(0);
      expect(await deadlines.runSweep(NATIONAL_ADMIN, null)).toBeGreaterThanOrEqual(0);
    });
  });

  describe('idempotency keys', () => {
    it('does treat the same key from another actor as a new request', async () => {
      const taskId = await freshTask();
      const first = await services.transitions.transition(actors.coordinator, {
        taskId,
        event: 'CONTRIBUTE',
        comment: 'a',
        idempotencyKey: 'k',
      });
      const colleague = userActor(seeded, 'ict', ['OFFICER'], 'ict-officer-2');
      const second = await services.transitions.transition(colleague, { taskId, event: 'CONTRIBUTE', comment: 'b', idempotencyKey: 'k' });
      const retry = await services.transitions.transition(actors.coordinator, {
        taskId,
        event: 'CONTRIBUTE',
        comment: 'a',
        idempotencyKey: 'k',
      });
      expect([first.version, second.version, retry.version]).toEqual([1, 2, 1]);
      expect((await eventRows(ds, taskId)).map((e) => [e.actor, e.idempotencyKey])).toEqual([
        ['ict-officer', 'k'],
        ['ict-officer-2', 'k'],
      ]);
    });
  });

  describe('extensions', () => {
    it('does refuse a LEADER deciding the extension they requested (four eyes), and lets another LEADER decide', async () => {
      const taskId = await freshTask({ leadAgencyCode: 'uy-ban-nhan-dan-tinh', coordinatingAgencyCodes: [] });
      const requester = userActor(seeded, 'committee', ['LEADER'], 'leader-1');
      const other = userActor(seeded, 'committee', ['LEADER'], 'leader-2');
      const newDueAt = new Date('2031-06-30T16:59:59.999Z');
      await services.transitions.transition(requester, { taskId, event: 'REQUEST_EXTENSION', comment: 'Cần thêm thời gian', newDueAt });
      const before = await footprint(ds, seeded.province.code, taskId);
      const comment = 'Công văn 12/UBND-TH ngày 02/7/2030';
      for (const event of ['APPROVE_EXTENSION', 'DENY_EXTENSION'] as const) {
        const error = await expectDomainError(
          services.transitions.transition(requester, { taskId, event, comment, newDueAt }),
          'FORBIDDEN',
        );
        expect(error.details).toMatchObject({ rule: 'four-eyes-own-extension' });
      }
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
      const approved = await services.transitions.transition(other, { taskId, event: 'APPROVE_EXTENSION', comment, newDueAt });
      expect(approved.dueAt).toEqual(newDueAt);
    });
  });

  describe('access denials', () => {
    it('does record a refused transition with who, what and which rule, outside the refused transaction', async () => {
      const taskId = await freshTask();
      const before = await footprint(ds, seeded.province.code, taskId);
      await expectDomainError(services.transitions.transition(actors.outsider, { taskId, event: 'START' }), 'FORBIDDEN');
      expect(await footprint(ds, seeded.province.code, taskId)).toEqual(before);
      const auditor = userActor(seeded, 'committee', ['AUDITOR'], 'province-auditor');
      const page = await services.accessDenials.list(auditor, { first: 100 });
      const denial = page.denials.find((d) => d.taskId === taskId);
      expect(denial).toMatchObject({
        provinceCode: seeded.province.code,
        actorSub: 'tax-officer',
        actorProvince: seeded.province.code,
        actorAgency: 'cuc-thue-tinh',
        roles: ['OFFICER'],
        operation: 'START',
        rule: 'no-rule-allows',
      });
      expect(denial!.message).toContain('no-rule-allows');
    });

    it('does record a refused ADMIN operation, and shows it to no other province', async () => {
      const deadlines = new DeadlinesService(services.sweeper, clock, services.accessDenials);
      await expectDomainError(deadlines.runSweep(actors.lead, null), 'FORBIDDEN');
      const auditor = userActor(seeded, 'committee', ['AUDITOR'], 'province-auditor');
      const mine = await services.accessDenials.list(auditor, { first: 100 });
      expect(mine.denials.find((d) => d.operation === 'run-deadline-sweep' && d.actorSub === 'lead-officer')).toMatchObject({
        rule: 'sweep-needs-admin',
        taskId: null,
      });
      const otherPlan = await seedPlan(ds, uniqueProvince('int-abuse-other'), []);
      const otherAuditor = userActor(otherPlan, 'committee', ['AUDITOR'], 'other-auditor');
      const theirs = await services.accessDenials.list(otherAuditor, { first: 100 });
      expect(theirs.denials.filter((d) => d.provinceCode === seeded.province.code)).toEqual([]);
      await expectDomainError(services.accessDenials.list(otherAuditor, { provinceCode: seeded.province.code }), 'FORBIDDEN');
      await expectDomainError(services.accessDenials.list(actors.lead, {}), 'FORBIDDEN');
    });
  });
});
