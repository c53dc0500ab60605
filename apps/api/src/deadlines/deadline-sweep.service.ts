import type { DataSource, EntityManager } from 'typeorm';
import { IncompatibleSnapshotError } from '@app/lifecycle';
import { SYSTEM_ACTOR } from '../auth/actor';
import { DomainError } from '../common/domain-error';
import { TaskEntity } from '../database/entities/task.entity';
import type { TransitionService } from '../tasks/transition.service';

export const SWEEP_BATCH_SIZE = 200;

export interface SweepOptions {
  provinceCode?: string | null; // null = every province
  batchSize?: number;
}

// Fires DEADLINE_PASSED through the machine for every ASSIGNED or IN_PROGRESS task whose due time
// has passed. Each batch is one transaction over rows locked FOR UPDATE SKIP LOCKED: instances
// sweeping at once take disjoint rows, and a crash rolls its batch back for the next sweep.
export class DeadlineSweepService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: TransitionService,
  ) {}

  async sweep(asOf: Date, options: SweepOptions = {}): Promise<number> {
    const failed = new Set<string>();
    let total = 0;
    for (;;) {
      const { fired, picked, changed } = await this.dataSource.transaction('READ COMMITTED', (manager) =>
        this.sweepBatch(manager, asOf, options, failed),
      );
      for (const task of changed) this.transitions.notify(task);
      total += fired;
      if (picked === 0) return total;
    }
  }

  private async sweepBatch(manager: EntityManager, asOf: Date, options: SweepOptions, failed: Set<string>) {
    const due = await this.lockDue(manager, asOf, options, failed);
    const changed: TaskEntity[] = [];
    for (const task of due) {
      try {
        const command = { taskId: task.id, type: 'DEADLINE_PASSED' as const, expectedVersion: null, idempotencyKey: null, data: {} };
        const result = await this.transitions.applyToLocked(manager, SYSTEM_ACTOR, task, command, asOf);
        if (result.changed) changed.push(result.task);
      } catch (error) {
        // A task the machine refuses or cannot restore (edited by hand, say) must not stall the
        // sweep; database errors abort the batch, which the next sweep retries.
        if (!(error instanceof DomainError || error instanceof IncompatibleSnapshotError)) throw error;
        failed.add(task.id);
      }
    }
    return { fired: changed.length, picked: due.length, changed };
  }

  private lockDue(manager: EntityManager, asOf: Date, options: SweepOptions, failed: Set<string>): Promise<TaskEntity[]> {
    const query = manager
      .createQueryBuilder(TaskEntity, 't')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where("t.state IN ('ASSIGNED', 'IN_PROGRESS')")
      .andWhere('t.due_at < :asOf', { asOf })
      .andWhere('NOT EXISTS (SELECT 1 FROM tasks c WHERE c.province_code = t.province_code AND c.parent_id = t.id)');
    if (options.provinceCode) query.andWhere('t.province_code = :province', { province: options.provinceCode });
    if (failed.size > 0) query.andWhere('t.id NOT IN (:...failed)', { failed: [...failed] });
    return query.orderBy('t.due_at', 'ASC').limit(options.batchSize ?? SWEEP_BATCH_SIZE).getMany();
  }
}
