import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Actor } from '../auth/actor';
import { systemClock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { requireUuid } from '../common/validation';
import { loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { resolveDatabase, runMigrations } from '../database/database-bootstrap';
import { parseReportFormat, parseReportPeriod } from '../reports/report-export.service';
import { createServices } from '../services';

const USAGE = 'usage: npm run report -- --plan ID --period H1|YEAR --format xlsx|md --out FILE [--year YYYY] [--amendments]';
// the operator running the CLI reads any province, as a national auditor does
const OPERATOR: Actor = { kind: 'user', userId: 'cli:report', provinceCode: '*', agencyCode: null, agencyId: null, roles: ['AUDITOR'] };

interface ReportArgs {
  plan: string;
  period: string;
  format: string;
  out: string;
  year: number | null;
  amendments: boolean;
}

// Writes the consolidated report of a plan (the same document as the planReportExport query).
// Exit codes: 0 written; 2 a usage error or a refused request (unknown plan, bad period …); 1 a failure.
export async function main(argv: string[]): Promise<number> {
  const args = readArgs(argv);
  if (typeof args === 'string') return fail(args);
  const config = loadConfig();
  const database = await resolveDatabase(config, (message) => process.stderr.write(`${message}\n`));
  const dataSource = createDataSource(database.url);
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    const { reportExport } = createServices({ dataSource, clock: systemClock });
    const file = await reportExport.export(OPERATOR, {
      planId: args.plan,
      period: args.period,
      format: args.format,
      year: args.year,
      amendments: args.amendments,
    });
    const written = await writeFile(args.out, file.content).catch((error: NodeJS.ErrnoException) => error);
    if (written instanceof Error)
      return fail(`Cannot write "${args.out}": ${written.code === 'ENOENT' ? 'no such directory' : written.message}`);
    process.stdout.write(`Wrote ${args.out} (${file.content.length} bytes, ${file.filename}): figures as of ${file.asOf.toISOString()}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) return fail(`Report refused (${error.code}): ${error.message}`);
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.embedded?.stop();
  }
}

// Every argument checked before the database is touched; a string is the error to print.
function readArgs(argv: string[]): ReportArgs | string {
  let values: Record<string, string | undefined>;
  let amendments: boolean;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        plan: { type: 'string' },
        period: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        year: { type: 'string' },
        amendments: { type: 'boolean' },
      },
    }).values;
    amendments = parsed.amendments === true;
    values = { ...parsed, amendments: undefined };
  } catch (error) {
    return `${(error as Error).message}\n${USAGE}`;
  }
  const missing = ['plan', 'period', 'format', 'out'].filter((name) => !values[name]);
  if (missing.length > 0) return `Missing ${missing.map((name) => `--${name}`).join(', ')}\n${USAGE}`;
  if (values.year !== undefined && !/^\d{4}$/.test(values.year))
    return `--year must be a year such as 2024, got "${values.year.slice(0, 40)}"`;
  try {
    requireUuid(values.plan!, '--plan');
    parseReportPeriod(values.period);
    parseReportFormat(values.format);
  } catch (error) {
    return `${(error as Error).message.replace(/^(period|format) /, '--$1 ')}\n${USAGE}`;
  }
  return {
    plan: values.plan!,
    period: values.period!,
    format: values.format!,
    out: values.out!,
    year: values.year ? Number(values.year) : null,
    amendments,
  };
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
