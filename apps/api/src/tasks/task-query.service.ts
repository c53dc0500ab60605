import { isTaskState, type TaskState } from '@app/lifecycle';
import type { Actor } from '../auth/actor';
import { Scope } from '../common/scope';
import { badInput, notFound } from '../common/domain-error';
import { pageSize, requireUuid } from '../common/validation';
import type { AgencyRepository } from '../repositories/agency.repository';
import type { PlanEntity, PlanRepository } from '../repositories/plan.repository';
import type { TaskEntity, TaskPage, TaskRepository } from '../repositories/task.repository';

export type { TaskPage };

export interface TaskFilter {
  planId?: string | null;
  state?: TaskState | null;
  agencyId?: string | null; // lead or coordinating, itself or as a member of a group
  first?: number | null;
  after?: string | null;
}

export interface TaskQueryDeps {
  tasks: TaskRepository;
  plans: PlanRepository;
  agencies: AgencyRepository;
}

// Read side of tasks: single tasks and keyset pages, always within the viewer's scope.
export class TaskQueryService {
  constructor(private readonly deps: TaskQueryDeps) {}

  async findById(actor: Actor, id: string): Promise<TaskEntity | null> {
    return this.deps.tasks.findById(Scope.ofActor(actor), requireUuid(id, 'id'));
  }

  // A plan or agency of another province answers like one that does not exist.
  async page(actor: Actor, filter: TaskFilter): Promise<TaskPage> {
    const scope = Scope.ofActor(actor);
    const planId = filter.planId ? requireUuid(filter.planId, 'planId') : null;
    const agencyId = filter.agencyId ? requireUuid(filter.agencyId, 'agencyId') : null;
    const query = checkedPage(filter);
    if (planId && !(await this.deps.plans.findById(scope, planId))) throw notFound(`No plan with id ${planId}`);
    if (agencyId && !(await this.deps.agencies.findById(scope, agencyId))) throw notFound(`No agency with id ${agencyId}`);
    return this.deps.tasks.page(scope, { ...query, planId, agencyId });
  }

  // Plan.tasks: the plan was already found within the viewer's scope.
  async pageOfPlan(actor: Actor, plan: PlanEntity, filter: Omit<TaskFilter, 'planId' | 'agencyId'>): Promise<TaskPage> {
    return this.deps.tasks.page(Scope.ofActor(actor), { ...checkedPage(filter), planId: plan.id });
  }
}

function checkedPage(filter: TaskFilter) {
  return {
    first: pageSize(filter.first),
    state: filter.state ? checkedState(filter.state) : null,
    afterSortKey: filter.after ? decodeCursor(filter.after) : null,
  };
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
