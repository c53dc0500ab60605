import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { HEX64, expectError, fire, getTask, transition, type TaskView, type TransitionVars } from './support/e2e-helpers';

// The lifecycle over HTTP: the right agencies move a task ASSIGNED → … → VERIFIED, and at every
// step the wrong tokens are refused with the rule that said no, changing nothing.
const COMMITTEE = 'uy-ban-nhan-dan-tinh';

describe('task lifecycle', () => {
  const province = uniqueProvince('lifecycle');
  const other = uniqueProvince('lifecycle-other');
  let server: ApiServer;
  let taskId: string;
  let monitoringLedTaskId: string;
  let otherTaskId: string;
  let pastDueTaskId: string;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    const plan = testPlan(province, [
      {},
      { leadAgencyCode: AGENCIES.monitoring.code, coordinatingAgencyCodes: [AGENCIES.justice.code] },
      { timeframe: 'Quý II năm 2020', dueAt: '2020-06-30T16:59:59.999Z' }, // due long ago; the sweep is off in tests
    ]);
    const { planId } = await seedPlan(plan);
    const { planId: otherPlanId } = await seedPlan(testPlan(other, [{}]));
    server = await startApiServer();
    const p = province.code;
    Object.assign(t, {
      leadOfficer: await token(p, AGENCIES.justice.code, ['OFFICER'], 'officer-tu-phap'),
      leadSupervisor: await token(p, AGENCIES.justice.code, ['SUPERVISOR'], 'supervisor-tu-phap'),
      coordOfficer: await token(p, AGENCIES.ict.code, ['OFFICER'], 'officer-tttt'),
      coordSupervisor: await token(p, AGENCIES.ict.code, ['SUPERVISOR'], 'supervisor-tttt'),
      supervisor: await token(p, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-khdt'),
      monitoringOfficer: await token(p, AGENCIES.monitoring.code, ['OFFICER'], 'officer-khdt'),
      leader: await token(p, COMMITTEE, ['LEADER'], 'leader-ubnd'),
      auditorNational: await token('*', 'kiem-toan-nha-nuoc', ['AUDITOR'], 'auditor-national'),
      auditorLocal: await token(p, 'thanh-tra-tinh', ['AUDITOR'], 'auditor-local'),
      adminNational: await token('*', 'bo-ke-hoach', ['ADMIN'], 'admin-national'),
      otherProvince: await token(other.code, AGENCIES.justice.code, ['OFFICER'], 'officer-other'),
      otherSupervisor: await token(other.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-other'),
    });
    const tasks = await gql(server, t.supervisor, 'query P($id: ID!) { plan(id: $id) { tasks { edges { node { id ordinal } } } } }', {
      id: planId,
    });
    const nodes = tasks.data!.plan.tasks.edges.map((e: { node: { id: string; ordinal: string } }) => e.node);
    taskId = nodes.find((n: { ordinal: string }) => n.ordinal === '1').id;
    monitoringLedTaskId = nodes.find((n: { ordinal: string }) => n.ordinal === '2').id;
    pastDueTaskId = nodes.find((n: { ordinal: string }) => n.ordinal === '3').id;
    const otherTasks = await gql(server, t.otherSupervisor, 'query P($id: ID!) { plan(id: $id) { tasks { edges { node { id } } } } }', {
      id: otherPlanId,
    });
    otherTaskId = otherTasks.data!.plan.tasks.edges[0].node.id;
  });

  afterAll(async () => server?.stop());

  const sorted = (events: string[]) => [...events].sort();

  async function view(who: string, id = taskId): Promise<TaskView> {
    const task = await getTask(server, t[who], id);
    if (!task) throw new Error(`${who} does not see task ${id}`);
    return task;
  }

  async function expectAvailable(expected: Record<string, string[]>, id = taskId): Promise<void> {
    const actual: Record<string, string[]> = {};
    for (const who of Object.keys(expected)) actual[who] = sorted((await view(who, id)).availableEvents);
    expect(actual).toEqual(Object.fromEntries(Object.entries(expected).map(([who, events]) => [who, sorted(events)])));
  }

  // A refused request leaves state, version and history exactly as they were.
  async function expectRefused(who: string, input: Partial<TransitionVars> & { event: string }, code: string, rule?: string, id = taskId) {
    const before = await view('supervisor', id);
    const result = await transition(server, t[who], { taskId: id, expectedVersion: before.version, ...input });
    // the message names the rule (CONTRACT.md); a word boundary so "four-eyes-own-report" is not matched by a prefix
    expectError(result, code, rule ? new RegExp(`(^|[^a-z-])${rule}([^a-z-]|$)`) : undefined);
    expect(result.data?.transitionTask ?? null).toBeNull();
    const after = await view('supervisor', id);
    expect({ state: after.state, version: after.version, history: after.history.length }).toEqual({
      state: before.state,
      version: before.version,
      history: before.history.length,
    });
  }

  function expectChain(history: TaskView['history']): void {
    expect(history.map((row) => row.seq)).toEqual(history.map((_, i) => i + 1));
    for (const row of history) {
      expect(row.hash).toMatch(HEX64);
      expect(row.prevHash).toMatch(HEX64);
      expect(Number.isNaN(Date.parse(row.at))).toBe(false);
    }
    for (let i = 1; i < history.length; i += 1) expect(history[i].prevHash).toBe(history[i - 1].hash);
    expect(new Set(history.map((row) => row.hash)).size).toBe(history.length);
  }

  describe('walk of a task led by so-tu-phap', () => {
    it('does show each viewer the events it may fire when the task is ASSIGNED', async () => {
      const task = await view('leadOfficer');
      expect({ state: task.state, version: task.version, history: task.history }).toEqual({ state: 'ASSIGNED', version: 0, history: [] });
      await expectAvailable({
        leadOfficer: ['START', 'REQUEST_EXTENSION'],
        leadSupervisor: ['START', 'REQUEST_EXTENSION'],
        coordOfficer: ['CONTRIBUTE'],
        supervisor: [],
        monitoringOfficer: [],
        leader: [],
        auditorNational: [],
        auditorLocal: [],
        adminNational: [],
      });
    });

    it('does refuse START from wrong tokens when the task is ASSIGNED, changing nothing', async () => {
      await expectRefused('coordOfficer', { event: 'START' }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('supervisor', { event: 'START' }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('leader', { event: 'START' }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('auditorLocal', { event: 'START' }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('auditorNational', { event: 'START' }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('adminNational', { event: 'START' }, 'FORBIDDEN', 'other-province');
      await expectRefused('otherProvince', { event: 'START' }, 'NOT_FOUND');
    });

    it('does hide the task from a token of another province when it queries it', async () => {
      expect(await getTask(server, t.otherProvince, taskId)).toBeNull();
      expect(await getTask(server, t.otherSupervisor, taskId)).toBeNull();
      // and the other way round
      expect(await getTask(server, t.leadOfficer, otherTaskId)).toBeNull();
      expectError(await transition(server, t.leadOfficer, { taskId: otherTaskId, event: 'START' }), 'NOT_FOUND');
    });

    it('does move ASSIGNED → IN_PROGRESS when the lead officer fires START', async () => {
      const task = await fire(server, t.leadOfficer, { taskId, event: 'START', expectedVersion: 0 });
      expect(task.state).toBe('IN_PROGRESS');
      expect(task.version).toBe(1);
      expect(task.history).toHaveLength(1);
      expect(task.history[0]).toMatchObject({
        seq: 1,
        type: 'START',
        fromState: 'ASSIGNED',
        toState: 'IN_PROGRESS',
        actor: 'officer-tu-phap',
        actorAgency: { code: AGENCIES.justice.code },
        comment: null,
      });
      expectChain(task.history);
      expect(sorted(task.availableEvents)).toEqual(sorted(['SUBMIT_REPORT', 'REQUEST_EXTENSION']));
    });

    it('does show each viewer the events it may fire when the task is IN_PROGRESS', async () => {
      await expectAvailable({
        leadOfficer: ['SUBMIT_REPORT', 'REQUEST_EXTENSION'],
        coordOfficer: ['CONTRIBUTE'],
        supervisor: [],
        monitoringOfficer: [],
        leader: [],
        auditorNational: [],
        auditorLocal: [],
      });
    });

    it('does refuse SUBMIT_REPORT from wrong tokens when the task is IN_PROGRESS, changing nothing', async () => {
      const report = { summary: 'Báo cáo không hợp lệ' };
      await expectRefused('coordOfficer', { event: 'SUBMIT_REPORT', report }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('monitoringOfficer', { event: 'SUBMIT_REPORT', report }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('supervisor', { event: 'SUBMIT_REPORT', report }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('auditorLocal', { event: 'SUBMIT_REPORT', report }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('auditorNational', { event: 'SUBMIT_REPORT', report }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('otherProvince', { event: 'SUBMIT_REPORT', report }, 'NOT_FOUND');
    });

    it('does move IN_PROGRESS → REPORTED when the lead officer fires SUBMIT_REPORT', async () => {
      const task = await fire(server, t.leadOfficer, {
        taskId,
        event: 'SUBMIT_REPORT',
        expectedVersion: 1,
        report: { summary: 'Đã hoàn thành 80% khối lượng', value: '80%' },
      });
      expect(task.state).toBe('REPORTED');
      expect(task.version).toBe(2);
      expect(task.history[1]).toMatchObject({
        seq: 2,
        type: 'SUBMIT_REPORT',
        fromState: 'IN_PROGRESS',
        toState: 'REPORTED',
        actor: 'officer-tu-phap',
        actorAgency: { code: AGENCIES.justice.code },
      });
      expectChain(task.history);
    });

    it('does show VERIFY and REJECT only to the monitoring supervisor when the task is REPORTED', async () => {
      await expectAvailable({
        supervisor: ['VERIFY', 'REJECT'],
        leadOfficer: [],
        leadSupervisor: [],
        coordOfficer: [],
        coordSupervisor: [],
        monitoringOfficer: [],
        leader: [],
        auditorNational: [],
        auditorLocal: [],
      });
    });

    it('does refuse REJECT from wrong tokens when the task is REPORTED, changing nothing', async () => {
      const comment = 'Thiếu số liệu';
      await expectRefused('leadOfficer', { event: 'REJECT', comment }, 'FORBIDDEN', 'four-eyes-own-report');
      await expectRefused('leadSupervisor', { event: 'REJECT', comment }, 'FORBIDDEN', 'four-eyes-own-report');
      await expectRefused('monitoringOfficer', { event: 'REJECT', comment }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('coordOfficer', { event: 'REJECT', comment }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('coordSupervisor', { event: 'REJECT', comment }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('auditorLocal', { event: 'REJECT', comment }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('auditorNational', { event: 'REJECT', comment }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('otherSupervisor', { event: 'REJECT', comment }, 'NOT_FOUND');
    });

    it('does move REPORTED → IN_PROGRESS with the comment when the monitoring supervisor fires REJECT', async () => {
      const task = await fire(server, t.supervisor, {
        taskId,
        event: 'REJECT',
        expectedVersion: 2,
        comment: 'Thiếu số liệu quý II, đề nghị bổ sung',
      });
      expect(task.state).toBe('IN_PROGRESS');
      expect(task.version).toBe(3);
      expect(task.history[2]).toMatchObject({
        seq: 3,
        type: 'REJECT',
        fromState: 'REPORTED',
        toState: 'IN_PROGRESS',
        actor: 'supervisor-khdt',
        actorAgency: { code: AGENCIES.monitoring.code },
        comment: 'Thiếu số liệu quý II, đề nghị bổ sung',
      });
      expectChain(task.history);
      expect(task.availableEvents).toEqual([]);
      await expectAvailable({ leadOfficer: ['SUBMIT_REPORT', 'REQUEST_EXTENSION'], supervisor: [] });
    });

    it('does move IN_PROGRESS → REPORTED again when the lead officer resubmits', async () => {
      await expectRefused('coordOfficer', { event: 'SUBMIT_REPORT', report: { summary: 'x' } }, 'FORBIDDEN', 'no-rule-allows');
      const task = await fire(server, t.leadOfficer, {
        taskId,
        event: 'SUBMIT_REPORT',
        expectedVersion: 3,
        report: { summary: 'Đã bổ sung số liệu quý II', value: '100%' },
      });
      expect(task.state).toBe('REPORTED');
      expect(task.version).toBe(4);
      expect(task.history[3]).toMatchObject({
        seq: 4,
        type: 'SUBMIT_REPORT',
        fromState: 'IN_PROGRESS',
        toState: 'REPORTED',
        actor: 'officer-tu-phap',
      });
      expectChain(task.history);
      await expectAvailable({ supervisor: ['VERIFY', 'REJECT'], leadOfficer: [], auditorNational: [] });
    });

    it('does refuse VERIFY from wrong tokens when the task is REPORTED, changing nothing', async () => {
      await expectRefused('leadOfficer', { event: 'VERIFY' }, 'FORBIDDEN', 'four-eyes-own-report');
      await expectRefused('leadSupervisor', { event: 'VERIFY' }, 'FORBIDDEN', 'four-eyes-own-report');
      await expectRefused('monitoringOfficer', { event: 'VERIFY' }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('coordSupervisor', { event: 'VERIFY' }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('leader', { event: 'VERIFY' }, 'FORBIDDEN', 'no-rule-allows');
      await expectRefused('auditorLocal', { event: 'VERIFY' }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('auditorNational', { event: 'VERIFY' }, 'FORBIDDEN', 'auditor-changes-nothing');
      await expectRefused('adminNational', { event: 'VERIFY' }, 'FORBIDDEN', 'other-province');
      await expectRefused('otherSupervisor', { event: 'VERIFY' }, 'NOT_FOUND');
      await expectRefused('leadOfficer', { event: 'DEADLINE_PASSED' }, 'FORBIDDEN', 'deadline-passed-system-only');
    });

    it('does move REPORTED → VERIFIED when the monitoring supervisor fires VERIFY', async () => {
      const task = await fire(server, t.supervisor, { taskId, event: 'VERIFY', expectedVersion: 4 });
      expect(task.state).toBe('VERIFIED');
      expect(task.version).toBe(5);
      expect(task.late).toBe(false);
      expect(
        task.history.map((row) => [row.seq, row.type, row.fromState, row.toState, row.actor, row.actorAgency?.code, row.comment]),
      ).toEqual([
        [1, 'START', 'ASSIGNED', 'IN_PROGRESS', 'officer-tu-phap', AGENCIES.justice.code, null],
        [2, 'SUBMIT_REPORT', 'IN_PROGRESS', 'REPORTED', 'officer-tu-phap', AGENCIES.justice.code, null],
        [3, 'REJECT', 'REPORTED', 'IN_PROGRESS', 'supervisor-khdt', AGENCIES.monitoring.code, 'Thiếu số liệu quý II, đề nghị bổ sung'],
        [4, 'SUBMIT_REPORT', 'IN_PROGRESS', 'REPORTED', 'officer-tu-phap', AGENCIES.justice.code, null],
        [5, 'VERIFY', 'REPORTED', 'VERIFIED', 'supervisor-khdt', AGENCIES.monitoring.code, null],
      ]);
      expectChain(task.history);
    });

    it('does offer no event to anybody when the task is VERIFIED', async () => {
      await expectAvailable({
        leadOfficer: [],
        coordOfficer: [],
        supervisor: [],
        monitoringOfficer: [],
        leader: [],
        auditorNational: [],
        auditorLocal: [],
      });
      await expectRefused('leadOfficer', { event: 'START' }, 'INVALID_TRANSITION');
      await expectRefused('supervisor', { event: 'REJECT', comment: 'Xem lại' }, 'INVALID_TRANSITION');
    });

    it('does return the same history to every viewer of the province when queried', async () => {
      const seen = await Promise.all(['leadOfficer', 'supervisor', 'auditorNational', 'auditorLocal'].map((who) => view(who)));
      for (const task of seen) expect(task.history).toEqual(seen[0].history);
    });
  });

  describe('walk of a task led by the monitoring agency itself', () => {
    it('does let the monitoring agency start and report on its own task', async () => {
      await expectAvailable({ monitoringOfficer: ['START', 'REQUEST_EXTENSION'], leadOfficer: ['CONTRIBUTE'] }, monitoringLedTaskId);
      await fire(server, t.monitoringOfficer, { taskId: monitoringLedTaskId, event: 'START', expectedVersion: 0 });
      const task = await fire(server, t.monitoringOfficer, {
        taskId: monitoringLedTaskId,
        event: 'SUBMIT_REPORT',
        expectedVersion: 1,
        report: { summary: 'Đã tổng hợp' },
      });
      expect(task.state).toBe('REPORTED');
      expect(task.version).toBe(2);
    });

    it('does show VERIFY and REJECT to the LEADER only when the task is REPORTED', async () => {
      await expectAvailable(
        { leader: ['VERIFY', 'REJECT'], supervisor: [], monitoringOfficer: [], leadSupervisor: [], auditorNational: [] },
        monitoringLedTaskId,
      );
    });

    it('does refuse VERIFY from supervisors when the task is led by the monitoring agency', async () => {
      await expectRefused('supervisor', { event: 'VERIFY' }, 'FORBIDDEN', 'four-eyes-own-report', monitoringLedTaskId);
      await expectRefused('leadSupervisor', { event: 'VERIFY' }, 'FORBIDDEN', 'monitoring-led-needs-leader', monitoringLedTaskId);
      await expectRefused(
        'coordSupervisor',
        { event: 'REJECT', comment: 'Không đạt' },
        'FORBIDDEN',
        'monitoring-led-needs-leader',
        monitoringLedTaskId,
      );
      await expectRefused('auditorLocal', { event: 'VERIFY' }, 'FORBIDDEN', 'auditor-changes-nothing', monitoringLedTaskId);
    });

    it("does move REPORTED → VERIFIED when a LEADER of the People's Committee fires VERIFY", async () => {
      const task = await fire(server, t.leader, { taskId: monitoringLedTaskId, event: 'VERIFY', expectedVersion: 2 });
      expect(task.state).toBe('VERIFIED');
      expect(task.version).toBe(3);
      expect(task.history[2]).toMatchObject({
        seq: 3,
        type: 'VERIFY',
        fromState: 'REPORTED',
        toState: 'VERIFIED',
        actor: 'leader-ubnd',
        actorAgency: { code: COMMITTEE },
      });
      expectChain(task.history);
    });
  });

  describe('walk of a task whose due time has passed', () => {
    it('does mark the report late and REJECT into OVERDUE when the due time has passed', async () => {
      const started = await fire(server, t.leadOfficer, { taskId: pastDueTaskId, event: 'START', expectedVersion: 0 });
      expect({ state: started.state, late: started.late }).toEqual({ state: 'IN_PROGRESS', late: false });
      const reported = await fire(server, t.leadOfficer, {
        taskId: pastDueTaskId,
        event: 'SUBMIT_REPORT',
        expectedVersion: 1,
        report: { summary: 'Muộn' },
      });
      expect({ state: reported.state, late: reported.late }).toEqual({ state: 'REPORTED', late: true });
      const rejected = await fire(server, t.supervisor, {
        taskId: pastDueTaskId,
        event: 'REJECT',
        expectedVersion: 2,
        comment: 'Chưa đạt',
      });
      expect({ state: rejected.state, version: rejected.version }).toEqual({ state: 'OVERDUE', version: 3 });
      expect(rejected.history[2]).toMatchObject({ type: 'REJECT', fromState: 'REPORTED', toState: 'OVERDUE', comment: 'Chưa đạt' });
      await expectAvailable(
        { leadOfficer: ['SUBMIT_REPORT', 'REQUEST_EXTENSION'], coordOfficer: ['CONTRIBUTE'], supervisor: [] },
        pastDueTaskId,
      );
      await expectRefused('leadOfficer', { event: 'START' }, 'INVALID_TRANSITION', undefined, pastDueTaskId);
      await fire(server, t.leadOfficer, {
        taskId: pastDueTaskId,
        event: 'SUBMIT_REPORT',
        expectedVersion: 3,
        report: { summary: 'Bổ sung' },
      });
      const verified = await fire(server, t.supervisor, { taskId: pastDueTaskId, event: 'VERIFY', expectedVersion: 4 });
      expect({ state: verified.state, late: verified.late, version: verified.version }).toEqual({
        state: 'VERIFIED',
        late: true,
        version: 5,
      });
      expectChain(verified.history);
    });
  });
});
