import { In, LessThanOrEqual, type DataSource } from 'typeorm';
import type { TaskEventType, TaskState } from '@app/lifecycle';
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

  // The audit's read of some tasks' events, by task and seq, a page at a time: keyset on
  // (task_id, seq) after `after`, so memory holds a page, not a plan. The tasks' province is named so
  // that the primary key is used whatever the scope; another province than the scope's reads nothing.
  async historyPage(
    tx: Tx,
    scope: Scope,
    provinceCode: string,
    taskIds: readonly string[],
    after: { taskId: string; seq: number } | null,
    limit: number,
  ): Promise<TaskEventEntity[]> {
    if (taskIds.length === 0 || !scope.includes(provinceCode)) return [];
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      `SELECT e.province_code, e.task_id, e.seq, e.type, e.from_state, e.to_state, e.actor, e.actor_agency_id, e.at, e.payload,
         e.idempotency_key, e.machine_version, e.prev_hash, e.hash
       FROM task_events e
       WHERE e.province_code = $1 AND e.task_id = ANY($2::uuid[]) AND ($3::uuid IS NULL OR (e.task_id, e.seq) > ($3::uuid, $4::int))
       ORDER BY e.task_id, e.seq LIMIT $5`,
      [provinceCode, [...taskIds], after?.taskId ?? null, after?.seq ?? 0, limit],
    );
    return rows.map(toEvent);
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

  // When an amended plan withdrew each of these tasks (its WITHDRAW event), by task id; tasks never
  // withdrawn are left out. One statement; the ids are those of one plan's leaf tasks.
  async withdrawals(scope: Scope, taskIds: readonly string[]): Promise<Map<string, Date>> {
    if (taskIds.length === 0) return new Map();
    const rows: { task_id: string; at: Date }[] = await this.dataSource.query(
      `SELECT e.task_id, max(e.at) AS at FROM task_events e
       WHERE e.task_id = ANY($1::uuid[]) AND ($2::text IS NULL OR e.province_code = $2) AND e.type = 'WITHDRAW'
       GROUP BY e.task_id`,
      [[...taskIds], scope.provinceCode],
    );
    return new Map(rows.map((row) => [row.task_id, row.at]));
  }

  // An idempotent retry rebuilds the task as the first request left it.
  eventsUpTo(tx: Tx, provinceCode: string, taskId: string, seq: number): Promise<TaskEventEntity[]> {
    return managerOf(tx).find(TaskEventEntity, { where: { provinceCode, taskId, seq: LessThanOrEqual(seq) }, order: { seq: 'ASC' } });
  }
}

// A raw task_events row as the entity TypeORM would have built (without its per-row metadata cost).
function toEvent(row: Record<string, unknown>): TaskEventEntity {
  return Object.assign(new TaskEventEntity(), {
    provinceCode: row.province_code as string,
    taskId: row.task_id as string,
    seq: row.seq as number,
    type: row.type as TaskEventType,
    fromState: (row.from_state as TaskState | null) ?? null,
    toState: row.to_state as TaskState,
    actor: (row.actor as string | null) ?? null,
    actorAgencyId: (row.actor_agency_id as string | null) ?? null,
    at: row.at as Date,
    payload: row.payload as Record<string, unknown>,
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    machineVersion: row.machine_version as number,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  });
}
