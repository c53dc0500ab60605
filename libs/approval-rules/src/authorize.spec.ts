import {
  APPROVAL_RULES,
  NO_RULE_ALLOWS,
  RULE_EVENT_TYPES,
  authorize,
  findDecidingRule,
  type Role,
  type RuleActor,
  type RuleEventType,
  type TaskRelations,
} from './index';

// Thái Bình: Sở Tài chính leads, Sở Xây dựng coordinates, Sở KH&ĐT monitors the plan.
const LEAD = 'so-tai-chinh';
const COORDINATING = 'so-xay-dung';
const MONITORING = 'so-ke-hoach-va-dau-tu';
const COMMITTEE = 'uy-ban-nhan-dan-tinh';
const UNRELATED = 'so-y-te';

const TASK: TaskRelations = {
  provinceCode: 'thai-binh',
  leadAgencyId: LEAD,
  coordinatingAgencyIds: [COORDINATING, 'so-noi-vu'],
  monitoringAgencyId: MONITORING,
  provincialCommitteeAgencyId: COMMITTEE,
  reportedByAgencyId: LEAD,
  reportedByUserId: 'u-lead-officer',
  coordinatorInputMissing: false,
  leadGroupMemberIds: [],
  extensionRequestedByUserId: null,
};
// The plan requires coordinator input and a coordinating agency has not contributed this period.
const INPUT_MISSING: TaskRelations = { ...TASK, coordinatorInputMissing: true };
const MONITORING_LED: TaskRelations = { ...TASK, leadAgencyId: MONITORING, reportedByAgencyId: MONITORING };
const UNMONITORED: TaskRelations = { ...TASK, monitoringAgencyId: null };
// The lead is a group ("UBND các huyện") whose registered members include the monitoring agency.
const GROUP = 'ubnd-cac-huyen';
const GROUP_WITH_MONITORING: TaskRelations = {
  ...TASK,
  leadAgencyId: GROUP,
  leadGroupMemberIds: [MONITORING, UNRELATED],
  reportedByAgencyId: UNRELATED,
  reportedByUserId: 'u-member',
};

const user = (agencyId: string | null, roles: Role[], extra: Partial<RuleActor> = {}): RuleActor => ({
  kind: 'user',
  userId: `u-${agencyId}-${roles.join('-').toLowerCase()}`,
  provinceCode: 'thai-binh',
  agencyId,
  roles,
  ...extra,
});

const leadOfficer = user(LEAD, ['OFFICER'], { userId: 'u-lead-officer' });
const leadSupervisor = user(LEAD, ['SUPERVISOR']);
const coordinatingOfficer = user(COORDINATING, ['OFFICER']);
const monitoringSupervisor = user(MONITORING, ['SUPERVISOR']);
const monitoringOfficer = user(MONITORING, ['OFFICER']);
const leader = user(COMMITTEE, ['LEADER']);
const unrelatedOfficer = user(UNRELATED, ['OFFICER']);
const unrelatedSupervisor = user(UNRELATED, ['SUPERVISOR']);
const auditor = user('kiem-toan', ['AUDITOR']);
const otherProvinceLeader = user(COMMITTEE, ['LEADER'], { provinceCode: 'ha-noi' });
const nationalAdmin = user(null, ['ADMIN'], { provinceCode: '*' });
const system: RuleActor = { kind: 'system', userId: null, provinceCode: '*', agencyId: null, roles: [] };

interface Case {
  when: string;
  actor: RuleActor;
  relations: TaskRelations;
  event: RuleEventType;
  rule: string;
  allowed: boolean;
}

const allow = (event: RuleEventType, rule: string, when: string, actor: RuleActor, relations = TASK): Case => ({
  when,
  actor,
  relations,
  event,
  rule,
  allowed: true,
});
const deny = (event: RuleEventType, rule: string, when: string, actor: RuleActor, relations = TASK): Case => ({
  when,
  actor,
  relations,
  event,
  rule,
  allowed: false,
});

