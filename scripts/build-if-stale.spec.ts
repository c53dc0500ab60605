import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isStale, BUILT } = require('./build-if-stale.cjs') as { isStale: (root: string) => boolean; BUILT: string };

function file(root: string, path: string, at: number): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), '');
  utimesSync(join(root, path), at / 1000, at / 1000);
}

describe('build-if-stale (npm start)', () => {
  const t = Date.now() - 60_000;

  it('does ask for a build when there is none', () => {
    const root = mkdtempSync(join(tmpdir(), 'stale-'));
    file(root, 'apps/api/src/main.ts', t);
    expect(isStale(root)).toBe(true);
  });

  it('does start from a build newer than every source', () => {
    const root = mkdtempSync(join(tmpdir(), 'stale-'));
    file(root, 'apps/api/src/main.ts', t);
    file(root, 'libs/lifecycle/src/index.ts', t);
    file(root, BUILT, t + 1000);
    expect(isStale(root)).toBe(false);
  });

  it('does rebuild when one source under libs/ changed after the build, but not for a changed spec', () => {
    const root = mkdtempSync(join(tmpdir(), 'stale-'));
    file(root, 'apps/api/src/main.ts', t);
    file(root, BUILT, t + 1000);
    file(root, 'libs/lifecycle/src/task.machine.spec.ts', t + 2000);
    expect(isStale(root)).toBe(false);
    file(root, 'libs/lifecycle/src/task.machine.ts', t + 2000);
    expect(isStale(root)).toBe(true);
  });

  it('does rebuild when the lock file changed (new dependencies)', () => {
    const root = mkdtempSync(join(tmpdir(), 'stale-'));
    file(root, 'apps/api/src/main.ts', t);
    file(root, BUILT, t + 1000);
    file(root, 'package-lock.json', t + 2000);
    expect(isStale(root)).toBe(true);
  });
});
