// Writes each shared plan's draft and converted plan (due dates) as JSON, to compare two builds:
//   npm run -s build && node scripts/print-plan-drafts.cjs /tmp/after
//   (the same in a checkout of main into /tmp/before), then: diff -r /tmp/before /tmp/after
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const plansDir = path.resolve(root, '../shared/plans');
const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/print-plan-drafts.cjs OUTDIR');
  process.exit(2);
}
require('reflect-metadata');
const lib = require(path.join(root, 'dist/apps/api/libs/plan-import/src/index.js'));
const { draftToPlan } = require(path.join(root, 'dist/apps/api/apps/api/src/plans/draft-to-plan.js'));
fs.mkdirSync(out, { recursive: true });
for (const file of fs.readdirSync(plansDir).sort()) {
  const draft = lib.parsePlanText(fs.readFileSync(path.join(plansDir, file), 'utf8'));
  const conversion = draftToPlan(draft, { code: draft.provinceCode ?? 'unknown', name: draft.provinceName ?? 'unknown' }, 'hash');
  fs.writeFileSync(path.join(out, `${file}.json`), `${JSON.stringify({ draft, conversion }, null, 2)}\n`);
  console.log(`${file}: ${draft.tasks.length} tasks, ${draft.warnings.length} warnings`);
}
