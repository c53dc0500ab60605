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
