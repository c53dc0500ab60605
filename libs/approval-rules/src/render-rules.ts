import { ADMIN_OPERATIONS, SUPERVISION_OPERATIONS } from './admin-policy';
import { CONDITIONS } from './approval-rules.conditions';
import { APPROVAL_RULES, NO_RULE_ALLOWS } from './approval-rules.table';
import { allowingRuleIds } from './authorize';
import type { ApprovalRule, ConditionName, RuleEventType } from './approval-rules.types';
import { RULE_EVENT_TYPES } from './approval-rules.types';

// A table row of the doc: consecutive table rows of one rule id shown once, with all their events.
interface RuleLine {
  rule: ApprovalRule;
  events: Array<RuleEventType | '*'>;
}

// Keeps cell text from breaking the markdown table or turning into emphasis.
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\*/g, '\\*');
const code = (text: string): string => `\`${text}\``;

function groupConsecutive(rules: readonly ApprovalRule[]): RuleLine[] {
  const lines: RuleLine[] = [];
  for (const rule of rules) {
    const last = lines.at(-1);
    if (last !== undefined && last.rule.id === rule.id) last.events.push(rule.event);
    else lines.push({ rule, events: [rule.event] });
  }
  return lines;
}

const eventsCell = (events: ReadonlyArray<RuleEventType | '*'>): string =>
  events.map((event) => (event === '*' ? 'any event' : code(event))).join(', ');

const conditionsCell = (names: readonly ConditionName[]): string => names.map(code).join(' and ');

function renderRulesTable(): string[] {
  const rows = groupConsecutive(APPROVAL_RULES).map(
    ({ rule, events }, index) =>
      `| ${index + 1} | ${code(rule.id)} | ${eventsCell(events)} | ${rule.effect} | ` +
      `${conditionsCell(rule.conditions)} | ${cell(rule.description)} |`,
  );
  const fallback =
    `| – | ${code(NO_RULE_ALLOWS)} | any event | deny | no row above decided | ` + 'Everything not explicitly allowed is denied. |';
  return ['| # | rule | events | effect | when all of these hold | meaning |', '|---|---|---|---|---|---|', ...rows, fallback];
}

function renderConditionsTable(): string[] {
  const names = Object.keys(CONDITIONS) as ConditionName[];
  return ['| condition | holds when |', '|---|---|', ...names.map((name) => `| ${code(name)} | ${cell(CONDITIONS[name].description)} |`)];
}

function renderEventsTable(): string[] {
  return [
    '| event | allowed only by |',
    '|---|---|',
    ...RULE_EVENT_TYPES.map((event) => `| ${code(event)} | ${allowingRuleIds(event).map(code).join(', ')} |`),
  ];
}

// Markdown generated from APPROVAL_RULES and CONDITIONS, so the doc cannot drift from the code.
export function renderRulesMarkdown(): string {
  return [
    '## Rules, in evaluation order',
    '',
    ...renderRulesTable(),
    '',
    '## Conditions',
    '',
    ...renderConditionsTable(),
    '',
    '## Events and the rules that can allow them',
    '',
    ...renderEventsTable(),
    '',
    '## ADMIN operations',
    '',
    "Operations on a province's set-up rather than on a task go through `authorizeAdmin`: the actor must hold " +
      "ADMIN (otherwise the operation's own rule denies), and a provincial ADMIN acts only on its province " +
      '(otherwise `other-province`). A national (`*`) ADMIN acts on every province.',
    '',
    '| operation | rule when not ADMIN |',
    '|---|---|',
    ...Object.entries(ADMIN_OPERATIONS).map(([operation, { rule, what }]) => `| ${what} (${code(operation)}) | ${code(rule)} |`),
    '',
    '## Supervision operations',
    '',
    'Operations on the supervision of a plan go through `authorizeSupervision`: a SUPERVISOR of the ' +
      "plan's monitoring agency or a LEADER of its province may act (otherwise the operation's own rule " +
      'denies); an AUDITOR never (`auditor-changes-nothing`), another province never (`other-province`).',
    '',
    '| operation | rule when refused |',
    '|---|---|',
    ...Object.entries(SUPERVISION_OPERATIONS).map(([operation, { rule, what }]) => `| ${what} (${code(operation)}) | ${code(rule)} |`),
    '',
  ].join('\n');
}
