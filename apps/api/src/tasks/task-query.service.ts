import { In, type DataSource } from 'typeorm';
import { isTaskState, type TaskState } from '@app/lifecycle';
import { TaskEventEntity } from '../database/entities/task-event.entity';
import { seesProvince, type Actor } from '../auth/actor';
import { badInput, notFound } from '../common/domain-error';
import { pageSize, requireUuid } from '../common/validation';
import { AGENCY_INVOLVED_SQL } from './agency-involvement';
import { TaskCoordinatorEntity } from '../database/entities/task-coordinator.entity';
import { TaskEntity } from '../database/entities/task.entity';

export interface TaskFilter {
  planId?: string | null;
  state?: TaskState | null;
  agencyId?: string | null; // lead or coordinating, itself or as a member of a group
  first?: number | null;
  after?: string | null;
}

export interface TaskPage {
  tasks: TaskEntity[];
  hasNextPage: boolean;
  totalCount: number;
}

// Read side of tasks: keyset pages and batch look-ups for DataLoaders (a page costs O(1) queries).
export class TaskQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async findById(actor: Actor, id: string): Promise<TaskEntity | null> {
    const task = await this.dataSource.getRepository(TaskEntity).findOne({ where: { id: requireUuid(id, 'id') } });
    return task && seesProvince(actor, task.provinceCode) ? task : null;
  }

  async getById(actor: Actor, id: string): Promise<TaskEntity> {
    const task = await this.findById(actor, id);
    if (!task) throw notFound(`No task with id ${id}`);
    return task;
  }

  async page(actor: Actor, filter: TaskFilter): Promise<TaskPage> {
    const first = pageSize(filter.first);
    const query = this.dataSource.getRepository(TaskEntity).createQueryBuilder('t');
    if (actor.provinceCode !== '*') query.andWhere('t.province_code = :province', { province: actor.provinceCode });
    if (filter.planId) query.andWhere('t.plan_id = :planId', { planId: requireUuid(filter.planId, 'planId') });
    if (filter.state) query.andWhere('t.state = :state', { state: checkedState(filter.state) });
    if (filter.agencyId) {
      query.andWhere(AGENCY_INVOLVED_SQL, { agencyId: requireUuid(filter.agencyId, 'agencyId') });
    }
    const totalCount = await query.getCount();
    if (filter.after) query.andWhere('t.sort_key > :after', { after: decodeCursor(filter.after) });
    const rows = await query.orderBy('t.sort_key', 'ASC').take(first + 1).getMany();
    return { tasks: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  async byIds(ids: readonly string[]): Promise<TaskEntity[]> {
    return ids.length === 0 ? [] : this.dataSource.getRepository(TaskEntity).find({ where: { id: In([...ids]) } });
  }

  async childrenOf(parentIds: readonly string[]): Promise<TaskEntity[]> {
    if (parentIds.length === 0) return [];
    return this.dataSource.getRepository(TaskEntity).find({ where: { parentId: In([...parentIds]) }, order: { sortKey: 'ASC' } });
  }

  async coordinatorsOf(taskIds: readonly string[]): Promise<TaskCoordinatorEntity[]> {
    if (taskIds.length === 0) return [];
    return this.dataSource.getRepository(TaskCoordinatorEntity).find({ where: { taskId: In([...taskIds]) } });
  }

  async eventsOf(taskIds: readonly string[]): Promise<TaskEventEntity[]> {
    if (taskIds.length === 0) return [];
    return this.dataSource.getRepository(TaskEventEntity).find({ where: { taskId: In([...taskIds]) }, order: { seq: 'ASC' } });
  }
}

export function encodeCursor(task: TaskEntity): string {
  return Buffer.from(`task:${task.sortKey}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = /^task:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!decoded || cursor.length > 64) throw badInput(`after is not a cursor returned by this API: "${cursor.slice(0, 64)}"`);
  return decoded[1];
}

function checkedState(state: string): TaskState {
  if (!isTaskState(state)) throw badInput(`state must be a TaskState, got "${state}"`);
  return state;
}
