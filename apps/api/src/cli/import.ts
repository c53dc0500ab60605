import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import type { Actor } from '../auth/actor';
import { DomainError } from '../common/domain-error';
import { loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { resolveDatabase, runMigrations } from '../database/database-bootstrap';
import type { ImportFormat, ImportOutcome } from '../plans/plan-import.service';
import { systemClock } from '../common/clock';
import { createServices } from '../services';

const USAGE = 'usage: npm run import -- FILE [--province CODE] [--dry-run]   (FILE: .txt plan text, .docx or .xlsx)';
const OPERATOR: Actor = { kind: 'user', userId: 'cli:import', provinceCode: '*', agencyCode: null, agencyId: null, roles: ['ADMIN'] };
const FORMATS: Record<string, ImportFormat> = { '.txt': 'PLAN_TEXT', '.md': 'PLAN_TEXT', '.docx': 'DOCX', '.xlsx': 'XLSX' };

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { province: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) return fail(USAGE);
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) return fail(`Cannot tell the format of "${file}" from its extension. ${USAGE}`);
  const bar = new SingleBar({ format: ' {bar} {percentage}% | {stage}', hideCursor: true, noTTYOutput: false }, Presets.shades_classic);
  bar.start(4, 0, { stage: `reading ${file}` });
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => error);
  if (bytes instanceof Error) {
    bar.stop();
    return fail(`Cannot read "${file}": ${bytes.code === 'ENOENT' ? 'no such file' : bytes.message}`);
  }
  const content = format === 'PLAN_TEXT' ? bytes.toString('utf8') : bytes.toString('base64');
  bar.update(1, { stage: 'connecting to the database' });
  const config = loadConfig();
  const database = await resolveDatabase(config, () => undefined);
  const dataSource = createDataSource(database.url);
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    bar.update(2, { stage: values['dry-run'] ? 'parsing (dry run: nothing is written)' : 'parsing and writing' });
    const { planImport } = createServices({ dataSource, clock: systemClock });
    const outcome = await planImport.import(OPERATOR, { format, content, provinceCode: values.province, dryRun: values['dry-run'] });
    bar.update(4, { stage: 'done' });
    bar.stop();
    printSummary(outcome);
    return 0;
  } catch (error) {
    bar.stop();
    if (error instanceof DomainError) return fail(`Import refused (${error.code}): ${error.message}`);
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.embedded?.stop();
  }
}

function printSummary(outcome: ImportOutcome): void {
  const { draft } = outcome;
  const status = {
    CREATED: 'imported',
    AMENDED: 'amended (sửa đổi, bổ sung)',
    ALREADY_IMPORTED: 'already imported, nothing changed',
    DRY_RUN: 'dry run, nothing written',
  };
  console.log(
    `\nPlan ${outcome.plan?.number ?? draft.number ?? '(no number)'} of ${draft.issuedOn ?? '?'}, province ${outcome.provinceCode}: ${status[outcome.status]}`,
  );
  if (outcome.plan) console.log(`Plan id: ${outcome.plan.id}`);
  console.log(`Resolution: ${draft.resolution?.number ?? '?'}; monitoring agency: ${draft.monitoringAgency?.name ?? '(none found)'}`);
  const deadlines = (list: { period: string; dueMonthDay: string }[]) =>
    list.map((d) => `${d.period} ${d.dueMonthDay}`).join(', ') || '(none)';
  console.log(`Reporting deadlines: ${deadlines(draft.reportingDeadlines)}; consolidation: ${deadlines(draft.consolidationDeadlines)}`);
  console.log(`Tasks read: ${draft.tasks.length}; task rows written: ${outcome.tasksCreated}\n`);
  console.table(
    draft.tasks.map((task) => ({
      '#': `${task.section ?? ''}.${task.ordinal}`,
      'chủ trì': task.leadAgencies
        .map((a) => a.name)
        .join('; ')
        .slice(0, 40),
      'phối hợp': task.coordinatingAgencies.length,
      'thời gian': task.timeframe.slice(0, 24),
      title: task.title.slice(0, 50),
      confidence: task.confidence,
    })),
  );
  const amendment = outcome.amendment;
  if (amendment) {
    console.log(
      `\nAmendment: version ${amendment.fromVersion} → ${amendment.toVersion}: ${amendment.added.length} added, ` +
        `${amendment.removed.length} removed (withdrawn), ${amendment.changed.length} changed, ${amendment.unchanged} unchanged`,
    );
    for (const [sign, list] of [
      ['+', amendment.added],
      ['-', amendment.removed],
      ['~', amendment.changed],
    ] as const) {
      for (const task of list) {
        const fields = task.changes.map((c) => c.field).join(', ');
        console.log(
          `  ${sign} ${task.section ?? ''}.${task.ordinal} ${task.title.slice(0, 60)}${fields ? ` [${fields}]` : ''}${task.note ? ` (${task.note})` : ''}`,
        );
      }
    }
  }
  const doubtful = draft.tasks.filter((task) => task.confidence < 1).sort((a, b) => a.confidence - b.confidence);
  console.log(`\nReview first (${doubtful.length} tasks with doubts, least confident first):`);
  for (const task of doubtful)
    console.log(`  ${task.section ?? ''}.${task.ordinal} (line ${task.sourceLine}): confidence ${task.confidence}`);
  console.log(`\nWarnings (${outcome.warnings.length}):`);
  for (const warning of outcome.warnings) console.log(`  - ${warning}`);
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
