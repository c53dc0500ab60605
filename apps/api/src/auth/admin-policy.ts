import { authorizeAdmin, type AdminOperation } from '@app/approval-rules';
import { forbidden } from '../common/domain-error';
import { toRuleActor, type Actor } from './actor';

// The one gate of ADMIN-only operations (the policy lives beside the rules table).
export function requireAdmin(actor: Actor, operation: AdminOperation, province: string | null): void {
  const decision = authorizeAdmin(toRuleActor(actor, province ?? actor.provinceCode), operation, province);
  if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
}
