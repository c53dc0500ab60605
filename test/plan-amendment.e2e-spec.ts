import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { inventedPlan, planText, type InventedPlan, type TaskRow } from './support/document-fixtures';
import { expectError, fire, transition } from './support/e2e-helpers';

// An amended plan (sửa đổi, bổ sung) over HTTP: importPlan of a newer version of a plan already
// imported shows its diff on a dry run and applies it; removed tasks are withdrawn (a split one with
// its children), changed ones amended with their history kept, and users cannot withdraw or amend.

const IMPORT = `mutation Import($input: ImportPlanInput!) {
  importPlan(input: $input) {
    status tasksCreated warnings
    plan { id issuedOn }
    amendment {
      fromVersion toVersion unchanged tasksWithdrawn tasksChanged
      added { ordinal title taskId }
      removed { ordinal taskId note }
      changed { ordinal taskId note changes { field from to } }
    }
  }
}`;

const PLAN = `query Plan($id: ID!) {
  plan(id: $id) {
    issuedOn
    versions { version issuedOn added removed changed }
    tasks(first: 50) { edges { node { id ordinal state dueAt originalDueAt parent { id } history { type fromState toState actor } } } }
  }
}`;

interface TaskNode {
  id: string;
  ordinal: string;
  state: string;
  dueAt: string | null;
  originalDueAt: string | null;
  parent: { id: string } | null;
  history: { type: string; fromState: string | null; toState: string; actor: string | null }[];
}

describe('plan amendments over GraphQL', () => {
  let server: ApiServer;
  let admin: string;
  const plan = inventedPlan();
  const year = plan.year;
  const [section, first, second] = plan.rows as [InventedPlan['rows'][number], TaskRow, TaskRow];
  const amended: InventedPlan = {
    ...plan,
    issuedOn: `${year}-03-10`,
    rows: [
      section,
      { ...first, timeframe: `Quý III năm ${year}` },
      second,
      {
        ordinal: '4',
        title: 'Nhiệm vụ thử nghiệm bổ sung của bản sửa đổi',
        lead: ['Sở Tư pháp'],
        coordinating: ['Sở Nội vụ'],
        timeframe: `Năm ${year}`,
      },
    ],
  };

  beforeAll(async () => {
    server = await startApiServer();
    admin = await token('*', 'bo-ke-hoach-va-dau-tu', ['ADMIN'], 'admin-national');
  });

  afterAll(async () => server?.stop());

  const importPlan = async (doc: InventedPlan, dryRun = false) => {
    const result = await gql(server, admin, IMPORT, { input: { format: 'PLAN_TEXT', content: planText(doc), dryRun } });
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
    return result.data!.importPlan;
  };

  const tasksOf = async (planId: string) => {
    const result = await gql(server, admin, PLAN, { id: planId });
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
    return { plan: result.data!.plan, tasks: result.data!.plan.tasks.edges.map((e: { node: TaskNode }) => e.node) as TaskNode[] };
  };

  let planId: string;
  let auditor: string;

  it('does import the first version and let the lead agency start a task', async () => {
    const created = await importPlan(plan);
    expect(created).toMatchObject({ status: 'CREATED', amendment: null });
    planId = created.plan.id;
    auditor = await token('*', 'kiem-toan', ['AUDITOR'], 'auditor-national');
    const { tasks } = await tasksOf(planId);
    const one = tasks.find((t) => t.ordinal === '1')!;
    const lead = await token(plan.province.code, 'so-tu-phap', ['OFFICER'], 'lead-officer');
    await fire(server, lead, { taskId: one.id, event: 'START' });
  });

  it('does show the diff on a dry run, naming what changed, and write nothing', async () => {
    const dry = await importPlan(amended, true);
    expect(dry.status).toBe('DRY_RUN');
    expect(dry.plan).toBeNull();
    expect(dry.amendment).toMatchObject({ fromVersion: 1, toVersion: 2, unchanged: 1, tasksWithdrawn: 3, tasksChanged: 1 });
    expect(dry.amendment.added).toEqual([{ ordinal: '4', title: 'Nhiệm vụ thử nghiệm bổ sung của bản sửa đổi', taskId: null }]);
    expect(dry.amendment.removed.map((t: { ordinal: string }) => t.ordinal)).toEqual(['3']);
    expect(dry.amendment.changed).toHaveLength(1);
    expect(dry.amendment.changed[0].changes.map((c: { field: string }) => c.field)).toEqual(['timeframe', 'schedule']);
    const { plan: stored } = await tasksOf(planId);
    expect(stored.versions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it('does apply it: the split task withdrawn with its children, the changed one amended, the new one added', async () => {
    const applied = await importPlan(amended);
    expect(applied).toMatchObject({ status: 'AMENDED', tasksCreated: 1, plan: { id: planId, issuedOn: `${year}-03-10` } });
    expect(applied.amendment).toMatchObject({ tasksWithdrawn: 3, tasksChanged: 1 });
    const { plan: stored, tasks } = await tasksOf(planId);
    expect(stored.versions).toEqual([
      { version: 1, issuedOn: plan.issuedOn, added: null, removed: null, changed: null },
      { version: 2, issuedOn: `${year}-03-10`, added: 1, removed: 1, changed: 1 },
    ]);
    const three = tasks.filter((t) => t.ordinal === '3' || t.ordinal.startsWith('3.'));
    expect(three.map((t) => [t.ordinal, t.state])).toEqual([
      ['3', 'WITHDRAWN'],
      ['3.1', 'WITHDRAWN'],
      ['3.2', 'WITHDRAWN'],
    ]);
    expect(three[0].history.at(-1)).toMatchObject({ type: 'WITHDRAW', toState: 'WITHDRAWN', actor: 'system:amendment' });
    const one = tasks.find((t) => t.ordinal === '1')!;
    expect(one.history.map((h) => h.type)).toEqual(['START', 'AMEND']);
    expect(one.state).toBe('IN_PROGRESS');
    // the end of the third quarter, Vietnam time, is the plan's own date now
    expect(one.dueAt).toBe(`${year}-09-30T16:59:59.999Z`);
    expect(one.originalDueAt).toBe(one.dueAt);
    expect(tasks.find((t) => t.ordinal === '4')).toMatchObject({ state: 'ASSIGNED', history: [] });
    const audit = await gql(server, auditor, `query V($id: ID!) { verifyAuditTrail(planId: $id) { ok tasksChecked } }`, { id: planId });
    expect(audit.data?.verifyAuditTrail).toEqual({ ok: true, tasksChecked: tasks.length });
  });

  it('does refuse WITHDRAW and AMEND from any user, naming the rule, and change nothing', async () => {
    const { tasks } = await tasksOf(planId);
    const two = tasks.find((t) => t.ordinal === '2')!;
    const leader = await token(plan.province.code, 'uy-ban-nhan-dan-tinh', ['LEADER', 'ADMIN'], 'leader');
    for (const event of ['WITHDRAW', 'AMEND']) {
      const refused = await transition(server, leader, { taskId: two.id, event, comment: 'thử' });
      expectError(refused, 'FORBIDDEN', /amendment/u);
    }
    expect((await tasksOf(planId)).tasks.find((t) => t.ordinal === '2')).toEqual(two);
  });
});
