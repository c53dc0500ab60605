import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { gql, startApiServer, token, type ApiServer, type GqlResponse } from './support/api-server';
import { inventedPlan, inventedProvince, planText } from './support/document-fixtures';
import { errorCodes, fire } from './support/e2e-helpers';
import { AGENCIES, seedPlan, testPlan } from './support/fixtures';

// Tenant isolation over real HTTP (CONTRACT.md "Auth"): every token sees and changes only its own
// province, except ADMIN and AUDITOR tokens of province "*". An argument naming another province is
// FORBIDDEN, an empty code BAD_USER_INPUT, an id of another province's object NOT_FOUND (a nullable
// single object may answer null, a list may answer empty). Written to the contract: a case failing
// here is a leak or a wrong answer of the service, not of the test.
//
// Two provinces A and B get the same plan (tasks, a group agency with members, digests). Every
// query and mutation that takes a province code or an id is called by four tokens of A against B;
// after every call, B's rows must be exactly as they were. Adding a query is one entry in CASES.

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const { justice, ict, tax, monitoring } = AGENCIES;
const COMMITTEE = 'uy-ban-nhan-dan-tinh';
const GROUP = { code: 'cac-so-ban-nganh', name: 'Các Sở, Ban ngành', isGroup: true };

// ordinal → lead, coordinating, due
const TASKS = [
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [ict.code] }, // 1 end of 2030; STARTed in seeding
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [], dueAt: inDays(3) }, // 2 in a digest's dueSoon
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [], dueAt: inDays(-2) }, // 3 past due: a sweep target
  { leadAgencyCode: GROUP.code, coordinatingAgencyCodes: [tax.code], dueAt: inDays(2) }, // 4 led by the group
];

type RoleKey = 'OFFICER' | 'SUPERVISOR' | 'LEADER' | 'ADMIN';
const ROLES: RoleKey[] = ['OFFICER', 'SUPERVISOR', 'LEADER', 'ADMIN'];

interface Seeded {
  code: string;
  name: string;
  planId: string;
  taskIds: string[]; // in plan order
  agencyIds: Record<string, string>; // code → id
  notificationIds: string[];
}

interface World {
  a: Seeded;
  b: Seeded;
}

// What one call must answer.
type Outcome =
  // Refused: exactly one error whose code is one of these, and no data of B.
  | { refused: string[] }
  // Gets nothing of B: NOT_FOUND, or an answer that passes `empty` (null, an empty list …).
  | { hidden: (data: any) => void }
  // Answers without error; `check` sees the data (and never any of B's, which is checked for every case).
  | { works: (data: any, w: World) => void };

interface Case {
  name: string; // how the call reads in a test name, e.g. 'plans(provinceCode: B)'
  query: string;
  variables?: (w: World) => Record<string, unknown>;
  expect: Outcome | ((role: RoleKey) => Outcome);
}

const FORBIDDEN: Outcome = { refused: ['FORBIDDEN'] };
const NOT_FOUND: Outcome = { refused: ['NOT_FOUND'] };
const BAD_USER_INPUT: Outcome = { refused: ['BAD_USER_INPUT'] };
// An ADMIN-only mutation on an object of B: ADMIN of A gets NOT_FOUND; other roles may be turned away
// by the role check first, which tells nothing of B either.
const adminOnlyOnB = (role: RoleKey): Outcome => (role === 'ADMIN' ? NOT_FOUND : { refused: ['NOT_FOUND', 'FORBIDDEN'] });
// An ADMIN-only mutation: `admin` for ADMIN, the role check for the others (`alsoAllowed`: codes the
// argument check may answer first).
const adminOnly =
  (admin: Outcome, ...alsoAllowed: string[]) =>
  (role: RoleKey): Outcome =>
    role === 'ADMIN' ? admin : { refused: ['FORBIDDEN', ...alsoAllowed] };

const isNull = (field: string) => (data: any) => expect(data?.[field] ?? null).toBeNull();
const noTasks = (data: any) => {
  expect(data.tasks.totalCount).toBe(0);
  expect(data.tasks.edges).toEqual([]);
};
const allOf = <T>(items: T[], province: (item: T) => string, code: string) =>
  expect(items.map(province).filter((p) => p !== code)).toEqual([]);

