import { Client } from 'pg';
import { startApiServer, token, type ApiServer } from '../support/api-server';
import { post, seeded, sleep, succeeded, type Sample } from '../support/chaos-load';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from '../support/fixtures';

// The service is killed with SIGKILL at CRASH_POINTS moments (a fixed seed picks them) while
// clients fire transitions. After each restart: every transition the service acknowledged (HTTP 200
// with data) is in task_events, every task replays to its stored row and every hash chain holds.
const SEED = 20240611;
const CRASH_POINTS = 5;
const CLIENTS = 4;
const TASKS_PER_CLIENT = 4;

const TRANSITION = `mutation T($input: TransitionInput!) { transitionTask(input: $input) { id state version } }`;

interface Ack {
  taskId: string;
  event: string;
  version: number;
  key: string;
}

describe('service killed with SIGKILL under a load of transitions', () => {
  const province = uniqueProvince('crash');
  let planId: string;
  let taskIds: string[];
  let db: Client;
  let server: ApiServer;
  const tokens: Record<'lead' | 'coordinator' | 'supervisor' | 'auditor', string> = {} as never;

  beforeAll(async () => {
    ({ planId } = await seedPlan(
      testPlan(
        province,
        Array.from({ length: CLIENTS * TASKS_PER_CLIENT }, () => ({})),
      ),
    ));
    db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    taskIds = (await db.query('SELECT id FROM tasks WHERE plan_id = $1 ORDER BY ordinal', [planId])).rows.map((r) => r.id);
    tokens.lead = await token(province.code, AGENCIES.justice.code, ['OFFICER']);
    tokens.coordinator = await token(province.code, AGENCIES.ict.code, ['OFFICER']);
    tokens.supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR']);
    tokens.auditor = await token('*', 'audit', ['AUDITOR']);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.end();
  });

  it(`does keep every acknowledged transition and every chain through ${CRASH_POINTS} kills`, async () => {
    const random = seeded(SEED);
    const acks: Ack[] = [];
    const samples: Sample[] = [];
    const points: string[] = [];
    let stop = false;
    // the checks run with the load paused: replayTask reads the row and the events in two statements
    let paused = false;
    let inFlight = 0;
    server = await startApiServer();
    let current = server;

    // Each client walks its own tasks round the cycle START, CONTRIBUTE, SUBMIT_REPORT, REJECT,
    // CONTRIBUTE, SUBMIT_REPORT, …; a request whose answer was lost is sent again with the same
    // idempotency key until one answers.
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      const state = new Map<string, { state: string; version: number; contributions: number }>();
      const mine = taskIds.slice(c * TASKS_PER_CLIENT, (c + 1) * TASKS_PER_CLIENT);
      for (const id of mine) state.set(id, { state: 'ASSIGNED', version: 0, contributions: 0 });
      let n = 0;
      let pending: { taskId: string; event: string; as: keyof typeof tokens; key: string; expectedVersion: number } | null = null;
      while (!stop) {
        if (paused) {
          await sleep(20);
          continue;
        }
        if (!pending) {
          const taskId = mine[n % mine.length];
          const task = state.get(taskId)!;
          const [event, as] = nextStep(task.state, n, task.contributions);
          pending = { taskId, event, as, key: `crash-${c}-${n}`, expectedVersion: task.version };
          n += 1;
        }
        inFlight += 1;
        const sample = await post(current, tokens[pending.as], 'transition', TRANSITION, {
          input: {
            taskId: pending.taskId,
            event: pending.event,
            expectedVersion: pending.expectedVersion,
            idempotencyKey: pending.key,
            comment: pending.event === 'REJECT' ? 'Báo cáo chưa đủ số liệu' : 'ý kiến',
            ...(pending.event === 'SUBMIT_REPORT' ? { report: { summary: 'Đã thực hiện', value: '1' } } : {}),
          },
        });
        inFlight -= 1;
        samples.push(sample);
        if (succeeded(sample)) {
          const task = sample.body.data.transitionTask;
          acks.push({ taskId: pending.taskId, event: pending.event, version: task.version, key: pending.key });
          const before = state.get(pending.taskId)!;
          const contributions = before.contributions + (pending.event === 'CONTRIBUTE' ? 1 : 0);
          state.set(pending.taskId, { state: task.state, version: task.version, contributions });
          pending = null;
        } else if (sample.status === null) {
          await sleep(50); // the service is down: the outcome is unknown, ask again with the same key
        } else if (sample.body?.errors) {
          throw new Error(`transition ${pending.event} answered ${sample.text}`);
        }
      }
    });

    try {
      for (let point = 1; point <= CRASH_POINTS; point++) {
        const delay = 300 + Math.floor(random() * 2200);
        const before = acks.length;
        await sleep(delay);
        process.stderr.write(`point ${point}: kill after ${delay} ms, ${acks.length} acks, inFlight ${inFlight}\n`);
        current.process.kill('SIGKILL');
        await new Promise((r) => current.process.once('exit', r));
        const acked = acks.length - before;
        current = server = await startApiServer();
        process.stderr.write(`restarted; pausing\n`);
        paused = true;
        while (inFlight > 0) await sleep(20);
        process.stderr.write(`checking\n`);
        const checked = await checkDatabase(acks);
        paused = false;
        points.push(`kill ${point} after ${delay} ms of load (${acked} transitions acknowledged meanwhile): ${checked}`);
      }
    } finally {
      stop = true;
      await Promise.all(clients);
      console.log(`Crash points (seed ${SEED}):\n  ${points.join('\n  ')}`);
    }
    expect(acks.length).toBeGreaterThan(CRASH_POINTS * 5);
    expect(samples.filter((s) => s.status !== null && !succeeded(s))).toEqual([]);
    await checkDatabase(acks);
  }, 240_000);

  // Every acknowledged transition is a stored event; every task replays to its row; the chains hold.
  async function checkDatabase(acks: Ack[]): Promise<string> {
    const { rows } = await db.query(`SELECT task_id, seq, type FROM task_events WHERE province_code = $1`, [province.code]);
    const stored = new Set(rows.map((r) => `${r.task_id}/${r.seq}/${r.type}`));
    const missing = acks.filter((a) => !stored.has(`${a.taskId}/${a.version}/${a.event}`));
    expect(missing).toEqual([]);
    const audit = await post(
      server,
      tokens.auditor,
      'query',
      `query($planId: ID!) { verifyAuditTrail(planId: $planId) { ok tasksChecked eventsChecked brokenTaskIds } }`,
      { planId },
    );
    expect(audit.body?.data?.verifyAuditTrail).toMatchObject({ ok: true, brokenTaskIds: [] });
    for (const taskId of taskIds) {
      const replay = await post(
        server,
        tokens.auditor,
        'query',
        `query($id: ID!) { replayTask(taskId: $id) { state consistent chainValid } }`,
        {
          id: taskId,
        },
      );
      expect(replay.body?.data?.replayTask).toMatchObject({ consistent: true, chainValid: true });
    }
    const { eventsChecked } = audit.body.data.verifyAuditTrail;
    return `${acks.length} acknowledged, all stored; ${eventsChecked} events in ${taskIds.length} tasks replay and verify`;
  }
});

// A coordinating agency may contribute at most 20 times per task and period (the rejections keep
// the period): a faster service reaches that within the test, so a task stops taking contributions
// after 15 and goes on with reports and rejections.
function nextStep(state: string, n: number, contributions: number): [string, 'lead' | 'coordinator' | 'supervisor'] {
  switch (state) {
    case 'ASSIGNED':
      return ['START', 'lead'];
    case 'IN_PROGRESS':
      return n % 3 === 0 || contributions >= 15 ? ['SUBMIT_REPORT', 'lead'] : ['CONTRIBUTE', 'coordinator'];
    case 'REPORTED':
      return ['REJECT', 'supervisor'];
    default:
      throw new Error(`unexpected state ${state}`);
  }
}
