// `npm start` builds only when the build is missing or older than a source it is made from
// (apps/, libs/, the tsconfigs, nest-cli.json, package-lock.json): a current build starts at once.
const { statSync, readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const BUILT = 'dist/apps/api/apps/api/src/main.js';
const SOURCES = ['apps', 'libs', 'tsconfig.json', 'apps/api/tsconfig.app.json', 'nest-cli.json', 'package-lock.json'];

function newestSource(root, entry = '') {
  const path = join(root, entry);
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return entry.endsWith('.spec.ts') ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestSource(root, join(entry, name)));
  return newest;
}

function isStale(root) {
  const built = join(root, BUILT);
  if (!existsSync(built)) return true;
  const newest = Math.max(...SOURCES.map((source) => newestSource(root, source)));
  return newest > statSync(built).mtimeMs;
}

module.exports = { isStale, BUILT };

if (require.main === module) {
  const root = process.cwd();
  if (isStale(root)) {
    console.log('Building (the build is missing or older than its sources) …');
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  }
}
