import type { Condition, ConditionName, Role, RuleActor, TaskRelations } from './approval-rules.types';

// Staff of an agency. ADMIN and AUDITOR alone do not make someone a member of an agency.
const STAFF_ROLES: readonly Role[] = ['OFFICER', 'SUPERVISOR', 'LEADER'];

const hasRole = (actor: RuleActor, role: Role): boolean => actor.roles.includes(role);

// A null on either side never matches: a missing agency or user is nobody's colleague.
const same = (a: string | null, b: string | null): boolean => a !== null && a === b;

// LEADER users belong to the People's Committee (CONTRACT.md): the role alone is not enough.
const isCommitteeLeader = (actor: RuleActor, r: TaskRelations): boolean =>
  hasRole(actor, 'LEADER') && same(actor.agencyId, r.provincialCommitteeAgencyId);

// The agency acts for the lead: it is the lead, or a registered member of the lead group.
const actsForLead = (agencyId: string | null, r: TaskRelations): boolean =>
  same(agencyId, r.leadAgencyId) || (agencyId !== null && (r.leadGroupMemberIds ?? []).includes(agencyId));

// Directly or through a group it belongs to: the monitoring agency cannot review its own work.
const ledByMonitoring = (r: TaskRelations): boolean => actsForLead(r.monitoringAgencyId, r);

export const CONDITIONS: Readonly<Record<ConditionName, Condition>> = Object.freeze({
  'has-auditor-role': {
    description: 'the actor holds the AUDITOR role (whatever other roles it holds)',
    test: (actor) => hasRole(actor, 'AUDITOR'),
  },
  'user-actor': {
    description: 'the actor is a user (a token), not the system',
    test: (actor) => actor.kind === 'user',
  },
  'system-actor': {
    description: 'the actor is the system (the deadline sweep)',
    test: (actor) => actor.kind === 'system',
  },
  'outside-task-province': {
    description: "the actor's province is not the task's province (a national '*' token is never inside one)",
    test: (actor, r) => actor.provinceCode === '*' || actor.provinceCode !== r.provinceCode,
  },
  'has-staff-role': {
    description: 'the actor holds OFFICER, SUPERVISOR or LEADER (staff of an agency)',
    test: (actor) => STAFF_ROLES.some((role) => hasRole(actor, role)),
  },
  'has-supervisor-role': {
    description: 'the actor holds the SUPERVISOR role',
    test: (actor) => hasRole(actor, 'SUPERVISOR'),
  },
  'has-leader-role': {
    description: "the actor holds the LEADER role and belongs to the province's People's Committee (Ủy ban nhân dân tỉnh)",
    test: (actor, r) => isCommitteeLeader(actor, r),
  },
  'lacks-leader-role': {
    description: "the actor is not a LEADER of the province's People's Committee",
    test: (actor, r) => !isCommitteeLeader(actor, r),
  },
  'member-of-lead-agency': {
    description: "the actor's agency is the task's lead agency (chủ trì), or a registered member of it when the lead is a group",
    test: (actor, r) => actsForLead(actor.agencyId, r),
  },
  'coordinator-input-missing': {
    description:
      'the plan requires coordinating input and a coordinating agency (phối hợp) has not contributed in the ' +
      'current period, which no LEADER waived',
    test: (_actor, r) => r.coordinatorInputMissing === true,
  },
  'member-of-coordinating-agency': {
    description: "the actor's agency is one of the task's coordinating agencies (phối hợp)",
    test: (actor, r) => actor.agencyId !== null && r.coordinatingAgencyIds.includes(actor.agencyId),
  },
  'member-of-monitoring-agency': {
    description: "the actor's agency is the plan's monitoring agency (đơn vị theo dõi)",
    test: (actor, r) => same(actor.agencyId, r.monitoringAgencyId),
  },
  'reporter-or-lead-agency': {
    description:
      "the actor submitted the report under review, or the actor's agency submitted it or leads the task " +
      '(itself or as a registered member of the lead group)',
    test: (actor, r) =>
      same(actor.userId, r.reportedByUserId) || same(actor.agencyId, r.reportedByAgencyId) || actsForLead(actor.agencyId, r),
  },
  'task-led-by-monitoring-agency': {
    description: "the task's lead agency is the plan's monitoring agency, or a group the monitoring agency is a registered member of",
    test: (_actor, r) => ledByMonitoring(r),
  },
  'task-not-led-by-monitoring-agency': {
    description: "the task's lead agency is neither the plan's monitoring agency nor a group it is a member of",
    test: (_actor, r) => !ledByMonitoring(r),
  },
  'extension-requester': {
    description: 'the actor (by user id) asked for the pending extension',
    test: (actor, r) => same(actor.userId, r.extensionRequestedByUserId),
  },
  'plan-has-no-monitoring-agency': {
    description: 'the plan names no monitoring agency',
    test: (_actor, r) => r.monitoringAgencyId === null,
  },
});
