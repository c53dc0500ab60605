import { existsSync, readFileSync } from 'node:fs';
import { ENV_NAMES, settingMeta } from '../apps/api/src/config/config-schema';
import { CONFIG_DOC_PATH, renderConfigDoc, writeConfigDoc } from './generate-config-doc';

// UPDATE_DOCS=1 regenerates the committed doc; otherwise any drift fails the build.
const updating = process.env.UPDATE_DOCS === '1';

describe(renderConfigDoc.name, () => {
  it('does match docs/CONFIGURATION.md when the schema has not changed since it was generated', () => {
    if (updating) writeConfigDoc();
    const committed = existsSync(CONFIG_DOC_PATH) ? readFileSync(CONFIG_DOC_PATH, 'utf8') : '';
    // On failure: run `UPDATE_DOCS=1 npx jest scripts/generate-config-doc --selectProjects unit`.
    expect(committed).toBe(renderConfigDoc());
  });

  it('does list every variable with its default once', () => {
    const doc = renderConfigDoc();
    for (const name of ENV_NAMES) {
      const rows = doc.split('\n').filter((line) => line.startsWith(`| \`${name}\` |`));
      expect([name, rows.length, rows[0]?.split(' | ')[1]]).toEqual([name, 1, settingMeta(name).default]);
    }
  });
});
