import type { Decision, Role, RuleActor } from './approval-rules.types';

// Operations that change a province's set-up rather than a task: ADMIN only, one policy for all.
export const ADMIN_OPERATIONS = {
  'import-plan': { rule: 'import-needs-admin', what: 'Importing plans' },
  'manage-registry': { rule: 'registry-needs-admin', what: "Managing a province's agencies" },
  'edit-plan-settings': { rule: 'plan-settings-need-admin', what: 'Changing plan settings' },
  'run-deadline-sweep': { rule: 'sweep-needs-admin', what: 'Running the deadline sweep' },
  'run-daily-digest': { rule: 'digest-needs-admin', what: 'Running the daily digest' },
  'mark-notification-delivered': { rule: 'delivery-needs-admin', what: 'Marking a notification delivered' },
} as const satisfies Record<string, { rule: string; what: string }>;

export type AdminOperation = keyof typeof ADMIN_OPERATIONS;

// province: the province the operation touches; null = every province the actor's token covers.
export function authorizeAdmin(actor: RuleActor, operation: AdminOperation, province: string | null): Decision {
  const { rule, what } = ADMIN_OPERATIONS[operation];
  if (actor.kind !== 'user' || !actor.roles.includes('ADMIN' satisfies Role)) {
    return { allowed: false, rule, reason: `${what} needs the ADMIN role (rule ${rule})` };
  }
  if (province !== null && actor.provinceCode !== '*' && actor.provinceCode !== province) {
    return {
      allowed: false,
      rule: 'other-province',
      reason: `Your token is for province "${actor.provinceCode}", not "${province}" (rule other-province)`,
    };
  }
  return { allowed: true, rule };
}

// Operations on a plan's supervision rather than a task, decided on the plan's monitoring agency.
export const SUPERVISION_OPERATIONS = {
  'close-period': {
    rule: 'period-close-needs-monitoring-supervisor',
    what: 'Closing a reporting period (sealing its figures)',
  },
} as const satisfies Record<string, { rule: string; what: string }>;

export type SupervisionOperation = keyof typeof SUPERVISION_OPERATIONS;

export interface PlanRelations {
  provinceCode: string;
  monitoringAgencyId: string | null; // đơn vị theo dõi, tổng hợp
}

// A SUPERVISOR of the plan's monitoring agency, or a LEADER (People's Committee) of its province.
// AUDITOR changes nothing, even with another role beside it.
export function authorizeSupervision(actor: RuleActor, operation: SupervisionOperation, plan: PlanRelations): Decision {
  const { rule, what } = SUPERVISION_OPERATIONS[operation];
  if (actor.roles.includes('AUDITOR'))
    return { allowed: false, rule: 'auditor-changes-nothing', reason: 'Auditors change nothing (rule auditor-changes-nothing)' };
  if (actor.kind !== 'user') return { allowed: false, rule, reason: `${what} is done by a person, not the system (rule ${rule})` };
  if (actor.provinceCode !== plan.provinceCode) {
    return {
      allowed: false,
      rule: 'other-province',
      reason: `Your token is for province "${actor.provinceCode}", not "${plan.provinceCode}" (rule other-province)`,
    };
  }
  const supervisor = actor.roles.includes('SUPERVISOR') && plan.monitoringAgencyId !== null && actor.agencyId === plan.monitoringAgencyId;
  if (supervisor || actor.roles.includes('LEADER')) return { allowed: true, rule };
  return {
    allowed: false,
    rule,
    reason: `${what} needs a SUPERVISOR of the plan's monitoring agency or a LEADER (rule ${rule})`,
  };
}
