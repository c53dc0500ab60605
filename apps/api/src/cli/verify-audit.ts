import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { AuditVerification } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { systemClock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { requireUuid } from '../common/validation';
import { loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { resolveDatabase, runMigrations } from '../database/database-bootstrap';
import { createServices } from '../services';

const USAGE = 'usage: npm run verify-audit -- --plan ID';
// A national auditor: reads every province, changes nothing.
const AUDITOR: Actor = {
  kind: 'user',
  userId: 'cli:verify-audit',
  provinceCode: '*',
  agencyCode: null,
  agencyId: null,
  roles: ['AUDITOR'],
};

// Exit codes: 0 the trail is intact, 1 it is broken, 2 usage (bad arguments, unknown plan),
// 3 the verification could not run (database unreachable, …).
export const EXIT = { intact: 0, broken: 1, usage: 2, failed: 3 } as const;

export async function main(argv: string[], out: (line: string) => void = (line) => console.log(line)): Promise<number> {
  const parsed = parsePlanId(argv);
  return typeof parsed === 'string' ? verify(parsed, out) : usage(parsed.problem, out);
}

// The plan id, checked before any database is opened (or an embedded one started); problem null: --help.
function parsePlanId(argv: string[]): string | { problem: string | null } {
  try {
    const { values } = parseArgs({ args: argv, options: { plan: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) return { problem: null };
    if (!values.plan) return { problem: '--plan is required' };
    return requireUuid(values.plan, '--plan');
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

async function verify(planId: string, out: (line: string) => void): Promise<number> {
  const config = loadConfig();
  const database = await resolveDatabase(config, () => undefined);
  const dataSource = createDataSource(database.url);
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    const { audit } = createServices({ dataSource, clock: systemClock });
    const verdict = await audit.verifyPlan(AUDITOR, planId);
    printVerdict(planId, verdict, out);
    return verdict.ok ? EXIT.intact : EXIT.broken;
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND')) {
      process.stderr.write(`verify-audit: ${error.message} (${error.code})\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.embedded?.stop();
  }
}

export function printVerdict(planId: string, verdict: AuditVerification, out: (line: string) => void): void {
  out(`Plan ${planId}: audit trail ${verdict.ok ? 'INTACT' : 'BROKEN'}`);
  out(`Checked ${verdict.tasksChecked} task(s) and ${verdict.eventsChecked} event(s); ${verdict.brokenTaskCount} broken task(s)`);
  for (const finding of verdict.brokenTasks) {
    out(`  task ${finding.taskId} (ordinal ${finding.ordinal}): ${finding.problem} — ${finding.detail}`);
  }
  const unlisted = verdict.brokenTaskCount - verdict.brokenTasks.length;
  if (unlisted > 0) out(`  … and ${unlisted} more broken task(s) not listed`);
  out(`Checked ${verdict.periodsChecked} closed period(s); ${verdict.brokenPeriods.length} broken`);
  for (const finding of verdict.brokenPeriods)
    out(`  period ${finding.period} (close #${finding.seq}) ${finding.problem}: ${finding.detail}`);
}

function usage(problem: string | null, out: (line: string) => void): number {
  if (problem === null) {
    out(USAGE);
    out('Verifies every task of the plan: hash chain, seq numbers, replay through the lifecycle machine, stored row.');
    out('Exit 0 intact, 1 broken, 2 usage error, 3 could not verify. DATABASE_URL as for the service (embedded when unset).');
    return EXIT.intact;
  }
  process.stderr.write(`verify-audit: ${problem}\n${USAGE}\n`);
  return EXIT.usage;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`verify-audit: could not verify: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
