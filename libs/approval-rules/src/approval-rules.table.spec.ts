import { APPROVAL_RULES, type ApprovalRule, CONDITIONS, NO_RULE_ALLOWS, RULE_EVENT_TYPES, type ConditionName } from './index';

const KEBAB = /^[a-z]+(-[a-z]+)*$/;

// Everything but the event: what rows sharing an id must agree on.
const body = (rule: ApprovalRule) => [rule.id, rule.effect, rule.conditions, rule.description];

describe('APPROVAL_RULES', () => {
  it('does use kebab-case ids when rules are named', () => {
    expect(APPROVAL_RULES.map((rule) => rule.id).filter((id) => !KEBAB.test(id))).toEqual([]);
    expect(KEBAB.test(NO_RULE_ALLOWS)).toBe(true);
  });

  it('does keep one row per id and event when a rule covers several events', () => {
    const keys = APPROVAL_RULES.map((rule) => `${rule.id}@${rule.event}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('does keep rows of one id contiguous and identical but for the event when an id repeats', () => {
    const firstIndex = new Map<string, number>();
    APPROVAL_RULES.forEach((rule, index) => {
      const first = firstIndex.get(rule.id);
      if (first === undefined) return void firstIndex.set(rule.id, index);
      expect(APPROVAL_RULES[index - 1].id).toBe(rule.id);
      expect(body(rule)).toEqual(body(APPROVAL_RULES[first]));
    });
  });

  it('does not reuse the fallback id when rows are named', () => {
    expect(APPROVAL_RULES.some((rule) => rule.id === NO_RULE_ALLOWS)).toBe(false);
  });

  it('does put every deny for any event before the first allow when evaluated in order', () => {
    const firstAllow = APPROVAL_RULES.findIndex((rule) => rule.effect === 'allow' && rule.event === '*');
    const lastWildcardDeny = APPROVAL_RULES.map((rule) => rule.event === '*' && rule.effect === 'deny').lastIndexOf(true);
    expect(firstAllow === -1 || lastWildcardDeny < firstAllow).toBe(true);
  });

  it('does refer only to known events and describe every rule when read as data', () => {
    for (const rule of APPROVAL_RULES) {
      expect(rule.event === '*' || RULE_EVENT_TYPES.includes(rule.event)).toBe(true);
      expect(rule.description).toMatch(/^[A-Z].*\.$/);
      expect(rule.conditions.length).toBeGreaterThan(0);
    }
  });

  it('does reject edits at runtime when a caller tries to change the table', () => {
    expect(Object.isFrozen(APPROVAL_RULES)).toBe(true);
    expect(APPROVAL_RULES.every((rule) => Object.isFrozen(rule) && Object.isFrozen(rule.conditions))).toBe(true);
  });
});

describe('CONDITIONS', () => {
  it('does get used by some rule when it is defined', () => {
    const used = new Set<ConditionName>(APPROVAL_RULES.flatMap((rule) => rule.conditions));
    expect((Object.keys(CONDITIONS) as ConditionName[]).filter((name) => !used.has(name))).toEqual([]);
  });
});
