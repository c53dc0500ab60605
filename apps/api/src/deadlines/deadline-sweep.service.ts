import { IncompatibleSnapshotError } from '@app/lifecycle';
import { DomainError } from '../common/domain-error';
import type { Scope } from '../common/scope';
import type { TaskEntity, TaskRepository } from '../repositories/task.repository';
import type { Transactions } from '../repositories/transaction';
import type { TransitionService } from '../tasks/transition.service';

export const SWEEP_BATCH_SIZE = 200;

export interface SweepDeps {
  tasks: TaskRepository;
  transactions: Transactions;
  transitions: TransitionService;
}

// Fires DEADLINE_PASSED through the machine for every ASSIGNED or IN_PROGRESS leaf task whose due
// time has passed. Each batch is one transaction of a constant number of statements over rows
// locked FOR UPDATE SKIP LOCKED: instances sweeping at once take disjoint rows, and a crash rolls
// its batch back for the next sweep.
export class DeadlineSweepService {
  constructor(private readonly deps: SweepDeps) {}

  async sweep(scope: Scope, asOf: Date, batchSize = SWEEP_BATCH_SIZE): Promise<number> {
    const refused = new Set<string>();
    let total = 0;
    for (;;) {
      const { fired, picked } = await this.deps.transactions.run(async (tx) => {
        const due = await this.deps.tasks.lockDue(tx, scope, asOf, [...refused], batchSize);
        const changed = await this.deps.transitions.passDeadlines(tx, due, asOf, (task, error) => skip(refused, task, error));
        return { fired: changed.length, picked: due.length };
      });
      total += fired;
      if (picked === 0) return total;
    }
  }
}

// A task the machine refuses or cannot restore (edited by hand, say) must not stall the sweep;
// database errors abort the batch, which the next sweep retries.
function skip(refused: Set<string>, task: TaskEntity, error: unknown): void {
  if (!(error instanceof DomainError || error instanceof IncompatibleSnapshotError)) throw error;
  refused.add(task.id);
}
