import { Pool } from 'pg';
import { authorize, ROLES, type Role, type RuleActor, type RuleEventType, type TaskRelations } from '../libs/approval-rules/src';
import {
  acceptedEventTypes,
  applyTaskEvent,
  missingCoordinators,
  TASK_EVENT_TYPES,
  type StoredTaskSnapshot,
  type TaskEvent,
  type TaskEventType,
} from '../libs/lifecycle/src';
import { gql, startApiServer, token, type ApiServer, type GqlResponse } from './support/api-server';

type GqlError = NonNullable<GqlResponse['errors']>[number] & { path?: (string | number)[] };
import { transition, type TransitionVars } from './support/e2e-helpers';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';

// The access matrix over real HTTP: every role × relation to the task × user event × state, each
// tried with transitionTask against the built service, and the answer compared with what the pure
// libraries say for the same facts — authorize() of libs/approval-rules for who may act, the
// machine's accepted events of libs/lifecycle for what the state takes:
//
//   token of another province           → NOT_FOUND (the task is invisible; authorize says other-province)
//   authorize() denies                  → FORBIDDEN, the deciding rule in the message and extensions.rule
//   allowed, but the machine refuses    → INVALID_TRANSITION
//   allowed and taken                   → the task, in the state applyTaskEvent() predicts, version + 1
//
// Tasks are prepared in bulk through real transitions (and one real deadline sweep): one "probe"
// task per (kind of task, state); every attempt expected to be refused is fired at the probe, and
// every attempt expected to succeed at a fresh task prepared the same way. A refused attempt must
// leave its probe unchanged: version and audit rows are only ever appended, so a probe whose version
// and event count are unchanged after all of its attempts was changed by none of them.
// availableEvents is checked for every (actor, probe) against the set the libraries allow.

const { justice, ict, tax, monitoring } = AGENCIES;
const finance = { code: 'so-tai-chinh', name: 'Sở Tài chính' };
const GROUP = { code: 'cac-so-ban-nganh', name: 'Các Sở, Ban ngành', isGroup: true };
const COMMITTEE = 'uy-ban-nhan-dan-tinh';
const FUTURE_DUE = '2030-12-31T16:59:59.999Z';
const PAST_DUE = '2020-06-30T16:59:59.999Z';
const CONCURRENCY = 6;
// task(id) look-ups per availableEvents request (aliases of one query)
const BATCH = 10;

type PlanKey = 'main' | 'coordination' | 'unmonitored';
const PLANS: Record<PlanKey, { monitored: boolean; coordinatorInputRequired: boolean }> = {
  main: { monitored: true, coordinatorInputRequired: false },
  coordination: { monitored: true, coordinatorInputRequired: true }, // SUBMIT_REPORT waits for the coordinating agency
  unmonitored: { monitored: false, coordinatorInputRequired: false }, // no monitoring agency: the LEADER reviews
};

// A step of preparation: who fires which event (the deadline sweep is run once for every past-due task).
type Who = 'lead' | 'reviewer' | 'contributor' | 'leader';
type Step = [Who, TaskEventType];
interface Variant {
  name: string;
  pastDue: boolean; // past-due tasks are OVERDUE after the sweep, before their steps
  steps: Step[];
}
const V = (name: string, steps: Step[], pastDue = false): Variant => ({ name, steps, pastDue });
const STANDARD: Variant[] = [
  V('ASSIGNED', []),
  V('ASSIGNED, extension pending', [['lead', 'REQUEST_EXTENSION']]),
  V('IN_PROGRESS', [['lead', 'START']]),
  V('IN_PROGRESS, extension pending', [
    ['lead', 'START'],
    ['lead', 'REQUEST_EXTENSION'],
  ]),
  V('REPORTED', [
    ['lead', 'START'],
    ['lead', 'SUBMIT_REPORT'],
  ]),
  V('REPORTED, extension pending', [
    ['lead', 'START'],
    ['lead', 'REQUEST_EXTENSION'],
    ['lead', 'SUBMIT_REPORT'],
  ]),
  V('VERIFIED', [
    ['lead', 'START'],
    ['lead', 'SUBMIT_REPORT'],
    ['reviewer', 'VERIFY'],
  ]),
  V('OVERDUE', [], true),
  V('OVERDUE, extension pending', [['lead', 'REQUEST_EXTENSION']], true),
];
// The five states alone, for the kinds whose point is the relation rather than the extension.
const BASIC = STANDARD.filter((v) => !v.name.includes('extension'));
const COORDINATION: Variant[] = [
  V('IN_PROGRESS, input missing', [['lead', 'START']]),
  V('IN_PROGRESS, input given', [
    ['lead', 'START'],
    ['contributor', 'CONTRIBUTE'],
  ]),
  V('IN_PROGRESS, input waived', [
    ['lead', 'START'],
    ['leader', 'WAIVE_COORDINATION'],
  ]),
  V('REPORTED', [
    ['lead', 'START'],
    ['contributor', 'CONTRIBUTE'],
    ['lead', 'SUBMIT_REPORT'],
  ]),
  V('OVERDUE, input missing', [], true),
];
const UNMONITORED: Variant[] = [
  V('ASSIGNED', []),
  V('REPORTED', [
    ['lead', 'START'],
    ['lead', 'SUBMIT_REPORT'],
  ]),
];