const PLANS = 'query Q($p: String) { plans(provinceCode: $p) { id number province { code } monitoringAgency { id } } }';
const AGENCIES_Q =
  'query Q($p: String!) { agencies(provinceCode: $p) { id code isGroup province { code } members { id province { code } } } }';
const TASKS_Q = `query Q($planId: ID, $agencyId: ID, $first: Int) { tasks(planId: $planId, agencyId: $agencyId, first: $first) {
  totalCount edges { node { id plan { id province { code } } leadAgency { id } coordinatingAgencies { id } } } } }`;
const PLAN_Q = 'query Q($id: ID!) { plan(id: $id) { id province { code } tasks(first: 50) { totalCount edges { node { id } } } } }';
const TASK_Q = 'query Q($id: ID!) { task(id: $id) { id state version plan { id } history { seq hash } } }';
const NOTIFICATIONS_Q = `query Q($agencyId: ID) { notifications(agencyId: $agencyId, first: 100) { nodes {
  id agency { id province { code } } overdue { taskId } dueSoon { taskId } coordinatingOverdue { taskId } coordinatingDueSoon { taskId } } } }`;
const TRANSITION_Q = 'mutation M($input: TransitionInput!) { transitionTask(input: $input) { id state version } }';
const SETTINGS_Q =
  'mutation M($input: PlanSettingsInput!) { updatePlanSettings(input: $input) { id coordinatorInputRequired reportingDeadlines { period } } }';
const MEMBERS_Q = 'mutation M($g: ID!, $m: [ID!]!) { setAgencyGroupMembers(groupId: $g, memberIds: $m) { id members { id } } }';
const CREATE_AGENCY_Q = 'mutation M($p: String!, $n: String!) { createAgency(provinceCode: $p, name: $n) { id code province { code } } }';
const MARK_Q = 'mutation M($id: ID!) { markNotificationDelivered(id: $id) { id deliveredAt } }';
const IMPORT_Q = `mutation M($input: ImportPlanInput!) { importPlan(input: $input) {
  status tasksCreated plan { id province { code } } draft { provinceCode } } }`;

// Documents for importPlan, written once per run (their provinces are A's and B's).
const documents = { a: '', b: '' };

