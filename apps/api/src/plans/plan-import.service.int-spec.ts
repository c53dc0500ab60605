import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import {
  REAL_PLANS,
  inventedPlan,
  inventedProvince,
  planDocx,
  planText,
  planXlsx,
  randomBase64,
  realPlanText,
  type InventedPlan,
} from '../../../../test/support/document-fixtures';
import type { Actor } from '../auth/actor';
import { DomainError } from '../common/domain-error';
import {
  agencyIds,
  DAY,
  expectDomainError,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  TestClock,
  userActor,
} from '../test-support/int-helpers';
import { PlanImportService, type ImportCommand, type ImportOutcome } from './plan-import.service';
import { createServices } from '../services';
import { systemClock } from '../common/clock';

// PlanImportService on a real PostgreSQL: documents (text, DOCX, XLSX) become plans, tasks and
// registry entries in one transaction; dry runs, re-imports, conflicts and every refusal write
// nothing. Real plans are only dry-run here (test/plan-import.e2e-spec.ts imports them for real).

const PROVINCE_ADMIN = (provinceCode: string): Actor => ({
  kind: 'user',
  userId: `admin-${provinceCode}`,
  provinceCode,
  agencyCode: 'so-noi-vu',
  agencyId: null,
  roles: ['ADMIN'],
});

interface TaskRowView {
  section: string | null;
  ordinal: string;
  lead: string;
  coordinating: string[];
  timeframe: string;
  due_at: string | null;
  parent_ordinal: string | null;
  state: string;
}

