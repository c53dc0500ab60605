import type { Actor } from '../auth/actor';
import { notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { requireUuid } from '../common/validation';
import type { PlanRepository } from '../repositories/plan.repository';
import type { TaskChange } from '../repositories/task-change-feed';
import type { TaskEntity } from '../repositories/task.repository';
import { LIVE_LIMITS, type LiveConnection } from './live-connections';

export type { TaskChange } from '../repositories/task-change-feed';

// Topics of Mercurius' pubsub (MQTT-like: '+' one level, '#' the rest): taskChanged/<province>/<planId>.
const TOPIC = 'taskChanged';

export function topicOf(change: Pick<TaskChange, 'provinceCode' | 'planId'>): string {
  return `${TOPIC}/${change.provinceCode}/${change.planId}`;
}

export interface TaskChangeStreamDeps {
  connection: LiveConnection;
  // the connection's pubsub: the notifications published on a topic
  subscribe(topic: string): Promise<AsyncIterable<TaskChange>>;
  // the task as the subscriber may see it now (its scope, its loaders)
  read(taskId: string): Promise<TaskEntity | null>;
  log?: { warn(message: string): void } | null;
  queueLimit?: number; // LIVE_LIMITS.queuedPerSubscription unless set
}

export class LiveUpdatesService {
  constructor(private readonly plans: PlanRepository) {}

  // The tasks of a plan (or of the whole scope) as each committed transition leaves them. A plan
  // outside the scope is NOT_FOUND, as in queries.
  async taskChanges(
    actor: Actor,
    planId: string | null | undefined,
    deps: TaskChangeStreamDeps,
  ): Promise<AsyncIterableIterator<TaskEntity>> {
    const scope = Scope.ofActor(actor);
    const topic = await this.topicFor(scope, planId);
    const end = deps.connection.startSubscription(actor);
    try {
      const changes = await deps.subscribe(topic);
      const bound = QueueBound.install(changes, deps);
      return new TaskChangeStream(changes[Symbol.asyncIterator](), scope, deps, end, bound);
    } catch (error) {
      end();
      throw error;
    }
  }

  private async topicFor(scope: Scope, planId: string | null | undefined): Promise<string> {
    if (planId !== null && planId !== undefined) {
      const plan = await this.plans.findById(scope, requireUuid(planId, 'planId'));
      if (!plan) throw notFound(`Plan ${planId} not found`);
      return topicOf({ provinceCode: plan.provinceCode, planId: plan.id });
    }
    return scope.provinceCode === null ? `${TOPIC}/#` : `${TOPIC}/${scope.provinceCode}/+`;
  }
}

interface PushableQueue {
  push(chunk: unknown): boolean;
  readonly readableLength: number;
}

// At most this many plans are remembered for a subscription that fell behind (each one resync
// delivery); more plans than this in one backlog is beyond any province's plan count.
const MISSED_PLANS_LIMIT = 10_000;

// Mercurius queues each subscription's changes in a Readable whose highWaterMark is advisory
// (push keeps buffering past it) and sends one message at a time, waiting for the socket: a client
// that never reads, or a burst larger than a client reads, would let the queue grow without end.
// Past LIVE_LIMITS.queuedPerSubscription waiting changes, further changes are not queued: only the
// latest one per plan is kept, and once the client has read the queue, each such plan gets one
// delivery marked resync (its tasks changed more than were sent; re-read the plan).
class QueueBound {
  private overflowed = false;
  private readonly missed = new Map<string, TaskChange>();

  static install(changes: unknown, deps: TaskChangeStreamDeps): QueueBound | null {
    const queue = changes as Partial<PushableQueue>;
    if (typeof queue.push !== 'function' || typeof queue.readableLength !== 'number') return null;
    return new QueueBound(queue as PushableQueue, deps.queueLimit ?? LIVE_LIMITS.queuedPerSubscription, deps.log ?? null);
  }

  private constructor(
    private readonly queue: PushableQueue,
    private readonly limit: number,
    private readonly log: TaskChangeStreamDeps['log'],
  ) {
    const push = queue.push.bind(queue);
    queue.push = (chunk: unknown): boolean => {
      if (chunk === null) return push(chunk); // the end of the queue
      if (!this.overflowed && queue.readableLength < limit) return push(chunk);
      this.keep(chunk as TaskChange);
      return false;
    };
  }

  // Once the queue is read after an overflow: the plans to resync (and the bound lifted).
  drain(): TaskChange[] {
    if (!this.overflowed || this.queue.readableLength > 0) return [];
    this.overflowed = false;
    const missed = [...this.missed.values()];
    this.missed.clear();
    return missed;
  }

  private keep(change: TaskChange): void {
    if (!this.overflowed) {
      this.overflowed = true;
      this.log?.warn(`taskChanged: a subscription fell ${this.limit} changes behind; its plans will be sent as resync`);
    }
    const plan = `${change.provinceCode}/${change.planId}`;
    if (!this.missed.has(plan) && this.missed.size >= MISSED_PLANS_LIMIT) return;
    this.missed.delete(plan);
    this.missed.set(plan, { ...change, resync: true });
  }
}

// A delivery standing for more changes of its plan than were listed after the feed reconnected
// (Task.resync): a copy, the loaders' cached task stays as it is.
export type LiveTask = TaskEntity & { resync?: true };

function withResync(task: TaskEntity): LiveTask {
  return Object.assign(Object.create(Object.getPrototypeOf(task) as object) as TaskEntity, task, { resync: true as const });
}

// Each notification re-read within the subscriber's scope. One whose task has moved on since is
// skipped: the later transition's notification follows it (NOTIFY is delivered in commit order).
class TaskChangeStream implements AsyncIterableIterator<TaskEntity> {
  constructor(
    private readonly changes: AsyncIterator<TaskChange>,
    private readonly scope: Scope,
    private readonly deps: TaskChangeStreamDeps,
    private readonly end: () => void,
    private readonly bound: QueueBound | null = null,
  ) {}

  // resync deliveries owed after the queue overflowed, sent before anything queued later
  private readonly owed: TaskChange[] = [];

  [Symbol.asyncIterator](): AsyncIterableIterator<TaskEntity> {
    return this;
  }

  async next(): Promise<IteratorResult<TaskEntity>> {
    for (;;) {
      if (this.owed.length === 0 && this.bound) this.owed.push(...this.bound.drain());
      const next = this.owed.length > 0 ? { done: false as const, value: this.owed.shift()! } : await this.changes.next();
      if (next.done) {
        this.end();
        return { done: true, value: undefined };
      }
      const task = await this.read(next.value);
      if (task) return { done: false, value: task };
    }
  }

  async return(): Promise<IteratorResult<TaskEntity>> {
    this.end();
    await this.changes.return?.();
    return { done: true, value: undefined };
  }

  private async read(change: TaskChange): Promise<TaskEntity | null> {
    if (!this.scope.includes(change.provinceCode)) return null;
    try {
      const task = await this.deps.read(change.taskId);
      if (task && change.resync) return withResync(task);
      return task && task.version <= change.version ? task : null;
    } catch (error) {
      // a database hiccup loses this one notification, not the subscription
      this.deps.log?.warn(`taskChanged: could not read task ${change.taskId}: ${(error as Error).message}`);
      return null;
    }
  }
}
