import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { inventedPlan, planDocx, planText, type InventedPlan } from './support/document-fixtures';
import { withPg } from './support/e2e-helpers';

// `npm run import -- FILE [--province CODE] [--dry-run]`, as the compiled CLI against the test
// database: it prints a summary and every warning, a dry run writes nothing, bad arguments exit
// non-zero with a message, and what it imported is there for the GraphQL API to serve.

const IMPORT_JS = resolve(__dirname, '../dist/apps/api/apps/api/src/cli/import.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [IMPORT_JS, ...args],
      {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: process.env.TEST_DATABASE_URL!, LOG_LEVEL: 'warn' },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

function rowCounts(): Promise<Record<string, number>> {
  return withPg(async (client) => {
    const { rows } = await client.query(`SELECT
      (SELECT count(*)::int FROM provinces) AS provinces, (SELECT count(*)::int FROM agencies) AS agencies,
      (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM sections) AS sections,
      (SELECT count(*)::int FROM tasks) AS tasks, (SELECT count(*)::int FROM task_coordinators) AS coordinators`);
    return rows[0];
  });
}

// The invented plan of this file: the usual three rows plus one whose timeframe is not understood,
// so the summary has a warning to print.
function cliPlan(): InventedPlan {
  const base = inventedPlan();
  return {
    ...base,
    rows: [
      ...base.rows,
      {
        ordinal: '4',
        title: 'Nhiệm vụ chờ hướng dẫn của Bộ',
        lead: ['Sở Kế hoạch và Đầu tư'],
        coordinating: ['Sở Tư pháp'],
        timeframe: 'Khi có hướng dẫn',
      },
    ],
  };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/u;

describe('import CLI', () => {
  let server: ApiServer;
  let dir: string;
  let admin: string;

  beforeAll(async () => {
    if (!existsSync(IMPORT_JS)) throw new Error(`${IMPORT_JS} is missing: run "npm run build" first (npm test does)`);
    dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
    server = await startApiServer();
    admin = await token('*', 'bo-ke-hoach-va-dau-tu', ['ADMIN'], 'admin-national');
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, content: string | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  describe('a plan text imported with --province', () => {
    const plan = cliPlan();
    let path: string;
    let planId: string;
    let imported = ''; // stdout of the import

    beforeAll(() => {
      path = file(`${plan.province.code}.txt`, planText(plan));
    });

    it('does write nothing and say so when --dry-run is given', async () => {
      const before = await rowCounts();
      const run = await runCli([path, '--province', plan.province.code, '--dry-run']);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(run.stdout).toContain(`Plan ${plan.number} of ${plan.issuedOn}, province ${plan.province.code}: dry run, nothing written`);
      expect(run.stdout).toContain('Tasks read: 4; task rows written: 0');
      expect(run.stdout).not.toMatch(/Plan id:/u);
      expect(await rowCounts()).toEqual(before);
    });

    it('does exit 0 and print the summary, the tasks and every warning when it imports the file', async () => {
      const before = await rowCounts();
      const run = await runCli([path, '--province', plan.province.code]);
      expect(run.code).toBe(0);
      const out = run.stdout;
      expect(out).toContain(`Plan ${plan.number} of ${plan.issuedOn}, province ${plan.province.code}: imported`);
      expect(out).toContain('Resolution: 02/NQ-CP; monitoring agency: Sở Kế hoạch và Đầu tư');
      expect(out).toContain('Reporting deadlines: H1 06-15, YEAR 12-15; consolidation: H1 06-20, YEAR 12-20');
      expect(out).toContain('Tasks read: 4; task rows written: 6'); // row 3 has two leads: a parent and two children
      for (const lead of ['Sở Tư pháp', 'Sở Thông tin và Truyền thông', 'Sở Công Thương; Sở Xây dựng', 'Sở Kế hoạch và Đầu tư'])
        expect(out).toContain(lead);
      const id = new RegExp(`Plan id: (${UUID.source})`, 'u').exec(out);
      expect(id).not.toBeNull();
      planId = id![1];
      imported = out;
      expect(out).toMatch(
        /\nWarnings \(\d+\):\n {2}- (row|task) I\.4 \(line \d+\): timeframe "Khi có hướng dẫn" (was )?not understood; due at the end of (2030|the plan year)\n/u,
      );
      const after = await rowCounts();
      expect({ plans: after.plans - before.plans, tasks: after.tasks - before.tasks, sections: after.sections - before.sections }).toEqual({
        plans: 1,
        tasks: 6,
        sections: 1,
      });
    });

    it('does print each warning once when the parser and the converter both notice the same unreadable timeframe', () => {
      const warnings = imported
        .slice(imported.indexOf('\nWarnings ('))
        .split('\n')
        .filter((line) => line.startsWith('  - '));
      expect(warnings.filter((line) => line.includes('"Khi có hướng dẫn"'))).toHaveLength(1);
      expect(imported).toContain(`Warnings (1):`);
    });

    it('does serve the imported tasks with their agencies over GraphQL when the server queries the same database', async () => {
      const officer = await token(plan.province.code, 'so-tu-phap', ['OFFICER'], 'officer-cli');
      for (const viewer of [admin, officer]) {
        const result = await gql(
          server,
          viewer,
          `query P($id: ID!) { plan(id: $id) { number issuedOn province { code name } monitoringAgency { code }
             tasks(first: 20) { totalCount edges { node { ordinal section timeframe dueAt leadAgency { code name } coordinatingAgencies { name } parent { ordinal } } } } } }`,
          { id: planId },
        );
        expect(result.errors).toBeUndefined();
        const p = result.data!.plan;
        expect({
          number: p.number,
          issuedOn: p.issuedOn,
          province: p.province,
          monitoring: p.monitoringAgency.code,
          total: p.tasks.totalCount,
        }).toEqual({
          number: plan.number,
          issuedOn: plan.issuedOn,
          province: plan.province,
          monitoring: 'so-ke-hoach-va-dau-tu',
          total: 6,
        });
        const rows = p.tasks.edges.map(({ node }: { node: Record<string, any> }) => [
          node.ordinal,
          node.leadAgency.name,
          node.coordinatingAgencies.map((a: { name: string }) => a.name),
          node.timeframe,
          node.dueAt,
          node.parent?.ordinal ?? null,
        ]);
        expect(rows).toEqual([
          ['1', 'Sở Tư pháp', ['Sở Nội vụ', 'Sở Tài chính'], 'Quý II năm 2030', '2030-06-30T16:59:59.999Z', null],
          ['2', 'Sở Thông tin và Truyền thông', ['Văn phòng UBND tỉnh'], 'Thường xuyên', '2030-06-15T16:59:59.999Z', null],
          ['3', 'Sở Công Thương', ['Cục Thuế tỉnh'], 'Năm 2030', '2030-12-31T16:59:59.999Z', null],
          ['3.1', 'Sở Công Thương', ['Cục Thuế tỉnh'], 'Năm 2030', '2030-12-31T16:59:59.999Z', '3'],
          ['3.2', 'Sở Xây dựng', ['Cục Thuế tỉnh'], 'Năm 2030', '2030-12-31T16:59:59.999Z', '3'],
          ['4', 'Sở Kế hoạch và Đầu tư', ['Sở Tư pháp'], 'Khi có hướng dẫn', '2030-12-31T16:59:59.999Z', null],
        ]);
        expect(
          p.tasks.edges.every(
            ({ node }: { node: { section: string } }) => node.section === 'I. Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính',
          ),
        ).toBe(true);
      }
    });

    it('does exit 0, name the first plan and write nothing when the same file is imported again', async () => {
      const before = await rowCounts();
      const run = await runCli([path, '--province', plan.province.code]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`province ${plan.province.code}: already imported, nothing changed`);
      expect(run.stdout).toContain(`Plan id: ${planId}`);
      expect(run.stdout).toMatch(/- This document was already imported as plan/u);
      expect(await rowCounts()).toEqual(before);
    });

    it('does exit non-zero with the refusal when a different text has the same number and date', async () => {
      const before = await rowCounts();
      const changed = file(`${plan.province.code}-changed.txt`, planText({ ...plan, variant: 'Câu bổ sung.' }));
      const run = await runCli([changed, '--province', plan.province.code]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/Import refused \(CONFLICT\): Plan .* already exists with a different text/u);
      expect(await rowCounts()).toEqual(before);
    });
  });

  it('does import a .docx file, reading the province from the document when --province is not given', async () => {
    const plan = inventedPlan();
    const path = file('ke-hoach.docx', await planDocx(plan));
    const run = await runCli([path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Plan ${plan.number} of ${plan.issuedOn}, province ${plan.province.code}: imported`);
    expect(run.stdout).toContain('Tasks read: 3; task rows written: 5');
    expect(run.stdout).toContain('Warnings (0):');
  });

  describe('bad arguments exit non-zero with a message and write nothing', () => {
    const cases: [string, () => string[], RegExp][] = [
      ['no file', () => [], /usage: npm run import -- FILE/u],
      ['a missing file', () => [join(dir, 'khong-co.txt'), '--province', 'thu-nghiem'], /khong-co\.txt/u],
      [
        'an unknown extension',
        () => [file('ke-hoach.pdf', planText(inventedPlan())), '--province', 'thu-nghiem'],
        /Cannot tell the format of ".*ke-hoach\.pdf"/u,
      ],
      [
        'a file without tasks',
        () => [file('trong.txt', 'KẾ HOẠCH\n\nKhông có nhiệm vụ nào.\n'), '--province', 'thu-nghiem'],
        /Import refused \(BAD_USER_INPUT\): No tasks found/u,
      ],
      [
        'a malformed --province',
        () => [file('ke-hoach-2.txt', planText(inventedPlan())), '--province', 'Sóc Trăng'],
        /Import refused \(BAD_USER_INPUT\): provinceCode must be a slug/u,
      ],
      ['an unknown option', () => [file('ke-hoach-3.txt', planText(inventedPlan())), '--provinec', 'x'], /provinec/u],
    ];

    it.each(cases)('does refuse %s', async (_label, args, message) => {
      const before = await rowCounts();
      const run = await runCli(args());
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(message);
      expect(await rowCounts()).toEqual(before);
    });
  });
});
