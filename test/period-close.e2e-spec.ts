import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, print, type DefinitionNode } from 'graphql';
import { createDataSource } from '../apps/api/src/database/data-source';
import { AGENCY_CODES } from '../apps/api/src/test-support/int-helpers';
import { seedScriptedPlan, type ScriptedPlan } from '../apps/api/src/test-support/scripted-plan';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { expectError, fire, withPg } from './support/e2e-helpers';

// closePeriod over HTTP on the scripted plan set two years back (the server runs on the real clock):
// the contract's shape, who may close, a sealed report that later events do not change, and an
// edit of the sealed figures that verifyAuditTrail and `npm run verify-audit` catch.

const VERIFY_JS = resolve(__dirname, '../dist/apps/api/apps/api/src/cli/verify-audit.js');
const YEAR = new Date().getUTCFullYear() - 2;

const CLOSE = `mutation C($planId: ID!, $period: String!) { closePeriod(planId: $planId, period: $period) { planId period cutoff closedAt hash } }`;
const EXPORT = `query E($planId: ID!, $format: ReportFormat!, $year: Int, $amendments: Boolean) {
  planReportExport(planId: $planId, period: H1, format: $format, year: $year, amendments: $amendments) { base64 asOf }
}`;
const VERIFY = `query V($planId: ID!) { verifyAuditTrail(planId: $planId) { ok periodsChecked brokenPeriods { period problem detail } brokenTaskIds } }`;

function definitions(text: string): Map<string, DefinitionNode> {
  return new Map(
    (parse(text).definitions as DefinitionNode[]).flatMap((d) =>
      'name' in d && d.name ? [[d.name.value, d] as [string, DefinitionNode]] : [],
    ),
  );
}

function runVerifyCli(planId: string): Promise<{ code: number; stdout: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [VERIFY_JS, '--plan', planId],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: process.env.TEST_DATABASE_URL!, LOG_LEVEL: 'warn' }, timeout: 60_000 },
      (error, stdout) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
    );
  });
}

