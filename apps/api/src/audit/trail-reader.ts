import type { Scope } from '../common/scope';
import type { TaskEventEntity, TaskEventRepository } from '../repositories/task-event.repository';
import type { TaskEntity, TaskRepository } from '../repositories/task.repository';
import type { Tx } from '../repositories/transaction';

export interface TrailLimits {
  // tasks read per batch (keyset on task id)
  taskBatch: number;
  // events read per statement (keyset on task id and seq)
  eventPage: number;
}

export const DEFAULT_TRAIL_LIMITS: TrailLimits = { taskBatch: 500, eventPage: 5000 };

// Reads task rows with their whole event histories in bounded pieces, inside the caller's snapshot
// transaction: memory holds one batch of tasks, one page of events and the history of one task,
// whatever the size of the plan.
export class TrailReader {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventRepository,
    private readonly limits: TrailLimits = DEFAULT_TRAIL_LIMITS,
  ) {}

  // Every task of a plan, in id order, with its events by seq.
  async forEachTaskOfPlan(
    tx: Tx,
    scope: Scope,
    plan: { provinceCode: string; id: string },
    visit: (task: TaskEntity, events: TaskEventEntity[]) => void,
  ): Promise<void> {
    let afterId: string | null = null;
    for (;;) {
      const batch = await this.tasks.planTasksAfter(tx, scope, plan, afterId, this.limits.taskBatch);
      if (batch.length === 0) return;
      await this.forEachHistory(tx, scope, plan.provinceCode, batch, visit);
      if (batch.length < this.limits.taskBatch) return;
      afterId = batch[batch.length - 1].id;
    }
  }

  // The whole history of each task (tasks in id order, as planTasksAfter returns them), a page of
  // events at a time: a task is visited once its last event has been read.
  async forEachHistory(
    tx: Tx,
    scope: Scope,
    provinceCode: string,
    tasks: readonly TaskEntity[],
    visit: (task: TaskEntity, events: TaskEventEntity[]) => void,
  ): Promise<void> {
    const ids = tasks.map((task) => task.id);
    let next = 0;
    let history: TaskEventEntity[] = [];
    const visitNext = () => {
      visit(tasks[next], history);
      history = [];
      next += 1;
    };
    let after: { taskId: string; seq: number } | null = null;
    for (;;) {
      const page = await this.events.historyPage(tx, scope, provinceCode, ids, after, this.limits.eventPage);
      for (const event of page) {
        while (next < tasks.length && tasks[next].id !== event.taskId) visitNext();
        if (next === tasks.length) throw new Error(`event ${event.taskId}#${event.seq} is not of the batch, or out of task order`);
        history.push(event);
      }
      if (page.length < this.limits.eventPage) break;
      const last = page[page.length - 1];
      after = { taskId: last.taskId, seq: last.seq };
    }
    while (next < tasks.length) visitNext();
  }

  // One task (in scope) and its events, or null.
  async history(tx: Tx, scope: Scope, taskId: string): Promise<{ task: TaskEntity; events: TaskEventEntity[] } | null> {
    const task = await this.tasks.findById(scope, taskId, tx);
    if (!task) return null;
    let events: TaskEventEntity[] = [];
    await this.forEachHistory(tx, scope, task.provinceCode, [task], (_, history) => (events = history));
    return { task, events };
  }
}
