import { replayRecordedTask, type StoredTaskSnapshot, type TaskState } from '@app/lifecycle';
import type { Actor } from '../auth/actor';
import { notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { requireUuid } from '../common/validation';
import type { PlanRepository } from '../repositories/plan.repository';
import type { TaskEventEntity, TaskEventRepository } from '../repositories/task-event.repository';
import type { TaskEntity, TaskRepository } from '../repositories/task.repository';
import type { AccessDenialPage, AccessDenialQuery, AccessDenialsService } from './access-denials.service';
import { canonicalJson } from './canonical-json';
import { verifyChain } from './hash-chain';
import { toStoredMachineEvent } from './stored-event';

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

export interface AuditDeps {
  plans: PlanRepository;
  tasks: TaskRepository;
  events: TaskEventRepository;
  denials: AccessDenialsService;
}

// Replay = the lifecycle's replay folded over task_events; the stored row must equal the fold.
export class AuditService {
  constructor(private readonly deps: AuditDeps) {}

  // Refused attempts of the provinces the token covers (AUDITOR and ADMIN).
  accessDenials(actor: Actor, query: AccessDenialQuery): Promise<AccessDenialPage> {
    return this.deps.denials.list(actor, query);
  }

  async replay(actor: Actor, taskId: string, asOf: Date | null): Promise<ReplayResult> {
    const scope = Scope.ofActor(actor);
    const task = await this.deps.tasks.findById(scope, requireUuid(taskId, 'taskId'));
    if (!task) throw notFound(`No task with id ${taskId}`);
    const events = await this.deps.events.eventsOf(scope, [task.id]);
    const chainValid = verifyChain(task.id, task.input, events).valid;
    const upTo = asOf ? events.filter((event) => event.at.getTime() <= asOf.getTime()) : events;
    const folded = replayRecordedTask(task.input, upTo.map(recorded));
    const agrees = folded.rejectedAt === null;
    const consistent = agrees && (asOf !== null || matchesStored(task, folded.snapshot, folded.applied));
    return { state: folded.snapshot.state, eventsApplied: folded.applied, consistent, chainValid };
  }

  async verifyPlan(actor: Actor, planId: string): Promise<AuditVerification> {
    const scope = Scope.ofActor(actor);
    const plan = await this.deps.plans.findById(scope, requireUuid(planId, 'planId'));
    if (!plan) throw notFound(`No plan with id ${planId}`);
    const tasks = await this.deps.tasks.tasksOfPlan(scope, plan.id);
    const events = await this.deps.events.eventsOfPlan(scope, plan.id);
    const byTask = groupBy(events, (event) => event.taskId);
    const brokenTaskIds = tasks
      .filter((task) => !taskIntact(task, byTask.get(task.id) ?? []))
      .map((task) => task.id)
      .sort();
    return { ok: brokenTaskIds.length === 0, tasksChecked: tasks.length, eventsChecked: events.length, brokenTaskIds };
  }
}

// Intact: the hash chain holds and the stored row is exactly what the chain's events produce.
export function taskIntact(task: TaskEntity, events: TaskEventEntity[]): boolean {
  if (!verifyChain(task.id, task.input, events).valid) return false;
  const folded = replayRecordedTask(task.input, events.map(recorded));
  return (
    folded.rejectedAt === null && matchesStored(task, folded.snapshot, folded.applied) && task.lastHash === (events.at(-1)?.hash ?? null)
  );
}

function recorded(event: TaskEventEntity) {
  return { event: toStoredMachineEvent(event), fromState: event.fromState, toState: event.toState };
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

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
