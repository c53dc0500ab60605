import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDataSource, seedPlan, uniqueProvince, type SeededPlan } from '../test-support/int-helpers';
import { PgGate } from '../test-support/pg-gate';
import { RESYNC_TASKS_PER_PLAN, TASK_CHANGED_CHANNEL, TaskChangeFeed, type TaskChange } from './task-change-feed';

// The LISTEN side of live updates on a real PostgreSQL: what a notification becomes, and a dropped
// connection opened again.
describe(TaskChangeFeed.name, () => {
  let dataSource: DataSource;
  const applicationName = `feed-${randomUUID().slice(0, 8)}`;
  let feed: TaskChangeFeed;
  const heard: TaskChange[] = [];

  beforeAll(async () => {
    dataSource = await openDataSource();
    feed = TaskChangeFeed.of(dataSource, { applicationName, minBackoffMs: 50, maxBackoffMs: 200, log: null });
    await feed.start((change) => heard.push(change));
  });

  afterAll(async () => {
    await feed.close();
    await dataSource.destroy();
  });

  const notify = (payload: string) => dataSource.query(`SELECT pg_notify($1, $2)`, [TASK_CHANGED_CHANNEL, payload]);
  const change = (v: number): TaskChange => ({ provinceCode: 'feed-test', planId: randomUUID(), taskId: randomUUID(), version: v });
  const payloadOf = (c: TaskChange) => JSON.stringify({ p: c.provinceCode, plan: c.planId, task: c.taskId, v: c.version });

  async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const pids = async (): Promise<number[]> =>
    (await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [applicationName])).map(
      (row: { pid: number }) => row.pid,
    );

  it('does hear a notification as a TaskChange and ignore payloads it cannot read', async () => {
    const sent = change(3);
    await notify('not json');
    await notify(JSON.stringify({ p: 'x' }));
    await notify(payloadOf(sent));
    await until(() => heard.some((c) => c.taskId === sent.taskId), 'the notification');
    expect(heard.find((c) => c.taskId === sent.taskId)).toEqual(sent);
    expect(heard.every((c) => typeof c.version === 'number')).toBe(true);
  });

  it('does listen again after its connection is terminated', async () => {
    const [before] = await pids();
    await dataSource.query(`SELECT pg_terminate_backend($1)`, [before]);
    // a new session has run LISTEN (the feed counts as listening only once it did)
    await until(async () => feed.listening && (await pids()).some((pid) => pid !== before), 'the new LISTEN');
    const sent = change(7);
    await notify(payloadOf(sent));
    await until(() => heard.some((c) => c.taskId === sent.taskId), 'the notification after the reconnect');
  });

  it('does close its connection', async () => {
    await feed.close();
    await until(async () => (await pids()).length === 0, 'the connection to close');
    expect(feed.listening).toBe(false);
  });

  describe('after a reconnect', () => {
    const gatedName = `feed-gated-${randomUUID().slice(0, 8)}`;
    const gate = new PgGate(process.env.TEST_DATABASE_URL!);
    let gated: TaskChangeFeed;
    const got: TaskChange[] = [];
    let small: SeededPlan;
    let big: SeededPlan;

    beforeAll(async () => {
      small = await seedPlan(dataSource, uniqueProvince('feed-small'), [{}, {}, {}]);
      big = await seedPlan(
        dataSource,
        uniqueProvince('feed-big'),
        Array.from({ length: RESYNC_TASKS_PER_PLAN + 1 }, () => ({})),
      );
      // no overlap: the plans written above are older than the first LISTEN, and not read again
      gated = new TaskChangeFeed(await gate.start(), {
        applicationName: gatedName,
        minBackoffMs: 50,
        maxBackoffMs: 200,
        resyncOverlapMs: 0,
        log: null,
      });
      await gated.start((c) => got.push(c));
    });

    afterAll(async () => {
      await gated.close();
      await gate.stop();
    });

    // What a transition's write statement does to a task row (task.repository.ts WRITE_TRANSITIONS_SQL),
    // the version left as it is (the run's audit replays every task).
    const write = (ids: string[]) =>
      dataSource.query(
        `UPDATE tasks t SET updated_at = now() WHERE id = ANY($1::uuid[])
         RETURNING pg_notify($2, json_build_object('p', t.province_code, 'plan', t.plan_id, 'task', t.id, 'v', t.version)::text)`,
        [ids, TASK_CHANGED_CHANNEL],
      );
    const gatedPids = async (): Promise<number[]> =>
      (await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [gatedName])).map(
        (row: { pid: number }) => row.pid,
      );

    it('does deliver, once each, the tasks written while it was down, and one resync change for a plan with more than the limit', async () => {
      const [heardTask, gapTask, untouched] = small.taskIds;
      await write([heardTask]);
      await until(() => got.some((c) => c.taskId === heardTask), 'the change before the gap');

      gate.refusing = true;
      const [before] = await gatedPids();
      await dataSource.query(`SELECT pg_terminate_backend($1)`, [before]);
      await until(async () => (await gatedPids()).length === 0, 'the backend to end');
      await write([heardTask, gapTask]);
      await write(big.taskIds);
      gate.refusing = false;

      await until(() => got.some((c) => c.taskId === gapTask) && got.some((c) => c.planId === big.planId), 'the resync');
      // the task heard before the gap, at the same version, is not delivered again
      expect(got.filter((c) => c.planId === small.planId)).toEqual([
        { provinceCode: small.province.code, planId: small.planId, taskId: heardTask, version: 0 },
        { provinceCode: small.province.code, planId: small.planId, taskId: gapTask, version: 0 },
      ]);
      const bigChanges = got.filter((c) => c.planId === big.planId);
      expect(bigChanges).toHaveLength(1);
      expect(bigChanges[0]).toMatchObject({ provinceCode: big.province.code, version: 0, resync: true });
      expect(big.taskIds).toContain(bigChanges[0].taskId);

      // listening again: a later write is heard as before
      await write([untouched]);
      await until(() => got.some((c) => c.taskId === untouched), 'a change after the resync');
    });

    it('does notice a connection gone silent (no reset, no answer) by its heartbeat, and listen again', async () => {
      const silentName = `feed-silent-${randomUUID().slice(0, 8)}`;
      const silentGate = new PgGate(process.env.TEST_DATABASE_URL!);
      const silent = new TaskChangeFeed(await silentGate.start(), {
        applicationName: silentName,
        minBackoffMs: 50,
        maxBackoffMs: 200,
        heartbeatMs: 100,
        heartbeatTimeoutMs: 300,
        log: null,
      });
      const heardHere: TaskChange[] = [];
      try {
        await silent.start((c) => heardHere.push(c));
        const [frozen] = (await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [silentName])).map(
          (row: { pid: number }) => row.pid,
        );
        silentGate.freeze();
        await until(
          async () =>
            (await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> $2`, [silentName, frozen]))
              .length > 0 && silent.listening,
          'a new LISTEN beside the silent one',
        );
        const sent = change(11);
        await notify(payloadOf(sent));
        await until(() => heardHere.some((c) => c.taskId === sent.taskId), 'a notification on the new connection');
      } finally {
        await silent.close();
        await silentGate.stop();
      }
    });
  });
});
