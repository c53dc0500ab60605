import { In, LessThanOrEqual, type DataSource } from 'typeorm';
import type { TaskEventType } from '@app/lifecycle';
import type { Scope } from '../common/scope';
import { TaskEventEntity } from '../database/entities/task-event.entity';
import { inScope } from './scope-where';
import { managerOf, type Tx } from './transaction';

export { TaskEventEntity };

// The audit trail, read only: rows are appended by TaskRepository.applyTransitions (and a trigger
// refuses UPDATE, DELETE and TRUNCATE).
export class TaskEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get events() {
    return this.dataSource.getRepository(TaskEventEntity);
  }

  eventsOf(scope: Scope, taskIds: readonly string[]): Promise<TaskEventEntity[]> {
    if (taskIds.length === 0) return Promise.resolve([]);
    return this.events.find({ where: { ...inScope(scope), taskId: In([...taskIds]) }, order: { taskId: 'ASC', seq: 'ASC' } });
  }

  // Every event of a plan's tasks, by task and seq.
  eventsOfPlan(scope: Scope, planId: string): Promise<TaskEventEntity[]> {
    // a join, not `task_id IN (correlated subquery)`: that ran the subquery once per event
    // (24 s for a plan of 5,000 tasks and 10,000 events)
    const query = this.events
      .createQueryBuilder('e')
      .innerJoin('tasks', 't', 't.id = e.task_id AND t.province_code = e.province_code AND t.plan_id = :planId', { planId });
    if (scope.provinceCode !== null) query.andWhere('e.province_code = :province', { province: scope.provinceCode });
    return query.orderBy('e.task_id').addOrderBy('e.seq').getMany();
  }

  async findByIdempotencyKey(
    tx: Tx,
    provinceCode: string,
    taskId: string,
    actor: string,
    key: string,
  ): Promise<{ seq: number; type: TaskEventType } | null> {
    // a key is the sender's: scoped to the task and the actor (uq_task_events_idempotency)
    const found = await managerOf(tx).findOne(TaskEventEntity, {
      where: { provinceCode, taskId, actor, idempotencyKey: key },
      select: { seq: true, type: true },
    });
    return found ? { seq: found.seq, type: found.type } : null;
  }

  // An idempotent retry rebuilds the task as the first request left it.
  eventsUpTo(tx: Tx, provinceCode: string, taskId: string, seq: number): Promise<TaskEventEntity[]> {
    return managerOf(tx).find(TaskEventEntity, { where: { provinceCode, taskId, seq: LessThanOrEqual(seq) }, order: { seq: 'ASC' } });
  }
}
