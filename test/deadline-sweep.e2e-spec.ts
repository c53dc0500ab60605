import { Client } from 'pg';
import { createTaskSnapshot } from '../libs/lifecycle/src';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { seedPlan, testPlan, uniqueProvince } from './support/fixtures';

const TASKS = 10_000;
const DUE = '2020-12-31T16:59:59.999Z';

// Three instances sweeping every second over 10,000 due tasks, one killed with SIGKILL mid-sweep:
// every task still gets exactly one DEADLINE_PASSED.
describe('deadline sweep across instances', () => {
  const province = uniqueProvince('sweep');
  let db: Client;
  let servers: ApiServer[] = [];

  beforeAll(async () => {
    const { planId } = await seedPlan(testPlan(province, [{}], 2020));
    db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    await bulkInsertDueTasks(db, province.code, planId);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db.end();
  });

  it('does fire DEADLINE_PASSED exactly once per task when three instances sweep and one is killed', async () => {
    servers = await Promise.all([0, 1, 2].map(() => startApiServer({ DEADLINE_SWEEP_INTERVAL_MS: '1000' })));
    await waitFor(async () => (await countEvents(db, province.code)).events > 50, 60_000);
    servers[0].process.kill('SIGKILL');
    await waitFor(async () => (await overdue(db, province.code)) === TASKS + 1, 240_000);

    const { events, tasks } = await countEvents(db, province.code);
    expect({ events, tasks }).toEqual({ events: TASKS + 1, tasks: TASKS + 1 });
    const twice = await db.query(
      `SELECT task_id FROM task_events WHERE province_code = $1 AND type = 'DEADLINE_PASSED' GROUP BY task_id HAVING count(*) <> 1`,
      [province.code],
    );
    expect(twice.rows).toEqual([]);
  }, 300_000);

  it('does find nothing more to sweep when asked again', async () => {
    const admin = await token(province.code, 'admin', ['ADMIN']);
    const result = await gql(servers[1], admin, 'mutation { runDeadlineSweep }');
    expect(result.errors).toBeUndefined();
    expect(result.data!.runDeadlineSweep).toBe(0);
  });
});

async function bulkInsertDueTasks(db: Client, provinceCode: string, planId: string): Promise<void> {
  const snapshot = createTaskSnapshot({ dueAt: DUE });
  const lead = await db.query('SELECT id FROM agencies WHERE province_code = $1 AND code = $2', [provinceCode, 'so-tu-phap']);
  await db.query(
    `INSERT INTO tasks (province_code, id, plan_id, ordinal, title, lead_agency_id, timeframe, state, input, snapshot, due_at, original_due_at)
     SELECT $1, gen_random_uuid(), $2, 'bulk-' || n, 'Nhiệm vụ số ' || n, $3, 'Năm 2020', 'ASSIGNED', $4, $5, $6, $6
     FROM generate_series(1, ${TASKS}) AS n`,
    [provinceCode, planId, lead.rows[0].id, JSON.stringify({ dueAt: DUE }), JSON.stringify(snapshot), DUE],
  );
}

async function countEvents(db: Client, provinceCode: string): Promise<{ events: number; tasks: number }> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS events, count(DISTINCT task_id)::int AS tasks FROM task_events WHERE province_code = $1 AND type = 'DEADLINE_PASSED'`,
    [provinceCode],
  );
  return rows[0];
}

async function overdue(db: Client, provinceCode: string): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM tasks WHERE province_code = $1 AND state = 'OVERDUE'`, [provinceCode]);
  return rows[0].n;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
