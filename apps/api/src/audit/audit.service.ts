import type { DataSource } from 'typeorm';
import { applyTaskEvent, createTaskSnapshot, type StoredTaskSnapshot, type TaskState } from '@app/lifecycle';
import { toStoredMachineEvent } from './stored-event';
import { seesProvince, type Actor } from '../auth/actor';
import { notFound } from '../common/domain-error';
import { canonicalJson } from './canonical-json';
import { requireUuid } from '../common/validation';
import { PlanEntity } from '../database/entities/plan.entity';
import { TaskEntity } from '../database/entities/task.entity';
import { verifyChain } from './hash-chain';
import { TaskEventEntity } from '../database/entities/task-event.entity';

export interface ReplayResult {
  state: TaskState;
  eventsApplied: number;
  consistent: boolean;
  chainValid: boolean;
}

export interface AuditVerification {
  ok: boolean;
  tasksChecked: number;
  eventsChecked: number;
  brokenTaskIds: string[];
}

// Replay = the same machine folded over task_events; the stored snapshot must equal the fold.
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async replay(actor: Actor, taskId: string, asOf: Date | null): Promise<ReplayResult> {
    const task = await this.dataSource.getRepository(TaskEntity).findOne({ where: { id: requireUuid(taskId, 'taskId') } });
    if (!task || !seesProvince(actor, task.provinceCode)) throw notFound(`No task with id ${taskId}`);
    const events = await this.events(task);
    const chainValid = verifyChain(task.id, task.input, events).valid;
    const upTo = asOf ? events.filter((event) => event.at.getTime() <= asOf.getTime()) : events;
    const folded = foldEvents(task.input, upTo);
    const consistent = folded.agrees && (asOf !== null || matchesStored(task, folded.snapshot, folded.applied));
    return { state: folded.snapshot.state, eventsApplied: folded.applied, consistent, chainValid };
  }

  async verifyPlan(actor: Actor, planId: string): Promise<AuditVerification> {
    const plan = await this.dataSource.getRepository(PlanEntity).findOne({ where: { id: requireUuid(planId, 'planId') } });
    if (!plan || !seesProvince(actor, plan.provinceCode)) throw notFound(`No plan with id ${planId}`);
    const tasks = await this.dataSource.getRepository(TaskEntity).find({ where: { provinceCode: plan.provinceCode, planId: plan.id } });
    const events = await this.dataSource
      .getRepository(TaskEventEntity)
      .createQueryBuilder('e')
      .where('e.province_code = :province', { province: plan.provinceCode })
      .andWhere('e.task_id IN (SELECT t.id FROM tasks t WHERE t.province_code = :province AND t.plan_id = :planId)', { planId: plan.id })
      .orderBy('e.task_id')
      .addOrderBy('e.seq')
      .getMany();
    const byTask = groupBy(events, (event) => event.taskId);
    const brokenTaskIds = tasks
      .filter((task) => !this.taskIntact(task, byTask.get(task.id) ?? []))
      .map((task) => task.id)
      .sort();
    return { ok: brokenTaskIds.length === 0, tasksChecked: tasks.length, eventsChecked: events.length, brokenTaskIds };
  }

  // Intact: the hash chain holds and the stored row is exactly what the chain's events produce.
  private taskIntact(task: TaskEntity, events: TaskEventEntity[]): boolean {
    if (!verifyChain(task.id, task.input, events).valid) return false;
    const folded = foldEvents(task.input, events);
    return folded.agrees && matchesStored(task, folded.snapshot, folded.applied);
  }

  private events(task: TaskEntity): Promise<TaskEventEntity[]> {
    return this.dataSource.getRepository(TaskEventEntity).find({
      where: { provinceCode: task.provinceCode, taskId: task.id },
      order: { seq: 'ASC' },
    });
  }
}


// The snapshot and the columns read by queries and scores (state, due times, late, version).
function matchesStored(task: TaskEntity, snapshot: StoredTaskSnapshot, applied: number): boolean {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return (
    canonicalJson(snapshot) === canonicalJson(task.snapshot) &&
    task.state === snapshot.state &&
    task.version === applied &&
    task.late === snapshot.context.late &&
    iso(task.dueAt) === isoOrNull(snapshot.context.dueAt) &&
    iso(task.originalDueAt) === isoOrNull(snapshot.context.originalDueAt)
  );
}

function isoOrNull(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

// Re-runs the events one by one; every event must be taken and land in the state it recorded.
function foldEvents(input: TaskEntity['input'], events: TaskEventEntity[]) {
  let snapshot: StoredTaskSnapshot = createTaskSnapshot(input);
  let applied = 0;
  for (const event of events) {
    const outcome = applyTaskEvent(snapshot, toStoredMachineEvent(event));
    if (!outcome.taken || outcome.snapshot.state !== event.toState || snapshot.state !== event.fromState) {
      return { snapshot, applied, agrees: false };
    }
    snapshot = outcome.snapshot;
    applied += 1;
  }
  return { snapshot, applied, agrees: true };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