// Kinds of task: which plan, which lead agency, and the agencies that prepare it.
type KindKey = 'lead' | 'group' | 'monitoring' | 'coordination' | 'unmonitored';
interface Kind {
  plan: PlanKey;
  lead: string; // agency code
  leadActor: string; // agency code of the staff that start and report
  reviewer: 'SUPERVISOR' | 'LEADER';
  variants: Variant[];
  // who tries: staff of these agencies of the province in every role; `outsiders` adds every role of
  // another province and the national (*) ADMIN and AUDITOR
  agencies: string[];
  outsiders: boolean;
  pool: { future: number; past: number }; // tasks seeded for probes and fresh tasks
}
// Each relation of the brief is tried where it means something: the lead-agency task carries the
// full set (lead, coordinating, monitoring, other agency, People's Committee, other province,
// national tokens) in every state, with and without a pending extension; the others add the
// relations that only they have (member of the lead group, monitoring agency as lead, the plan's
// coordinating-input setting, a plan without monitoring agency).
const KINDS: Record<KindKey, Kind> = {
  lead: {
    plan: 'main',
    lead: justice.code,
    leadActor: justice.code,
    reviewer: 'SUPERVISOR',
    variants: STANDARD,
    agencies: [justice.code, ict.code, monitoring.code, tax.code, COMMITTEE],
    outsiders: true,
    pool: { future: 60, past: 25 },
  },
  group: {
    plan: 'main',
    lead: GROUP.code,
    leadActor: finance.code,
    reviewer: 'SUPERVISOR',
    variants: BASIC,
    agencies: [finance.code, monitoring.code],
    outsiders: false,
    pool: { future: 30, past: 10 },
  },
  monitoring: {
    plan: 'main',
    lead: monitoring.code,
    leadActor: monitoring.code,
    reviewer: 'LEADER',
    variants: BASIC,
    agencies: [monitoring.code, ict.code, COMMITTEE],
    outsiders: false,
    pool: { future: 30, past: 10 },
  },
  coordination: {
    plan: 'coordination',
    lead: justice.code,
    leadActor: justice.code,
    reviewer: 'SUPERVISOR',
    variants: COORDINATION,
    agencies: [justice.code, ict.code, COMMITTEE],
    outsiders: false,
    pool: { future: 40, past: 10 },
  },
  unmonitored: {
    plan: 'unmonitored',
    lead: justice.code,
    leadActor: justice.code,
    reviewer: 'LEADER',
    variants: UNMONITORED,
    agencies: [justice.code, monitoring.code, COMMITTEE],
    outsiders: false,
    pool: { future: 20, past: 0 },
  },
};

