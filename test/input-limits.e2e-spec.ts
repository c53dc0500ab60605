import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, storedTask, withPg } from './support/e2e-helpers';

// Every free-text argument of a mutation has a maximum length and refuses text PostgreSQL cannot
// store (NUL, unpaired surrogates) with BAD_USER_INPUT naming the field, changing nothing.
const TRANSITION = 'mutation T($input: TransitionInput!) { transitionTask(input: $input) { id } }';
const CREATE_AGENCY =
  'mutation A($p: String!, $n: String!, $a: [String!]) { createAgency(provinceCode: $p, name: $n, aliases: $a) { id } }';
const IMPORT = 'mutation I($input: ImportPlanInput!) { importPlan(input: $input) { tasksCreated } }';
const SETTINGS = 'mutation S($input: PlanSettingsInput!) { updatePlanSettings(input: $input) { id } }';

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
const long = (n: number) => 'x'.repeat(n + 1);

interface Case {
  name: string;
  who: 'lead' | 'coordinator' | 'admin' | 'national';
  query: string;
  variables: (ids: { taskId: string; planId: string; province: string }) => Record<string, unknown>;
  field: string;
}

const transitionCase = (name: string, who: Case['who'], input: Record<string, unknown>, field: string): Case => ({
  name,
  who,
  query: TRANSITION,
  variables: ({ taskId }) => ({ input: { taskId, ...input } }),
  field,
});

const CASES: Case[] = [
  transitionCase('comment too long', 'lead', { event: 'START', comment: long(4000) }, 'comment'),
  transitionCase('comment with NUL', 'lead', { event: 'START', comment: NUL }, 'comment'),
  transitionCase('report summary with a lone surrogate', 'lead', { event: 'SUBMIT_REPORT', report: { summary: LONE } }, 'report.summary'),
  transitionCase('report value too long', 'lead', { event: 'SUBMIT_REPORT', report: { summary: 's', value: long(2000) } }, 'report.value'),
  transitionCase(
    'report summary too long on an event that ignores it',
    'lead',
    { event: 'START', report: { summary: long(20000) } },
    'report.summary',
  ),
  transitionCase(
    'extension reason too long',
    'lead',
    { event: 'REQUEST_EXTENSION', comment: long(4000), newDueAt: '2031-06-30T00:00:00Z' },
    'comment',
  ),
  transitionCase('contribution with NUL', 'coordinator', { event: 'CONTRIBUTE', comment: NUL }, 'comment'),
  transitionCase('idempotencyKey too long', 'lead', { event: 'START', idempotencyKey: long(200) }, 'idempotencyKey'),
  ...[
    ['agency name too long', { n: long(300) }, 'name'],
    ['agency name with NUL', { n: NUL }, 'name'],
    ['agency alias too long', { a: [long(300)] }, 'aliases'],
    ['agency alias with a lone surrogate', { a: [LONE] }, 'aliases'],
  ].map(([name, vars, field]): Case => ({
    name: name as string,
    who: 'admin',
    query: CREATE_AGENCY,
    variables: ({ province }) => ({ p: province, n: 'Sở Mới', ...(vars as object) }),
    field: field as string,
  })),
  {
    name: 'agency province code with NUL (national ADMIN)',
    who: 'national',
    query: CREATE_AGENCY,
    variables: () => ({ p: NUL, n: 'Sở Mới' }),
    field: 'provinceCode',
  },
  {
    name: 'import province code with NUL',
    who: 'national',
    query: IMPORT,
    variables: () => ({ input: { format: 'PLAN_TEXT', content: 'KẾ HOẠCH', provinceCode: NUL } }),
    field: 'provinceCode',
  },
  {
    name: 'import content with NUL',
    who: 'national',
    query: IMPORT,
    variables: () => ({ input: { format: 'PLAN_TEXT', content: `KẾ HOẠCH ${NUL}` } }),
    field: 'content',
  },
  {
    name: 'plan settings period with NUL',
    who: 'admin',
    query: SETTINGS,
    variables: ({ planId }) => ({ input: { planId, reportingDeadlines: [{ period: NUL, dueMonthDay: '06-05' }] } }),
    field: 'reportingDeadlines[0].period',
  },
  {
    name: 'plan settings dueMonthDay too long',
    who: 'admin',
    query: SETTINGS,
    variables: ({ planId }) => ({ input: { planId, reportingDeadlines: [{ period: 'H1', dueMonthDay: long(100) }] } }),
    field: 'reportingDeadlines[0].dueMonthDay',
  },
];

describe('input limits', () => {
  const province = uniqueProvince('limits');
  let server: ApiServer;
  let tokens: Record<Case['who'], string>;
  let ids: { taskId: string; planId: string; province: string };

  beforeAll(async () => {
    const { planId } = await seedPlan(testPlan(province, [{}]));
    server = await startApiServer();
    tokens = {
      lead: await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'limits-lead'),
      coordinator: await token(province.code, AGENCIES.ict.code, ['OFFICER'], 'limits-coordinator'),
      admin: await token(province.code, 'uy-ban-nhan-dan-tinh', ['ADMIN'], 'limits-admin'),
      national: await token('*', 'bo-noi-vu', ['ADMIN'], 'limits-national'),
    };
    const page = await gql(server, tokens.admin, '{ tasks(first: 1) { edges { node { id } } } }');
    ids = { taskId: page.data!.tasks.edges[0].node.id, planId, province: province.code };
  });

  afterAll(async () => server?.stop());

  const agencyCount = () =>
    withPg(async (c) => (await c.query('SELECT count(*)::int AS n FROM agencies WHERE province_code = $1', [province.code])).rows[0].n);

  it.each(CASES.map((c) => [c.name, c] as const))('does refuse with BAD_USER_INPUT naming the field when %s', async (_name, c) => {
    const before = { task: await storedTask(ids.taskId), agencies: await agencyCount() };
    const result = await gql(server, tokens[c.who], c.query, c.variables(ids));
    expectError(result, 'BAD_USER_INPUT', c.field);
    expect({ task: await storedTask(ids.taskId), agencies: await agencyCount() }).toEqual(before);
  });
});
