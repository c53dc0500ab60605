import { endOfLocalDayUtc } from '../libs/plan-import/src';
import { gql, startApiServer, token, type ApiServer, type GqlResponse } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, type TransitionVars } from './support/e2e-helpers';

// Extensions over GraphQL against the real clock: the lead agency asks for more time, a LEADER of
// the People's Committee grants it citing the granting document, or denies it.
const COMMITTEE = 'uy-ban-nhan-dan-tinh';
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.now();

// The end of the local (UTC+7) day `days` from today, as the importer would set a due time.
function dueInDays(days: number): string {
  return endOfLocalDayUtc(new Date(NOW + days * DAY + 7 * 60 * 60 * 1000).toISOString().slice(0, 10));
}
const inDays = (days: number) => new Date(NOW + days * DAY).toISOString();

const CITATION = 'Đồng ý theo Công văn số 1234/UBND-TH ngày 05/9/2023 của UBND tỉnh';

const EXT_FIELDS = `
  id state version late dueAt originalDueAt availableEvents
  pendingExtension { requestedAt proposedDueAt reason }
  history { seq type fromState toState actor comment dueAt at }
`;

interface ExtView {
  id: string;
  state: string;
  version: number;
  late: boolean;
  dueAt: string | null;
  originalDueAt: string | null;
  availableEvents: string[];
  pendingExtension: { requestedAt: string; proposedDueAt: string; reason: string } | null;
  history: {
    seq: number;
    type: string;
    fromState: string | null;
    toState: string;
    actor: string | null;
    comment: string | null;
    dueAt: string | null;
    at: string;
  }[];
}