describe(PlanImportService.name, () => {
  let ds: DataSource;
  let importer: PlanImportService;

  beforeAll(async () => {
    ds = await openDataSource();
    importer = createServices({ dataSource: ds, clock: systemClock }).planImport;
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  async function counts() {
    const [row] = await ds.query(`SELECT
      (SELECT count(*)::int FROM provinces) AS provinces, (SELECT count(*)::int FROM agencies) AS agencies,
      (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM sections) AS sections,
      (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(*)::int FROM task_coordinators) AS coordinators,
      (SELECT count(*)::int FROM task_events) AS events`);
    return row as Record<string, number>;
  }

  // The tasks of a plan as rows: section numeral, ordinal, lead and coordinating codes, due time.
  async function taskRows(planId: string): Promise<TaskRowView[]> {
    const rows: TaskRowView[] = await ds.query(
      `SELECT s.ordinal AS section, t.ordinal, a.code AS lead, t.timeframe, to_json(t.due_at) #>> '{}' AS due_at, p.ordinal AS parent_ordinal, t.state,
              coalesce((SELECT array_agg(ca.code ORDER BY ca.code) FROM task_coordinators c JOIN agencies ca ON ca.id = c.agency_id AND ca.province_code = c.province_code
                        WHERE c.task_id = t.id), '{}') AS coordinating
         FROM tasks t
         JOIN agencies a ON a.id = t.lead_agency_id AND a.province_code = t.province_code
         LEFT JOIN sections s ON s.id = t.section_id AND s.province_code = t.province_code
         LEFT JOIN tasks p ON p.id = t.parent_id AND p.province_code = t.province_code
        WHERE t.plan_id = $1 ORDER BY t.sort_key`,
      [planId],
    );
    return rows.map((row) => ({ ...row, due_at: row.due_at === null ? null : new Date(row.due_at).toISOString() }));
  }

  // A refusal with this code that leaves every table as it was.
  async function expectRefused(
    actor: Actor,
    command: ImportCommand,
    code: Parameters<typeof expectDomainError>[1],
    message?: RegExp,
  ): Promise<DomainError> {
    const before = await counts();
    const error = await expectDomainError(importer.import(actor, command), code);
    if (message) expect(error.message).toMatch(message);
    expect(await counts()).toEqual(before);
    return error;
  }

  const text = (plan: InventedPlan): ImportCommand => ({ format: 'PLAN_TEXT', content: planText(plan) });

  const EXPECTED_ROWS = (plan: InventedPlan): Omit<TaskRowView, 'state'>[] => [
    {
      section: 'I',
      ordinal: '1',
      lead: 'so-tu-phap',
      coordinating: ['so-noi-vu', 'so-tai-chinh'],
      timeframe: `Quý II năm ${plan.year}`,
      due_at: `${plan.year}-06-30T16:59:59.999Z`,
      parent_ordinal: null,
    },
    {
      section: 'I',
      ordinal: '2',
      lead: 'so-thong-tin-va-truyen-thong',
      coordinating: ['van-phong-ubnd-tinh'],
      timeframe: 'Thường xuyên',
      due_at: `${plan.year}-06-15T16:59:59.999Z`,
      parent_ordinal: null,
    },
    {
      section: 'I',
      ordinal: '3',
      lead: 'so-cong-thuong',
      coordinating: ['cuc-thue-tinh'],
      timeframe: `Năm ${plan.year}`,
      due_at: `${plan.year}-12-31T16:59:59.999Z`,
      parent_ordinal: null,
    },
    {
      section: 'I',
      ordinal: '3.1',
      lead: 'so-cong-thuong',
      coordinating: ['cuc-thue-tinh'],
      timeframe: `Năm ${plan.year}`,
      due_at: `${plan.year}-12-31T16:59:59.999Z`,
      parent_ordinal: '3',
    },
    {
      section: 'I',
      ordinal: '3.2',
      lead: 'so-xay-dung',
      coordinating: ['cuc-thue-tinh'],
      timeframe: `Năm ${plan.year}`,
      due_at: `${plan.year}-12-31T16:59:59.999Z`,
      parent_ordinal: '3',
    },
  ];
  const withoutState = (rows: TaskRowView[]) => rows.map(({ state: _state, ...rest }) => rest);

  describe('plan text', () => {
    it('does write the plan, its province, registry, section and tasks (a parent and one child per lead) when an ADMIN imports it', async () => {
      const plan = inventedPlan();
      const before = await counts();
      const outcome = await importer.import(NATIONAL_ADMIN, text(plan));
      expect({
        status: outcome.status,
        tasksCreated: outcome.tasksCreated,
        warnings: outcome.warnings,
        provinceCode: outcome.provinceCode,
      }).toEqual({
        status: 'CREATED',
        tasksCreated: 5,
        warnings: [],
        provinceCode: plan.province.code,
      });
      expect(outcome.plan).toMatchObject({
        provinceCode: plan.province.code,
        number: plan.number,
        issuedOn: plan.issuedOn,
        year: plan.year,
        resolution: '02/NQ-CP',
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '06-15' },
          { period: 'YEAR', dueMonthDay: '12-15' },
        ],
        consolidationDeadlines: [
          { period: 'H1', dueMonthDay: '06-20' },
          { period: 'YEAR', dueMonthDay: '12-20' },
        ],
      });
      expect(outcome.plan!.sourceHash).toMatch(/^[0-9a-f]{64}$/u);
      expect(withoutState(await taskRows(outcome.plan!.id))).toEqual(EXPECTED_ROWS(plan));
      const [province] = await ds.query('SELECT name FROM provinces WHERE code = $1', [plan.province.code]);
      expect(province.name).toBe(plan.province.name); // read from the document
      const agencies: { code: string }[] = await ds.query('SELECT code FROM agencies WHERE province_code = $1 ORDER BY code', [
        plan.province.code,
      ]);
      expect(agencies.map((a) => a.code)).toEqual([
        'cuc-thue-tinh',
        'so-cong-thuong',
        'so-ke-hoach-va-dau-tu',
        'so-noi-vu',
        'so-tai-chinh',
        'so-thong-tin-va-truyen-thong',
        'so-tu-phap',
        'so-xay-dung',
        'uy-ban-nhan-dan-tinh',
        'van-phong-ubnd-tinh',
      ]);
      const [monitoring] = await ds.query('SELECT a.code FROM plans p JOIN agencies a ON a.id = p.monitoring_agency_id WHERE p.id = $1', [
        outcome.plan!.id,
      ]);
      expect(monitoring.code).toBe('so-ke-hoach-va-dau-tu');
      expect(await counts()).toEqual({
        ...before,
        provinces: before.provinces + 1,
        agencies: before.agencies + 10,
        plans: before.plans + 1,
        sections: before.sections + 1,
        tasks: before.tasks + 5,
        coordinators: before.coordinators + 6,
      });
    });

    it('does store monthly deadlines read from "trước ngày 5 của tháng sau" and schedule a recurring task monthly, December\'s report in January', async () => {
      const plan = inventedPlan();
      const monthly = planText(plan).replace(
        'thực hiện chế độ báo cáo định kỳ, trước ngày 15 tháng 6 và 15 tháng 12 hằng năm gửi Sở Kế hoạch và Đầu tư.',
        'báo cáo kết quả thực hiện hằng tháng, trước ngày 5 của tháng sau gửi Sở Kế hoạch và Đầu tư.',
      );
      expect(monthly).toContain('trước ngày 5 của tháng sau');
      const outcome = await importer.import(NATIONAL_ADMIN, { format: 'PLAN_TEXT', content: monthly });
      expect(outcome.plan!.reportingDeadlines).toHaveLength(12);
      expect(outcome.plan!.reportingDeadlines.slice(-2)).toEqual([
        { period: 'M11', dueMonthDay: '12-05' },
        { period: 'M12', dueMonthDay: '01-05' },
      ]);
      const [row] = await ds.query(`SELECT input FROM tasks WHERE plan_id = $1 AND ordinal = '2'`, [outcome.plan!.id]);
      expect(row.input.periodDueDates).toHaveLength(12);
      expect(row.input.periodDueDates[0]).toBe('2030-02-05T16:59:59.999Z');
      expect(row.input.periodDueDates[11]).toBe('2031-01-05T16:59:59.999Z');
    });

    it('does store each recurring period so an imported recurring task runs period by period through the lifecycle', async () => {
      const plan = inventedPlan();
      const outcome = await importer.import(NATIONAL_ADMIN, text(plan));
      const [row] = await ds.query(`SELECT id, input, due_at FROM tasks WHERE plan_id = $1 AND ordinal = '2'`, [outcome.plan!.id]);
      expect(row.input).toEqual({
        dueAt: '2030-06-15T16:59:59.999Z',
        periodDueDates: ['2030-06-15T16:59:59.999Z', '2030-12-15T16:59:59.999Z'],
      });

      const clock = new TestClock('2030-03-01T02:00:00.000Z');
      const transitions = createServices({ dataSource: ds, clock: clock }).transitions;
      const seeded = { province: plan.province, agencies: await agencyIds(ds, plan.province.code) };
      const lead = userActor(seeded, 'ict', ['OFFICER'], 'ict-officer');
      const supervisor = userActor(seeded, 'monitoring', ['SUPERVISOR'], 'planning-supervisor');
      const fire = (actor: Actor, event: 'START' | 'SUBMIT_REPORT' | 'VERIFY') => {
        clock.advance(DAY);
        return transitions.transition(actor, {
          taskId: row.id,
          event,
          ...(event === 'SUBMIT_REPORT' ? { report: { summary: 'Báo cáo kỳ' } } : {}),
        });
      };
      await fire(lead, 'START');
      await fire(lead, 'SUBMIT_REPORT');
      const firstPeriod = await fire(supervisor, 'VERIFY');
      expect({ state: firstPeriod.state, dueAt: firstPeriod.dueAt?.toISOString(), late: firstPeriod.late }).toEqual({
        state: 'IN_PROGRESS',
        dueAt: '2030-12-15T16:59:59.999Z',
        late: false,
      });
      await fire(lead, 'SUBMIT_REPORT');
      const done = await fire(supervisor, 'VERIFY');
      expect({ state: done.state, late: done.late }).toEqual({ state: 'VERIFIED', late: false });
    });

    it('does keep raw spellings as aliases and find the same agency again when a later plan of the province uses the alias', async () => {
      const plan = inventedPlan({
        rows: [
          { section: 'I', title: 'Nhóm một' },
          { ordinal: '1', title: 'Việc có bí danh', lead: ['Sở TT&TT'], coordinating: ['Sở KH&ĐT'], timeframe: 'Năm 2030' },
        ],
      });
      const first = await importer.import(NATIONAL_ADMIN, text(plan));
      const aliases: { code: string; name: string; aliases: string[] }[] = await ds.query(
        `SELECT code, name, aliases FROM agencies WHERE province_code = $1 AND code IN ('so-thong-tin-va-truyen-thong', 'so-ke-hoach-va-dau-tu') ORDER BY code`,
        [plan.province.code],
      );
      expect(aliases).toEqual([
        { code: 'so-ke-hoach-va-dau-tu', name: 'Sở Kế hoạch và Đầu tư', aliases: ['Sở KH&ĐT'] },
        { code: 'so-thong-tin-va-truyen-thong', name: 'Sở Thông tin và Truyền thông', aliases: ['Sở TT&TT'] },
      ]);
      expect(withoutState(await taskRows(first.plan!.id))).toEqual([
        {
          section: 'I',
          ordinal: '1',
          lead: 'so-thong-tin-va-truyen-thong',
          coordinating: ['so-ke-hoach-va-dau-tu'],
          timeframe: 'Năm 2030',
          due_at: '2030-12-31T16:59:59.999Z',
          parent_ordinal: null,
        },
      ]);
      const before = await counts();
      const second = await importer.import(NATIONAL_ADMIN, text({ ...plan, number: `7${plan.number}` }));
      expect(second.status).toBe('CREATED');
      expect((await counts()).agencies).toBe(before.agencies); // no new registry entry
    });
  });

  describe('DOCX and XLSX', () => {
    it('does read a generated DOCX table, a cell with two paragraphs giving two coordinating agencies, into the same tasks as its text', async () => {
      const plan = inventedPlan();
      const content = (await planDocx(plan)).toString('base64');
      const outcome = await importer.import(NATIONAL_ADMIN, { format: 'DOCX', content, provinceCode: plan.province.code });
      expect({
        status: outcome.status,
        warnings: outcome.warnings,
        number: outcome.plan?.number,
        issuedOn: outcome.plan?.issuedOn,
      }).toEqual({
        status: 'CREATED',
        warnings: [],
        number: plan.number,
        issuedOn: plan.issuedOn,
      });
      expect(withoutState(await taskRows(outcome.plan!.id))).toEqual(EXPECTED_ROWS(plan));
    });

    it('does keep the rows under a section heading in that section when the DOCX section row is one merged cell spanning the table', async () => {
      const plan = inventedPlan();
      const content = (await planDocx(plan, { mergedSectionRows: true })).toString('base64');
      const outcome = await importer.import(NATIONAL_ADMIN, { format: 'DOCX', content, provinceCode: plan.province.code, dryRun: true });
      expect(outcome.draft.sections).toEqual([{ ordinal: 'I', title: 'Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính' }]);
      expect(outcome.draft.tasks.map((t) => [t.section, t.ordinal])).toEqual([
        ['I', '1'],
        ['I', '2'],
        ['I', '3'],
      ]);
    });

    it('does read the first sheet of a generated XLSX (title rows above the table, line breaks in cells) and ignore the other sheets', async () => {
      const plan = inventedPlan();
      const content = (await planXlsx(plan)).toString('base64');
      const outcome = await importer.import(NATIONAL_ADMIN, { format: 'XLSX', content, provinceCode: plan.province.code });
      expect({
        status: outcome.status,
        number: outcome.plan?.number,
        issuedOn: outcome.plan?.issuedOn,
        monitoring: outcome.plan?.monitoringAgencyId,
      }).toEqual({
        status: 'CREATED',
        number: plan.number,
        issuedOn: plan.issuedOn,
        monitoring: null,
      });
      const rows = withoutState(await taskRows(outcome.plan!.id));
      // no deadlines in a sheet: the recurring task is due at the end of the year, with a warning
      const expected = EXPECTED_ROWS(plan).map((row) => (row.ordinal === '2' ? { ...row, due_at: '2030-12-31T16:59:59.999Z' } : row));
      expect(rows).toEqual(expected);
      expect(outcome.warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^task I\.2 \(line \d+\): recurring task but the plan states no reporting deadlines/u),
        ]),
      );
      expect(rows.map((r) => r.lead)).not.toContain('so-y-te'); // the second sheet's row
    });

    it('does read the table and its section, making no task of a heading, when the XLSX title and section rows are merged across the table', async () => {
      const plan = inventedPlan();
      const content = (await planXlsx(plan, { mergedSectionRows: true })).toString('base64');
      const outcome = await importer.import(NATIONAL_ADMIN, { format: 'XLSX', content, provinceCode: plan.province.code, dryRun: true });
      expect({
        sections: outcome.draft.sections,
        tasks: outcome.draft.tasks.map((t) => [t.section, t.ordinal, t.leadAgencies.map((a) => a.name)]),
      }).toEqual({
        sections: [{ ordinal: 'I', title: 'Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính' }],
        tasks: [
          ['I', '1', ['Sở Tư pháp']],
          ['I', '2', ['Sở Thông tin và Truyền thông']],
          ['I', '3', ['Sở Công Thương', 'Sở Xây dựng']],
        ],
      });
      expect(outcome.warnings.filter((w) => /not in the registry/u.test(w))).toEqual([]);
    });

    it('does title the plan by the sheet\'s title row, not by "PHỤ LỤC" above it, when the XLSX has one', async () => {
      const plan = inventedPlan();
      const outcome = await importer.import(NATIONAL_ADMIN, {
        format: 'XLSX',
        content: (await planXlsx(plan)).toString('base64'),
        provinceCode: plan.province.code,
        dryRun: true,
      });
      expect(outcome.draft.title).toBe(`PHÂN CÔNG NHIỆM VỤ THỰC HIỆN KẾ HOẠCH NĂM ${plan.year}`);
      expect(outcome.warnings.filter((w) => /title not found/u.test(w))).toEqual([]);
    });

    it.each([
      ['the header row', [] as string[][]],
      ['a lone ordinal', [['I']]],
    ])('does warn "plan title not found" and not take a row for the title when an XLSX starts with %s', async (_what, above) => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Phụ lục');
      for (const cells of above) sheet.addRow(cells);
      sheet.addRow(['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện']);
      sheet.addRow(['1', 'Rà soát thủ tục cấp phép kinh doanh', 'Sở Tư pháp', 'Sở Nội vụ', 'Năm 2030']);
      const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
      const outcome = await importer.import(NATIONAL_ADMIN, {
        format: 'XLSX',
        content,
        provinceCode: inventedProvince().code,
        dryRun: true,
      });
      expect(outcome.warnings.filter((w) => /^plan title not found/u.test(w))).toHaveLength(1);
      expect(outcome.draft.title).toBe('Kế hoạch');
      expect(outcome.draft.tasks.map((t) => t.title)).toEqual(['Rà soát thủ tục cấp phép kinh doanh']);
    });

    it('does refuse an XLSX whose first sheet is empty with BAD_USER_INPUT, writing nothing', async () => {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('Trống');
      workbook.addWorksheet('Phụ lục').addRow(['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện']);
      const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
      await expectRefused(NATIONAL_ADMIN, { format: 'XLSX', content, provinceCode: inventedProvince().code }, 'BAD_USER_INPUT', /empty/u);
    });
  });

  describe('dry run', () => {
    it('does return the draft and warnings with status DRY_RUN and write nothing, for each format', async () => {
      const plan = inventedPlan();
      const commands: ImportCommand[] = [
        { ...text(plan), dryRun: true },
        { format: 'DOCX', content: (await planDocx(plan)).toString('base64'), dryRun: true },
        { format: 'XLSX', content: (await planXlsx(plan)).toString('base64'), provinceCode: plan.province.code, dryRun: true },
      ];
      const before = await counts();
      for (const command of commands) {
        const outcome = await importer.import(NATIONAL_ADMIN, command);
        expect({
          status: outcome.status,
          plan: outcome.plan,
          tasksCreated: outcome.tasksCreated,
          provinceCode: outcome.provinceCode,
        }).toEqual({
          status: 'DRY_RUN',
          plan: null,
          tasksCreated: 0,
          provinceCode: plan.province.code,
        });
        expect(
          outcome.draft.tasks.map((t) => [t.ordinal, t.leadAgencies.map((a) => a.code), t.coordinatingAgencies.map((a) => a.code)]),
        ).toEqual([
          ['1', ['so-tu-phap'], ['so-noi-vu', 'so-tai-chinh']],
          ['2', ['so-thong-tin-va-truyen-thong'], ['van-phong-ubnd-tinh']],
          ['3', ['so-cong-thuong', 'so-xay-dung'], ['cuc-thue-tinh']],
        ]);
      }
      expect(await counts()).toEqual(before);
    });

    it('does dry-run each real plan into its draft and warnings without writing anything', async () => {
      // into a province of this run: the e2e tier may already have imported the real plans into their own
      const before = await counts();
      const expected: [(typeof REAL_PLANS)[keyof typeof REAL_PLANS], string | null, string, number, number][] = [
        [REAL_PLANS.socTrang, '13/KH-UBND', 'soc-trang', 39, 1],
        [REAL_PLANS.kienGiang, '31/KH-UBND', 'kien-giang', 13, 2],
        [REAL_PLANS.langSon, null, 'lang-son', 56, 58],
      ];
      for (const [file, number, provinceCode, tasks, warnings] of expected) {
        const province = inventedProvince().code;
        const outcome = await importer.import(NATIONAL_ADMIN, {
          format: 'PLAN_TEXT',
          content: realPlanText(file),
          provinceCode: province,
          dryRun: true,
        });
        expect(outcome.provinceCode).toBe(province);
        expect([
          outcome.status,
          outcome.draft.number,
          outcome.draft.provinceCode,
          outcome.draft.tasks.length,
          outcome.warnings.length,
        ]).toEqual(['DRY_RUN', number, provinceCode, tasks, warnings]);
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('the same document again', () => {
    it('does answer ALREADY_IMPORTED with the first plan and a warning, writing nothing, when the same text is imported twice', async () => {
      const plan = inventedPlan();
      const first = await importer.import(NATIONAL_ADMIN, text(plan));
      const before = await counts();
      const again = await importer.import(PROVINCE_ADMIN(plan.province.code), text(plan));
      expect({ status: again.status, planId: again.plan?.id, tasksCreated: again.tasksCreated }).toEqual({
        status: 'ALREADY_IMPORTED',
        planId: first.plan!.id,
        tasksCreated: 0,
      });
      expect(again.warnings[0]).toMatch(
        new RegExp(`^This document was already imported as plan ${plan.number.replace('/', '\\/')} on .*; nothing was changed$`, 'u'),
      );
      const dry = await importer.import(NATIONAL_ADMIN, { ...text(plan), dryRun: true });
      expect({ status: dry.status, planId: dry.plan?.id }).toEqual({ status: 'ALREADY_IMPORTED', planId: first.plan!.id });
      expect(await counts()).toEqual(before);
    });

    it('does answer ALREADY_IMPORTED, not CONFLICT, when the same text comes back with CRLF line ends or a byte-order mark', async () => {
      // the parser reads these copies identically (it drops the BOM and CRLF), so they are the same document
      const plan = inventedPlan();
      const first = await importer.import(NATIONAL_ADMIN, text(plan));
      const before = await counts();
      const copies = [planText(plan).replace(/\n/g, '\r\n'), `\ufeff${planText(plan)}`];
      const answers = [];
      for (const content of copies) {
        try {
          const outcome = await importer.import(NATIONAL_ADMIN, { format: 'PLAN_TEXT', content });
          answers.push({ status: outcome.status, planId: outcome.plan?.id });
        } catch (error) {
          answers.push({ status: (error as DomainError).code, message: (error as Error).message });
        }
      }
      expect(answers).toEqual([
        { status: 'ALREADY_IMPORTED', planId: first.plan!.id },
        { status: 'ALREADY_IMPORTED', planId: first.plan!.id },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('does answer CONFLICT, writing nothing, when a different text has the same number and date in the same province', async () => {
      const plan = inventedPlan();
      await importer.import(NATIONAL_ADMIN, text(plan));
      const changed = text({ ...plan, variant: 'Câu bổ sung.' });
      const error = await expectRefused(NATIONAL_ADMIN, changed, 'CONFLICT', new RegExp(plan.number.replace('/', '\\/'), 'u'));
      expect(error.message).toMatch(/already exists with a different text/u);
      await expectRefused(NATIONAL_ADMIN, { ...changed, dryRun: true }, 'CONFLICT');
    });

    it('does create exactly one plan and answer the other requests ALREADY_IMPORTED or CONFLICT, never a database error, when the same document is imported several times at once', async () => {
      // three rounds of three simultaneous imports of one document, each round a province of its own
      for (let round = 0; round < 3; round += 1) {
        const plan = inventedPlan();
        const before = await counts();
        const settled = await Promise.allSettled([1, 2, 3].map(() => importer.import(NATIONAL_ADMIN, text(plan))));
        const outcomes = settled.map((s) =>
          s.status === 'fulfilled'
            ? (s.value as ImportOutcome).status
            : s.reason instanceof DomainError
              ? s.reason.code
              : `${(s.reason as Error).constructor.name}: ${(s.reason as Error).message}`,
        );
        expect(outcomes.filter((o) => o === 'CREATED')).toEqual(['CREATED']);
        expect(outcomes.filter((o) => o !== 'CREATED')).toEqual([
          expect.stringMatching(/^(ALREADY_IMPORTED|CONFLICT)$/u),
          expect.stringMatching(/^(ALREADY_IMPORTED|CONFLICT)$/u),
        ]);
        expect((await counts()).plans).toBe(before.plans + 1);
      }
    });
  });

  describe('refusals', () => {
    const plan = inventedPlan();
    const huge = (bytes: number) => 'x'.repeat(bytes);
    const cases: [string, () => Promise<ImportCommand>, RegExp][] = [
      ['empty content', async () => ({ format: 'PLAN_TEXT', content: '' }), /empty/u],
      ['blank content', async () => ({ format: 'PLAN_TEXT', content: '\n \n' }), /empty/u],
      ['random bytes as DOCX', async () => ({ format: 'DOCX', content: randomBase64() }), /^This is not a readable DOCX file/u],
      ['random bytes as XLSX', async () => ({ format: 'XLSX', content: randomBase64() }), /^This is not a readable XLSX file/u],
      [
        'an XLSX sent as DOCX',
        async () => ({ format: 'DOCX', content: (await planXlsx(plan)).toString('base64') }),
        /not a readable DOCX/u,
      ],
      ['content that is not base64', async () => ({ format: 'XLSX', content: 'UEsDBB$$$not-base64' }), /base64/u],
      ['base64 of nothing', async () => ({ format: 'DOCX', content: '====' }), /empty|base64/u],
      ['PLAN_TEXT with NUL bytes', async () => ({ format: 'PLAN_TEXT', content: `${planText(plan)}\u0000` }), /NUL/u],
      [
        'PLAN_TEXT of binary bytes',
        async () => ({ format: 'PLAN_TEXT', content: randomBytes(8192).toString('latin1').split('\u0000').join('\u0002') }),
        /not readable text|binary/u,
      ],
      ['PLAN_TEXT over 10 MB', async () => ({ format: 'PLAN_TEXT', content: huge(10 * 1024 * 1024 + 1) }), /larger than 10 MB/u],
      ['PLAN_TEXT over 2 MB', async () => ({ format: 'PLAN_TEXT', content: `${planText(plan)}${huge(2 * 1024 * 1024)}` }), /too large/u],
      ['a DOCX over 10 MB', async () => ({ format: 'DOCX', content: randomBase64(10 * 1024 * 1024 + 3) }), /larger than 10 MB/u],
      [
        'a text with no table and no prose tasks',
        async () => ({ format: 'PLAN_TEXT', content: 'KẾ HOẠCH\n\nVăn bản này không giao nhiệm vụ nào.\n' }),
        /^No tasks found/u,
      ],
      [
        'a table whose rows name no lead agency',
        async () => ({
          format: 'PLAN_TEXT',
          content: planText(
            inventedPlan({
              rows: [{ ordinal: '1', title: 'Việc không ai chủ trì', lead: [], coordinating: ['Sở Nội vụ'], timeframe: 'Năm 2030' }],
            }),
          ),
        }),
        /No task of the document could be imported/u,
      ],
      ['a malformed provinceCode', async () => ({ ...text(plan), provinceCode: 'Sóc Trăng' }), /provinceCode must be a slug/u],
      ['a provinceCode with a path', async () => ({ ...text(plan), provinceCode: '../soc-trang' }), /provinceCode must be a slug/u],
      ['an overlong provinceCode', async () => ({ ...text(plan), provinceCode: 'a'.repeat(61) }), /provinceCode must be a slug/u],
      ['an unknown format', async () => ({ format: 'PDF' as ImportCommand['format'], content: planText(plan) }), /format must be one of/u],
      [
        'a document naming no province, without provinceCode',
        async () => ({
          format: 'PLAN_TEXT',
          content:
            'STT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\tGhi chú\n1\tViệc một\tSở Tư pháp\tSở Nội vụ\tNăm 2030\t\n',
        }),
        /give provinceCode/u,
      ],
    ];

    it.each(cases)('does refuse %s with BAD_USER_INPUT and a clear message, writing nothing', async (_label, command, message) => {
      await expectRefused(NATIONAL_ADMIN, await command(), 'BAD_USER_INPUT', message);
    });

    it('does refuse every role but ADMIN with FORBIDDEN before reading the document, writing nothing', async () => {
      const province = inventedProvince();
      const actors: Actor[] = [
        NATIONAL_AUDITOR,
        { kind: 'user', userId: 'officer', provinceCode: province.code, agencyCode: 'so-tu-phap', agencyId: null, roles: ['OFFICER'] },
        {
          kind: 'user',
          userId: 'supervisor',
          provinceCode: province.code,
          agencyCode: 'so-ke-hoach-va-dau-tu',
          agencyId: null,
          roles: ['SUPERVISOR'],
        },
        {
          kind: 'user',
          userId: 'leader',
          provinceCode: province.code,
          agencyCode: 'uy-ban-nhan-dan-tinh',
          agencyId: null,
          roles: ['LEADER', 'AUDITOR'],
        },
      ];
      for (const actor of actors) {
        await expectRefused(actor, text(inventedPlan({ province })), 'FORBIDDEN', /ADMIN/u);
        await expectRefused(actor, { format: 'DOCX', content: 'not even base64 %%%' }, 'FORBIDDEN');
      }
    });

    it('does refuse an ADMIN of another province with FORBIDDEN, whether the province comes from provinceCode or the document', async () => {
      const plan = inventedPlan();
      const other = PROVINCE_ADMIN(inventedProvince().code);
      await expectRefused(other, text(plan), 'FORBIDDEN', new RegExp(plan.province.code, 'u'));
      await expectRefused(other, { ...text(plan), provinceCode: plan.province.code }, 'FORBIDDEN');
      await expectRefused(other, { ...text(plan), dryRun: true }, 'FORBIDDEN');
      await expectRefused(PROVINCE_ADMIN(plan.province.code), { ...text(plan), provinceCode: other.provinceCode }, 'FORBIDDEN');
      const own = await importer.import(PROVINCE_ADMIN(plan.province.code), text(plan));
      expect(own.status).toBe('CREATED');
    });
  });
});
