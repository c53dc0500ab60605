import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { LIFECYCLE_DOC_PATH, renderLifecycleDoc } from './generate-lifecycle-diagram';

describe(renderLifecycleDoc.name, () => {
  it('does match docs/lifecycle.md when the machine has not changed (UPDATE_DOCS=1 rewrites it)', () => {
    const expected = renderLifecycleDoc();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(LIFECYCLE_DOC_PATH, expected);
    expect(existsSync(LIFECYCLE_DOC_PATH)).toBe(true);
    expect(readFileSync(LIFECYCLE_DOC_PATH, 'utf8')).toBe(expected);
  });

  it('does wrap the generated diagram in a mermaid block', () => {
    expect(renderLifecycleDoc()).toMatch(/```mermaid\nstateDiagram-v2\n[\s\S]+\n```\n\n## Versions\n/);
  });

  it('does list every registered machine version', () => {
    expect(renderLifecycleDoc()).toMatch(/\n\| 1 \| 5 \| \d+ \| [^\n]+\n\| 2 \| 5 \| \d+ \| [^\n]*WAIVE_COORDINATION \|\n/);
  });
});