describe('extensions over GraphQL', () => {
  const province = uniqueProvince('extensions');
  let server: ApiServer;
  const t: Record<string, string> = {};
  const ids: Record<'ext' | 'overdue' | 'extendedLate' | 'plainLate', string> = { ext: '', overdue: '', extendedLate: '', plainLate: '' };
  const due = { ext: dueInDays(60), overdue: dueInDays(-60), extendedLate: dueInDays(-10), plainLate: dueInDays(-10) };

  beforeAll(async () => {
    const year = new Date(NOW).getUTCFullYear();
    const { planId } = await seedPlan(
      testPlan(
        province,
        [
          { timeframe: 'Trong 60 ngày tới', dueAt: due.ext },
          { timeframe: 'Đã quá hạn 60 ngày', dueAt: due.overdue },
          { timeframe: 'Đã quá hạn 10 ngày', dueAt: due.extendedLate },
          { timeframe: 'Đã quá hạn 10 ngày', dueAt: due.plainLate },
        ],
        year,
      ),
    );
    server = await startApiServer();
    const p = province.code;
    Object.assign(t, {
      leadOfficer: await token(p, AGENCIES.justice.code, ['OFFICER'], 'officer-tu-phap'),
      coordOfficer: await token(p, AGENCIES.ict.code, ['OFFICER'], 'officer-tttt'),
      supervisor: await token(p, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-khdt'),
      leader: await token(p, COMMITTEE, ['LEADER'], 'leader-ubnd'),
      ictLeader: await token(p, AGENCIES.ict.code, ['LEADER'], 'leader-tttt'), // LEADER role outside the People's Committee
      admin: await token(p, 'quan-tri', ['ADMIN'], 'admin-tinh'),
    });
    const tasks = await gql(server, t.supervisor, 'query P($id: ID!) { plan(id: $id) { tasks { edges { node { id ordinal } } } } }', {
      id: planId,
    });
    const byOrdinal = new Map<string, string>(
      tasks.data!.plan.tasks.edges.map((e: { node: { id: string; ordinal: string } }) => [e.node.ordinal, e.node.id]),
    );
    Object.assign(ids, {
      ext: byOrdinal.get('1'),
      overdue: byOrdinal.get('2'),
      extendedLate: byOrdinal.get('3'),
      plainLate: byOrdinal.get('4'),
    });
  });

  afterAll(async () => server?.stop());

  async function view(taskId: string, who = 'supervisor'): Promise<ExtView> {
    const result = await gql<{ task: ExtView | null }>(server, t[who], `query T($id: ID!) { task(id: $id) { ${EXT_FIELDS} } }`, {
      id: taskId,
    });
    if (result.errors?.length || !result.data?.task) throw new Error(`task(${taskId}) as ${who} failed: ${JSON.stringify(result.errors)}`);
    return result.data.task;
  }

  function send(who: string, input: TransitionVars): Promise<GqlResponse<{ transitionTask: ExtView }>> {
    return gql<{ transitionTask: ExtView }>(
      server,
      t[who],
      `mutation M($input: TransitionInput!) { transitionTask(input: $input) { ${EXT_FIELDS} } }`,
      { input },
    );
  }

  async function fire(who: string, input: TransitionVars): Promise<ExtView> {
    const result = await send(who, input);
    if (result.errors?.length || !result.data?.transitionTask)
      throw new Error(`${input.event} as ${who} failed: ${JSON.stringify(result.errors)}`);
    return result.data.transitionTask;
  }

  // A refused request: exactly one error with this code (naming the rule when given), nothing written.
  async function expectRefused(who: string, input: TransitionVars, code: string, text?: string | RegExp): Promise<void> {
    const before = await view(input.taskId);
    const result = await send(who, input);
    expectError(result, code, text);
    expect(result.data?.transitionTask ?? null).toBeNull();
    expect(await view(input.taskId)).toEqual(before);
  }

  const sorted = (events: string[]) => [...events].sort();

  async function availableTo(taskId: string, viewers: string[]): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = {};
    for (const who of viewers) result[who] = sorted((await view(taskId, who)).availableEvents);
    return result;
  }

  describe('asking for more time', () => {
    it('does offer REQUEST_EXTENSION to the lead officer only and show nothing pending when the task is new', async () => {
      const task = await view(ids.ext);
      expect({ dueAt: task.dueAt, originalDueAt: task.originalDueAt, pendingExtension: task.pendingExtension }).toEqual({
        dueAt: due.ext,
        originalDueAt: due.ext,
        pendingExtension: null,
      });
      expect(await availableTo(ids.ext, ['leadOfficer', 'coordOfficer', 'supervisor', 'leader'])).toEqual({
        leadOfficer: ['REQUEST_EXTENSION', 'START'],
        coordOfficer: ['CONTRIBUTE'],
        supervisor: [],
        leader: [],
      });
    });

    it('does refuse with BAD_USER_INPUT and write nothing when the proposed date is in the past', async () => {
      await expectRefused(
        'leadOfficer',
        { taskId: ids.ext, event: 'REQUEST_EXTENSION', comment: 'Cần thêm thời gian', newDueAt: inDays(-1) },
        'BAD_USER_INPUT',
        'newDueAt',
      );
    });

    it('does refuse with BAD_USER_INPUT and write nothing when the reason or the proposed date is missing', async () => {
      await expectRefused(
        'leadOfficer',
        { taskId: ids.ext, event: 'REQUEST_EXTENSION', newDueAt: inDays(120) },
        'BAD_USER_INPUT',
        'comment',
      );
      await expectRefused(
        'leadOfficer',
        { taskId: ids.ext, event: 'REQUEST_EXTENSION', comment: '   ', newDueAt: inDays(120) },
        'BAD_USER_INPUT',
        'comment',
      );
      await expectRefused(
        'leadOfficer',
        { taskId: ids.ext, event: 'REQUEST_EXTENSION', comment: 'Cần thêm thời gian' },
        'BAD_USER_INPUT',
        'newDueAt',
      );
    });

    it('does refuse with FORBIDDEN and write nothing when someone outside the lead agency asks for more time', async () => {
      for (const who of ['coordOfficer', 'supervisor', 'leader', 'ictLeader']) {
        await expectRefused(
          who,
          { taskId: ids.ext, event: 'REQUEST_EXTENSION', comment: 'Xin gia hạn', newDueAt: inDays(120) },
          'FORBIDDEN',
          'no-rule-allows',
        );
      }
    });

    it('does show the pending request with its reason and proposed date when the lead officer asks for more time', async () => {
      const task = await fire('leadOfficer', {
        taskId: ids.ext,
        event: 'REQUEST_EXTENSION',
        comment: 'Chờ ý kiến của Bộ Tư pháp',
        newDueAt: inDays(120),
      });
      expect({ state: task.state, version: task.version, dueAt: task.dueAt, originalDueAt: task.originalDueAt }).toEqual({
        state: 'ASSIGNED',
        version: 1,
        dueAt: due.ext,
        originalDueAt: due.ext,
      });
      expect(task.pendingExtension).toEqual({
        requestedAt: expect.any(String),
        proposedDueAt: inDays(120),
        reason: 'Chờ ý kiến của Bộ Tư pháp',
      });
      expect(Math.abs(Date.parse(task.pendingExtension!.requestedAt) - Date.now())).toBeLessThan(60_000);
      expect(await view(ids.ext, 'leadOfficer')).toMatchObject({ pendingExtension: task.pendingExtension });
      expect(await availableTo(ids.ext, ['leadOfficer', 'supervisor', 'leader', 'ictLeader'])).toEqual({
        // a LEADER of the coordinating agency is its staff: it contributes, it does not decide
        leadOfficer: ['START'],
        supervisor: [],
        leader: ['APPROVE_EXTENSION', 'DENY_EXTENSION'],
        ictLeader: ['CONTRIBUTE'],
      });
    });

    it('does refuse with INVALID_TRANSITION and write nothing when a second request is made while one is pending', async () => {
      await expectRefused(
        'leadOfficer',
        { taskId: ids.ext, event: 'REQUEST_EXTENSION', comment: 'Xin thêm nữa', newDueAt: inDays(150) },
        'INVALID_TRANSITION',
      );
    });
  });

  describe('deciding on a request', () => {
    it('does refuse with BAD_USER_INPUT and write nothing when a LEADER approves without citing the granting document', async () => {
      for (const comment of [null, 'Đồng ý gia hạn', 'Theo Công văn số 1234/UBND-TH', 'Theo ý kiến chỉ đạo ngày 05/9/2023']) {
        await expectRefused(
          'leader',
          { taskId: ids.ext, event: 'APPROVE_EXTENSION', newDueAt: inDays(120), comment },
          'BAD_USER_INPUT',
          'comment',
        );
      }
    });

    it('does refuse with BAD_USER_INPUT and write nothing when a LEADER approves a date in the past or no date', async () => {
      await expectRefused(
        'leader',
        { taskId: ids.ext, event: 'APPROVE_EXTENSION', newDueAt: inDays(-2), comment: CITATION },
        'BAD_USER_INPUT',
        'newDueAt',
      );
      await expectRefused('leader', { taskId: ids.ext, event: 'APPROVE_EXTENSION', comment: CITATION }, 'BAD_USER_INPUT', 'newDueAt');
    });

    it("does refuse with FORBIDDEN and write nothing when a SUPERVISOR, the lead officer or a LEADER outside the People's Committee approves", async () => {
      for (const who of ['supervisor', 'leadOfficer', 'ictLeader']) {
        await expectRefused(
          who,
          { taskId: ids.ext, event: 'APPROVE_EXTENSION', newDueAt: inDays(120), comment: CITATION },
          'FORBIDDEN',
          // the lead officer asked for this extension: four eyes says no before any other rule
          who === 'leadOfficer' ? 'four-eyes-own-extension' : 'no-rule-allows',
        );
      }
      await expectRefused(
        'supervisor',
        { taskId: ids.ext, event: 'DENY_EXTENSION', comment: 'Không đồng ý' },
        'FORBIDDEN',
        'no-rule-allows',
      );
    });

    it('does move dueAt, keep originalDueAt and keep both events with their comments when a LEADER approves citing the document', async () => {
      const task = await fire('leader', { taskId: ids.ext, event: 'APPROVE_EXTENSION', newDueAt: inDays(120), comment: CITATION });
      expect({
        state: task.state,
        version: task.version,
        dueAt: task.dueAt,
        originalDueAt: task.originalDueAt,
        pendingExtension: task.pendingExtension,
      }).toEqual({
        state: 'ASSIGNED',
        version: 2,
        dueAt: inDays(120),
        originalDueAt: due.ext,
        pendingExtension: null,
      });
      expect(
        task.history.map(({ seq, type, fromState, toState, actor, comment, dueAt }) => ({
          seq,
          type,
          fromState,
          toState,
          actor,
          comment,
          dueAt,
        })),
      ).toEqual([
        {
          seq: 1,
          type: 'REQUEST_EXTENSION',
          fromState: 'ASSIGNED',
          toState: 'ASSIGNED',
          actor: 'officer-tu-phap',
          comment: 'Chờ ý kiến của Bộ Tư pháp',
          dueAt: inDays(120),
        },
        {
          seq: 2,
          type: 'APPROVE_EXTENSION',
          fromState: 'ASSIGNED',
          toState: 'ASSIGNED',
          actor: 'leader-ubnd',
          comment: CITATION,
          dueAt: inDays(120),
        },
      ]);
      expect((await view(ids.ext, 'leadOfficer')).history).toEqual(task.history);
      expect(await availableTo(ids.ext, ['leadOfficer', 'leader'])).toEqual({ leadOfficer: ['REQUEST_EXTENSION', 'START'], leader: [] });
    });

    it('does refuse with INVALID_TRANSITION when a LEADER approves or denies with no request pending', async () => {
      await expectRefused(
        'leader',
        { taskId: ids.ext, event: 'APPROVE_EXTENSION', newDueAt: inDays(200), comment: CITATION },
        'INVALID_TRANSITION',
      );
      await expectRefused('leader', { taskId: ids.ext, event: 'DENY_EXTENSION', comment: 'Không đồng ý' }, 'INVALID_TRANSITION');
    });

    it('does refuse with BAD_USER_INPUT and write nothing when a LEADER denies without a comment', async () => {
      await fire('leadOfficer', { taskId: ids.ext, event: 'REQUEST_EXTENSION', comment: 'Xin gia hạn lần hai', newDueAt: inDays(200) });
      await expectRefused('leader', { taskId: ids.ext, event: 'DENY_EXTENSION' }, 'BAD_USER_INPUT', 'comment');
      await expectRefused('leader', { taskId: ids.ext, event: 'DENY_EXTENSION', comment: ' ' }, 'BAD_USER_INPUT', 'comment');
    });

    it('does clear the request and keep dueAt when a LEADER denies it with a comment', async () => {
      const task = await fire('leader', { taskId: ids.ext, event: 'DENY_EXTENSION', comment: 'Không có căn cứ gia hạn thêm' });
      expect({ state: task.state, dueAt: task.dueAt, originalDueAt: task.originalDueAt, pendingExtension: task.pendingExtension }).toEqual({
        state: 'ASSIGNED',
        dueAt: inDays(120),
        originalDueAt: due.ext,
        pendingExtension: null,
      });
      expect(task.history.slice(2).map(({ type, comment, actor, dueAt }) => ({ type, comment, actor, dueAt }))).toEqual([
        { type: 'REQUEST_EXTENSION', comment: 'Xin gia hạn lần hai', actor: 'officer-tu-phap', dueAt: inDays(200) },
        { type: 'DENY_EXTENSION', comment: 'Không có căn cứ gia hạn thêm', actor: 'leader-ubnd', dueAt: null },
      ]);
    });
  });

  describe('an overdue task', () => {
    it('does mark the past-due task OVERDUE when the ADMIN sweeps as of a time after its due', async () => {
      const swept = await gql(server, t.admin, 'mutation S($asOf: DateTime) { runDeadlineSweep(asOf: $asOf) }', { asOf: inDays(-30) });
      expect(swept.errors).toBeUndefined();
      expect(swept.data!.runDeadlineSweep).toBe(1);
      const task = await view(ids.overdue);
      expect({ state: task.state, history: task.history.map((h) => [h.type, h.actor, h.at]) }).toEqual({
        state: 'OVERDUE',
        history: [['DEADLINE_PASSED', 'system:deadline-sweep', inDays(-30)]],
      });
      expect(await availableTo(ids.overdue, ['leadOfficer', 'leader'])).toEqual({
        leadOfficer: ['REQUEST_EXTENSION', 'SUBMIT_REPORT'],
        leader: [],
      });
    });

    it('does return the task to IN_PROGRESS when a LEADER approves an extension to a future date', async () => {
      await fire('leadOfficer', { taskId: ids.overdue, event: 'REQUEST_EXTENSION', comment: 'Vướng mặt bằng', newDueAt: inDays(45) });
      const task = await fire('leader', {
        taskId: ids.overdue,
        event: 'APPROVE_EXTENSION',
        newDueAt: inDays(45),
        comment: 'Công văn 77/UBND-KT ngày 20/11/2026',
      });
      expect({ state: task.state, dueAt: task.dueAt, originalDueAt: task.originalDueAt, late: task.late }).toEqual({
        state: 'IN_PROGRESS',
        dueAt: inDays(45),
        originalDueAt: due.overdue,
        late: false,
      });
      expect(task.history.at(-1)).toMatchObject({ type: 'APPROVE_EXTENSION', fromState: 'OVERDUE', toState: 'IN_PROGRESS' });
    });

    it('does keep the task on time when it reports before the extended date', async () => {
      const reported = await fire('leadOfficer', { taskId: ids.overdue, event: 'SUBMIT_REPORT', report: { summary: 'Đã hoàn thành' } });
      expect({ state: reported.state, late: reported.late }).toEqual({ state: 'REPORTED', late: false });
    });
  });

  describe('lateness', () => {
    it('does judge lateness against the extended date when the report comes after the original but before the extended due', async () => {
      const taskId = ids.extendedLate;
      await fire('leadOfficer', { taskId, event: 'START' });
      await fire('leadOfficer', { taskId, event: 'REQUEST_EXTENSION', comment: 'Chờ kinh phí', newDueAt: inDays(30) });
      await fire('leader', {
        taskId,
        event: 'APPROVE_EXTENSION',
        newDueAt: inDays(30),
        comment: 'Quyết định số 15/QĐ-UBND ngày 10/11/2026',
      });
      const reported = await fire('leadOfficer', {
        taskId,
        event: 'SUBMIT_REPORT',
        report: { summary: 'Báo cáo sau hạn gốc, trong hạn gia hạn' },
      });
      expect(Date.parse(reported.history.at(-1)!.at)).toBeGreaterThan(Date.parse(due.extendedLate));
      expect({ state: reported.state, late: reported.late, dueAt: reported.dueAt, originalDueAt: reported.originalDueAt }).toEqual({
        state: 'REPORTED',
        late: false,
        dueAt: inDays(30),
        originalDueAt: due.extendedLate,
      });
      const verified = await fire('supervisor', { taskId, event: 'VERIFY' });
      expect({ state: verified.state, late: verified.late }).toEqual({ state: 'VERIFIED', late: false });
    });

    it('does mark the report late when the same task without an extension reports after its due', async () => {
      const taskId = ids.plainLate;
      await fire('leadOfficer', { taskId, event: 'START' });
      const reported = await fire('leadOfficer', { taskId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo sau hạn' } });
      expect({ state: reported.state, late: reported.late }).toEqual({ state: 'REPORTED', late: true });
    });
  });
});
