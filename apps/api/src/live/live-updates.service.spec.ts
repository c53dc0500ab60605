import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { Actor } from '../auth/actor';
import type { PlanRepository } from '../repositories/plan.repository';
import type { TaskEntity } from '../repositories/task.repository';
import { LiveConnections } from './live-connections';
import { LiveUpdatesService, type TaskChange } from './live-updates.service';

class FakeSocket extends EventEmitter {
  readyState = 1;
  close(): void {
    this.readyState = 3;
    this.emit('close');
  }
}

const actor: Actor = {
  kind: 'user',
  userId: 'u',
  provinceCode: 'thai-binh',
  agencyCode: 'so-tu-phap',
  agencyId: null,
  roles: ['OFFICER'],
};

// The queue as Mercurius makes it (lib/subscriber.js): an object-mode Readable fed by push.
function mercuriusQueue(): Readable {
  return new Readable({ objectMode: true, highWaterMark: 16, read: () => undefined });
}

const change = (plan: string, task: string, version: number): TaskChange => ({
  provinceCode: 'thai-binh',
  planId: plan,
  taskId: task,
  version,
});

describe('taskChanged queue bound', () => {
  async function stream(queue: Readable, queueLimit: number) {
    const warnings: string[] = [];
    // without planId the plans repository is not asked (the whole scope)
    const live = new LiveUpdatesService(null as unknown as PlanRepository);
    const tasks = await live.taskChanges(actor, null, {
      connection: new LiveConnections().open(new FakeSocket()),
      subscribe: () => Promise.resolve(queue as unknown as AsyncIterable<TaskChange>),
      read: (taskId) => Promise.resolve({ id: taskId, version: 1 } as unknown as TaskEntity),
      log: { warn: (message) => warnings.push(message) },
      queueLimit,
    });
    return { tasks, warnings };
  }

  it('does queue at most the limit, then send one resync delivery per plan once the queue is read, and queue again after', async () => {
    const queue = mercuriusQueue();
    const { tasks, warnings } = await stream(queue, 3);
    const pushed = [
      change('p1', 't1', 1),
      change('p1', 't2', 1),
      change('p2', 't3', 1),
      change('p2', 't4', 1),
      change('p1', 't5', 1),
      change('p3', 't6', 1),
    ];
    pushed.forEach((c) => queue.push(c));
    expect(queue.readableLength).toBe(3);
    expect(warnings).toHaveLength(1);

    const read: { id: string; resync?: boolean }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const next = await tasks.next();
      read.push({ id: (next.value as TaskEntity).id, resync: (next.value as { resync?: boolean }).resync });
    }
    // the three queued, then the latest of each plan left out, marked resync
    expect(read).toEqual([
      { id: 't1', resync: undefined },
      { id: 't2', resync: undefined },
      { id: 't3', resync: undefined },
      { id: 't4', resync: true },
      { id: 't5', resync: true },
      { id: 't6', resync: true },
    ]);

    // the bound is lifted once the client caught up
    queue.push(change('p1', 't7', 1));
    expect((await tasks.next()).value).toMatchObject({ id: 't7' });
  });

  it('does end the stream when Mercurius ends the queue, even while over the bound', async () => {
    const queue = mercuriusQueue();
    const { tasks } = await stream(queue, 1);
    queue.push(change('p1', 't1', 1));
    queue.push(change('p1', 't2', 1));
    queue.push(null);
    expect((await tasks.next()).value).toMatchObject({ id: 't1' });
    expect((await tasks.next()).value).toMatchObject({ id: 't2', resync: true });
    expect(await tasks.next()).toEqual({ done: true, value: undefined });
  });
});