// Valid input for every event, so only the actor, the task and its state decide.
const NEW_DUE = '2031-03-31T16:59:59.999Z';
const PROPOSED_DUE = '2031-06-30T16:59:59.999Z';
const PAYLOAD: Record<TaskEventType, Partial<TransitionVars>> = {
  START: {},
  SUBMIT_REPORT: { report: { summary: 'Báo cáo ma trận quyền', value: '1' } },
  VERIFY: {},
  REJECT: { comment: 'Chưa đạt yêu cầu, bổ sung số liệu' },
  DEADLINE_PASSED: {},
  CONTRIBUTE: { comment: 'Ý kiến phối hợp của đơn vị' },
  REQUEST_EXTENSION: { comment: 'Xin gia hạn do khối lượng lớn', newDueAt: PROPOSED_DUE },
  APPROVE_EXTENSION: { comment: 'Đồng ý theo văn bản 1234/UBND-TH ngày 05/9/2026', newDueAt: NEW_DUE },
  DENY_EXTENSION: { comment: 'Không đồng ý gia hạn' },
  WAIVE_COORDINATION: { comment: 'Miễn ý kiến phối hợp kỳ này' },
  // the system's alone: every user is refused by rule roll-up-system-only
  ROLL_UP: {},
  // an amended plan's import alone: every user is refused by rule amendment-import-only
  WITHDRAW: { comment: 'Rút nhiệm vụ' },
  AMEND: {},
};

// The same event as the machine sees it (what the service builds from PAYLOAD).
function machineEvent(type: TaskEventType, at: string): TaskEvent {
  const p = PAYLOAD[type];
  switch (type) {
    case 'SUBMIT_REPORT':
      return { type, at, report: p.report! };
    case 'CONTRIBUTE':
      return { type, at, text: p.comment!, value: null };
    case 'REQUEST_EXTENSION':
      return { type, at, reason: p.comment!, proposedDueAt: p.newDueAt! };
    case 'APPROVE_EXTENSION':
      return { type, at, newDueAt: p.newDueAt!, comment: p.comment! };
    case 'REJECT':
    case 'DENY_EXTENSION':
    case 'WAIVE_COORDINATION':
      return { type, at, comment: p.comment! };
    default:
      return { type, at } as TaskEvent;
  }
}

// Who tries: every role in every agency of the province, in another province, and the national tokens.
const MATRIX_AGENCIES = [justice.code, finance.code, ict.code, monitoring.code, tax.code, COMMITTEE];
const triesOn = (actor: MatrixActor, kind: Kind) => (actor.province === 'home' ? kind.agencies.includes(actor.agency) : kind.outsiders);
interface MatrixActor {
  key: string;
  role: Role;
  province: 'home' | 'other' | '*';
  agency: string;
  token: string;
}

interface Probe {
  kind: KindKey;
  variant: Variant;
  id: string;
  version: number;
  events: number;
  snapshot: StoredTaskSnapshot;
  extensionRequestedBy: string | null; // actor of the latest REQUEST_EXTENSION event
}

type Outcome = 'ALLOWED' | 'FORBIDDEN' | 'INVALID_TRANSITION' | 'NOT_FOUND';
interface Expectation {
  outcome: Outcome;
  rule: string; // the rule authorize() decided by
  nextState?: string; // ALLOWED: the state applyTaskEvent() predicts
}

interface Attempt {
  actor: MatrixActor;
  probe: Probe;
  event: TaskEventType;
  expected: Expectation;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(workers);
}

const ruleMentioned = (rule: string) => new RegExp(`(^|[^a-z-])${rule}([^a-z-]|$)`);

