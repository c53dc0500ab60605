import { CONDITIONS } from './approval-rules.conditions';
import { APPROVAL_RULES, NO_RULE_ALLOWS } from './approval-rules.table';
import type { ApprovalRule, Decision, RuleActor, RuleEventType, TaskRelations } from './approval-rules.types';

const eventMatches = (rule: ApprovalRule, event: RuleEventType): boolean => rule.event === '*' || rule.event === event;

const conditionsHold = (rule: ApprovalRule, actor: RuleActor, relations: TaskRelations): boolean =>
  rule.conditions.every((name) => CONDITIONS[name].test(actor, relations));

// The row that decides, or undefined when none matches (then NO_RULE_ALLOWS denies).
export function findDecidingRule(actor: RuleActor, relations: TaskRelations, event: RuleEventType): ApprovalRule | undefined {
  return APPROVAL_RULES.find((rule) => eventMatches(rule, event) && conditionsHold(rule, actor, relations));
}

// Ids of the rules that could allow the event, so a denial tells the user who may act instead.
export function allowingRuleIds(event: RuleEventType): string[] {
  const ids = APPROVAL_RULES.filter((rule) => rule.effect === 'allow' && eventMatches(rule, event));
  return [...new Set(ids.map((rule) => rule.id))];
}

function noRuleReason(event: RuleEventType): string {
  const ids = allowingRuleIds(event);
  const hint = ids.length > 0 ? ` (${event} is allowed only by: ${ids.join(', ')})` : '';
  return `Denied by approval rule ${NO_RULE_ALLOWS}: no rule allows ${event} for this actor on this task${hint}.`;
}

// First matching row decides; the logic lives in APPROVAL_RULES and CONDITIONS, not here.
export function authorize(actor: RuleActor, relations: TaskRelations, event: RuleEventType): Decision {
  const rule = findDecidingRule(actor, relations, event);
  if (rule === undefined) {
    return { allowed: false, rule: NO_RULE_ALLOWS, reason: noRuleReason(event) };
  }
  if (rule.effect === 'allow') {
    return { allowed: true, rule: rule.id };
  }
  return { allowed: false, rule: rule.id, reason: `Denied by approval rule ${rule.id}: ${rule.description}` };
}
