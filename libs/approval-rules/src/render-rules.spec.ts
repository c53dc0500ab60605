import { APPROVAL_RULES, CONDITIONS, NO_RULE_ALLOWS, RULE_EVENT_TYPES, renderRulesMarkdown } from './index';

describe(renderRulesMarkdown.name, () => {
  const markdown = renderRulesMarkdown();

  it('does mention every rule id, the fallback and every condition when rendered', () => {
    const names = [...APPROVAL_RULES.map((rule) => rule.id), NO_RULE_ALLOWS, ...Object.keys(CONDITIONS)];
    expect(names.filter((name) => !markdown.includes(`\`${name}\``))).toEqual([]);
  });

  it('does list rule ids in evaluation order when rows of one id are merged', () => {
    const ids = [...new Set(APPROVAL_RULES.map((rule) => rule.id))];
    const positions = ids.map((id) => markdown.indexOf(`| \`${id}\` |`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('does show every event with the rules that can allow it', () => {
    for (const event of RULE_EVENT_TYPES) expect(markdown).toContain(`| \`${event}\` |`);
    expect(markdown).toContain(
      '| `VERIFY` | `leader-verifies-monitoring-led`, `monitoring-supervisor`, `leader-verifies-unmonitored-plan` |',
    );
    expect(markdown).toContain('| `WAIVE_COORDINATION` | `leader-waives-coordination` |');
    expect(markdown).toContain('| `SUBMIT_REPORT` | `lead-agency-member` |');
  });

  it('does give every row of a table as many cells as its header when descriptions contain pipes or stars', () => {
    const cellCount = (line: string) => line.split(/(?<!\\)\|/).length;
    const tables = markdown.split(/\n(?!\|)/).map((block) => block.split('\n').filter((l) => l.startsWith('|')));
    const filled = tables.filter((rows) => rows.length > 0);
    expect(filled).toHaveLength(5); // rules, conditions, events, ADMIN operations, supervision operations
    for (const rows of filled) expect(rows.map(cellCount)).toEqual(rows.map(() => cellCount(rows[0])));
    expect(markdown).not.toMatch(/[^\\`]\*/);
  });

  it('does render the same text when called twice', () => {
    expect(renderRulesMarkdown()).toBe(markdown);
  });
});
