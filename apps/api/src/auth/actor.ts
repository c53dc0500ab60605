import { ROLES, type Role, type RuleActor } from '@app/approval-rules';

// Who is asking: resolved from a verified JWT (or the system, for the deadline sweep).
export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  provinceCode: string; // '*' = national ADMIN/AUDITOR
  agencyCode: string | null;
  agencyId: string | null; // null for '*' tokens and for ADMIN/AUDITOR agencies outside the registry
  roles: readonly Role[];
}

export const SYSTEM_ACTOR: Actor = {
  kind: 'system',
  userId: 'system:deadline-sweep',
  provinceCode: '*',
  agencyCode: null,
  agencyId: null,
  roles: [],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((role) => actor.roles.includes(role));
}

export function seesProvince(actor: Actor, provinceCode: string): boolean {
  return actor.provinceCode === '*' || actor.provinceCode === provinceCode;
}

export function toRuleActor(actor: Actor, taskProvince: string): RuleActor {
  return {
    kind: actor.kind,
    userId: actor.userId,
    provinceCode: actor.kind === 'system' ? taskProvince : actor.provinceCode,
    agencyId: actor.agencyId,
    roles: actor.roles,
  };
}
