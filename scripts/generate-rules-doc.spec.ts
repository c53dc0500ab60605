import { existsSync, readFileSync } from 'node:fs';
import { RULES_DOC_PATH, renderRulesDoc, writeRulesDoc } from './generate-rules-doc';

// UPDATE_DOCS=1 regenerates the committed doc; otherwise any drift fails the build.
const updating = process.env.UPDATE_DOCS === '1';

describe(renderRulesDoc.name, () => {
  it('does match docs/approval-rules.md when the rules have not changed since it was generated', () => {
    if (updating) writeRulesDoc();
    const committed = existsSync(RULES_DOC_PATH) ? readFileSync(RULES_DOC_PATH, 'utf8') : '';
    // On failure: run `UPDATE_DOCS=1 npx jest scripts/generate-rules-doc --selectProjects unit`.
    expect(committed).toBe(renderRulesDoc());
  });

  it('does start with a title and end with a newline when rendered', () => {
    const doc = renderRulesDoc();
    expect(doc.startsWith('# Approval rules\n')).toBe(true);
    expect(doc.endsWith('\n')).toBe(true);
  });
});
