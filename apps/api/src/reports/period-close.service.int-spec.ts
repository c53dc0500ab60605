import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { createServices, type Services } from '../services';
import {
  cast,
  expectDomainError,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  TestClock,
  userActor,
} from '../test-support/int-helpers';
import { seedScriptedPlan, type ScriptedPlan } from '../test-support/scripted-plan';
import { PeriodCloseService } from './period-close.service';
import { periodGenesisHash, periodHash, sealFigures } from './period-seal';
import type { ReportRequest } from './report-export.service';

const AFTER_THE_YEAR = '2031-01-15T02:00:00Z';
const H1_CUTOFF = '2030-06-14T16:59:59.999Z';

describe(PeriodCloseService.name, () => {
  let ds: DataSource;
  let clock: TestClock;
  let services: Services;

  beforeAll(async () => {
    ds = await openDataSource();
  });

  afterAll(async () => ds?.destroy());

  beforeEach(() => {
    clock = new TestClock(AFTER_THE_YEAR);
    services = createServices({ dataSource: ds, clock });
  });

  const exportOf = (plan: ScriptedPlan, request: Partial<ReportRequest>) =>
    services.reportExport.export(NATIONAL_AUDITOR, { planId: plan.planId, period: 'H1', format: 'md', ...request });

  const startLaterTask = (plan: ScriptedPlan) =>
    services.transitions.transition(userActor(plan, 'tax', ['OFFICER']), { taskId: plan.byOrdinal.get('II.5')!, event: 'START' });

  // Edits a sealed row as its owner would: the append-only trigger switched off for the statement.
  async function editSealed(plan: ScriptedPlan, period: string, set: string, values: unknown[] = []): Promise<void> {
    await ds.transaction(async (manager) => {
      await manager.query('ALTER TABLE period_closes DISABLE TRIGGER period_closes_append_only');
      await manager.query(`UPDATE period_closes SET ${set} WHERE plan_id = $1 AND period = $2`, [plan.planId, period, ...values]);
      await manager.query('ALTER TABLE period_closes ENABLE TRIGGER period_closes_append_only');
    });
  }

  describe('a closed half year', () => {
    let plan: ScriptedPlan;

    beforeAll(async () => {
      plan = await seedScriptedPlan(ds, 'int-close');
    });

    it('does seal the figures as of 14 June (Vietnam) in a hash over the genesis value and their canonical JSON', async () => {
      const close = await services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030-H1');
      expect(close).toMatchObject({ planId: plan.planId, period: '2030-H1', seq: 1, closedBy: 'monitoring-supervisor' });
      expect(close.cutoff).toEqual(new Date(H1_CUTOFF));
      expect(close.closedAt).toEqual(new Date(AFTER_THE_YEAR));
      const scope = { provinceCode: plan.province.code } as never;
      const scorecards = services.repositories.scorecards;
      const cutoff = new Date(H1_CUTOFF);
      const expected = sealFigures(
        plan.planId,
        '2030-H1',
        cutoff,
        await scorecards.scores(scope, plan.planId, cutoff),
        await scorecards.tasksAsOf(scope, plan.planId, cutoff),
      );
      expect(close.figures).toEqual({ ...expected, closedAt: AFTER_THE_YEAR.replace('Z', '.000Z'), closedBy: 'monitoring-supervisor' });
      expect(close.prevHash).toBe(periodGenesisHash(plan.planId));
      expect(close.hash).toBe(periodHash(close.prevHash, close.figures));
      expect(close.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('does give a byte-identical report (XLSX and MD) before and after later events, stamped with the seal', async () => {
      const both = () => Promise.all(['md', 'xlsx'].map((format) => exportOf(plan, { format })));
      const before = await both();
      clock.advance(60_000);
      await startLaterTask(plan);
      const after = await both();
      expect(after.map((file, i) => file.content.equals(before[i].content))).toEqual([true, true]);
      expect(after[0].asOf).toEqual(new Date(H1_CUTOFF));
      expect(after[0].content.toString('utf8')).toMatch(
        /Số liệu đã chốt ngày 09:00 ngày 15\/01\/2031 \(giờ Việt Nam\); mã kiểm chứng \(SHA-256\): [0-9a-f]{64}/,
      );
    });

    it('does list the events after the cut-off as amendments, in a sheet of their own, when asked', async () => {
      const plain = await exportOf(plan, { format: 'xlsx' });
      const amended = await exportOf(plan, { format: 'xlsx', amendments: true });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(amended.content as unknown as ExcelJS.Buffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
        'Phụ lục',
        'Theo cơ quan chủ trì',
        'Theo nhóm nhiệm vụ',
        'Điều chỉnh sau kỳ',
      ]);
      const sheet = workbook.getWorksheet('Điều chỉnh sau kỳ')!;
      const values = sheet.getSheetValues().flat().map(String).join('|');
      expect(values).toContain('START'); // the later II.5 START
      expect(values).toContain('REJECT'); // I.3's verdict of 22 June, after the cut-off
      const sealedSheet = (file: typeof plain) => {
        const book = new ExcelJS.Workbook();
        return book.xlsx
          .load(file.content as unknown as ExcelJS.Buffer)
          .then(() => JSON.stringify(book.getWorksheet('Phụ lục')!.getSheetValues()));
      };
      expect(await sealedSheet(amended)).toBe(await sealedSheet(plain));
      const markdown = (await exportOf(plan, { amendments: true })).content.toString('utf8');
      expect(markdown).toContain('## Điều chỉnh sau thời điểm chốt số liệu (không thay đổi số liệu đã chốt)');
    });

    it('does refuse to close the period again with CONFLICT', async () => {
      const error = await expectDomainError(services.periodCloses.close(cast(plan).leader, plan.planId, '2030-H1'), 'CONFLICT');
      expect(error.message).toContain('2030-H1 is closed already');
    });

    it('does chain a second close from the first, and verifyAuditTrail checks both', async () => {
      const first = (await services.periodCloses.list(NATIONAL_AUDITOR, plan.planId))[0];
      const year = await services.periodCloses.close(cast(plan).leader, plan.planId, '2030');
      expect({ seq: year.seq, prevHash: year.prevHash }).toEqual({ seq: 2, prevHash: first.hash });
      expect(year.cutoff).toEqual(new Date('2030-12-14T16:59:59.999Z'));
      const verdict = await services.audit.verifyPlan(NATIONAL_AUDITOR, plan.planId);
      expect(verdict).toMatchObject({ ok: true, periodsChecked: 2, brokenPeriods: [] });
    });

    it('does refuse UPDATE and DELETE of a sealed row (append-only trigger)', async () => {
      await expect(ds.query(`UPDATE period_closes SET hash = 'x' WHERE plan_id = $1`, [plan.planId])).rejects.toThrow(/append-only/);
      await expect(ds.query(`DELETE FROM period_closes WHERE plan_id = $1`, [plan.planId])).rejects.toThrow(/append-only/);
    });
  });

  describe('verifyAuditTrail', () => {
    it('does fail, naming the period, when the sealed figures are edited in SQL', async () => {
      const plan = await seedScriptedPlan(ds, 'int-close-edit');
      await services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030-H1');
      expect((await services.audit.verifyPlan(NATIONAL_AUDITOR, plan.planId)).ok).toBe(true);
      await editSealed(plan, '2030-H1', `figures = jsonb_set(figures, '{scores,total,verifiedOnTime}', '99')`);
      const verdict = await services.audit.verifyPlan(NATIONAL_AUDITOR, plan.planId);
      expect(verdict).toMatchObject({ ok: false, periodsChecked: 1, brokenTaskCount: 0 });
      expect(verdict.brokenPeriods).toEqual([expect.objectContaining({ period: '2030-H1', problem: 'CHAIN_BROKEN' })]);
      expect(verdict.brokenPeriods[0].detail).toContain('Period 2030-H1');
    });

    it('does fail, naming the period, when the close time is edited in SQL', async () => {
      const plan = await seedScriptedPlan(ds, 'int-close-time');
      await services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030-H1');
      await editSealed(plan, '2030-H1', `closed_at = closed_at - interval '30 days'`);
      const verdict = await services.audit.verifyPlan(NATIONAL_AUDITOR, plan.planId);
      expect(verdict.brokenPeriods).toEqual([expect.objectContaining({ period: '2030-H1', problem: 'CHAIN_BROKEN' })]);
      expect(verdict.brokenPeriods[0].detail).toContain('close time');
    });

    it('does fail with FIGURES_DIFFER when the figures are edited and re-hashed', async () => {
      const plan = await seedScriptedPlan(ds, 'int-close-rehash');
      const close = await services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030-H1');
      const figures = JSON.parse(JSON.stringify(close.figures));
      figures.scores.total.overdue = 0;
      await editSealed(plan, '2030-H1', 'figures = $3::jsonb, hash = $4', [JSON.stringify(figures), periodHash(close.prevHash, figures)]);
      const verdict = await services.audit.verifyPlan(NATIONAL_AUDITOR, plan.planId);
      expect(verdict.ok).toBe(false);
      expect(verdict.brokenPeriods).toEqual([expect.objectContaining({ period: '2030-H1', problem: 'FIGURES_DIFFER' })]);
    });
  });

  describe('who may close', () => {
    let plan: ScriptedPlan;

    beforeAll(async () => {
      plan = await seedScriptedPlan(ds, 'int-close-who', { until: '2030-03-01' });
    });

    it.each<[string, (p: ScriptedPlan) => Actor]>([
      ['an OFFICER of the lead agency', (p) => cast(p).lead],
      ['a SUPERVISOR of another agency', (p) => userActor(p, 'justice', ['SUPERVISOR'], 'justice-supervisor')],
      ['an OFFICER of the monitoring agency', (p) => userActor(p, 'monitoring', ['OFFICER'], 'monitoring-officer')],
      ['a national ADMIN', () => NATIONAL_ADMIN],
    ])('does refuse %s with FORBIDDEN naming the rule, recorded as an access denial', async (_who, actorOf) => {
      const actor = actorOf(plan);
      const error = await expectDomainError(services.periodCloses.close(actor, plan.planId, '2030-Q1'), 'FORBIDDEN');
      expect(error.message).toMatch(/period-close-needs-monitoring-supervisor|other-province/);
      const [row] = await ds.query(
        `SELECT rule, operation, target FROM access_denials WHERE province_code = $1 AND actor_sub = $2 ORDER BY at DESC LIMIT 1`,
        [plan.province.code, actor.userId],
      );
      expect(row).toMatchObject({ operation: 'close-period', rule: error.details.rule, target: expect.stringContaining('2030-Q1') });
    });

    it('does refuse an AUDITOR by auditor-changes-nothing', async () => {
      const error = await expectDomainError(services.periodCloses.close(cast(plan).auditor, plan.planId, '2030-Q1'), 'FORBIDDEN');
      expect(error.details.rule).toBe('auditor-changes-nothing');
      const provincial = { ...userActor(plan, 'monitoring', ['SUPERVISOR', 'AUDITOR'], 'dual') };
      const again = await expectDomainError(services.periodCloses.close(provincial, plan.planId, '2030-Q1'), 'FORBIDDEN');
      expect(again.details.rule).toBe('auditor-changes-nothing');
    });

    it('does answer NOT_FOUND to another province and for an unknown plan', async () => {
      const other = await seedScriptedPlan(ds, 'int-close-other', { until: '2030-01-01' });
      await expectDomainError(services.periodCloses.close(cast(other).supervisor, plan.planId, '2030-Q1'), 'NOT_FOUND');
      await expectDomainError(
        services.periodCloses.close(cast(plan).supervisor, '00000000-0000-4000-8000-000000000000', '2030-Q1'),
        'NOT_FOUND',
      );
    });

    it.each(['H1', '2030-H2', '2030-Q5', '30-Q1', '2030-YEAR', ''])('does refuse the period "%s" with BAD_USER_INPUT', async (period) => {
      const error = await expectDomainError(services.periodCloses.close(cast(plan).supervisor, plan.planId, period), 'BAD_USER_INPUT');
      expect(error.details.field).toBe('period');
    });

    it('does refuse a period whose cut-off is still to come', async () => {
      clock.set('2030-03-14T16:00:00Z'); // 23:00 on 14 March in Vietnam: the Q1 cut-off is the end of that day
      const error = await expectDomainError(services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030-Q1'), 'BAD_USER_INPUT');
      expect(error.message).toContain('2030-03-14T16:59:59.999Z');
      await expectDomainError(services.periodCloses.close(cast(plan).supervisor, plan.planId, '2031'), 'BAD_USER_INPUT');
    });

    it("does close a quarter at the Decree's 14 March for the monitoring SUPERVISOR", async () => {
      const close = await services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030-Q1');
      expect(close.cutoff).toEqual(new Date('2030-03-14T16:59:59.999Z'));
    });
  });

  describe("a plan's own cut-off", () => {
    it('does close the period at the cut-off the plan sets, and the report uses it', async () => {
      const plan = await seedScriptedPlan(ds, 'int-close-own');
      await services.planSettings.update(NATIONAL_ADMIN, {
        planId: plan.planId,
        periodCutoffs: [{ period: 'H1', cutoffMonthDay: '06-30' }],
      });
      const close = await services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030-H1');
      expect(close.cutoff).toEqual(new Date('2030-06-30T16:59:59.999Z'));
      const file = await exportOf(plan, {});
      expect(file.asOf).toEqual(close.cutoff);
      expect(file.content.toString('utf8')).toContain(
        'Số liệu từ ngày 15/12/2029 đến ngày 30/06/2030 (thời điểm chốt số liệu của kế hoạch); tính đến 23:59 ngày 30/06/2030',
      );
      // I.3's report of 20 June counts now, it did not at 14 June
      expect((close.figures as { tasks: { ordinal: string; report: unknown }[] }).tasks.some((t) => t.report !== null)).toBe(true);
      const year = await services.periodCloses.close(cast(plan).supervisor, plan.planId, '2030');
      expect(year.cutoff).toEqual(new Date('2030-12-14T16:59:59.999Z'));
    });

    it.each([
      [[{ period: 'H2', cutoffMonthDay: '06-30' }], 'periodCutoffs[0].period'],
      [[{ period: 'H1', cutoffMonthDay: '02-30' }], 'periodCutoffs[0].cutoffMonthDay'],
      [
        [
          { period: 'Q1', cutoffMonthDay: '03-20' },
          { period: 'Q1', cutoffMonthDay: '03-21' },
        ],
        'periodCutoffs[1].period',
      ],
    ])('does refuse %j with BAD_USER_INPUT naming %s', async (periodCutoffs, field) => {
      const plan = await seedScriptedPlan(ds, 'int-close-bad', { until: '2030-01-01' });
      const error = await expectDomainError(
        services.planSettings.update(NATIONAL_ADMIN, { planId: plan.planId, periodCutoffs }),
        'BAD_USER_INPUT',
      );
      expect(error.details.field).toBe(field);
      expect(error.message).toContain(field);
    });
  });
});
