import { createHash, randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { gql, startApiServer, token, type ApiServer, type GqlResponse } from './support/api-server';
import {
  REAL_PLANS,
  inventedPlan,
  inventedProvince,
  planDocx,
  planText,
  planXlsx,
  randomBase64,
  realPlanText,
} from './support/document-fixtures';
import { expectError, fire, transition, withPg } from './support/e2e-helpers';

// importPlan over HTTP: the three real plans (read from ../shared/plans at test time) become plans
// whose tasks run through the lifecycle like any other; dry runs, re-imports, conflicts and bad
// input write nothing. This is the only test file that imports the real documents for real.

const IMPORT = `mutation Import($input: ImportPlanInput!) {
  importPlan(input: $input) {
    status tasksCreated warnings
    plan {
      id number title issuedOn province { code name } monitoringAgency { code name }
      reportingDeadlines { period dueMonthDay } consolidationDeadlines { period dueMonthDay }
    }
    draft {
      number issuedOn provinceCode provinceName title resolution year monitoringAgency
      reportingDeadlines { period dueMonthDay } consolidationDeadlines { period dueMonthDay }
      tasks { ordinal section title leadAgencies coordinatingAgencies timeframe target note sourceLine fromProse }
      reviewFirst { ordinal rowIndex confidence warnings }
    }
  }
}`;

const PLAN_TASKS = `query Plan($id: ID!) {
  plan(id: $id) {
    id number
    tasks(first: 100) {
      totalCount
      edges { node {
        id ordinal section title timeframe dueAt originalDueAt target state version late availableEvents
        leadAgency { code name } coordinatingAgencies { code name }
        parent { id } children { id ordinal state leadAgency { code } }
      } }
    }
  }
}`;

interface Deadline {
  period: string;
  dueMonthDay: string;
}
interface ImportedPlan {
  id: string;
  number: string;
  title: string;
  issuedOn: string | null;
  province: { code: string; name: string };
  monitoringAgency: { code: string; name: string } | null;
  reportingDeadlines: Deadline[];
  consolidationDeadlines: Deadline[];
}
interface DraftTask {
  ordinal: string;
  section: string | null;
  title: string;
  leadAgencies: string[];
  coordinatingAgencies: string[];
  timeframe: string;
  target: string | null;
  note: string | null;
  sourceLine: number;
  fromProse: boolean;
}
interface ReviewedTask {
  ordinal: string;
  rowIndex: number;
  confidence: number;
  warnings: string[];
}
interface ImportResult {
  status: string;
  tasksCreated: number;
  warnings: string[];
  plan: ImportedPlan | null;
  draft: {
    number: string | null;
    issuedOn: string | null;
    provinceCode: string | null;
    provinceName: string | null;
    title: string;
    resolution: string | null;
    year: number | null;
    monitoringAgency: string | null;
    reportingDeadlines: Deadline[];
    consolidationDeadlines: Deadline[];
    tasks: DraftTask[];
    reviewFirst: ReviewedTask[];
  };
}
interface AgencyRef {
  code: string;
  name: string;
}
interface TaskNode {
  id: string;
  ordinal: string;
  section: string | null;
  title: string;
  timeframe: string;
  dueAt: string | null;
  originalDueAt: string | null;
  target: string | null;
  state: string;
  version: number;
  late: boolean;
  availableEvents: string[];
  leadAgency: AgencyRef;
  coordinatingAgencies: AgencyRef[];
  parent: { id: string } | null;
  children: { id: string; ordinal: string; state: string; leadAgency: { code: string } }[];
}

const DEPARTMENTS = { code: 'cac-so-ban-nganh', name: 'Các sở, ban, ngành' };
const DISTRICTS = { code: 'ubnd-cac-huyen-thi-xa-thanh-pho', name: 'UBND các huyện, thị xã, thành phố' };
const PLANNING = { code: 'so-ke-hoach-va-dau-tu', name: 'Sở Kế hoạch và Đầu tư' };
const ICT = { code: 'so-thong-tin-va-truyen-thong', name: 'Sở Thông tin và Truyền thông' };
const OFFICE = { code: 'van-phong-ubnd-tinh', name: 'Văn phòng UBND tỉnh' };
const RELATED_UNITS = { code: 'cac-co-quan-don-vi-lien-quan', name: 'Các cơ quan, đơn vị liên quan' };
const PEOPLE_AND_FIRMS = { code: 'ca-nhan-doanh-nghiep', name: 'Cá nhân, doanh nghiệp' };

// End of a local (UTC+7) day as an ISO instant.
const endOfDay = (date: string) => new Date(Date.parse(`${date}T23:59:59.999+07:00`)).toISOString();

// The document's words, whitespace collapsed and cell markup dropped: what a title must be found in.
const flatten = (text: string) =>
  text
    .normalize('NFC')
    .replace(/<\/?(p|br)\s*\/?>/gu, ' ')
    .replace(/\s+/gu, ' ');

interface Counts {
  provinces: number;
  agencies: number;
  plans: number;
  sections: number;
  tasks: number;
  coordinators: number;
  events: number;
}

function rowCounts(): Promise<Counts> {
  return withPg(async (client) => {
    const { rows } = await client.query(`SELECT
      (SELECT count(*)::int FROM provinces) AS provinces, (SELECT count(*)::int FROM agencies) AS agencies,
      (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM sections) AS sections,
      (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(*)::int FROM task_coordinators) AS coordinators,
      (SELECT count(*)::int FROM task_events) AS events`);
    return rows[0] as Counts;
  });
}

describe('plan import over GraphQL', () => {
  let server: ApiServer;
  let admin: string; // national ADMIN, province "*"
  const docs = {
    socTrang: realPlanText(REAL_PLANS.socTrang),
    kienGiang: realPlanText(REAL_PLANS.kienGiang),
    langSon: realPlanText(REAL_PLANS.langSon),
  };

  beforeAll(async () => {
    server = await startApiServer();
    admin = await token('*', 'bo-ke-hoach-va-dau-tu', ['ADMIN'], 'admin-national');
  });

  afterAll(async () => server?.stop());

  async function importPlan(tok: string, input: Record<string, unknown>): Promise<GqlResponse<{ importPlan: ImportResult }>> {
    return gql<{ importPlan: ImportResult }>(server, tok, IMPORT, { input });
  }

  async function imported(tok: string, input: Record<string, unknown>): Promise<ImportResult> {
    const result = await importPlan(tok, input);
    if (result.errors?.length || !result.data?.importPlan) throw new Error(`importPlan failed: ${JSON.stringify(result.errors)}`);
    return result.data.importPlan;
  }

  async function planTasks(tok: string, planId: string): Promise<{ totalCount: number; tasks: TaskNode[] }> {
    const result = await gql(server, tok, PLAN_TASKS, { id: planId });
    if (result.errors?.length || !result.data?.plan) throw new Error(`plan(${planId}) failed: ${JSON.stringify(result.errors)}`);
    const connection = result.data.plan.tasks as { totalCount: number; edges: { node: TaskNode }[] };
    return { totalCount: connection.totalCount, tasks: connection.edges.map((edge) => edge.node) };
  }

  // A top-level task (not a child of a split one) by its section numeral and ordinal.
  function taskAt(tasks: TaskNode[], section: string | null, ordinal: string): TaskNode {
    const found = tasks.filter(
      (t) => t.ordinal === ordinal && t.parent === null && (section === null ? t.section === null : t.section?.startsWith(`${section}. `)),
    );
    if (found.length !== 1) throw new Error(`expected one task ${section ?? ''}.${ordinal}, found ${found.length}`);
    return found[0];
  }

  const fields = (t: TaskNode) => ({
    ordinal: t.ordinal,
    leadAgency: t.leadAgency,
    coordinatingAgencies: t.coordinatingAgencies,
    timeframe: t.timeframe,
    dueAt: t.dueAt,
    target: t.target,
    state: t.state,
  });

  // The refusal happened, and no row anywhere changed.
  async function expectRefusedImport(tok: string, input: Record<string, unknown>, code: string, text?: string | RegExp): Promise<void> {
    const before = await rowCounts();
    const result = await importPlan(tok, input);
    expectError(result, code, text);
    expect(result.data?.importPlan ?? null).toBeNull();
    expect(await rowCounts()).toEqual(before);
  }

  describe('Sóc Trăng KH 13/KH-UBND (number and date only in the appendix line, rows with several leads)', () => {
    let result: ImportResult;
    let tasks: TaskNode[];
    let totalCount: number;

    it('does refuse an ADMIN of another province with FORBIDDEN, writing nothing, when the document is of Sóc Trăng', async () => {
      const otherAdmin = await token('kien-giang', 'so-noi-vu', ['ADMIN'], 'admin-kien-giang');
      await expectRefusedImport(otherAdmin, { format: 'PLAN_TEXT', content: docs.socTrang }, 'FORBIDDEN', /kien-giang/u);
    });

    it('does refuse a non-ADMIN token with FORBIDDEN, writing nothing, when it calls importPlan', async () => {
      const supervisor = await token('*', 'kiem-toan', ['AUDITOR'], 'auditor-national');
      await expectRefusedImport(supervisor, { format: 'PLAN_TEXT', content: docs.socTrang }, 'FORBIDDEN', /ADMIN/u);
    });

    it('does return the draft and its warnings with status DRY_RUN and plan null, writing nothing, when dryRun is set', async () => {
      const before = await rowCounts();
      const dry = await imported(admin, { format: 'PLAN_TEXT', content: docs.socTrang, dryRun: true });
      expect(await rowCounts()).toEqual(before);
      expect({ status: dry.status, plan: dry.plan, tasksCreated: dry.tasksCreated }).toEqual({
        status: 'DRY_RUN',
        plan: null,
        tasksCreated: 0,
      });
      expect(dry.draft).toMatchObject({
        number: '13/KH-UBND',
        issuedOn: '2022-01-20',
        provinceCode: 'soc-trang',
        provinceName: 'Sóc Trăng',
        resolution: '02/NQ-CP',
        year: 2022,
        monitoringAgency: PLANNING.name,
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '05-30' },
          { period: 'YEAR', dueMonthDay: '11-30' },
        ],
        consolidationDeadlines: [],
      });
      expect(dry.draft.tasks).toHaveLength(39);
      expect(dry.draft.tasks.find((t) => t.section === 'I' && t.ordinal === '1')).toMatchObject({
        leadAgencies: [DEPARTMENTS.name, DISTRICTS.name],
        coordinatingAgencies: [],
        timeframe: 'Thường xuyên',
        fromProse: false,
      });
      expect(dry.warnings).toEqual([expect.stringMatching(/^row V\.10 \(line 137\): agency names ran together/u)]);
    });

    it('does create the plan with number, date, province, monitoring agency and both deadline tiers when a national ADMIN imports it', async () => {
      result = await imported(admin, { format: 'PLAN_TEXT', content: docs.socTrang });
      expect(result.status).toBe('CREATED');
      expect(result.plan).toMatchObject({
        number: '13/KH-UBND',
        issuedOn: '2022-01-20',
        province: { code: 'soc-trang', name: 'Sóc Trăng' },
        monitoringAgency: PLANNING,
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '05-30' },
          { period: 'YEAR', dueMonthDay: '11-30' },
        ],
        consolidationDeadlines: [],
      });
      expect(result.plan!.title).toMatch(/^Thực hiện Nghị quyết số 02\/NQ-CP ngày 10\/01\/2022 .* trên địa bàn tỉnh Sóc Trăng$/u);
      // 39 rows; the 5 rows whose lead cell names two agencies become a parent and two children
      expect(result.tasksCreated).toBe(49);
      expect(result.warnings).toEqual([expect.stringMatching(/^row V\.10 \(line 137\): agency names ran together/u)]);
      ({ tasks, totalCount } = await planTasks(admin, result.plan!.id));
      expect(totalCount).toBe(49);
      expect(tasks).toHaveLength(49);
    });

    it('does show the imported rows field by field when the plan is queried', async () => {
      const both = [DEPARTMENTS, DISTRICTS];
      const recurringDue = endOfDay('2022-05-30'); // the first reporting deadline of 2022
      expect(recurringDue).toBe('2022-05-30T16:59:59.999Z');
      const expected: [string, string, ReturnType<typeof fields>][] = [
        [
          'II',
          '3',
          {
            ordinal: '3',
            leadAgency: { code: 'so-tu-phap', name: 'Sở Tư pháp' },
            coordinatingAgencies: both,
            timeframe: 'Thường xuyên',
            dueAt: recurringDue,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          'IV',
          '1',
          {
            ordinal: '1',
            leadAgency: { code: 'so-tai-nguyen-va-moi-truong', name: 'Sở Tài nguyên và Môi trường' },
            coordinatingAgencies: [DISTRICTS],
            timeframe: 'Hàng năm',
            dueAt: recurringDue,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          'IV',
          '4',
          {
            ordinal: '4',
            leadAgency: { code: 'so-tai-nguyen-va-moi-truong', name: 'Sở Tài nguyên và Môi trường' },
            coordinatingAgencies: [{ code: 'cuc-thue-tinh', name: 'Cục Thuế tỉnh' }],
            timeframe: 'Thường xuyên',
            dueAt: recurringDue,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          'V',
          '2',
          {
            ordinal: '2',
            leadAgency: ICT,
            coordinatingAgencies: both,
            timeframe: '2021-2025',
            dueAt: recurringDue,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          'V',
          '9',
          {
            ordinal: '9',
            leadAgency: { code: 'so-cong-thuong', name: 'Sở Công Thương' },
            coordinatingAgencies: both,
            timeframe: 'Năm 2022',
            dueAt: '2022-12-31T16:59:59.999Z',
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          'VIII',
          '2',
          {
            ordinal: '2',
            leadAgency: { code: 'cuc-thue-tinh', name: 'Cục Thuế tỉnh' },
            coordinatingAgencies: [DISTRICTS],
            timeframe: '2022',
            dueAt: '2022-12-31T16:59:59.999Z',
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          'IX',
          '1',
          {
            ordinal: '1',
            leadAgency: PLANNING,
            coordinatingAgencies: [
              { code: 'so-khoa-hoc-va-cong-nghe', name: 'Sở Khoa học và Công nghệ' },
              { code: 'so-giao-duc-va-dao-tao', name: 'Sở Giáo dục và Đào tạo' },
              { code: 'cac-truong-cao-dang', name: 'Các trường cao đẳng' },
            ],
            timeframe: 'Năm 2022',
            dueAt: '2022-12-31T16:59:59.999Z',
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          'X',
          '3',
          {
            ordinal: '3',
            leadAgency: ICT,
            coordinatingAgencies: [
              { code: 'bao-tinh', name: 'Báo tỉnh' },
              { code: 'dai-phat-thanh-va-truyen-hinh-tinh', name: 'Đài Phát thanh và Truyền hình tỉnh' },
              ...both,
            ],
            timeframe: 'Thường xuyên',
            dueAt: recurringDue,
            target: null,
            state: 'ASSIGNED',
          },
        ],
      ];
      const actual = expected.map(([section, ordinal]) => [section, ordinal, fields(taskAt(tasks, section, ordinal))]);
      expect(actual).toEqual(expected);
      const document = flatten(docs.socTrang);
      for (const [section, ordinal] of expected) {
        const task = taskAt(tasks, section, ordinal);
        expect(document).toContain(flatten(task.title)); // the row's own words, not invented ones
        expect(document).toContain(flatten(task.section!)); // "V. <section heading>" as in the appendix
        expect(task.originalDueAt).toBe(task.dueAt);
      }
      // every row has a lead, a timeframe as written and a due time
      expect(tasks.every((t) => t.leadAgency && t.timeframe.length > 0 && t.dueAt !== null && t.section !== null)).toBe(true);
    });

    it('does split a row whose lead cell names two agencies into a parent and one child per lead, ordinals N.1 and N.2', async () => {
      const parent = taskAt(tasks, 'I', '1');
      expect(fields(parent)).toEqual({
        ordinal: '1',
        leadAgency: DEPARTMENTS,
        coordinatingAgencies: [],
        timeframe: 'Thường xuyên',
        dueAt: '2022-05-30T16:59:59.999Z',
        target: null,
        state: 'ASSIGNED',
      });
      expect(parent.children.map((c) => [c.ordinal, c.leadAgency.code, c.state])).toEqual([
        ['1.1', DEPARTMENTS.code, 'ASSIGNED'],
        ['1.2', DISTRICTS.code, 'ASSIGNED'],
      ]);
      for (const child of parent.children) {
        const node = tasks.find((t) => t.id === child.id)!;
        expect({
          parent: node.parent,
          section: node.section,
          title: node.title,
          timeframe: node.timeframe,
          dueAt: node.dueAt,
          children: node.children,
        }).toEqual({
          parent: { id: parent.id },
          section: parent.section,
          title: parent.title,
          timeframe: parent.timeframe,
          dueAt: parent.dueAt,
          children: [],
        });
      }
      // V.10: the children keep the row's coordinating agencies
      const v10 = taskAt(tasks, 'V', '10');
      expect(v10.coordinatingAgencies.map((a) => a.name)).toEqual([
        'Công ty Điện lực tỉnh',
        'Công ty Cổ phần Cấp nước tỉnh',
        'Công ty Cổ phần Công trình đô thị tỉnh',
        'Các công ty viễn thông',
        'Bưu điện tỉnh',
      ]);
      for (const child of v10.children) {
        expect(tasks.find((t) => t.id === child.id)!.coordinatingAgencies).toEqual(v10.coordinatingAgencies);
      }
      const split = tasks.filter((t) => t.children.length > 0).map((t) => `${t.section!.split('.')[0]}.${t.ordinal}`);
      expect(split).toEqual(['I.1', 'I.2', 'II.2', 'V.10', 'VI.5']);
    });

    it('does roll the parent up to IN_PROGRESS, offer no events on it and refuse events on it, when one child STARTs', async () => {
      const parent = taskAt(tasks, 'I', '1');
      const [first, second] = parent.children;
      const departmentsOfficer = await token('soc-trang', first.leadAgency.code, ['OFFICER'], 'officer-st-so-nganh');
      const districtsOfficer = await token('soc-trang', second.leadAgency.code, ['OFFICER'], 'officer-st-ubnd-huyen');

      const started = await fire(server, departmentsOfficer, { taskId: first.id, event: 'START', expectedVersion: 0 });
      expect(started.state).toBe('IN_PROGRESS');

      const query = `query T($id: ID!) { task(id: $id) { id state availableEvents parent { id } children { id ordinal state } } }`;
      for (const viewer of [departmentsOfficer, districtsOfficer, admin]) {
        const view = await gql(server, viewer, query, { id: parent.id });
        expect(view.errors).toBeUndefined();
        expect(view.data!.task).toEqual({
          id: parent.id,
          state: 'IN_PROGRESS',
          availableEvents: [],
          parent: null,
          children: [
            { id: first.id, ordinal: '1.1', state: 'IN_PROGRESS' },
            { id: second.id, ordinal: '1.2', state: 'ASSIGNED' },
          ],
        });
      }
      // the plan page reads its tasks and their children flags in one statement: the parent rolls up there too
      const onPage = (await planTasks(admin, result.plan!.id)).tasks;
      expect(onPage.find((t) => t.id === parent.id)).toMatchObject({ state: 'IN_PROGRESS', availableEvents: [] });
      expect(onPage.find((t) => t.id === second.id)).toMatchObject({ state: 'ASSIGNED', children: [] });
      const child = await gql(server, districtsOfficer, query, { id: second.id });
      expect(child.data!.task).toMatchObject({ state: 'ASSIGNED', parent: { id: parent.id }, children: [] });
      expect(child.data!.task.availableEvents).toContain('START');

      // the parent takes no event itself; its children do
      const before = await rowCounts();
      expectError(await transition(server, districtsOfficer, { taskId: parent.id, event: 'START' }), 'INVALID_TRANSITION', /child tasks/u);
      expectError(
        await transition(server, departmentsOfficer, { taskId: parent.id, event: 'SUBMIT_REPORT', report: { summary: 'x' } }),
        'INVALID_TRANSITION',
      );
      expect(await rowCounts()).toEqual(before);
    });

    it('does answer ALREADY_IMPORTED with the same plan id and a warning, writing nothing, when the same document is imported again', async () => {
      const before = await rowCounts();
      const again = await imported(admin, { format: 'PLAN_TEXT', content: docs.socTrang });
      expect(await rowCounts()).toEqual(before);
      expect({ status: again.status, planId: again.plan?.id, tasksCreated: again.tasksCreated }).toEqual({
        status: 'ALREADY_IMPORTED',
        planId: result.plan!.id,
        tasksCreated: 0,
      });
      expect(again.warnings[0]).toMatch(/already imported as plan 13\/KH-UBND .*nothing was changed/u);
      // the same document with its province given explicitly, by a Sóc Trăng ADMIN, is the same document
      const localAdmin = await token('soc-trang', 'so-noi-vu', ['ADMIN'], 'admin-soc-trang');
      const third = await imported(localAdmin, { format: 'PLAN_TEXT', content: docs.socTrang, provinceCode: 'soc-trang' });
      expect({ status: third.status, planId: third.plan?.id }).toEqual({ status: 'ALREADY_IMPORTED', planId: result.plan!.id });
      expect(await rowCounts()).toEqual(before);
    });

    it('does answer CONFLICT, writing nothing, when a different text carries the same number and date in the same province', async () => {
      const edited = docs.socTrang.replace('KẾ HOẠCH', 'KẾ HOẠCH\n\n(bản sửa đổi)');
      expect(edited).not.toBe(docs.socTrang);
      await expectRefusedImport(admin, { format: 'PLAN_TEXT', content: edited }, 'CONFLICT', /13\/KH-UBND/u);
    });
  });

  describe('Kiên Giang KH 31/KH-UBND (targets table, a row that lost its ordinal after a page break)', () => {
    let result: ImportResult;
    let tasks: TaskNode[];

    it('does create the plan with its number, date, both deadline tiers and 13 tasks when a national ADMIN imports it', async () => {
      result = await imported(admin, { format: 'PLAN_TEXT', content: docs.kienGiang });
      expect(result.status).toBe('CREATED');
      expect(result.plan).toMatchObject({
        number: '31/KH-UBND',
        issuedOn: '2021-02-22',
        province: { code: 'kien-giang', name: 'Kiên Giang' },
        monitoringAgency: PLANNING,
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '06-05' },
          { period: 'YEAR', dueMonthDay: '12-05' },
        ],
        consolidationDeadlines: [
          { period: 'H1', dueMonthDay: '06-10' },
          { period: 'YEAR', dueMonthDay: '12-10' },
        ],
      });
      expect(result.tasksCreated).toBe(13);
      expect(result.warnings).toContain('row 6 (line 284): ordinal missing; inferred 6 from the row before');
      // the one doubtful row comes first for review, with its own warning and a lowered confidence
      expect(result.draft.reviewFirst).toEqual([
        { ordinal: '6', rowIndex: 5, confidence: 0.7, warnings: ['row 6 (line 284): ordinal missing; inferred 6 from the row before'] },
      ]);
      expect(result.warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^the text also assigns \d+ tasks in prose; only the appendix table was imported$/u),
        ]),
      );
      const page = await planTasks(admin, result.plan!.id);
      tasks = page.tasks;
      expect(page.totalCount).toBe(13);
      expect(tasks.map((t) => t.ordinal)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13']);
    });

    it('does show the imported rows field by field, the lost-ordinal row 6 included, when the plan is queried', async () => {
      const withUnits = [DEPARTMENTS, { code: 'ubnd-cac-huyen-thi-xa-thanh-pho', name: DISTRICTS.name }, RELATED_UNITS];
      const withFirms = [DEPARTMENTS, DISTRICTS, PEOPLE_AND_FIRMS];
      const year2021 = '2021-12-31T16:59:59.999Z';
      const expected: [string, Omit<ReturnType<typeof fields>, 'target'>][] = [
        [
          '1',
          {
            ordinal: '1',
            leadAgency: OFFICE,
            coordinatingAgencies: withUnits,
            timeframe: 'Hàng năm',
            dueAt: '2021-06-05T16:59:59.999Z',
            state: 'ASSIGNED',
          },
        ],
        [
          '5',
          {
            ordinal: '5',
            leadAgency: PLANNING,
            coordinatingAgencies: withFirms,
            timeframe: 'Năm 2022',
            dueAt: '2022-12-31T16:59:59.999Z',
            state: 'ASSIGNED',
          },
        ],
        [
          '6',
          { ordinal: '6', leadAgency: ICT, coordinatingAgencies: withFirms, timeframe: 'Năm 2021', dueAt: year2021, state: 'ASSIGNED' },
        ],
        [
          '7',
          { ordinal: '7', leadAgency: ICT, coordinatingAgencies: withUnits, timeframe: 'Năm 2021', dueAt: year2021, state: 'ASSIGNED' },
        ],
        [
          '11',
          {
            ordinal: '11',
            leadAgency: { code: 'so-xay-dung', name: 'Sở Xây dựng' },
            coordinatingAgencies: withFirms,
            timeframe: 'Năm 2021',
            dueAt: year2021,
            state: 'ASSIGNED',
          },
        ],
        [
          '13',
          {
            ordinal: '13',
            leadAgency: { code: 'bao-hiem-xa-hoi-tinh', name: 'Bảo hiểm xã hội tỉnh' },
            coordinatingAgencies: withFirms,
            timeframe: 'Năm 2021',
            dueAt: year2021,
            state: 'ASSIGNED',
          },
        ],
      ];
      const actual = expected.map(([ordinal]) => {
        const { target: _target, ...rest } = fields(taskAt(tasks, null, ordinal));
        return [ordinal, rest];
      });
      expect(actual).toEqual(expected);
      const document = flatten(docs.kienGiang);
      for (const task of tasks) {
        // the targets column is the only text column: each target is also the task's title
        expect(task.target).not.toBeNull();
        expect(task.target).toBe(task.title);
        expect(document).toContain(flatten(task.target!));
        expect(task.section).toBeNull();
        expect(task.children).toEqual([]);
      }
      expect(taskAt(tasks, null, '6').target).toMatch(/^65% doanh nghiệp/u);
    });

    it('does run an imported task ASSIGNED → IN_PROGRESS → REPORTED → VERIFIED when its lead agency and the monitoring SUPERVISOR act', async () => {
      const task = taskAt(tasks, null, '6');
      const lead = await token('kien-giang', task.leadAgency.code, ['OFFICER'], 'officer-kg-tttt');
      const supervisor = await token('kien-giang', result.plan!.monitoringAgency!.code, ['SUPERVISOR'], 'supervisor-kg-khdt');
      const coordinator = await token('kien-giang', task.coordinatingAgencies[2].code, ['OFFICER'], 'officer-kg-doanh-nghiep');

      const viewAs = async (tok: string) =>
        (await gql(server, tok, `query T($id: ID!) { task(id: $id) { availableEvents } }`, { id: task.id })).data!.task.availableEvents;
      expect((await viewAs(lead)).sort()).toEqual(['REQUEST_EXTENSION', 'START']);
      expect(await viewAs(coordinator)).toEqual(['CONTRIBUTE']);
      expect(await viewAs(supervisor)).toEqual([]);

      const started = await fire(server, lead, { taskId: task.id, event: 'START', expectedVersion: 0 });
      expect(started).toMatchObject({ state: 'IN_PROGRESS', version: 1 });
      const reported = await fire(server, lead, {
        taskId: task.id,
        event: 'SUBMIT_REPORT',
        expectedVersion: 1,
        report: { summary: 'Đã hoàn thành chỉ tiêu', value: '66%' },
      });
      expect(reported).toMatchObject({ state: 'REPORTED', version: 2, late: true }); // due at the end of 2021, long past
      expectError(await transition(server, lead, { taskId: task.id, event: 'VERIFY', expectedVersion: 2 }), 'FORBIDDEN');
      const verified = await fire(server, supervisor, { taskId: task.id, event: 'VERIFY', expectedVersion: 2 });
      expect(verified.state).toBe('VERIFIED');
      expect(verified.history.map((h) => [h.type, h.fromState, h.toState, h.actor, h.actorAgency?.code])).toEqual([
        ['START', 'ASSIGNED', 'IN_PROGRESS', 'officer-kg-tttt', ICT.code],
        ['SUBMIT_REPORT', 'IN_PROGRESS', 'REPORTED', 'officer-kg-tttt', ICT.code],
        ['VERIFY', 'REPORTED', 'VERIFIED', 'supervisor-kg-khdt', PLANNING.code],
      ]);
      const audit = await gql(server, admin, `query A($id: ID!) { verifyAuditTrail(planId: $id) { ok eventsChecked } }`, {
        id: result.plan!.id,
      });
      expect(audit.data?.verifyAuditTrail).toEqual({ ok: true, eventsChecked: 3 });
    });

    it('does answer ALREADY_IMPORTED with the same plan id when a Kiên Giang ADMIN imports the same document', async () => {
      const before = await rowCounts();
      const localAdmin = await token('kien-giang', 'so-noi-vu', ['ADMIN'], 'admin-kien-giang');
      const again = await imported(localAdmin, { format: 'PLAN_TEXT', content: docs.kienGiang });
      expect({ status: again.status, planId: again.plan?.id, tasksCreated: again.tasksCreated }).toEqual({
        status: 'ALREADY_IMPORTED',
        planId: result.plan!.id,
        tasksCreated: 0,
      });
      expect(again.warnings[0]).toMatch(/already imported/u);
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('Lạng Sơn 2021 (no number or date in the text, tasks assigned in prose)', () => {
    let result: ImportResult;
    let tasks: TaskNode[];
    const fallbackNumber = () => `chưa rõ số (${createHash('sha256').update(docs.langSon.normalize('NFC')).digest('hex').slice(0, 8)})`;

    it('does create the plan under a fallback number and warn that number and date were not found, when a Lạng Sơn ADMIN imports it', async () => {
      const localAdmin = await token('lang-son', 'so-noi-vu', ['ADMIN'], 'admin-lang-son');
      result = await imported(localAdmin, { format: 'PLAN_TEXT', content: docs.langSon });
      expect(result.status).toBe('CREATED');
      expect(result.plan).toMatchObject({
        number: fallbackNumber(),
        issuedOn: null,
        province: { code: 'lang-son', name: 'Lạng Sơn' },
        monitoringAgency: PLANNING,
        reportingDeadlines: [
          { period: 'Q1', dueMonthDay: '03-10' },
          { period: 'Q2', dueMonthDay: '06-10' },
          { period: 'Q3', dueMonthDay: '09-10' },
          { period: 'Q4', dueMonthDay: '12-10' },
          { period: 'YEAR', dueMonthDay: '12-10' },
        ],
        consolidationDeadlines: [],
      });
      expect(result.draft.number).toBeNull();
      expect(result.warnings).toEqual(
        expect.arrayContaining([
          'plan number not found (e.g. "Số: 13/KH-UBND")',
          'issue date not found (e.g. "Sóc Trăng, ngày 20 tháng 01 năm 2022")',
        ]),
      );
      expect(result.warnings.filter((w) => /^prose task .*: read from prose, not from a table/u.test(w))).toHaveLength(56);
      // 56 prose tasks; the 10 that name two lead agencies become a parent and two children
      const split = result.draft.tasks.filter((t) => t.leadAgencies.length > 1);
      expect(result.tasksCreated).toBe(56 + split.reduce((n, t) => n + t.leadAgencies.length, 0));
      expect(result.tasksCreated).toBe(76);
      const page = await planTasks(admin, result.plan!.id);
      tasks = page.tasks;
      expect(page.totalCount).toBe(76);
    });

    it('does show the prose tasks field by field, undated ones due at the end of the plan year, when the plan is queried', async () => {
      const endOf2021 = '2021-12-31T16:59:59.999Z';
      const planning = PLANNING;
      const expected: [string, string, ReturnType<typeof fields>][] = [
        [
          '1',
          'a.1',
          {
            ordinal: 'a.1',
            leadAgency: planning,
            coordinatingAgencies: [],
            timeframe: '',
            dueAt: endOf2021,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          '1',
          'a.4',
          {
            ordinal: 'a.4',
            leadAgency: { code: 'ngan-hang-nha-nuoc-chi-nhanh-tinh', name: 'Ngân hàng Nhà nước chi nhánh tỉnh' },
            coordinatingAgencies: [],
            timeframe: '',
            dueAt: endOf2021,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          '2',
          'd.1',
          {
            ordinal: 'd.1',
            leadAgency: { code: 'so-tai-nguyen-va-moi-truong', name: 'Sở Tài nguyên và Môi trường' },
            coordinatingAgencies: [RELATED_UNITS],
            timeframe: '',
            dueAt: endOf2021,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          '4',
          'a.2',
          {
            ordinal: 'a.2',
            leadAgency: DEPARTMENTS,
            coordinatingAgencies: [],
            timeframe: 'Đến hết năm 2021',
            dueAt: endOf2021,
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          '4',
          'e',
          {
            ordinal: 'e',
            leadAgency: { code: 'thanh-tra-tinh', name: 'Thanh tra tỉnh' },
            coordinatingAgencies: [],
            timeframe: 'trước ngày 10 tháng 12 năm 2021',
            dueAt: '2021-12-10T16:59:59.999Z',
            target: null,
            state: 'ASSIGNED',
          },
        ],
        [
          '5',
          'b',
          {
            ordinal: 'b',
            leadAgency: ICT,
            coordinatingAgencies: [DEPARTMENTS, RELATED_UNITS],
            timeframe: '',
            dueAt: endOf2021,
            target: null,
            state: 'ASSIGNED',
          },
        ],
      ];
      const actual = expected.map(([section, ordinal]) => [section, ordinal, fields(taskAt(tasks, section, ordinal))]);
      expect(actual).toEqual(expected);
      // 2.đ names two leads: a parent and children đ.1, đ.2
      const d = taskAt(tasks, '2', 'đ');
      expect(d.children.map((c) => [c.ordinal, c.leadAgency.code])).toEqual([
        ['đ.1', 'so-tu-phap'],
        ['đ.2', DISTRICTS.code],
      ]);
      // ordinals stay unique within a section, children included
      const keys = tasks.map((t) => `${t.section}|${t.ordinal}`);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('does answer ALREADY_IMPORTED with the same plan id when the same document is imported again', async () => {
      const before = await rowCounts();
      const again = await imported(admin, { format: 'PLAN_TEXT', content: docs.langSon });
      expect({ status: again.status, planId: again.plan?.id, number: again.plan?.number }).toEqual({
        status: 'ALREADY_IMPORTED',
        planId: result.plan!.id,
        number: fallbackNumber(),
      });
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('invented documents (their own provinces)', () => {
    it('does import a generated DOCX whose table has a two-paragraph coordinating cell, with the right agencies and due times', async () => {
      const plan = inventedPlan();
      const content = (await planDocx(plan)).toString('base64');
      const done = await imported(admin, { format: 'DOCX', content, provinceCode: plan.province.code });
      expect(done.status).toBe('CREATED');
      expect(done.plan).toMatchObject({
        number: plan.number,
        issuedOn: plan.issuedOn,
        province: plan.province,
        monitoringAgency: PLANNING,
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '06-15' },
          { period: 'YEAR', dueMonthDay: '12-15' },
        ],
        consolidationDeadlines: [
          { period: 'H1', dueMonthDay: '06-20' },
          { period: 'YEAR', dueMonthDay: '12-20' },
        ],
      });
      expect(done.warnings).toEqual([]);
      expect(done.tasksCreated).toBe(5); // 3 rows, the last split in two
      const { tasks } = await planTasks(admin, done.plan!.id);
      expect(
        tasks.map((t) => [t.section, t.ordinal, t.leadAgency.code, t.coordinatingAgencies.map((a) => a.code), t.timeframe, t.dueAt]),
      ).toEqual([
        [
          'I. Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính',
          '1',
          'so-tu-phap',
          ['so-noi-vu', 'so-tai-chinh'],
          'Quý II năm 2030',
          '2030-06-30T16:59:59.999Z',
        ],
        ['I. Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính', '2', ICT.code, [OFFICE.code], 'Thường xuyên', '2030-06-15T16:59:59.999Z'],
        [
          'I. Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính',
          '3',
          'so-cong-thuong',
          ['cuc-thue-tinh'],
          'Năm 2030',
          '2030-12-31T16:59:59.999Z',
        ],
        [
          'I. Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính',
          '3.1',
          'so-cong-thuong',
          ['cuc-thue-tinh'],
          'Năm 2030',
          '2030-12-31T16:59:59.999Z',
        ],
        [
          'I. Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính',
          '3.2',
          'so-xay-dung',
          ['cuc-thue-tinh'],
          'Năm 2030',
          '2030-12-31T16:59:59.999Z',
        ],
      ]);
    });

    it('does import a generated XLSX whose first sheet holds title rows and the table, when provinceCode is given', async () => {
      const plan = inventedPlan();
      const content = (await planXlsx(plan)).toString('base64');
      const done = await imported(admin, { format: 'XLSX', content, provinceCode: plan.province.code });
      expect(done.status).toBe('CREATED');
      expect(done.plan).toMatchObject({
        number: plan.number,
        issuedOn: plan.issuedOn,
        province: { code: plan.province.code },
        monitoringAgency: null,
      });
      // no implementation chapter in a sheet: no monitoring agency, no deadlines, and the recurring task says so
      expect(done.warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^monitoring agency not found/u),
          expect.stringMatching(/^no reporting deadlines found/u),
          expect.stringMatching(
            /^task I\.2 \(line \d+\): recurring task but the plan states no reporting deadlines; due at the end of 2030$/u,
          ),
        ]),
      );
      const { tasks } = await planTasks(admin, done.plan!.id);
      expect(tasks.map((t) => [t.ordinal, t.leadAgency.name, t.coordinatingAgencies.map((a) => a.name), t.timeframe, t.dueAt])).toEqual([
        ['1', 'Sở Tư pháp', ['Sở Nội vụ', 'Sở Tài chính'], 'Quý II năm 2030', '2030-06-30T16:59:59.999Z'],
        ['2', ICT.name, [OFFICE.name], 'Thường xuyên', '2030-12-31T16:59:59.999Z'],
        ['3', 'Sở Công Thương', ['Cục Thuế tỉnh'], 'Năm 2030', '2030-12-31T16:59:59.999Z'],
        ['3.1', 'Sở Công Thương', ['Cục Thuế tỉnh'], 'Năm 2030', '2030-12-31T16:59:59.999Z'],
        ['3.2', 'Sở Xây dựng', ['Cục Thuế tỉnh'], 'Năm 2030', '2030-12-31T16:59:59.999Z'],
      ]);
    });

    it('does read the province from the document and answer CONFLICT for a different text with the same number and date', async () => {
      const plan = inventedPlan();
      const first = await imported(admin, { format: 'PLAN_TEXT', content: planText(plan) });
      expect({ status: first.status, province: first.plan?.province }).toEqual({ status: 'CREATED', province: plan.province });
      await expectRefusedImport(
        admin,
        { format: 'PLAN_TEXT', content: planText({ ...plan, variant: 'Bổ sung một câu.' }) },
        'CONFLICT',
        plan.number,
      );
      // the same number and date in another province is another plan
      const elsewhere = { ...plan, province: inventedProvince() };
      const other = await imported(admin, { format: 'PLAN_TEXT', content: planText({ ...elsewhere, variant: 'Bổ sung một câu.' }) });
      expect({ status: other.status, number: other.plan?.number, province: other.plan?.province.code }).toEqual({
        status: 'CREATED',
        number: plan.number,
        province: elsewhere.province.code,
      });
    });
  });

  describe('bad input is refused with BAD_USER_INPUT and writes nothing', () => {
    const plan = inventedPlan();
    const text = planText(plan);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['empty content', { format: 'PLAN_TEXT', content: '' }, /empty/u],
      ['whitespace-only content', { format: 'PLAN_TEXT', content: ' \n\t ' }, /empty/u],
      ['a DOCX that is random bytes', { format: 'DOCX', content: randomBase64() }, /not a readable DOCX/u],
      ['an XLSX that is random bytes', { format: 'XLSX', content: randomBase64() }, /not a readable XLSX/u],
      ['a DOCX whose content is not base64', { format: 'DOCX', content: 'this is %%% not base64!' }, /base64/u],
      ['a PLAN_TEXT with NUL bytes', { format: 'PLAN_TEXT', content: `${text.slice(0, 200)}\u0000\u0000${text.slice(200)}` }, /NUL/u],
      [
        'a PLAN_TEXT of random binary',
        { format: 'PLAN_TEXT', content: randomBytes(4096).toString('latin1').split('\u0000').join('\u0001') },
        /not readable text|binary/u,
      ],
      [
        'a text with no table and no prose tasks',
        { format: 'PLAN_TEXT', content: 'KẾ HOẠCH\n\nMột văn bản không có nhiệm vụ nào.\n' },
        /No tasks found/u,
      ],
      ['a malformed provinceCode', { format: 'PLAN_TEXT', content: text, provinceCode: 'Sóc Trăng' }, /provinceCode must be a slug/u],
      ['a provinceCode of "*"', { format: 'PLAN_TEXT', content: text, provinceCode: '*' }, /provinceCode must be a slug/u],
    ];

    it.each(cases)('does refuse %s', async (_label, input, message) => {
      await expectRefusedImport(admin, input, 'BAD_USER_INPUT', message);
    });

    it('does refuse a PLAN_TEXT over 10 MB', async () => {
      // ASCII filler: 10.5 MB of text stays under the 12 MB the HTTP layer takes
      const huge = `${text}\n${'Noi dung rat dai. '.repeat(Math.ceil((10.5 * 1024 * 1024) / 18))}`;
      expect(Buffer.byteLength(huge)).toBeGreaterThan(10 * 1024 * 1024);
      await expectRefusedImport(admin, { format: 'PLAN_TEXT', content: huge }, 'BAD_USER_INPUT', /larger than 10 MB/u);
    });

    it('does refuse a PLAN_TEXT over the 2 MB a plan text may have', async () => {
      const big = `${text}\n${'Nội dung dài. '.repeat(Math.ceil((3 * 1024 * 1024) / 16))}`;
      await expectRefusedImport(admin, { format: 'PLAN_TEXT', content: big }, 'BAD_USER_INPUT', /too large/u);
    });

    it('does read a 9.5 MB DOCX (under the 10 MB a document may have) instead of refusing the request body as too large', async () => {
      // base64 makes 9.5 MB into 12.7 MB of JSON; the service itself takes documents up to 10 MB (decoded)
      const content = randomBase64(Math.floor(9.5 * 1024 * 1024));
      const before = await rowCounts();
      const result = await importPlan(admin, { format: 'DOCX', content });
      // random bytes: the reader, not the HTTP layer, must be the one to refuse them
      expect({ codes: (result.errors ?? []).map((e) => e.extensions?.code), message: result.errors?.[0]?.message }).toEqual({
        codes: ['BAD_USER_INPUT'],
        message: expect.stringMatching(/not a readable DOCX/u),
      });
      expect(await rowCounts()).toEqual(before);
    });

    it('does refuse a DOCX zip bomb and a 1 MB hostile plan text with BAD_USER_INPUT naming the limit', async () => {
      const zip = await JSZip.loadAsync(await planDocx(plan));
      zip.file('word/document.xml', '<w:p><w:r><w:t>x</w:t></w:r></w:p>'.repeat((40 * 1024 * 1024) / 34));
      const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
      const before = await rowCounts();
      await expectRefusedImport(
        admin,
        { format: 'DOCX', content: bomb.toString('base64') },
        'BAD_USER_INPUT',
        /refused before reading: its part word\/document\.xml declares 40 MB uncompressed; an XML part may have at most 4 MB/u,
      );
      const cell = ', '.repeat(512 * 1024);
      await expectRefusedImport(
        admin,
        { format: 'PLAN_TEXT', content: `${text}\n1\tRà soát\tSở Tư pháp\t${cell}x\tNăm 2023\t` },
        'BAD_USER_INPUT',
        /agency cell has \d+ characters/u,
      );
      expect(await rowCounts()).toEqual(before);
    });

    it('does refuse an unknown format with BAD_USER_INPUT', async () => {
      await expectRefusedImport(admin, { format: 'PDF', content: text }, 'BAD_USER_INPUT');
    });

    it('does refuse an OFFICER, a SUPERVISOR and a LEADER with FORBIDDEN, writing nothing', async () => {
      // a province with a registry, so the tokens are accepted
      const first = await imported(admin, { format: 'PLAN_TEXT', content: text });
      expect(first.status).toBe('CREATED');
      const p = plan.province.code;
      const other = inventedPlan({ province: plan.province, number: `9${plan.number}` });
      for (const tok of [
        await token(p, 'so-tu-phap', ['OFFICER']),
        await token(p, 'so-ke-hoach-va-dau-tu', ['SUPERVISOR']),
        await token(p, 'uy-ban-nhan-dan-tinh', ['LEADER']),
        await token('*', 'kiem-toan', ['AUDITOR']),
      ]) {
        await expectRefusedImport(tok, { format: 'PLAN_TEXT', content: planText(other) }, 'FORBIDDEN', /ADMIN/u);
        await expectRefusedImport(tok, { format: 'PLAN_TEXT', content: planText(other), dryRun: true }, 'FORBIDDEN');
      }
    });

    it('does refuse an ADMIN of another province with FORBIDDEN when provinceCode or the document names a province not its own', async () => {
      const mine = inventedPlan();
      const otherAdmin = await token(inventedProvince().code, 'so-noi-vu', ['ADMIN']);
      await expectRefusedImport(otherAdmin, { format: 'PLAN_TEXT', content: planText(mine) }, 'FORBIDDEN', mine.province.code);
      await expectRefusedImport(
        otherAdmin,
        { format: 'PLAN_TEXT', content: planText(mine), provinceCode: mine.province.code },
        'FORBIDDEN',
      );
      await expectRefusedImport(otherAdmin, { format: 'PLAN_TEXT', content: planText(mine), dryRun: true }, 'FORBIDDEN');
    });

    it('does refuse a request without a token with UNAUTHENTICATED', async () => {
      const before = await rowCounts();
      expectError(await importPlan('', { format: 'PLAN_TEXT', content: text }), 'UNAUTHENTICATED');
      expect(await rowCounts()).toEqual(before);
    });
  });
});