describe('closePeriod', () => {
  let server: ApiServer;
  let plan: ScriptedPlan;
  let supervisor: string;

  beforeAll(async () => {
    const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
    await dataSource.initialize();
    try {
      plan = await seedScriptedPlan(dataSource, 'period-close', { year: YEAR });
    } finally {
      await dataSource.destroy();
    }
    server = await startApiServer();
    supervisor = await token(plan.province.code, AGENCY_CODES.monitoring, ['SUPERVISOR']);
  });

  afterAll(async () => server?.stop());

  it('does serve PeriodClose and closePeriod exactly as CONTRACT.md declares them', () => {
    const contractBlock = [
      ...readFileSync(resolve(__dirname, '../../shared/CONTRACT.md'), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g),
    ][1][1];
    const contract = definitions(contractBlock);
    const ours = definitions(readFileSync(resolve(__dirname, '../schema.graphql'), 'utf8'));
    const fieldsOf = (node: DefinitionNode | undefined) =>
      new Map(((node as { fields?: { name: { value: string } }[] }).fields ?? []).map((f) => [f.name.value, print(f as never)]));
    const ourClose = fieldsOf(ours.get('PeriodClose'));
    for (const [name, field] of fieldsOf(contract.get('PeriodClose')))
      expect(ourClose.get(name)?.replace(/^"""[\s\S]*?"""\s*|^"[^"\n]*"\s*/, '')).toBe(field);
    // argument order aside (the generated schema sorts them), the same arguments and result
    type Field = { name: { value: string }; type: never; arguments: { name: { value: string }; type: never }[] };
    const shape = (node: DefinitionNode | undefined) => {
      const field = (node as unknown as { fields: Field[] }).fields.find((f) => f.name.value === 'closePeriod')!;
      const args = field.arguments.map((a) => `${a.name.value}: ${print(a.type)}`).sort();
      return { args, type: print(field.type) };
    };
    expect(shape(ours.get('Mutation'))).toEqual(
      shape(definitions(`type Mutation { closePeriod(planId: ID!, period: String!): PeriodClose! }`).get('Mutation')),
    );
    expect(contractBlock).toContain('closePeriod(planId: ID!, period: String!): PeriodClose!');
  });

  it('does refuse an OFFICER and a SUPERVISOR of another agency with FORBIDDEN naming the rule', async () => {
    for (const agency of [AGENCY_CODES.justice, AGENCY_CODES.tax]) {
      for (const role of ['OFFICER', 'SUPERVISOR'] as const) {
        const result = await gql(server, await token(plan.province.code, agency, [role]), CLOSE, {
          planId: plan.planId,
          period: `${YEAR}-H1`,
        });
        expectError(result, 'FORBIDDEN', 'period-close-needs-monitoring-supervisor');
      }
    }
  });

  it('does refuse an unknown period and one whose cut-off is to come with BAD_USER_INPUT', async () => {
    expectError(await gql(server, supervisor, CLOSE, { planId: plan.planId, period: `${YEAR}-H2` }), 'BAD_USER_INPUT', 'period must be');
    expectError(await gql(server, supervisor, CLOSE, { planId: plan.planId, period: String(YEAR + 3) }), 'BAD_USER_INPUT', 'still to come');
  });

  it('does seal the half year once, keep its report byte-identical after later events, and list them as amendments', async () => {
    const closed = await gql(server, supervisor, CLOSE, { planId: plan.planId, period: `${YEAR}-H1` });
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closePeriod).toEqual({
      planId: plan.planId,
      period: `${YEAR}-H1`,
      cutoff: `${YEAR}-06-14T16:59:59.999Z`,
      closedAt: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expectError(await gql(server, supervisor, CLOSE, { planId: plan.planId, period: `${YEAR}-H1` }), 'CONFLICT', 'closed already');

    const exportBoth = () =>
      Promise.all(['XLSX', 'MD'].map((format) => gql(server, supervisor, EXPORT, { planId: plan.planId, format, year: YEAR })));
    const before = await exportBoth();
    const officer = await token(plan.province.code, AGENCY_CODES.tax, ['OFFICER']);
    await fire(server, officer, { taskId: plan.byOrdinal.get('II.5')!, event: 'START' });
    const after = await exportBoth();
    expect(after.map((r, i) => r.data!.planReportExport.base64 === before[i].data!.planReportExport.base64)).toEqual([true, true]);
    const amended = await gql(server, supervisor, EXPORT, { planId: plan.planId, format: 'MD', year: YEAR, amendments: true });
    const markdown = Buffer.from(amended.data!.planReportExport.base64, 'base64').toString('utf8');
    expect(markdown).toContain('## Điều chỉnh sau thời điểm chốt số liệu');
    expect(markdown).toMatch(/\| START \| Chưa triển khai \| Đang thực hiện \|/);
  });

  it('does catch an edit of the sealed figures in verifyAuditTrail and in npm run verify-audit (exit 1), naming the period', async () => {
    const auditor = await token('*', 'kiem-toan', ['AUDITOR']);
    expect((await gql(server, auditor, VERIFY, { planId: plan.planId })).data!.verifyAuditTrail).toMatchObject({
      ok: true,
      periodsChecked: 1,
    });
    expect((await runVerifyCli(plan.planId)).code).toBe(0);
    await withPg(async (client) => {
      await client.query('SET session_replication_role = replica'); // past the append-only trigger, as a superuser could
      const { rowCount } = await client.query(
        `UPDATE period_closes SET figures = jsonb_set(figures, '{scores,total,overdue}', '0') WHERE plan_id = $1 AND period = $2`,
        [plan.planId, `${YEAR}-H1`],
      );
      expect(rowCount).toBe(1);
      await client.query('SET session_replication_role = origin');
    });
    const verdict = (await gql(server, auditor, VERIFY, { planId: plan.planId })).data!.verifyAuditTrail;
    expect(verdict).toMatchObject({ ok: false, periodsChecked: 1, brokenTaskIds: [] });
    expect(verdict.brokenPeriods).toEqual([expect.objectContaining({ period: `${YEAR}-H1`, problem: 'CHAIN_BROKEN' })]);
    const run = await runVerifyCli(plan.planId);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`period ${YEAR}-H1 (close #1) CHAIN_BROKEN`);
  });
});