// Users never fire DEADLINE_PASSED, ROLL_UP, WITHDRAW nor AMEND, so those events are decided before any
// per-actor rule.
const SYSTEM_EVENTS: readonly RuleEventType[] = ['DEADLINE_PASSED', 'ROLL_UP', 'WITHDRAW', 'AMEND'];
const SYSTEM_ONLY_RULE: Partial<Record<RuleEventType, string>> = {
  DEADLINE_PASSED: 'deadline-passed-system-only',
  ROLL_UP: 'roll-up-system-only',
  WITHDRAW: 'amendment-import-only',
  AMEND: 'amendment-import-only',
};
const userRule = (event: RuleEventType, rule: string): string => SYSTEM_ONLY_RULE[event] ?? rule;

const LEAD_EVENTS: RuleEventType[] = ['START', 'SUBMIT_REPORT', 'REQUEST_EXTENSION'];
const REVIEW_EVENTS: RuleEventType[] = ['VERIFY', 'REJECT'];
const EXTENSION_DECISIONS: RuleEventType[] = ['APPROVE_EXTENSION', 'DENY_EXTENSION'];

const ALLOWED_CASES: Case[] = [
  allow('DEADLINE_PASSED', 'system-sweep', 'the deadline sweep fires it', system),
  allow('DEADLINE_PASSED', 'system-sweep', 'the sweep carries the task province', { ...system, provinceCode: 'thai-binh' }),
  allow('ROLL_UP', 'system-roll-up', "the system rolls a split task up to its children's state", system),
  allow('WITHDRAW', 'system-amendment', 'the import of an amended plan withdraws a task it no longer holds', system),
  allow('AMEND', 'system-amendment', 'the import of an amended plan reschedules a task', { ...system, provinceCode: 'thai-binh' }),
  ...LEAD_EVENTS.map((e) => allow(e, 'lead-agency-member', 'an officer of the lead agency fires it', leadOfficer)),
  allow('START', 'lead-agency-member', 'a supervisor of the lead agency fires it', leadSupervisor),
  allow('START', 'lead-agency-member', 'an officer of a member of the lead group fires it', user(UNRELATED, ['OFFICER']), {
    ...TASK,
    leadGroupMemberIds: [UNRELATED],
  }),
  allow('CONTRIBUTE', 'coordinating-agency-member', 'an officer of a coordinating agency fires it', coordinatingOfficer),
  ...REVIEW_EVENTS.flatMap((e) => [
    allow(e, 'monitoring-supervisor', 'a supervisor of the monitoring agency reviews another agency', monitoringSupervisor),
    allow(e, 'leader-verifies-monitoring-led', 'a LEADER reviews a task led by the monitoring agency', leader, MONITORING_LED),
    allow(e, 'leader-verifies-unmonitored-plan', 'a LEADER reviews a task of a plan without monitoring agency', leader, UNMONITORED),
  ]),
  allow('VERIFY', 'leader-verifies-unmonitored-plan', 'the report has no author', leader, {
    ...UNMONITORED,
    reportedByAgencyId: null,
    reportedByUserId: null,
  }),
  ...EXTENSION_DECISIONS.map((e) => allow(e, 'leader-decides-extension', 'a LEADER of the province decides', leader)),
  ...EXTENSION_DECISIONS.map((e) =>
    allow(e, 'leader-decides-extension', 'another LEADER requested the extension', leader, {
      ...TASK,
      extensionRequestedByUserId: 'u-other-leader',
    }),
  ),
  allow('SUBMIT_REPORT', 'lead-agency-member', 'every coordinating agency contributed or a LEADER waived it', leadSupervisor, {
    ...INPUT_MISSING,
    coordinatorInputMissing: false,
  }),
  allow('START', 'lead-agency-member', 'coordinating input is missing (it holds back only the report)', leadOfficer, INPUT_MISSING),
  allow(
    'REQUEST_EXTENSION',
    'lead-agency-member',
    'coordinating input is missing (it holds back only the report)',
    leadOfficer,
    INPUT_MISSING,
  ),
  allow(
    'CONTRIBUTE',
    'coordinating-agency-member',
    'a coordinating agency contributes the missing input',
    coordinatingOfficer,
    INPUT_MISSING,
  ),
  allow('WAIVE_COORDINATION', 'leader-waives-coordination', "a LEADER of the People's Committee waives", leader, INPUT_MISSING),
  allow('WAIVE_COORDINATION', 'leader-waives-coordination', 'a LEADER waives for a monitoring-led task', leader, {
    ...MONITORING_LED,
    coordinatorInputMissing: true,
  }),
];