describe('access matrix: every role × relation × event × state over HTTP agrees with the pure rules', () => {
  const home = uniqueProvince('matrix');
  const other = uniqueProvince('matrix-other');
  let server: ApiServer;
  let pg: Pool;
  const ids: Record<string, string> = {}; // agency code → id in the home province
  const otherIds: Record<string, string> = {};
  const planIds = {} as Record<PlanKey, string>;
  const pools = {} as Record<KindKey, { future: string[]; past: string[] }>;
  const prep: Record<string, string> = {};
  const actors: MatrixActor[] = [];
  const probes: Probe[] = [];
  const attempts: Attempt[] = [];
  const spares = new Map<string, Probe[]>(); // kind/variant → fresh tasks prepared like the probe
  let started = 0;

  const take = (kind: KindKey, pastDue: boolean): string => {
    const id = (pastDue ? pools[kind].past : pools[kind].future).shift();
    if (!id) throw new Error(`the ${pastDue ? 'past-due' : 'future'} pool of kind ${kind} is too small: raise KINDS.${kind}.pool`);
    return id;
  };

  async function readFacts(kind: KindKey, variant: Variant, id: string): Promise<Probe> {
    const row = await pg.query(
      `SELECT t.version, t.state, t.snapshot, (SELECT count(*)::int FROM task_events e WHERE e.task_id = t.id) AS events,
              (SELECT e.actor FROM task_events e WHERE e.task_id = t.id AND e.type = 'REQUEST_EXTENSION' ORDER BY e.seq DESC LIMIT 1) AS requested_by
         FROM tasks t WHERE t.id = $1`,
      [id],
    );
    const { version, snapshot, events, requested_by } = row.rows[0];
    return { kind, variant, id, version, events, snapshot, extensionRequestedBy: requested_by };
  }

  async function prepare(kind: KindKey, variant: Variant): Promise<Probe> {
    const id = take(kind, variant.pastDue);
    const k = KINDS[kind];
    for (const [who, event] of variant.steps) {
      const by = who === 'lead' ? prep[`lead:${k.leadActor}`] : who === 'reviewer' ? prep[`reviewer:${k.reviewer}`] : prep[who];
      const result = await transition(server, by, { taskId: id, event, ...PAYLOAD[event] });
      if (result.errors?.length) throw new Error(`preparing ${kind}/${variant.name}: ${event} failed: ${JSON.stringify(result.errors)}`);
    }
    const probe = await readFacts(kind, variant, id);
    const want = variant.name.split(/[ ,]/)[0];
    if (probe.snapshot.state !== want) throw new Error(`preparing ${kind}/${variant.name} gave ${probe.snapshot.state}`);
    return probe;
  }

  // The facts the rules read, built from what this test seeded (not from the service's own assembly).
  function relationsOf(probe: Probe): TaskRelations {
    const kind = KINDS[probe.kind];
    const plan = PLANS[kind.plan];
    const context = probe.snapshot.context;
    return {
      provinceCode: home.code,
      leadAgencyId: ids[kind.lead],
      leadGroupMemberIds: kind.lead === GROUP.code ? [ids[finance.code]] : [],
      coordinatingAgencyIds: [ids[ict.code]],
      monitoringAgencyId: plan.monitored ? ids[monitoring.code] : null,
      provincialCommitteeAgencyId: ids[COMMITTEE],
      reportedByAgencyId: context.reportedByAgencyId,
      reportedByUserId: context.reportedByUserId,
      extensionRequestedByUserId: context.pendingExtension ? probe.extensionRequestedBy : null,
      coordinatorInputMissing: plan.coordinatorInputRequired && missingCoordinators(context, [ids[ict.code]]).length > 0,
    };
  }

  function ruleActorOf(actor: MatrixActor): RuleActor {
    const agencyId = actor.province === 'home' ? ids[actor.agency] : actor.province === 'other' ? otherIds[actor.agency] : undefined;
    return {
      kind: 'user',
      userId: actor.key,
      provinceCode: actor.province === 'home' ? home.code : actor.province === 'other' ? other.code : '*',
      agencyId: agencyId ?? null,
      roles: [actor.role],
    };
  }

  // What the pure libraries say for this actor, task and event.
  function oracle(actor: MatrixActor, probe: Probe, event: TaskEventType): Expectation {
    const decision = authorize(ruleActorOf(actor), relationsOf(probe), event as RuleEventType);
    // the contract hides another province's objects: NOT_FOUND, and the rules must deny too
    // (were the rules to allow it, the service could never answer it: counted as a disagreement)
    if (actor.province === 'other') return { outcome: 'NOT_FOUND', rule: decision.allowed ? `ALLOWED by ${decision.rule}` : decision.rule };
    if (!decision.allowed) return { outcome: 'FORBIDDEN', rule: decision.rule };
    const now = new Date().toISOString();
    if (!acceptedEventTypes(probe.snapshot, now).includes(event)) return { outcome: 'INVALID_TRANSITION', rule: decision.rule };
    const outcome = applyTaskEvent(probe.snapshot, machineEvent(event, now));
    if (!outcome.taken) throw new Error(`acceptedEventTypes lists ${event} in ${probe.snapshot.state} but applyTaskEvent refuses it`);
    return { outcome: 'ALLOWED', rule: decision.rule, nextState: outcome.snapshot.state };
  }

  function relationLabel(actor: MatrixActor, kind: KindKey): string {
    if (actor.province === '*') return 'national (*) token';
    if (actor.province === 'other') return 'other province';
    const k = KINDS[kind];
    if (actor.agency === k.lead) return actor.agency === monitoring.code ? 'lead agency (= monitoring agency)' : 'lead agency';
    if (k.lead === GROUP.code && actor.agency === finance.code) return 'member of the lead group';
    if (actor.agency === ict.code) return 'coordinating agency';
    if (actor.agency === monitoring.code) return PLANS[k.plan].monitored ? 'monitoring agency' : 'other agency (plan unmonitored)';
    if (actor.agency === COMMITTEE) return "People's Committee";
    return 'other agency of the province';
  }

  beforeAll(async () => {
    started = Date.now();
    const agencies = [...Object.values(AGENCIES), finance, GROUP];
    const poolTasks = (plan: PlanKey) =>
      (Object.keys(KINDS) as KindKey[])
        .filter((kind) => KINDS[kind].plan === plan)
        .flatMap((kind) => [
          ...Array.from({ length: KINDS[kind].pool.future }, (_, i) => ({ kind, i, dueAt: FUTURE_DUE, past: false })),
          ...Array.from({ length: KINDS[kind].pool.past }, (_, i) => ({ kind, i, dueAt: PAST_DUE, past: true })),
        ])
        .map(({ kind, i, dueAt, past }) => ({
          ordinal: `${kind}-${past ? 'past' : 'future'}-${i}`,
          leadAgencyCode: KINDS[kind].lead,
          coordinatingAgencyCodes: [ict.code],
          timeframe: past ? 'Quý II năm 2020' : 'Năm 2030',
          dueAt,
        }));
    for (const [i, plan] of (Object.keys(PLANS) as PlanKey[]).entries()) {
      const seeded = { ...testPlan(home, poolTasks(plan)), number: `${101 + i}/KH-UBND`, agencies };
      const { planId } = await seedPlan({ ...seeded, monitoringAgencyCode: PLANS[plan].monitored ? monitoring.code : null });
      planIds[plan] = planId;
    }
    await seedPlan({ ...testPlan(other, [{}]), agencies });
    pg = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 4 });
    for (const [code, target] of [
      [home.code, ids],
      [other.code, otherIds],
    ] as const) {
      const rows = await pg.query('SELECT id, code FROM agencies WHERE province_code = $1', [code]);
      for (const r of rows.rows) target[r.code] = r.id;
    }
    const tasks = await pg.query('SELECT id, ordinal FROM tasks WHERE province_code = $1 ORDER BY ordinal', [home.code]);
    for (const kind of Object.keys(KINDS) as KindKey[]) pools[kind] = { future: [], past: [] };
    for (const { id, ordinal } of tasks.rows) {
      const [kind, when] = ordinal.split('-') as [KindKey, 'future' | 'past'];
      pools[kind][when].push(id);
    }

    server = await startApiServer({ RATE_LIMIT_MAX: '1000000' });
    const admin = await token(home.code, 'so-noi-vu', ['ADMIN'], 'prep-admin');
    const must = async (result: Promise<GqlResponse>, what: string) => {
      const r = await result;
      if (r.errors?.length) throw new Error(`${what} failed: ${JSON.stringify(r.errors)}`);
      return r.data!;
    };
    await must(
      gql(server, admin, 'mutation M($g: ID!, $m: [ID!]!) { setAgencyGroupMembers(groupId: $g, memberIds: $m) { id } }', {
        g: ids[GROUP.code],
        m: [ids[finance.code]],
      }),
      'setAgencyGroupMembers',
    );
    await must(
      gql(server, admin, 'mutation M($input: PlanSettingsInput!) { updatePlanSettings(input: $input) { id } }', {
        input: { planId: planIds.coordination, coordinatorInputRequired: true },
      }),
      'updatePlanSettings',
    );
    // one real sweep: every past-due task becomes OVERDUE through DEADLINE_PASSED
    const swept = await must(gql(server, admin, 'mutation { runDeadlineSweep }'), 'runDeadlineSweep');
    const pastCount = Object.values(KINDS).reduce((n, k) => n + k.pool.past, 0);
    if (swept.runDeadlineSweep !== pastCount) throw new Error(`the sweep marked ${swept.runDeadlineSweep} tasks, not ${pastCount}`);

    for (const code of [justice.code, finance.code, monitoring.code])
      prep[`lead:${code}`] = await token(home.code, code, ['OFFICER'], `prep-lead-${code}`);
    prep['reviewer:SUPERVISOR'] = await token(home.code, monitoring.code, ['SUPERVISOR'], 'prep-supervisor');
    prep['reviewer:LEADER'] = prep.leader = await token(home.code, COMMITTEE, ['LEADER'], 'prep-leader');
    prep.contributor = await token(home.code, ict.code, ['OFFICER'], 'prep-contributor');

    for (const role of ROLES) {
      for (const agency of MATRIX_AGENCIES) {
        const key = `${role}@${agency}`;
        actors.push({ key, role, agency, province: 'home', token: await token(home.code, agency, [role], key) });
      }
      const key = `${role}@other-province/${justice.code}`;
      actors.push({ key, role, agency: justice.code, province: 'other', token: await token(other.code, justice.code, [role], key) });
    }
    for (const role of ['ADMIN', 'AUDITOR'] as const) {
      const key = `${role}@national`;
      actors.push({
        key,
        role,
        agency: 'bo-ke-hoach-va-dau-tu',
        province: '*',
        token: await token('*', 'bo-ke-hoach-va-dau-tu', [role], key),
      });
    }

    // the probes, one per kind and state
    const wanted = (Object.keys(KINDS) as KindKey[]).flatMap((kind) => KINDS[kind].variants.map((variant) => ({ kind, variant })));
    await inParallel(wanted, CONCURRENCY, async ({ kind, variant }) => {
      probes.push(await prepare(kind, variant));
    });
    // the expectations, and a fresh task for every attempt expected to succeed
    for (const probe of probes) {
      for (const actor of actors.filter((a) => triesOn(a, KINDS[probe.kind]))) {
        for (const event of TASK_EVENT_TYPES) attempts.push({ actor, probe, event, expected: oracle(actor, probe, event) });
      }
    }
    const needed = attempts.filter((a) => a.expected.outcome === 'ALLOWED').map((a) => a.probe);
    await inParallel(needed, CONCURRENCY, async (probe) => {
      const spare = await prepare(probe.kind, probe.variant);
      const key = `${probe.kind}/${probe.variant.name}`;
      spares.set(key, [...(spares.get(key) ?? []), spare]);
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await pg?.end();
  });

  it('does answer every attempt as authorize() and the machine say, changing nothing when refused', async () => {
    const mismatches: string[] = [];
    const statuses: number[] = [];
    const consumed: { probe: Probe; spare: Probe; state: string }[] = [];
    const label = (a: Attempt) =>
      `${a.actor.key} (${relationLabel(a.actor, a.probe.kind)}) ${a.event} on ${a.probe.kind}/${a.probe.variant.name}`;
    const wanted = (a: Attempt, version: number) =>
      a.expected.outcome === 'ALLOWED'
        ? `ALLOWED ${a.expected.nextState} v${version + 1}`
        : a.expected.outcome === 'FORBIDDEN'
          ? `FORBIDDEN ${a.expected.rule}`
          : a.expected.rule.startsWith('ALLOWED')
            ? `the rules allow an actor that cannot see the task (${a.expected.rule})`
            : a.expected.outcome;
    const answered = (error: GqlError | undefined): string => {
      if (!error) return 'no error';
      const code = error.extensions?.code;
      if (code === 'FORBIDDEN') {
        const rule = String(error.extensions?.rule);
        return `FORBIDDEN ${rule}${ruleMentioned(rule).test(error.message) ? '' : ' (rule not named in the message)'}`;
      }
      if (code === 'INVALID_TRANSITION' || code === 'NOT_FOUND') return code;
      return `${code}: ${error.message.slice(0, 200)}`;
    };

    // Attempts expected to succeed: one request each, on a fresh task carrying the probe's facts.
    const allowed = attempts.filter((a) => a.expected.outcome === 'ALLOWED');
    await inParallel(allowed, CONCURRENCY, async (attempt) => {
      const { actor, probe, event, expected } = attempt;
      const target = spares.get(`${probe.kind}/${probe.variant.name}`)!.pop()!;
      const again = oracle(actor, target, event);
      if (again.outcome !== 'ALLOWED' || again.rule !== expected.rule) {
        mismatches.push(`${label(attempt)}: on its fresh task the libraries say ${JSON.stringify(again)}`);
        return;
      }
      const result = await transition(server, actor.token, {
        taskId: target.id,
        event,
        expectedVersion: target.version,
        ...PAYLOAD[event],
      });
      statuses.push(result.status);
      const task = result.data?.transitionTask;
      const actual = result.errors?.length ? answered(result.errors[0]) : `ALLOWED ${task?.state} v${task?.version}`;
      if (task) consumed.push({ probe, spare: target, state: task.state });
      if (actual !== wanted(attempt, target.version)) {
        mismatches.push(
          `${label(attempt)}: libraries say ${wanted(attempt, target.version)} (rule ${expected.rule}), service answered ${actual}`,
        );
      }
    });

    // Attempts expected to be refused: on the probe, one request each. (They cannot share a request:
    // transitionTask answers Task!, so GraphQL stops a mutation document at its first error.)
    const refused = attempts.filter((a) => a.expected.outcome !== 'ALLOWED');
    await inParallel(refused, CONCURRENCY, async (attempt) => {
      const { actor, probe, event } = attempt;
      const result = await transition(server, actor.token, { taskId: probe.id, event, expectedVersion: probe.version, ...PAYLOAD[event] });
      statuses.push(result.status);
      let actual = result.errors?.length === 1 ? answered(result.errors[0]) : `${result.errors?.length ?? 0} errors`;
      if (result.data?.transitionTask) actual += ' (with data)';
      if (actual !== wanted(attempt, probe.version)) {
        mismatches.push(
          `${label(attempt)}: libraries say ${wanted(attempt, probe.version)} (rule ${attempt.expected.rule}), service answered ${actual}`,
        );
      }
    });

    // every probe exactly as prepared: no refused attempt wrote anything
    const after = await pg.query(
      `SELECT t.id, t.version, (SELECT count(*)::int FROM task_events e WHERE e.task_id = t.id) AS events FROM tasks t WHERE t.id = ANY($1)`,
      [probes.map((p) => p.id)],
    );
    const now = new Map(after.rows.map((r) => [r.id, { version: r.version, events: r.events }]));
    const changedProbes = probes
      .filter((p) => now.get(p.id)!.version !== p.version || now.get(p.id)!.events !== p.events)
      .map((p) => `${p.kind}/${p.variant.name}: v${p.version}→v${now.get(p.id)!.version}, ${p.events}→${now.get(p.id)!.events} events`);
    // every fresh task moved exactly once
    const spareRows = await pg.query(
      `SELECT t.id, t.version, t.state, (SELECT count(*)::int FROM task_events e WHERE e.task_id = t.id) AS events FROM tasks t WHERE t.id = ANY($1)`,
      [consumed.map((c) => c.spare.id)],
    );
    const spareNow = new Map(spareRows.rows.map((r) => [r.id, r]));
    const wrongSpares = consumed
      .filter(({ spare, state }) => {
        const row = spareNow.get(spare.id)!;
        return row.version !== spare.version + 1 || row.events !== spare.events + 1 || row.state !== state;
      })
      .map(({ probe }) => `${probe.kind}/${probe.variant.name}`);

    const total = attempts.length;
    const count = (f: (a: Attempt) => string) =>
      Object.entries(attempts.reduce<Record<string, number>>((acc, a) => ({ ...acc, [f(a)]: (acc[f(a)] ?? 0) + 1 }), {}))
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
    const relations = new Set(attempts.map((a) => relationLabel(a.actor, a.probe.kind)));
    const states = new Set(probes.map((p) => p.snapshot.state));
    console.log(
      [
        `Access matrix: ${total} transitionTask attempts over HTTP, one request each: ${ROLES.length} roles × ${relations.size} relations` +
          ` × ${TASK_EVENT_TYPES.length} events × ${probes.length} prepared tasks (${Object.keys(KINDS).length} kinds, ${states.size} states, with and without` +
          ` a pending extension or coordinating input)`,
        `  attempts per kind: ${count((a) => a.probe.kind)}`,
        `  expected outcomes: ${count((a) => a.expected.outcome)}`,
        `  deciding rules: ${count((a) => a.expected.rule)}`,
        `  agreement with authorize() + the machine: ${total - mismatches.length}/${total} = ${(((total - mismatches.length) / total) * 100).toFixed(2)} %`,
        `  probes unchanged: ${probes.length - changedProbes.length}/${probes.length}; fresh tasks moved once: ${consumed.length - wrongSpares.length}/${consumed.length}`,
        `  HTTP statuses: ${[...new Set(statuses)].join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s since the suite started`,
      ].join('\n'),
    );
    expect(attempts.length).toBe(
      probes.reduce((n, p) => n + actors.filter((a) => triesOn(a, KINDS[p.kind])).length * TASK_EVENT_TYPES.length, 0),
    );
    // every role meets every relation of the brief
    const cells = new Set(attempts.map((a) => `${a.actor.role} ${relationLabel(a.actor, a.probe.kind)}`));
    expect(cells.size).toBe(ROLES.length * (relations.size - 1) + 2); // national tokens: ADMIN and AUDITOR only
    expect(mismatches.slice(0, 30)).toEqual([]);
    expect(changedProbes).toEqual([]);
    expect(wrongSpares).toEqual([]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // the matrix exercises every outcome and every rule that can decide a user's event
    expect(new Set(attempts.map((a) => a.expected.outcome))).toEqual(new Set(['ALLOWED', 'FORBIDDEN', 'INVALID_TRANSITION', 'NOT_FOUND']));
    expect([...new Set(attempts.map((a) => a.expected.rule))].sort()).toEqual(
      [
        'auditor-changes-nothing',
        'deadline-passed-system-only',
        'roll-up-system-only',
        'amendment-import-only',
        'other-province',
        'coordinator-input-required',
        'lead-agency-member',
        'coordinating-agency-member',
        'four-eyes-own-report',
        'monitoring-led-needs-leader',
        'leader-verifies-monitoring-led',
        'monitoring-supervisor',
        'leader-verifies-unmonitored-plan',
        'leader-decides-extension',
        'leader-waives-coordination',
        'no-rule-allows',
      ].sort(),
    );
  }, 120_000);

  it('does list as availableEvents exactly the events the libraries allow, for every actor and prepared task', async () => {
    const pairs = probes.flatMap((probe) => actors.filter((a) => triesOn(a, KINDS[probe.kind])).map((actor) => ({ probe, actor })));
    const batches: { probe: Probe; actor: MatrixActor }[][] = [];
    for (const actor of actors) {
      const mine = pairs.filter((p) => p.actor === actor);
      for (let i = 0; i < mine.length; i += BATCH) batches.push(mine.slice(i, i + BATCH));
    }
    const mismatches: string[] = [];
    await inParallel(batches, CONCURRENCY, async (batch) => {
      const query = `query Q(${batch.map((_, i) => `$t${i}: ID!`).join(', ')}) {
        ${batch.map((_, i) => `t${i}: task(id: $t${i}) { state availableEvents }`).join('\n')} }`;
      const result = await gql<Record<string, { state: string; availableEvents: string[] } | null>>(
        server,
        batch[0].actor.token,
        query,
        Object.fromEntries(batch.map(({ probe }, i) => [`t${i}`, probe.id])),
      );
      batch.forEach(({ probe, actor }, i) => {
        const expected =
          actor.province === 'other' ? null : TASK_EVENT_TYPES.filter((event) => oracle(actor, probe, event).outcome === 'ALLOWED').sort();
        const task = result.data?.[`t${i}`];
        const actual = result.errors?.length
          ? `errors ${JSON.stringify(result.errors).slice(0, 300)}`
          : task
            ? [...task.availableEvents].sort()
            : null;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          mismatches.push(
            `${actor.key} (${relationLabel(actor, probe.kind)}) on ${probe.kind}/${probe.variant.name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
          );
        }
      });
    });
    console.log(`availableEvents: ${pairs.length - mismatches.length}/${pairs.length} (actor, task) pairs agree with the libraries`);
    expect(mismatches.slice(0, 30)).toEqual([]);
  }, 60_000);
});
