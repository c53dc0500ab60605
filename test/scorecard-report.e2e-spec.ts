import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { parse, print, type DefinitionNode } from 'graphql';
import { createDataSource } from '../apps/api/src/database/data-source';
import { seedScriptedPlan, type ScriptedPlan } from '../apps/api/src/test-support/scripted-plan';
import { AGENCY_HEADERS, APPENDIX_HEADERS } from '../apps/api/src/reports/consolidated-report';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { expectError } from './support/e2e-helpers';

// agencyScorecard, sectionScorecard and planReportExport over HTTP, and `npm run report` as the
// compiled CLI, on the plan whose history apps/api/src/test-support/scripted-plan.ts writes, set two
// years back: the server runs on the real clock, and the export refuses a period not yet begun.

const REPORT_JS = resolve(__dirname, '../dist/apps/api/apps/api/src/cli/report.js');
const YEAR = new Date().getUTCFullYear() - 2;
const MID_YEAR = `${YEAR}-07-01T12:00:00+07:00`;
const H1_CUTOFF = `${YEAR}-06-14T16:59:59.999Z`;

const SCORECARDS = `query S($planId: ID!, $asOf: DateTime) {
  agencyScorecard(planId: $planId, asOf: $asOf) {
    agency { code } led verifiedOnTime verifiedLate pendingWithinDeadline overdue reportsMissing averageDaysLate
  }
  sectionScorecard(planId: $planId, asOf: $asOf) {
    ordinal title total verifiedOnTime verifiedLate pendingWithinDeadline overdue reportsMissing averageDaysLate
  }
}`;