const DENIED_CASES: Case[] = [
  // four eyes through groups: a member of the lead group never reviews the group's report
  ...REVIEW_EVENTS.flatMap((e) => [
    deny(
      e,
      'four-eyes-own-report',
      'a supervisor of the monitoring agency is a member of the lead group',
      monitoringSupervisor,
      GROUP_WITH_MONITORING,
    ),
    deny(
      e,
      'four-eyes-own-report',
      "a supervisor of another member of the lead group reviews the group's report",
      user(UNRELATED, ['SUPERVISOR'], { userId: 'u-other' }),
      { ...GROUP_WITH_MONITORING, reportedByAgencyId: GROUP, reportedByUserId: 'u-x' },
    ),
    deny(
      e,
      'monitoring-led-needs-leader',
      'the monitoring agency leads through a group it belongs to (reviewer outside the group)',
      user(COORDINATING, ['SUPERVISOR']),
      GROUP_WITH_MONITORING,
    ),
    allow(
      e,
      'leader-verifies-monitoring-led',
      'a LEADER reviews a task the monitoring agency leads through a group',
      leader,
      GROUP_WITH_MONITORING,
    ),
  ]),
  deny('START', 'no-rule-allows', 'an officer of an agency outside the lead group fires it', user(UNRELATED, ['OFFICER']), {
    ...TASK,
    leadGroupMemberIds: [COORDINATING],
  }),
  // nothing to waive: the plan does not require the input, or every coordinating agency gave it
  deny('WAIVE_COORDINATION', 'no-rule-allows', 'a LEADER waives though nothing is missing', leader),
  // LEADER belongs to the People's Committee: the role on another agency's token decides nothing
  ...EXTENSION_DECISIONS.map((e) => deny(e, 'no-rule-allows', 'a LEADER role on a department token', user(MONITORING, ['LEADER']))),
  deny('VERIFY', 'no-rule-allows', 'a LEADER without agency reviews an unmonitored plan', user(null, ['LEADER']), UNMONITORED),
  deny(
    'VERIFY',
    'monitoring-led-needs-leader',
    'a LEADER role on another department reviews a monitoring-led task',
    user(UNRELATED, ['LEADER', 'SUPERVISOR']),
    MONITORING_LED,
  ),
  ...RULE_EVENT_TYPES.flatMap((e) => [
    deny(e, 'auditor-changes-nothing', 'the actor is an AUDITOR', auditor),
    deny(e, 'auditor-changes-nothing', 'an AUDITOR also holds LEADER', user(COMMITTEE, ['LEADER', 'AUDITOR'])),
    deny(e, userRule(e, 'other-province'), 'a LEADER of another province fires it', otherProvinceLeader),
    deny(e, userRule(e, 'other-province'), "a national ADMIN with province '*' fires it", nationalAdmin),
    deny(e, userRule(e, NO_RULE_ALLOWS), 'an officer of an unrelated agency fires it', unrelatedOfficer),
  ]),
  ...RULE_EVENT_TYPES.filter((e) => !SYSTEM_EVENTS.includes(e)).map((e) =>
    deny(e, 'system-actor-only-deadline', 'the system fires anything but DEADLINE_PASSED, ROLL_UP, WITHDRAW and AMEND', system),
  ),
  deny('DEADLINE_PASSED', 'deadline-passed-system-only', 'a LEADER of the province fires it', leader),
  deny('ROLL_UP', 'roll-up-system-only', 'a LEADER of the province fires it', leader),
  deny('ROLL_UP', 'roll-up-system-only', 'an officer of the lead agency fires it', leadOfficer),
  deny('WITHDRAW', 'amendment-import-only', 'a LEADER of the province withdraws a task', leader),
  deny('AMEND', 'amendment-import-only', 'a LEADER of the province reschedules a task', leader),
  deny('AMEND', 'amendment-import-only', 'an ADMIN of the province reschedules a task', user(COMMITTEE, ['ADMIN', 'LEADER'])),
  ...LEAD_EVENTS.flatMap((e) => [
    deny(e, NO_RULE_ALLOWS, 'a coordinating agency fires a lead-agency event', coordinatingOfficer),
    deny(e, NO_RULE_ALLOWS, 'an ADMIN-only token of the lead agency fires it', user(LEAD, ['ADMIN'])),
  ]),
  deny('CONTRIBUTE', NO_RULE_ALLOWS, 'the lead agency contributes instead of coordinating', leadOfficer),
  ...REVIEW_EVENTS.flatMap((e) => [
    deny(e, 'four-eyes-own-report', 'the lead agency reviews its own report', leadSupervisor),
    deny(e, 'four-eyes-own-report', 'the author reviews from another agency', { ...monitoringSupervisor, userId: 'u-lead-officer' }),
    deny(e, 'four-eyes-own-report', 'the monitoring agency submitted the report', monitoringSupervisor, {
      ...TASK,
      reportedByAgencyId: MONITORING,
    }),
    deny(
      e,
      'four-eyes-own-report',
      'a supervisor of the monitoring agency reviews a monitoring-led task',
      monitoringSupervisor,
      MONITORING_LED,
    ),
    deny(
      e,
      'monitoring-led-needs-leader',
      'a supervisor of another agency reviews a monitoring-led task',
      unrelatedSupervisor,
      MONITORING_LED,
    ),
    deny(e, NO_RULE_ALLOWS, 'an OFFICER (not SUPERVISOR) of the monitoring agency reviews', monitoringOfficer),
    deny(e, NO_RULE_ALLOWS, 'a LEADER reviews a task the monitoring agency should review', leader),
    deny(e, NO_RULE_ALLOWS, 'a supervisor of another agency reviews', unrelatedSupervisor),
    deny(e, NO_RULE_ALLOWS, 'a SUPERVISOR reviews a plan without monitoring agency', monitoringSupervisor, UNMONITORED),
  ]),
  ...EXTENSION_DECISIONS.flatMap((e) => [
    deny(e, 'four-eyes-own-extension', 'the LEADER decides the extension they requested', leader, {
      ...TASK,
      leadAgencyId: COMMITTEE,
      extensionRequestedByUserId: leader.userId,
    }),
    deny(e, 'four-eyes-own-extension', 'the officer who requested it decides', user(LEAD, ['OFFICER'], { userId: 'u-lead-officer' }), {
      ...TASK,
      extensionRequestedByUserId: 'u-lead-officer',
    }),
    deny(e, NO_RULE_ALLOWS, 'the lead agency decides its own request', leadSupervisor),
    deny(e, NO_RULE_ALLOWS, 'a supervisor of the monitoring agency decides', monitoringSupervisor),
  ]),
  deny(
    'SUBMIT_REPORT',
    'coordinator-input-required',
    'an officer of the lead agency reports while coordinating input is missing',
    leadOfficer,
    INPUT_MISSING,
  ),
  deny(
    'SUBMIT_REPORT',
    'coordinator-input-required',
    'a supervisor of the lead agency reports while coordinating input is missing',
    leadSupervisor,
    INPUT_MISSING,
  ),
  deny('SUBMIT_REPORT', NO_RULE_ALLOWS, 'a coordinating agency reports while its input is missing', coordinatingOfficer, INPUT_MISSING),
  deny('SUBMIT_REPORT', NO_RULE_ALLOWS, 'an unrelated agency reports while coordinating input is missing', unrelatedOfficer, INPUT_MISSING),
  deny(
    'SUBMIT_REPORT',
    NO_RULE_ALLOWS,
    'an ADMIN-only token of the lead agency reports while input is missing',
    user(LEAD, ['ADMIN']),
    INPUT_MISSING,
  ),
  deny(
    'SUBMIT_REPORT',
    'auditor-changes-nothing',
    'an AUDITOR of the lead agency reports while input is missing',
    user(LEAD, ['OFFICER', 'AUDITOR']),
    INPUT_MISSING,
  ),
  deny(
    'WAIVE_COORDINATION',
    NO_RULE_ALLOWS,
    'an officer of a coordinating agency waives its own input',
    coordinatingOfficer,
    INPUT_MISSING,
  ),
  deny('WAIVE_COORDINATION', NO_RULE_ALLOWS, 'an officer of the lead agency waives', leadOfficer, INPUT_MISSING),
  deny('WAIVE_COORDINATION', NO_RULE_ALLOWS, 'a supervisor of the lead agency waives', leadSupervisor, INPUT_MISSING),
  deny('WAIVE_COORDINATION', NO_RULE_ALLOWS, 'a supervisor of the monitoring agency waives', monitoringSupervisor, INPUT_MISSING),
  deny('WAIVE_COORDINATION', NO_RULE_ALLOWS, 'a LEADER role on a department token waives', user(MONITORING, ['LEADER']), INPUT_MISSING),
  deny('WAIVE_COORDINATION', NO_RULE_ALLOWS, 'a LEADER role on a lead agency token waives', user(LEAD, ['LEADER']), INPUT_MISSING),
  deny('WAIVE_COORDINATION', NO_RULE_ALLOWS, 'a LEADER without agency waives', user(null, ['LEADER']), INPUT_MISSING),
  deny('WAIVE_COORDINATION', NO_RULE_ALLOWS, "the plan has no People's Committee on record", leader, {
    ...INPUT_MISSING,
    provincialCommitteeAgencyId: null,
  }),
];

