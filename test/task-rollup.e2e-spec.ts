import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { eventRows, expectError, fire, getTask, storedTask, transition } from './support/e2e-helpers';

// Over HTTP: a task split per lead agency follows its children. Its stored state moves with their
// roll-up, each move a ROLL_UP in its history; tasks(state:) finds it; users cannot drive it.
describe('roll-up of a split task over HTTP', () => {
  const province = uniqueProvince('rollup');
  let server: ApiServer;
  let planId: string;
  const ids: Record<string, string> = {};
  const t: Record<string, string> = {};

  beforeAll(async () => {
    ({ planId } = await seedPlan(testPlan(province, [{ coLeadAgencyCodes: [AGENCIES.ict.code], coordinatingAgencyCodes: [] }, {}])));
    server = await startApiServer();
    const p = province.code;
    Object.assign(t, {
      justice: await token(p, AGENCIES.justice.code, ['OFFICER'], 'officer-tu-phap'),
      ict: await token(p, AGENCIES.ict.code, ['OFFICER'], 'officer-tttt'),
      supervisor: await token(p, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-khdt'),
      leader: await token(p, 'uy-ban-nhan-dan-tinh', ['LEADER'], 'leader-ubnd'),
      auditor: await token(p, 'thanh-tra-tinh', ['AUDITOR'], 'auditor-local'),
    });
    const result = await gql(
      server,
      t.supervisor,
      'query P($id: ID!) { plan(id: $id) { tasks(first: 10) { edges { node { id ordinal } } } } }',
      {
        id: planId,
      },
    );
    for (const { node } of result.data!.plan.tasks.edges as { node: { id: string; ordinal: string } }[]) ids[node.ordinal] = node.id;
    expect(Object.keys(ids).sort()).toEqual(['1', '1.1', '1.2', '2']);
  });

  afterAll(async () => server?.stop());

  async function inState(state: string): Promise<{ ids: string[]; totalCount: number }> {
    const result = await gql(
      server,
      t.supervisor,
      'query T($planId: ID!, $state: TaskState) { tasks(planId: $planId, state: $state, first: 50) { totalCount edges { node { id } } } }',
      { planId, state },
    );
    expect(result.errors).toBeUndefined();
    const { totalCount, edges } = result.data!.tasks;
    return { ids: edges.map((e: { node: { id: string } }) => e.node.id).sort(), totalCount };
  }

  it('does store the parent ASSIGNED, with no history, as the import left it', async () => {
    expect(await storedTask(ids['1'])).toEqual({ state: 'ASSIGNED', version: 0, events: 0 });
    expect((await inState('ASSIGNED')).ids).toEqual([ids['1'], ids['1.1'], ids['1.2'], ids['2']].sort());
  });

  it('does move the parent with the first child that starts, recorded as a ROLL_UP naming that child', async () => {
    await fire(server, t.justice, { taskId: ids['1.1'], event: 'START' });
    const parent = (await getTask(server, t.supervisor, ids['1']))!;
    expect({ state: parent.state, version: parent.version, availableEvents: parent.availableEvents }).toEqual({
      state: 'IN_PROGRESS',
      version: 1,
      availableEvents: [],
    });
    expect(parent.history).toEqual([
      expect.objectContaining({
        seq: 1,
        type: 'ROLL_UP',
        fromState: 'ASSIGNED',
        toState: 'IN_PROGRESS',
        actor: 'system:roll-up',
        actorAgency: null,
      }),
    ]);
    expect(await eventRows(ids['1'])).toEqual([
      { seq: 1, type: 'ROLL_UP', payload: { state: 'IN_PROGRESS', childTaskId: ids['1.1'], by: null } },
    ]);
    expect(await storedTask(ids['1'])).toEqual({ state: 'IN_PROGRESS', version: 1, events: 1 });
    // tasks(state:) and its count include the parent now
    expect(await inState('IN_PROGRESS')).toEqual({ ids: [ids['1'], ids['1.1']].sort(), totalCount: 2 });
    expect(await inState('ASSIGNED')).toEqual({ ids: [ids['1.2'], ids['2']].sort(), totalCount: 2 });
  });

  it('does refuse what users send to the parent, and ROLL_UP from any user, changing nothing', async () => {
    expectError(
      await transition(server, t.justice, { taskId: ids['1'], event: 'SUBMIT_REPORT', report: { summary: 'x' } }),
      'INVALID_TRANSITION',
    );
    expectError(await transition(server, t.leader, { taskId: ids['1'], event: 'ROLL_UP' }), 'INVALID_TRANSITION');
    expectError(await transition(server, t.leader, { taskId: ids['2'], event: 'ROLL_UP' }), 'FORBIDDEN', 'roll-up-system-only');
    expectError(await transition(server, t.justice, { taskId: ids['1.2'], event: 'ROLL_UP' }), 'FORBIDDEN', 'roll-up-system-only');
    expect(await storedTask(ids['1'])).toEqual({ state: 'IN_PROGRESS', version: 1, events: 1 });
    expect(await storedTask(ids['2'])).toEqual({ state: 'ASSIGNED', version: 0, events: 0 });
  });

  it('does reach REPORTED with the last report and VERIFIED with the last verification; the trail verifies and replays', async () => {
    await fire(server, t.justice, { taskId: ids['1.1'], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo Sở Tư pháp' } });
    expect(await storedTask(ids['1'])).toMatchObject({ state: 'IN_PROGRESS', version: 1 });
    await fire(server, t.ict, { taskId: ids['1.2'], event: 'START' });
    await fire(server, t.ict, { taskId: ids['1.2'], event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo Sở TT&TT' } });
    expect(await storedTask(ids['1'])).toEqual({ state: 'REPORTED', version: 2, events: 2 });
    expect((await inState('REPORTED')).totalCount).toBe(3);
    for (const child of ['1.1', '1.2']) await fire(server, t.supervisor, { taskId: ids[child], event: 'VERIFY' });
    expect(await storedTask(ids['1'])).toEqual({ state: 'VERIFIED', version: 3, events: 3 });
    expect((await eventRows(ids['1'])).map((e) => [e.payload.state, e.payload.childTaskId])).toEqual([
      ['IN_PROGRESS', ids['1.1']],
      ['REPORTED', ids['1.2']],
      ['VERIFIED', ids['1.2']],
    ]);

    const audit = await gql(
      server,
      t.auditor,
      'query A($planId: ID!) { verifyAuditTrail(planId: $planId) { ok tasksChecked eventsChecked brokenTaskCount } }',
      {
        planId,
      },
    );
    expect(audit.data!.verifyAuditTrail).toEqual({ ok: true, tasksChecked: 4, eventsChecked: 3 + 3 + 3, brokenTaskCount: 0 });
    const replay = await gql(
      server,
      t.auditor,
      'query R($id: ID!) { replayTask(taskId: $id) { state eventsApplied consistent chainValid } }',
      {
        id: ids['1'],
      },
    );
    expect(replay.data!.replayTask).toEqual({ state: 'VERIFIED', eventsApplied: 3, consistent: true, chainValid: true });
  });
});
