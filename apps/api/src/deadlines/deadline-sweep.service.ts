import { IncompatibleSnapshotError } from '@app/lifecycle';
import { DomainError } from '../common/domain-error';
import { observeSweep } from '../observability/domain-events';
import type { Scope } from '../common/scope';
import type { TaskEntity, TaskRepository } from '../repositories/task.repository';
import type { Transactions } from '../repositories/transaction';
import type { TransitionService } from '../tasks/transition.service';

export const SWEEP_BATCH_SIZE = 200;

export interface SweepLog {
  warn(message: string): void;
}

export interface SweepDeps {
  tasks: TaskRepository;
  transactions: Transactions;
  transitions: TransitionService;
  log?: SweepLog;
}

interface BatchResult {
  fired: number;
  picked: number;
}

// Fires DEADLINE_PASSED through the machine for every ASSIGNED or IN_PROGRESS leaf task whose due
// time has passed, and rolls the parent of each child it moves up in the same write (ROLL_UP). Each batch is one transaction of a constant number of statements over rows
// locked FOR UPDATE SKIP LOCKED: instances sweeping at once take disjoint rows, and a crash rolls
// its batch back for the next sweep. One task that cannot be decided or written (a snapshot edited
// by hand, a row the database refuses) is skipped and logged; it never holds back the others.
export class DeadlineSweepService {
  private readonly log: SweepLog;

  constructor(private readonly deps: SweepDeps) {
    this.log = deps.log ?? console;
  }

  // An aborted signal ends the sweep after the batch at work (shutdown); the next sweep takes the rest.
  async sweep(scope: Scope, asOf: Date, batchSize = SWEEP_BATCH_SIZE, signal?: AbortSignal): Promise<number> {
    const refused = new Set<string>();
    let total = 0;
    for (;;) {
      let batch: BatchResult;
      try {
        batch = await this.batch(scope, asOf, batchSize, refused);
      } catch {
        // the batch's write failed: find the task at fault by sweeping the same rows one by one
        batch = await this.oneByOne(scope, asOf, batchSize, refused);
      }
      total += batch.fired;
      // fewer than asked: nothing more is due that another transaction does not hold right now
      // (a child whose parent is held, a row another sweeper took); the next sweep takes those
      if (batch.picked < batchSize || signal?.aborted) {
        observeSweep(total);
        return total;
      }
    }
  }

  private batch(scope: Scope, asOf: Date, size: number, refused: Set<string>): Promise<BatchResult> {
    return this.deps.transactions.run(async (tx) => {
      const due = await this.deps.tasks.lockDue(tx, scope, asOf, [...refused], size);
      const changed = await this.deps.transitions.passDeadlines(tx, due, asOf, (task, error) => this.skip(refused, task, error));
      return { fired: changed.length, picked: due.tasks.length };
    });
  }

  // One transaction per task. A failure before a task is locked is the database's own (outage):
  // it aborts the sweep, which the next one retries.
  private async oneByOne(scope: Scope, asOf: Date, size: number, refused: Set<string>): Promise<BatchResult> {
    const result: BatchResult = { fired: 0, picked: 0 };
    for (let i = 0; i < size; i++) {
      const locked: { task: TaskEntity | null } = { task: null };
      try {
        const fired = await this.deps.transactions.run(async (tx) => {
          const due = await this.deps.tasks.lockDue(tx, scope, asOf, [...refused], 1);
          [locked.task] = due.tasks;
          if (!locked.task) return 0;
          const changed = await this.deps.transitions.passDeadlines(tx, due, asOf, (task, error) => this.skip(refused, task, error));
          return changed.length;
        });
        if (!locked.task) break;
        result.fired += fired;
      } catch (error) {
        if (!locked.task) throw error;
        refused.add(locked.task.id);
        this.warn(locked.task, error);
      }
      result.picked += 1;
    }
    return result;
  }

  // A task the machine refuses or cannot restore (edited by hand, say) must not stall the sweep;
  // other errors abort the batch, which is then swept task by task.
  private skip(refused: Set<string>, task: TaskEntity, error: unknown): void {
    if (!(error instanceof DomainError || error instanceof IncompatibleSnapshotError)) throw error;
    refused.add(task.id);
    this.warn(task, error);
  }

  private warn(task: TaskEntity, error: unknown): void {
    const message = String((error as Error)?.message ?? error).slice(0, 500);
    this.log.warn(`Deadline sweep skipped task ${task.id} (${task.provinceCode} ${task.ordinal}): ${message}`);
  }
}