const CASES = [...ALLOWED_CASES, ...DENIED_CASES];

const title = (c: Case): string => `does ${c.allowed ? 'allow' : 'deny'} ${c.event} by ${c.rule} when ${c.when}`;

describe(authorize.name, () => {
  it.each(CASES.map((c) => [title(c), c] as const))('%s', (_title, c) => {
    const decision = authorize(c.actor, c.relations, c.event);
    expect({ allowed: decision.allowed, rule: decision.rule }).toEqual({ allowed: c.allowed, rule: c.rule });
    if (!decision.allowed) expect(decision.reason).toContain(c.rule);
  });

  it('does have a case where each row of APPROVAL_RULES decides when the table is walked', () => {
    const decides = (c: Case, row: (typeof APPROVAL_RULES)[number]): boolean =>
      findDecidingRule(c.actor, c.relations, c.event) === row && c.rule === row.id && c.allowed === (row.effect === 'allow');
    const uncovered = APPROVAL_RULES.filter((row) => !CASES.some((c) => decides(c, row)));
    expect(uncovered.map((row) => `${row.id}@${row.event}`)).toEqual([]);
  });

  it('does deny with no-rule-allows naming the event when no row matches', () => {
    const decision = authorize(monitoringOfficer, TASK, 'VERIFY');
    expect(decision).toEqual({
      allowed: false,
      rule: NO_RULE_ALLOWS,
      reason: expect.stringMatching(/no-rule-allows.*VERIFY.*monitoring-supervisor/),
    });
  });

  it('does name the rule and its meaning in the reason when a deny row decides', () => {
    const decision = authorize(auditor, TASK, 'START');
    expect(decision).toEqual({
      allowed: false,
      rule: 'auditor-changes-nothing',
      reason: 'Denied by approval rule auditor-changes-nothing: Auditors read and replay everything and change nothing.',
    });
  });
});
