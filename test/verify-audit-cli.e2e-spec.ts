import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Actor } from '../apps/api/src/auth/actor';
import { createDataSource } from '../apps/api/src/database/data-source';
import { createServices } from '../apps/api/src/services';
import { AGENCIES, testPlan, uniqueProvince } from './support/fixtures';
import { withPg } from './support/e2e-helpers';

// `npm run verify-audit -- --plan ID`, as the compiled CLI against the test database: an intact plan
// exits 0; an edited, a deleted and a reordered task_events row each exit 1 naming the task, its
// ordinal and what is wrong; bad arguments exit 2.

const CLI_JS = resolve(__dirname, '../dist/apps/api/apps/api/src/cli/verify-audit.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], databaseUrl = process.env.TEST_DATABASE_URL!): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI_JS, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

// Past the append-only trigger, as a superuser could.
function tamper(...statements: [string, unknown[]][]): Promise<void> {
  return withPg(async (client) => {
    await client.query('SET session_replication_role = replica');
    for (const [sql, params] of statements) expect((await client.query(sql, params)).rowCount).toBe(1);
    await client.query('SET session_replication_role = origin');
  });
}

describe('verify-audit CLI', () => {
  // the prefix tells the run's closing audit that these trails are tampered with on purpose
  const province = uniqueProvince('audit-cli');
  const plans = {} as Record<'intact' | 'edited' | 'deleted' | 'reordered', { planId: string; taskIds: string[] }>;

  // Three tasks: the second walked START → SUBMIT_REPORT → REJECT → SUBMIT_REPORT, the third started.
  async function walkedPlan(services: ReturnType<typeof createServices>): Promise<{ planId: string; taskIds: string[] }> {
    const plan = await services.planWriter.write({ ...testPlan(province, [{}, {}, {}]), number: `${randomUUID().slice(0, 8)}/KH-UBND` });
    const rows: { id: string }[] = await withPg(
      async (client) => (await client.query('SELECT id FROM tasks WHERE plan_id = $1 ORDER BY sort_key', [plan.id])).rows,
    );
    const taskIds = rows.map((row) => row.id);
    const user = (agency: keyof typeof AGENCIES, roles: Actor['roles'], agencyId: string): Actor => ({
      kind: 'user',
      userId: `${agency}-user`,
      provinceCode: province.code,
      agencyCode: AGENCIES[agency].code,
      agencyId,
      roles,
    });
    const ids = await agencyIds();
    const lead = user('justice', ['OFFICER'], ids.justice);
    const supervisor = user('monitoring', ['SUPERVISOR'], ids.monitoring);
    for (const [actor, event, extra] of [
      [lead, 'START', {}],
      [lead, 'SUBMIT_REPORT', { report: { summary: 'Lần 1' } }],
      [supervisor, 'REJECT', { comment: 'Bổ sung số liệu' }],
      [lead, 'SUBMIT_REPORT', { report: { summary: 'Lần 2' } }],
    ] as const) {
      await services.transitions.transition(actor, { taskId: taskIds[1], event, ...extra });
    }
    await services.transitions.transition(lead, { taskId: taskIds[2], event: 'START' });
    return { planId: plan.id, taskIds };
  }

  function agencyIds(): Promise<Record<'justice' | 'monitoring', string>> {
    return withPg(async (client) => {
      const { rows } = await client.query('SELECT code, id FROM agencies WHERE province_code = $1', [province.code]);
      const byCode = new Map(rows.map((row: { code: string; id: string }) => [row.code, row.id]));
      return { justice: byCode.get(AGENCIES.justice.code)!, monitoring: byCode.get(AGENCIES.monitoring.code)! };
    });
  }

  beforeAll(async () => {
    if (!existsSync(CLI_JS)) throw new Error(`${CLI_JS} is missing: run "npm run build" first (npm test does)`);
    const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
    await dataSource.initialize();
    try {
      const services = createServices({ dataSource, clock: { now: () => new Date() } });
      for (const name of ['intact', 'edited', 'deleted', 'reordered'] as const) plans[name] = await walkedPlan(services);
    } finally {
      await dataSource.destroy();
    }
    const edited = plans.edited.taskIds[1];
    const deleted = plans.deleted.taskIds[1];
    const reordered = plans.reordered.taskIds[1];
    await tamper([`UPDATE task_events SET payload = jsonb_set(payload, '{comment}', '"Đạt"') WHERE task_id = $1 AND seq = 3`, [edited]]);
    await tamper(['DELETE FROM task_events WHERE task_id = $1 AND seq = 2', [deleted]]);
    await tamper(
      ['UPDATE task_events SET seq = -3 WHERE task_id = $1 AND seq = 3', [reordered]],
      ['UPDATE task_events SET seq = 3 WHERE task_id = $1 AND seq = 2', [reordered]],
      ['UPDATE task_events SET seq = 2 WHERE task_id = $1 AND seq = -3', [reordered]],
    );
  });

  it('does exit 0 and print the counts when the plan is intact', async () => {
    const run = await runCli(['--plan', plans.intact.planId]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Plan ${plans.intact.planId}: audit trail INTACT`);
    expect(run.stdout).toContain('Checked 3 task(s) and 5 event(s); 0 broken task(s)');
  });

  it.each([
    ['edited', 'CHAIN_BROKEN', 'chain broken at seq 3: the row does not hash to its stored hash'],
    ['deleted', 'SEQ_GAP', 'seq gap: expected seq 2, found seq 3'],
    ['reordered', 'CHAIN_BROKEN', 'chain broken at seq 2: its prev_hash is not the hash of seq 1'],
  ] as const)('does exit 1 naming the task when a row was %s', async (name, problem, detail) => {
    const { planId, taskIds } = plans[name];
    const run = await runCli(['--plan', planId]);
    expect(run).toMatchObject({ code: 1, stderr: '' });
    expect(run.stdout).toContain(`Plan ${planId}: audit trail BROKEN`);
    expect(run.stdout).toContain('1 broken task(s)');
    const lines = run.stdout.split('\n').filter((line) => line.startsWith('  task '));
    expect(lines).toEqual([expect.stringContaining(`task ${taskIds[1]} (ordinal 2): ${problem} — ${detail}`)]);
  });

  it('does exit 2 with the usage when the plan is missing, malformed or unknown', async () => {
    const runs = {
      missing: await runCli([]),
      malformed: await runCli(['--plan', 'ke-hoach-1']),
      unknown: await runCli(['--plan', randomUUID()]),
      option: await runCli(['--plan', plans.intact.planId, '--province']),
    };
    for (const run of Object.values(runs)) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('usage: npm run verify-audit -- --plan ID');
    }
    expect(runs.missing.stderr).toContain('--plan is required');
    expect(runs.malformed.stderr).toContain('--plan must be a UUID, got "ke-hoach-1"');
    expect(runs.unknown.stderr).toContain('No plan with id');
    expect(runs.option.stderr).toContain('--province');
  });

  it('does exit 3, not 1, when the database cannot be reached', async () => {
    // port 9 (discard) on this machine: nothing listens, the connection is refused at once
    const run = await runCli(['--plan', plans.intact.planId], 'postgres://postgres@127.0.0.1:9/none_test');
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('verify-audit: could not verify');
  });
});
