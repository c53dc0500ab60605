import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lifecycleMermaid } from '../libs/lifecycle/src';

const README = resolve(__dirname, '../README.md');
const BLOCK = /(<!-- lifecycle:start -->\n)[\s\S]*?(\n<!-- lifecycle:end -->)/;

describe('README lifecycle diagram', () => {
  it('does show the diagram generated from the machine (UPDATE_DOCS=1 rewrites it)', () => {
    const expected = `\`\`\`mermaid\n${lifecycleMermaid().trimEnd()}\n\`\`\``;
    const readme = readFileSync(README, 'utf8');
    if (process.env.UPDATE_DOCS === '1') writeFileSync(README, readme.replace(BLOCK, `$1${expected}$2`));
    const current = BLOCK.exec(readFileSync(README, 'utf8'));
    expect(current).not.toBeNull();
    expect(current![0]).toBe(`<!-- lifecycle:start -->\n${expected}\n<!-- lifecycle:end -->`);
  });
});
