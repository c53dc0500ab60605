import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CLOCK, type Clock } from '../common/clock';
import { Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import type { TaskEntity } from '../repositories/task.repository';
import { Task } from '../tasks/task.model';
import { Contribution, PendingExtension, TaskPeriod } from './deadlines.model';
import { taskPeriods } from './reporting-periods';

// The deadline fields of a task: its reporting periods, a pending extension, coordinating input.
@Resolver(() => Task)
export class TaskPeriodsResolver {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @ResolveField(() => [TaskPeriod], { description: 'Reporting periods: each with its due time, report and verdict' })
  async periods(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    const plan = await loaders.plan.load(task.planId);
    // WITHDRAWN is final: only a withdrawn task reads its trail, for the time of its WITHDRAW
    const withdrawnAt =
      task.state === 'WITHDRAWN' ? ((await loaders.events.load(task.id)).findLast((e) => e.type === 'WITHDRAW')?.at ?? null) : null;
    return taskPeriods(task.snapshot, plan?.reportingDeadlines ?? [], this.clock.now(), withdrawnAt).map((p) => ({
      ...p,
      dueAt: dateOrNull(p.dueAt),
      reportedAt: dateOrNull(p.reportedAt),
      verifiedAt: dateOrNull(p.verifiedAt),
    }));
  }

  @ResolveField(() => PendingExtension, { nullable: true, description: 'An extension request waiting for a LEADER' })
  pendingExtension(@Parent() task: TaskEntity) {
    const pending = task.snapshot.context.pendingExtension;
    return pending ? { ...pending, requestedAt: new Date(pending.requestedAt), proposedDueAt: new Date(pending.proposedDueAt) } : null;
  }

  @ResolveField(() => [Contribution], { description: 'Inputs of the coordinating agencies (phối hợp), every period' })
  contributions(@Parent() task: TaskEntity) {
    return task.snapshot.context.contributions.map((c) => ({ ...c, at: new Date(c.at) }));
  }
}

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
