import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { TaskEventType, TaskState } from '@app/lifecycle';
import { Agency } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../auth/current-actor.decorator';
import { CLOCK, type Clock } from '../common/clock';
import { TaskEventTypeEnum, TaskStateEnum } from '../graphql/enums';
import type { Loaders } from '../graphql/request-context';
import { Plan } from '../plans/plan.model';
import { Contribution, PendingExtension, TaskPeriod } from '../deadlines/deadlines.model';
import { taskPeriods } from '../deadlines/reporting-periods';
import { availableEvents } from './available-events';
import { rollUpState } from './task-rollup';
import { TaskQueryService, encodeCursor, type TaskPage } from './task-query.service';
import type { TaskEntity } from '../database/entities/task.entity';
import { Task, TaskConnection, TaskEvent } from './task.model';
import { TransitionInput } from './transition.input';
import { relationsOf } from './task-relations';
import { TransitionService } from './transition.service';

export function toConnection(page: TaskPage): TaskConnection {
  const edges = page.tasks.map((task) => ({ cursor: encodeCursor(task), node: task }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
}

@Resolver(() => Task)
export class TasksResolver {
  constructor(
    @Inject(TaskQueryService) private readonly taskQueries: TaskQueryService,
    @Inject(TransitionService) private readonly transitions: TransitionService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Query(() => Task, { nullable: true })
  task(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<TaskEntity | null> {
    return this.taskQueries.findById(actor, id);
  }

  @Query(() => TaskConnection, { description: 'Tasks visible to the viewer, in plan order; agencyId matches lead or coordinating' })
  async tasks(
    @CurrentActor() actor: Actor,
    @Args('planId', { type: () => ID, nullable: true }) planId?: string,
    @Args('state', { type: () => TaskStateEnum, nullable: true }) state?: TaskState,
    @Args('agencyId', { type: () => ID, nullable: true }) agencyId?: string,
    @Args('first', { type: () => Int, nullable: true, description: '1..100, default 20' }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<TaskConnection> {
    return toConnection(await this.taskQueries.page(actor, { planId, state, agencyId, first, after }));
  }

  @Mutation(() => Task, { description: 'Fire a lifecycle event on a task (one transaction; appends one audit row)' })
  transitionTask(@CurrentActor() actor: Actor, @Args('input') input: TransitionInput): Promise<TaskEntity> {
    return this.transitions.transition(actor, { ...input, event: input.event as TaskEventType });
  }

  @ResolveField(() => Plan)
  async plan(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.plan.load(task.planId);
  }

  @ResolveField(() => String, { nullable: true, description: 'The section heading the task stands under' })
  async section(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders): Promise<string | null> {
    if (!task.sectionId) return null;
    const section = await loaders.section.load(task.sectionId);
    return section ? `${section.ordinal}. ${section.title}` : null;
  }

  @ResolveField(() => Agency, { description: 'Đơn vị chủ trì' })
  leadAgency(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.agency.load(task.leadAgencyId);
  }

  @ResolveField(() => [Agency], { description: 'Đơn vị phối hợp' })
  async coordinatingAgencies(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    const ids = await loaders.coordinatorIds.load(task.id);
    return (await loaders.agency.loadMany(ids)).filter((a) => a && !(a instanceof Error));
  }

  @ResolveField(() => TaskStateEnum, { description: "A task split per lead agency shows its children's roll-up" })
  async state(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders): Promise<TaskState> {
    const children = await loaders.children.load(task.id);
    return rollUpState(children.map((child) => child.state)) ?? task.state;
  }

  @ResolveField(() => Boolean)
  async late(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders): Promise<boolean> {
    const children = await loaders.children.load(task.id);
    return task.late || children.some((child) => child.late);
  }

  @ResolveField(() => [TaskEventTypeEnum], { description: 'Events the current viewer may fire now (none on a split task: its children take them)' })
  async availableEvents(@Parent() task: TaskEntity, @CurrentActor() actor: Actor, @RequestLoaders() loaders: Loaders) {
    if ((await loaders.children.load(task.id)).length > 0) return [];
    const [coordinators, plan, committeeId] = await Promise.all([
      loaders.coordinatorIds.load(task.id),
      loaders.plan.load(task.planId),
      loaders.committeeId.load(task.provinceCode),
    ]);
    const groups = [task.leadAgencyId, ...coordinators];
    const members = await loaders.groupMembers.loadMany(groups);
    const groupMembers = new Map(groups.map((id, i) => [id, Array.isArray(members[i]) ? (members[i] as string[]) : []]));
    const relations = relationsOf(task, { coordinatorIds: coordinators, plan, committeeId, groupMembers });
    return availableEvents(actor, task, relations, this.clock.now());
  }

  @ResolveField(() => [TaskEvent])
  async history(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    return (await loaders.events.load(task.id)).map((event) => ({
      ...event,
      comment: stringOrNull(event.payload.comment ?? event.payload.reason),
      reportSummary: stringOrNull((event.payload.report as { summary?: unknown } | undefined)?.summary ?? event.payload.text),
      dueAt: dateOrNull(event.payload.newDueAt ?? event.payload.proposedDueAt),
    }));
  }

  @ResolveField(() => [TaskPeriod], { description: 'Reporting periods: each with its due time, report and verdict' })
  async periods(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    const plan = await loaders.plan.load(task.planId);
    return taskPeriods(task.snapshot, plan?.reportingDeadlines ?? [], this.clock.now()).map((p) => ({
      ...p, dueAt: dateOrNull(p.dueAt), reportedAt: dateOrNull(p.reportedAt), verifiedAt: dateOrNull(p.verifiedAt),
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

  @ResolveField(() => Task, { nullable: true })
  parent(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    return task.parentId ? loaders.task.load(task.parentId) : null;
  }

  @ResolveField(() => [Task])
  children(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.children.load(task.id);
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function dateOrNull(value: unknown): Date | null {
  return typeof value === 'string' ? new Date(value) : null;
}