const EXPORT = `query E($planId: ID!, $period: ReportPeriod!, $format: ReportFormat!, $year: Int) {
  planReportExport(planId: $planId, period: $period, format: $format, year: $year) { filename mimeType base64 byteLength asOf }
}`;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runReportCli(args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [REPORT_JS, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: process.env.TEST_DATABASE_URL!, LOG_LEVEL: 'warn' }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

// The definitions of the contract's supervision block (the second graphql block of CONTRACT.md).
function contractSupervision(): Map<string, string> {
  const blocks = [...readFileSync(resolve(__dirname, '../../shared/CONTRACT.md'), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)];
  const definitions = parse(blocks[1][1]).definitions as DefinitionNode[];
  return new Map(definitions.flatMap((d) => ('name' in d && d.name ? [[d.name.value, print(d)] as [string, string]] : [])));
}

describe('scorecards and the consolidated report', () => {
  let server: ApiServer;
  let plan: ScriptedPlan;
  let other: ScriptedPlan; // another province's plan, no events
  let supervisor: string;
  let dir: string;

  beforeAll(async () => {
    const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
    await dataSource.initialize();
    try {
      plan = await seedScriptedPlan(dataSource, 'scorecard', { year: YEAR });
      other = await seedScriptedPlan(dataSource, 'scorecard-other', { year: YEAR, until: `${YEAR}-01-01` });
    } finally {
      await dataSource.destroy();
    }
    server = await startApiServer();
    supervisor = await token(plan.province.code, 'so-ke-hoach-va-dau-tu', ['SUPERVISOR']);
    dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('does serve AgencyScore and agencyScorecard exactly as CONTRACT.md declares them', () => {
    const schema = new Map(
      (parse(readFileSync(resolve(__dirname, '../schema.graphql'), 'utf8')).definitions as DefinitionNode[]).flatMap((d) =>
        'name' in d && d.name ? [[d.name.value, d] as [string, DefinitionNode]] : [],
      ),
    );
    const fields = (name: string) => {
      const definition = schema.get(name) as {
        fields?: readonly { name: { value: string }; type: unknown; arguments?: readonly unknown[] }[];
      };
      return new Map((definition.fields ?? []).map((f) => [f.name.value, f]));
    };
    const ours = fields('AgencyScore');
    const contract = parse(contractSupervision().get('AgencyScore')!).definitions[0] as unknown as {
      fields: { name: { value: string }; type: never }[];
    };
    for (const field of contract.fields)
      expect([field.name.value, print(ours.get(field.name.value)!.type as never)]).toEqual([field.name.value, print(field.type)]);
    const query = fields('Query').get('agencyScorecard')!;
    expect(print(query.type as never)).toBe('[AgencyScore!]!');
    expect((query.arguments as { name: { value: string }; type: never }[]).map((a) => `${a.name.value}: ${print(a.type)}`).sort()).toEqual([
      'asOf: DateTime',
      'planId: ID!',
    ]);
  });

  it('does answer both scorecards as of 1 July in a fixed number of statements', async () => {
    const result = await gql(server, supervisor, SCORECARDS, { planId: plan.planId, asOf: MID_YEAR });
    expect(result.errors).toBeUndefined();
    expect(result.data!.agencyScorecard).toEqual([
      {
        agency: { code: 'so-tu-phap' },
        led: 5,
        verifiedOnTime: 1,
        verifiedLate: 1,
        pendingWithinDeadline: 2,
        overdue: 1,
        reportsMissing: 1,
        averageDaysLate: 16.5,
      },
      {
        agency: { code: 'so-thong-tin-va-truyen-thong' },
        led: 3,
        verifiedOnTime: 0,
        verifiedLate: 0,
        pendingWithinDeadline: 1,
        overdue: 2,
        reportsMissing: 2,
        averageDaysLate: 26,
      },
      {
        agency: { code: 'cuc-thue-tinh' },
        led: 3,
        verifiedOnTime: 0,
        verifiedLate: 0,
        pendingWithinDeadline: 2,
        overdue: 1,
        reportsMissing: 1,
        averageDaysLate: 26,
      },
    ]);
    expect(
      result.data!.sectionScorecard.map((s: { ordinal: string; total: number; overdue: number }) => [s.ordinal, s.total, s.overdue]),
    ).toEqual([
      ['I', 6, 3],
      ['II', 5, 1],
    ]);
    // per scorecard the plan and the scores, then the agencies: none per task
    expect(result.sqlQueries).toBe(5);
  });

  it('does answer NOT_FOUND to a token of another province, and a national auditor', async () => {
    const elsewhere = await token(other.province.code, 'so-ke-hoach-va-dau-tu', ['SUPERVISOR']);
    expectError(await gql(server, elsewhere, SCORECARDS, { planId: plan.planId }), 'NOT_FOUND', `No plan with id ${plan.planId}`);
    expectError(await gql(server, elsewhere, EXPORT, { planId: plan.planId, period: 'H1', format: 'MD' }), 'NOT_FOUND');
    const auditor = await token('*', 'kiem-toan-nha-nuoc', ['AUDITOR']);
    const result = await gql(server, auditor, SCORECARDS, { planId: plan.planId, asOf: MID_YEAR });
    expect(result.data!.agencyScorecard.map((row: { led: number }) => row.led)).toEqual([5, 3, 3]);
  });

  it('does return the H1 workbook as base64 to a LEADER, the same the CLI writes', async () => {
    const leader = await token(plan.province.code, 'uy-ban-nhan-dan-tinh', ['LEADER']);
    const result = await gql(server, leader, EXPORT, { planId: plan.planId, period: 'H1', format: 'XLSX' });
    expect(result.errors).toBeUndefined();
    const file = result.data!.planReportExport;
    expect(file).toMatchObject({
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      asOf: H1_CUTOFF,
    });
    expect(file.filename).toMatch(new RegExp(`^bao-cao-[0-9a-f]{8}-kh-ubnd-${YEAR}-H1\\.xlsx$`));
    const bytes = Buffer.from(file.base64, 'base64');
    expect(bytes.length).toBe(file.byteLength);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Phụ lục', 'Theo cơ quan chủ trì', 'Theo nhóm nhiệm vụ']);
    expect((workbook.getWorksheet('Phụ lục')!.getRow(7).values as unknown[]).slice(1)).toEqual([...APPENDIX_HEADERS]);
    expect((workbook.getWorksheet('Theo cơ quan chủ trì')!.getRow(8).values as unknown[]).slice(1)).toEqual([
      1,
      'Sở Tư pháp',
      5,
      1,
      1,
      2,
      1,
      1,
      8,
    ]);

    const out = join(dir, 'h1.xlsx');
    const run = await runReportCli(['--plan', plan.planId, '--period', 'H1', '--format', 'xlsx', '--out', out]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`Wrote ${out} (${bytes.length} bytes, ${file.filename}): figures as of ${H1_CUTOFF}\n`);
    expect(readFileSync(out).equals(bytes)).toBe(true);
  });

  it('does refuse an OFFICER with FORBIDDEN and an unknown period or format with BAD_USER_INPUT naming it', async () => {
    const officer = await token(plan.province.code, 'so-tu-phap', ['OFFICER']);
    expectError(await gql(server, officer, EXPORT, { planId: plan.planId, period: 'H1', format: 'MD' }), 'FORBIDDEN');
    const period = await gql(server, supervisor, EXPORT, { planId: plan.planId, period: 'H2', format: 'MD' });
    expectError(period, 'BAD_USER_INPUT');
    expect(period.errors![0].message).toContain('"H2"');
    const format = await gql(server, supervisor, EXPORT, { planId: plan.planId, period: 'YEAR', format: 'PDF' });
    expect(format.errors![0].message).toContain('"PDF"');
    expectError(
      await gql(server, supervisor, EXPORT, { planId: '00000000-0000-4000-8000-000000000000', period: 'YEAR', format: 'MD' }),
      'NOT_FOUND',
    );
  });

  it('does exit 2 with the reason when the CLI is given bad arguments or an unknown plan, and write no file', async () => {
    const out = join(dir, 'bad.md');
    const runs = await Promise.all([
      runReportCli(['--plan', plan.planId, '--period', 'H1', '--format', 'md']),
      runReportCli(['--plan', plan.planId, '--period', 'Q3', '--format', 'md', '--out', out]),
      runReportCli(['--plan', plan.planId, '--period', 'YEAR', '--format', 'pdf', '--out', out]),
      runReportCli(['--plan', plan.planId, '--period', 'YEAR', '--format', 'md', '--out', out, '--colour']),
      runReportCli(['--plan', '00000000-0000-4000-8000-000000000000', '--period', 'YEAR', '--format', 'md', '--out', out]),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[0].stderr).toContain('Missing --out');
    expect(runs[1].stderr).toContain('--period must be H1 (half year) or YEAR, got "Q3"');
    expect(runs[2].stderr).toContain('--format must be xlsx or md, got "pdf"');
    expect(runs[3].stderr).toContain("Unknown option '--colour'");
    expect(runs[4].stderr).toBe('Report refused (NOT_FOUND): No plan with id 00000000-0000-4000-8000-000000000000\n');
    for (const run of runs.slice(0, 4))
      expect(run.stderr).toContain('usage: npm run report -- --plan ID --period H1|YEAR --format xlsx|md --out FILE');
    expect(existsSync(out)).toBe(false);
  });

  it('does write the Markdown report with the agency scorecard', async () => {
    const out = join(dir, 'year.md');
    const run = await runReportCli(['--plan', plan.planId, '--period', 'YEAR', '--format', 'md', '--out', out, '--year', String(YEAR)]);
    expect(run.code).toBe(0);
    const markdown = readFileSync(out, 'utf8');
    expect(markdown).toContain(`| ${AGENCY_HEADERS.join(' | ')} |`);
    expect(markdown).toContain('| 1 | Sở Tư pháp | 5 | 2 | 1 | 0 | 2 | 2 | 130,33 |');
  });
});
