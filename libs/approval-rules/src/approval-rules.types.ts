// Who may fire which task event. Plain data in, plain data out: no framework, no clock.

export const ROLES = ['OFFICER', 'SUPERVISOR', 'LEADER', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const RULE_EVENT_TYPES = [
  'START',
  'SUBMIT_REPORT',
  'VERIFY',
  'REJECT',
  'DEADLINE_PASSED',
  'CONTRIBUTE',
  'REQUEST_EXTENSION',
  'APPROVE_EXTENSION',
  'DENY_EXTENSION',
  'WAIVE_COORDINATION',
  'ROLL_UP',
  'WITHDRAW',
  'AMEND',
] as const;
export type RuleEventType = (typeof RULE_EVENT_TYPES)[number];

// provinceCode '*' = national ADMIN/AUDITOR token; kind 'system' = the deadline sweep, the roll-up and an amended plan's import.
export interface RuleActor {
  kind: 'user' | 'system';
  userId: string | null;
  provinceCode: string;
  agencyId: string | null;
  roles: readonly Role[];
}

export interface TaskRelations {
  provinceCode: string;
  leadAgencyId: string; // chủ trì
  coordinatingAgencyIds: readonly string[]; // phối hợp
  monitoringAgencyId: string | null; // đơn vị theo dõi, e.g. Sở Kế hoạch và Đầu tư
  provincialCommitteeAgencyId: string | null; // 'uy-ban-nhan-dan-tinh', the agency of LEADER users
  reportedByAgencyId: string | null; // who submitted the report under review
  reportedByUserId: string | null;
  // the plan requires coordinator input (coordinatorInputRequired) and some coordinating agency has
  // not contributed in the current period, which no LEADER waived (lifecycle's missingCoordinators)
  coordinatorInputMissing: boolean;
  // when the lead agency is a group ("UBND các huyện, thị xã, thành phố"): its registered members,
  // whose staff act for the lead ([] when the lead is no group)
  leadGroupMemberIds: readonly string[];
  // the user (sub) who asked for the pending extension; null when none is pending
  extensionRequestedByUserId: string | null;
}

// rule = id of the rule that decided; reason = a sentence naming it (used in FORBIDDEN messages).
export type Decision = { allowed: true; rule: string } | { allowed: false; rule: string; reason: string };

export type ConditionName =
  | 'has-auditor-role'
  | 'user-actor'
  | 'system-actor'
  | 'outside-task-province'
  | 'has-staff-role'
  | 'has-supervisor-role'
  | 'has-leader-role'
  | 'lacks-leader-role'
  | 'member-of-lead-agency'
  | 'coordinator-input-missing'
  | 'member-of-coordinating-agency'
  | 'member-of-monitoring-agency'
  | 'reporter-or-lead-agency'
  | 'task-led-by-monitoring-agency'
  | 'task-not-led-by-monitoring-agency'
  | 'plan-has-no-monitoring-agency'
  | 'extension-requester';

export interface Condition {
  description: string;
  test: (actor: RuleActor, relations: TaskRelations) => boolean;
}

// One row of the table. '*' matches every event; all conditions must hold for the row to decide.
// Several rows may share an id when one policy covers several events (one row per event).
export interface ApprovalRule {
  id: string;
  event: RuleEventType | '*';
  effect: 'allow' | 'deny';
  conditions: readonly ConditionName[];
  description: string;
}
