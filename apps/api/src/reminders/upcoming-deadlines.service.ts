import type { AgenciesService } from '../agencies/agencies.service';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput } from '../common/domain-error';
import { Scope } from '../common/scope';
import { endOfVietnamDayAfter } from '../common/vietnam-time';
import type { TaskEntity, TaskRepository } from '../repositories/task.repository';

export const MAX_WITHIN_DAYS = 366;

export interface UpcomingDeadlinesDeps {
  tasks: TaskRepository;
  agencies: AgenciesService;
  clock: Clock;
}

// What an agency must deliver soon, and what it is late with: leaf tasks (a split task's children
// carry the work) the agency leads (chủ trì) or coordinates (phối hợp), itself or through a group.
export class UpcomingDeadlinesService {
  constructor(private readonly deps: UpcomingDeadlinesDeps) {}

  // Not yet reported or verified, due from now to the end of the Vietnam day withinDays ahead.
  async upcoming(actor: Actor, agencyId: string, withinDays: number): Promise<TaskEntity[]> {
    const days = checkedWithinDays(withinDays);
    const agency = await this.deps.agencies.getVisible(actor, agencyId);
    const now = this.deps.clock.now();
    return this.deps.tasks.leafTasksOfAgency(Scope.ofActor(actor), agency.id, { from: now, until: endOfVietnamDayAfter(now, days) });
  }

  async overdue(actor: Actor, agencyId: string): Promise<TaskEntity[]> {
    const agency = await this.deps.agencies.getVisible(actor, agencyId);
    return this.deps.tasks.leafTasksOfAgency(Scope.ofActor(actor), agency.id, 'OVERDUE');
  }
}

function checkedWithinDays(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_WITHIN_DAYS) {
    throw badInput(`withinDays must be between 1 and ${MAX_WITHIN_DAYS}, got ${value}`, { field: 'withinDays' });
  }
  return value;
}