// The matrix: every query and mutation of schema.graphql taking a province code or an id, called by
// each token of province A.
const CASES: Case[] = [
  // province code arguments
  { name: 'plans(provinceCode: B)', query: PLANS, variables: (w) => ({ p: w.b.code }), expect: FORBIDDEN },
  { name: 'plans(provinceCode: "")', query: PLANS, variables: () => ({ p: '' }), expect: BAD_USER_INPUT },
  { name: 'plans(provinceCode: "*")', query: PLANS, variables: () => ({ p: '*' }), expect: FORBIDDEN },
  {
    name: 'plans(provinceCode: A)',
    query: PLANS,
    variables: (w) => ({ p: w.a.code }),
    expect: {
      works: (d, w) => {
        expect(d.plans.map((p: any) => p.id)).toContain(w.a.planId);
        allOf(d.plans, (p: any) => p.province.code, w.a.code);
      },
    },
  },
  {
    name: 'plans without provinceCode',
    query: PLANS,
    expect: {
      works: (d, w) => {
        expect(d.plans.map((p: any) => p.id)).toContain(w.a.planId);
        allOf(d.plans, (p: any) => p.province.code, w.a.code);
      },
    },
  },
  { name: 'agencies(provinceCode: B)', query: AGENCIES_Q, variables: (w) => ({ p: w.b.code }), expect: FORBIDDEN },
  { name: 'agencies(provinceCode: "")', query: AGENCIES_Q, variables: () => ({ p: '' }), expect: BAD_USER_INPUT },
  { name: 'agencies(provinceCode: "*")', query: AGENCIES_Q, variables: () => ({ p: '*' }), expect: FORBIDDEN },
  {
    name: 'agencies(provinceCode: A)',
    query: AGENCIES_Q,
    variables: (w) => ({ p: w.a.code }),
    expect: {
      works: (d, w) => {
        expect(d.agencies.map((a: any) => a.id)).toEqual(expect.arrayContaining([w.a.agencyIds[justice.code], w.a.agencyIds[GROUP.code]]));
        allOf(d.agencies, (a: any) => a.province.code, w.a.code);
        const group = d.agencies.find((a: any) => a.id === w.a.agencyIds[GROUP.code]);
        expect(group.members.map((m: any) => m.id).sort()).toEqual([w.a.agencyIds[justice.code], w.a.agencyIds[tax.code]].sort());
      },
    },
  },

  // ids of B's objects, read
  { name: "plan(id: B's plan)", query: PLAN_Q, variables: (w) => ({ id: w.b.planId }), expect: { hidden: isNull('plan') } },
  { name: "task(id: B's task)", query: TASK_Q, variables: (w) => ({ id: w.b.taskIds[0] }), expect: { hidden: isNull('task') } },
  { name: "tasks(planId: B's plan)", query: TASKS_Q, variables: (w) => ({ planId: w.b.planId, first: 100 }), expect: { hidden: noTasks } },
  {
    name: "tasks(agencyId: B's agency)",
    query: TASKS_Q,
    variables: (w) => ({ agencyId: w.b.agencyIds[justice.code], first: 100 }),
    expect: { hidden: noTasks },
  },
  {
    name: "tasks(agencyId: B's group)",
    query: TASKS_Q,
    variables: (w) => ({ agencyId: w.b.agencyIds[GROUP.code], first: 100 }),
    expect: { hidden: noTasks },
  },
  {
    name: 'tasks without planId',
    query: TASKS_Q,
    variables: () => ({ first: 100 }),
    expect: {
      works: (d, w) => {
        const nodes = d.tasks.edges.map((e: any) => e.node);
        expect(nodes.map((t: any) => t.id)).toEqual(expect.arrayContaining(w.a.taskIds));
        allOf(nodes, (t: any) => t.plan.province.code, w.a.code);
      },
    },
  },
  {
    name: "replayTask(taskId: B's task)",
    query: 'query Q($id: ID!) { replayTask(taskId: $id) { state eventsApplied } }',
    variables: (w) => ({ id: w.b.taskIds[0] }),
    expect: NOT_FOUND,
  },
  {
    name: "verifyAuditTrail(planId: B's plan)",
    query: 'query Q($id: ID!) { verifyAuditTrail(planId: $id) { ok tasksChecked } }',
    variables: (w) => ({ id: w.b.planId }),
    expect: NOT_FOUND,
  },
  {
    name: "periodCloses(planId: B's plan)",
    query: 'query Q($id: ID!) { periodCloses(planId: $id) { period hash } }',
    variables: (w) => ({ id: w.b.planId }),
    expect: NOT_FOUND,
  },
  {
    name: "closePeriod(planId: B's plan)",
    query: 'mutation M($id: ID!) { closePeriod(planId: $id, period: "2020-H1") { period hash } }',
    variables: (w) => ({ id: w.b.planId }),
    expect: NOT_FOUND,
  },
  {
    name: "planReports(planId: B's plan)",
    query: 'query Q($id: ID!) { planReports(planId: $id) { agency { id } period expected } }',
    variables: (w) => ({ id: w.b.planId }),
    expect: NOT_FOUND,
  },
  {
    name: "upcomingDeadlines(agencyId: B's agency)",
    query: 'query Q($a: ID!) { upcomingDeadlines(agencyId: $a, withinDays: 30) { id } }',
    variables: (w) => ({ a: w.b.agencyIds[justice.code] }),
    expect: NOT_FOUND,
  },
  {
    name: "overdueTasks(agencyId: B's agency)",
    query: 'query Q($a: ID!) { overdueTasks(agencyId: $a) { id } }',
    variables: (w) => ({ a: w.b.agencyIds[justice.code] }),
    expect: NOT_FOUND,
  },
  {
    name: "notifications(agencyId: B's agency)",
    query: NOTIFICATIONS_Q,
    variables: (w) => ({ agencyId: w.b.agencyIds[justice.code] }),
    expect: NOT_FOUND,
  },
  {
    name: 'notifications without agencyId',
    query: NOTIFICATIONS_Q,
    expect: { works: (d, w) => allOf(d.notifications.nodes, (n: any) => n.agency.province.code, w.a.code) },
  },

  // mutations on B's objects or province
  {
    name: "transitionTask(START on B's task)",
    query: TRANSITION_Q,
    variables: (w) => ({ input: { taskId: w.b.taskIds[1], event: 'START' } }),
    expect: NOT_FOUND,
  },
  {
    name: "transitionTask(SUBMIT_REPORT on B's started task)",
    query: TRANSITION_Q,
    variables: (w) => ({ input: { taskId: w.b.taskIds[0], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo của tỉnh khác' } } }),
    expect: NOT_FOUND,
  },
  {
    name: "updatePlanSettings(B's plan)",
    query: SETTINGS_Q,
    variables: (w) => ({
      input: { planId: w.b.planId, coordinatorInputRequired: true, reportingDeadlines: [{ period: 'Q1', dueMonthDay: '03-01' }] },
    }),
    expect: adminOnlyOnB,
  },
  {
    name: "setAgencyGroupMembers(B's group)",
    query: MEMBERS_Q,
    variables: (w) => ({ g: w.b.agencyIds[GROUP.code], m: [] }),
    expect: adminOnlyOnB,
  },
  {
    name: "setAgencyGroupMembers(A's group, members: B's agency)",
    query: MEMBERS_Q,
    variables: (w) => ({ g: w.a.agencyIds[GROUP.code], m: [w.a.agencyIds[justice.code], w.b.agencyIds[ict.code]] }),
    expect: adminOnlyOnB,
  },
  {
    name: 'createAgency(provinceCode: B)',
    query: CREATE_AGENCY_Q,
    variables: (w) => ({ p: w.b.code, n: `Sở Cách Ly ${randomUUID().slice(0, 8)}` }),
    expect: FORBIDDEN,
  },
  {
    name: 'createAgency(provinceCode: "")',
    query: CREATE_AGENCY_Q,
    variables: () => ({ p: '', n: `Sở Cách Ly ${randomUUID().slice(0, 8)}` }),
    expect: adminOnly(BAD_USER_INPUT, 'BAD_USER_INPUT'),
  },
  {
    name: 'createAgency(provinceCode: "*")',
    query: CREATE_AGENCY_Q,
    variables: () => ({ p: '*', n: `Sở Cách Ly ${randomUUID().slice(0, 8)}` }),
    expect: FORBIDDEN,
  },
  {
    name: 'createAgency(provinceCode: A)',
    query: CREATE_AGENCY_Q,
    variables: (w) => ({ p: w.a.code, n: `Sở Cách Ly ${randomUUID().slice(0, 8)}` }),
    expect: adminOnly({ works: (d, w) => expect(d.createAgency.province.code).toBe(w.a.code) }),
  },
  {
    name: "markNotificationDelivered(B's notification)",
    query: MARK_Q,
    variables: (w) => ({ id: w.b.notificationIds[0] }),
    expect: adminOnlyOnB,
  },
  {
    name: 'importPlan(provinceCode: B)',
    query: IMPORT_Q,
    variables: (w) => ({ input: { format: 'PLAN_TEXT', content: documents.b, provinceCode: w.b.code } }),
    expect: FORBIDDEN,
  },
  {
    name: 'importPlan of a document naming province B',
    query: IMPORT_Q,
    variables: () => ({ input: { format: 'PLAN_TEXT', content: documents.b } }),
    expect: FORBIDDEN,
  },
  {
    name: 'importPlan(provinceCode: "", dryRun)',
    query: IMPORT_Q,
    variables: () => ({ input: { format: 'PLAN_TEXT', content: documents.a, provinceCode: '', dryRun: true } }),
    expect: adminOnly(BAD_USER_INPUT, 'BAD_USER_INPUT'),
  },
  {
    // "*" is no province slug either: BAD_USER_INPUT tells nothing more than FORBIDDEN
    name: 'importPlan(provinceCode: "*", dryRun)',
    query: IMPORT_Q,
    variables: () => ({ input: { format: 'PLAN_TEXT', content: documents.a, provinceCode: '*', dryRun: true } }),
    expect: { refused: ['FORBIDDEN', 'BAD_USER_INPUT'] },
  },
  {
    name: 'importPlan(provinceCode: A, dryRun)',
    query: IMPORT_Q,
    variables: (w) => ({ input: { format: 'PLAN_TEXT', content: documents.a, provinceCode: w.a.code, dryRun: true } }),
    expect: adminOnly({
      works: (d, w) => expect(d.importPlan).toMatchObject({ status: 'DRY_RUN', plan: null, draft: { provinceCode: w.a.code } }),
    }),
  },
  {
    name: 'runDeadlineSweep',
    query: 'mutation { runDeadlineSweep }',
    expect: adminOnly({ works: (d) => expect(d.runDeadlineSweep).toEqual(expect.any(Number)) }),
  },
  {
    name: 'runDailyDigest(asOf: yesterday)',
    query: 'mutation M($at: DateTime) { runDailyDigest(asOf: $at) }',
    variables: () => ({ at: inDays(-1) }),
    expect: adminOnly({ works: (d) => expect(d.runDailyDigest).toEqual(expect.any(Number)) }),
  },
];

// National tokens (province "*"): they see both provinces, and a province argument narrows.
type NationalKey = 'national ADMIN' | 'national AUDITOR';
const NATIONAL_CASES: { does: string; name: string; query: string; variables?: (w: World) => Record<string, unknown>; expect: Outcome }[] =
  [
    {
      does: 'list the plans of A and of B',
      name: 'plans without provinceCode',
      query: PLANS,
      expect: { works: (d, w) => expect(d.plans.map((p: any) => p.id)).toEqual(expect.arrayContaining([w.a.planId, w.b.planId])) },
    },
    {
      does: "list only B's plans",
      name: 'plans(provinceCode: B)',
      query: PLANS,
      variables: (w) => ({ p: w.b.code }),
      expect: { works: (d, w) => expect(d.plans.map((p: any) => [p.id, p.province.code])).toEqual([[w.b.planId, w.b.code]]) },
    },
    {
      does: "list only A's plans",
      name: 'plans(provinceCode: A)',
      query: PLANS,
      variables: (w) => ({ p: w.a.code }),
      expect: { works: (d, w) => expect(d.plans.map((p: any) => [p.id, p.province.code])).toEqual([[w.a.planId, w.a.code]]) },
    },
    { does: 'answer BAD_USER_INPUT', name: 'plans(provinceCode: "")', query: PLANS, variables: () => ({ p: '' }), expect: BAD_USER_INPUT },
    {
      does: "list exactly B's agencies",
      name: 'agencies(provinceCode: B)',
      query: AGENCIES_Q,
      variables: (w) => ({ p: w.b.code }),
      expect: { works: (d, w) => expect(d.agencies.map((a: any) => a.id).sort()).toEqual(Object.values(w.b.agencyIds).sort()) },
    },
    {
      does: 'answer BAD_USER_INPUT',
      name: 'agencies(provinceCode: "")',
      query: AGENCIES_Q,
      variables: () => ({ p: '' }),
      expect: BAD_USER_INPUT,
    },
    {
      does: "answer B's plan with its tasks",
      name: "plan(id: B's plan)",
      query: PLAN_Q,
      variables: (w) => ({ id: w.b.planId }),
      expect: {
        works: (d, w) =>
          expect(d.plan).toMatchObject({ id: w.b.planId, province: { code: w.b.code }, tasks: { totalCount: w.b.taskIds.length } }),
      },
    },
    {
      does: "answer A's task",
      name: "task(id: A's task)",
      query: TASK_Q,
      variables: (w) => ({ id: w.a.taskIds[0] }),
      expect: { works: (d, w) => expect(d.task).toMatchObject({ id: w.a.taskIds[0], plan: { id: w.a.planId } }) },
    },
    {
      does: "list A's tasks and B's tasks",
      name: "tasks(planId: A's plan) and tasks(planId: B's plan)",
      query: `query Q($a: ID, $b: ID) {
      a: tasks(planId: $a, first: 100) { edges { node { id } } } b: tasks(planId: $b, first: 100) { edges { node { id } } } }`,
      variables: (w) => ({ a: w.a.planId, b: w.b.planId }),
      expect: {
        works: (d, w) => {
          expect(d.a.edges.map((e: any) => e.node.id)).toEqual(w.a.taskIds);
          expect(d.b.edges.map((e: any) => e.node.id)).toEqual(w.b.taskIds);
        },
      },
    },
  ];

describe('tenant isolation', () => {
  const provinceA = inventedProvince('Cách Ly');
  const provinceB = inventedProvince('Cách Ly');
  const world = {} as World;
  const tokensOfA = {} as Record<RoleKey, string>;
  const national = {} as Record<NationalKey, string>;
  let server: ApiServer;
  let pg: Client;
  let baselineOfB: Snapshot;

  beforeAll(async () => {
    const agencies = [...Object.values(AGENCIES), GROUP];
    const { planId: planA } = await seedPlan({ ...testPlan(provinceA, TASKS), agencies });
    const { planId: planB } = await seedPlan({ ...testPlan(provinceB, TASKS), agencies });
    documents.a = planText(inventedPlan({ province: provinceA }));
    documents.b = planText(inventedPlan({ province: provinceB }));
    pg = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await pg.connect();
    server = await startApiServer();
    world.a = await seeded(provinceA, planA);
    world.b = await seeded(provinceB, planB);

    tokensOfA.OFFICER = await token(provinceA.code, justice.code, ['OFFICER'], 'officer-a');
    tokensOfA.SUPERVISOR = await token(provinceA.code, monitoring.code, ['SUPERVISOR'], 'supervisor-a');
    tokensOfA.LEADER = await token(provinceA.code, COMMITTEE, ['LEADER'], 'leader-a');
    tokensOfA.ADMIN = await token(provinceA.code, 'so-noi-vu', ['ADMIN'], 'admin-a');
    national['national ADMIN'] = await token('*', 'bo-ke-hoach-va-dau-tu', ['ADMIN'], 'admin-national');
    national['national AUDITOR'] = await token('*', 'kiem-toan-nha-nuoc', ['AUDITOR'], 'auditor-national');

    // Each province's own people give it members, history and digests.
    for (const [side, province] of [
      ['a', provinceA],
      ['b', provinceB],
    ] as const) {
      const admin = await token(province.code, 'so-noi-vu', ['ADMIN'], `admin-${side}-seed`);
      const officer = await token(province.code, justice.code, ['OFFICER'], `officer-${side}-seed`);
      const ids = world[side].agencyIds;
      const members = await gql(server, admin, MEMBERS_Q, { g: ids[GROUP.code], m: [ids[justice.code], ids[tax.code]] });
      if (members.errors) throw new Error(`setAgencyGroupMembers failed: ${JSON.stringify(members.errors)}`);
      await fire(server, officer, { taskId: world[side].taskIds[0], event: 'START' });
      const digest = await gql(server, admin, 'mutation { runDailyDigest }');
      if (digest.errors || !(digest.data!.runDailyDigest > 0)) throw new Error(`runDailyDigest wrote nothing: ${JSON.stringify(digest)}`);
      world[side].notificationIds = (
        await pg.query('SELECT id FROM notifications WHERE province_code = $1 ORDER BY id', [province.code])
      ).rows.map((r) => r.id);
    }
    baselineOfB = await snapshot(provinceB.code);
  });

  afterAll(async () => {
    await server?.stop();
    await pg?.end();
  });

  async function seeded(province: { code: string; name: string }, planId: string): Promise<Seeded> {
    const tasks = await pg.query('SELECT id FROM tasks WHERE province_code = $1 AND plan_id = $2 ORDER BY sort_key', [
      province.code,
      planId,
    ]);
    const agencies = await pg.query('SELECT id, code FROM agencies WHERE province_code = $1', [province.code]);
    return {
      ...province,
      planId,
      taskIds: tasks.rows.map((r) => r.id),
      notificationIds: [],
      agencyIds: Object.fromEntries(agencies.rows.map((r) => [r.code, r.id])),
    };
  }

  // Every row of a province: counts, the tasks' states and versions, and a hash of each table.
  type Snapshot = Record<string, unknown>;
  async function snapshot(code: string): Promise<Snapshot> {
    const tables = [
      'provinces',
      'agencies',
      'agency_group_members',
      'plans',
      'sections',
      'tasks',
      'task_coordinators',
      'task_events',
      'notifications',
    ];
    const rows = await pg.query(
      tables
        .map(
          (table, i) => `SELECT ${i} AS i, count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h
          FROM ${table} x WHERE ${table === 'provinces' ? 'code' : 'province_code'} = $1`,
        )
        .join(' UNION ALL '),
      [code],
    );
    const tasks = await pg.query('SELECT id, state, version, due_at, late FROM tasks WHERE province_code = $1 ORDER BY sort_key', [code]);
    const members = await pg.query('SELECT group_id, member_id FROM agency_group_members WHERE province_code = $1 ORDER BY 1, 2', [code]);
    const delivered = await pg.query('SELECT id, delivered_at FROM notifications WHERE province_code = $1 ORDER BY id', [code]);
    return {
      rowCounts: Object.fromEntries(rows.rows.map((r) => [tables[r.i], r.n])),
      tasks: tasks.rows,
      groupMembers: members.rows,
      notifications: delivered.rows,
      tableHashes: Object.fromEntries(rows.rows.map((r) => [tables[r.i], r.h])),
    };
  }

  // B's identifiers; none may appear in an answer to a token of A.
  function identifiersOfB(): string[] {
    const b = world.b;
    return [b.code, b.name, b.planId, ...b.taskIds, ...Object.values(b.agencyIds), ...b.notificationIds];
  }

  function describeResult(result: GqlResponse): string {
    const errors = (result.errors ?? []).map((e) => `${e.extensions?.code}: ${e.message}`);
    return JSON.stringify({ status: result.status, errors, data: result.data }).slice(0, 600);
  }

  function check(result: GqlResponse, outcome: Outcome): void {
    if (result.status >= 500) throw new Error(`HTTP ${result.status}: ${describeResult(result)}`);
    const codes = errorCodes(result);
    if ('refused' in outcome) {
      if (codes.length !== 1 || !outcome.refused.includes(codes[0]!)) {
        throw new Error(`expected one ${outcome.refused.join(' or ')} error, got ${describeResult(result)}`);
      }
    } else if ('hidden' in outcome) {
      if (codes.length > 0) {
        if (codes.length !== 1 || codes[0] !== 'NOT_FOUND')
          throw new Error(`expected NOT_FOUND or nothing of B, got ${describeResult(result)}`);
      } else {
        outcome.hidden(result.data);
      }
    } else {
      if (codes.length > 0) throw new Error(`expected an answer, got ${describeResult(result)}`);
      outcome.works(result.data, world);
    }
  }

  const outcomeName = (outcome: Outcome) =>
    'refused' in outcome
      ? `answer ${outcome.refused.join(' or ')}`
      : 'hidden' in outcome
        ? "answer nothing of B's"
        : "answer only A's data";

  it('does seed B with rows in every table it watches, so an unchanged snapshot means something', () => {
    const counts = baselineOfB.rowCounts as Record<string, number>;
    expect(Object.entries(counts).filter(([, n]) => n === 0)).toEqual([]);
    expect(world.b.notificationIds.length).toBeGreaterThan(0);
    expect(world.b.taskIds).toHaveLength(TASKS.length);
  });

  describe('tokens of province A against province B', () => {
    for (const item of CASES) {
      describe(item.name, () => {
        for (const role of ROLES) {
          const outcome = typeof item.expect === 'function' ? item.expect(role) : item.expect;
          it(`does ${outcomeName(outcome)} and leave B unchanged when the ${role} of A calls ${item.name}`, async () => {
            const result = await gql(server, tokensOfA[role], item.query, item.variables?.(world) ?? {});
            const leaked = identifiersOfB().filter((id) => JSON.stringify(result.data ?? null).includes(id));
            expect({ leakedIdentifiersOfB: leaked }).toEqual({ leakedIdentifiersOfB: [] });
            check(result, outcome);
            expect(await snapshot(world.b.code)).toEqual(baselineOfB);
          });
        }
      });
    }

    it("does sweep only A's tasks when the ADMIN of A runs runDeadlineSweep", async () => {
      // the matrix ran the sweep as A's ADMIN: A's past-due task is OVERDUE, B's is not
      const states = await pg.query('SELECT province_code, state FROM tasks WHERE id = ANY($1) ORDER BY province_code = $2 DESC', [
        [world.a.taskIds[2], world.b.taskIds[2]],
        world.a.code,
      ]);
      expect(states.rows).toEqual([
        { province_code: world.a.code, state: 'OVERDUE' },
        { province_code: world.b.code, state: 'ASSIGNED' },
      ]);
    });
  });

  describe('national tokens', () => {
    for (const item of NATIONAL_CASES) {
      for (const who of Object.keys({ 'national ADMIN': 0, 'national AUDITOR': 0 }) as NationalKey[]) {
        it(`does ${item.does} when the ${who} calls ${item.name}`, async () => {
          const result = await gql(server, national[who], item.query, item.variables?.(world) ?? {});
          check(result, item.expect);
        });
      }
    }

    it('does leave every row of B unchanged when the whole matrix has run', async () => {
      expect(await snapshot(world.b.code)).toEqual(baselineOfB);
    });
  });
});
