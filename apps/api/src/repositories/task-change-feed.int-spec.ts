import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../test-support/int-helpers';
import { TASK_CHANGED_CHANNEL, TaskChangeFeed, type TaskChange } from './task-change-feed';

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
});
