import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { TaskEventType, TaskState } from '@app/lifecycle';
import { Agency } from '../agencies/agency.model';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import { TaskEventTypeEnum, TaskStateEnum } from '../graphql/enums';
import type { Loaders } from '../graphql/request-context';
import { Plan } from '../plans/plan.model';
import { rollUpState } from './task-rollup';
import type { AgencyEntity } from '../repositories/agency.repository';
import type { TaskEntity } from '../repositories/task.repository';
import { TaskQueryService, encodeCursor, type TaskPage } from './task-query.service';
import { Task, TaskConnection, TaskEvent } from './task.model';
import { TransitionInput } from './transition.input';
import { TransitionService } from './transition.service';
import { recordedChanges } from '../graphql/task-field-change.model';

export function toConnection(page: TaskPage, loaders: Loaders): TaskConnection {
  loaders.primePage(page);
  const edges = page.tasks.map((task) => ({ cursor: encodeCursor(task), node: task }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
}

@Resolver(() => Task)
export class TasksResolver {
  constructor(
    @Inject(TaskQueryService) private readonly taskQueries: TaskQueryService,
    @Inject(TransitionService) private readonly transitions: TransitionService,
  ) {}

  @Query(() => Task, { nullable: true })
  task(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<TaskEntity | null> {
    return this.taskQueries.findById(actor, id);
  }

  @Query(() => TaskConnection, { description: 'Tasks visible to the viewer, in plan order; agencyId matches lead or coordinating' })
  async tasks(
    @CurrentActor() actor: Actor,
    @RequestLoaders() loaders: Loaders,
    @Args('planId', { type: () => ID, nullable: true }) planId?: string,
    @Args('state', { type: () => TaskStateEnum, nullable: true }) state?: TaskState,
    @Args('agencyId', { type: () => ID, nullable: true }) agencyId?: string,
    @Args('first', { type: () => Int, nullable: true, description: '1..100, default 20' }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<TaskConnection> {
    return toConnection(await this.taskQueries.page(actor, { planId, state, agencyId, first, after }), loaders);
  }

  @Mutation(() => Task, { description: 'Fire a lifecycle event on a task (one transaction; appends one audit row)' })
  async transitionTask(
    @CurrentActor() actor: Actor,
    @RequestLoaders() loaders: Loaders,
    @Args('input') input: TransitionInput,
  ): Promise<TaskEntity> {
    const task = await this.transitions.transition(actor, { ...input, event: input.event as TaskEventType });
    // only a task no child splits takes events: its state needs no look at children
    loaders.children.prime(task.id, []);
    return task;
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
    // in the plan's order
    return (await loaders.agency.loadMany(ids)).filter((a): a is AgencyEntity => Boolean(a) && !(a instanceof Error));
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

  @ResolveField(() => [TaskEventTypeEnum], {
    description: 'Events the current viewer may fire now (none on a split task: its children take them)',
  })
  async availableEvents(@Parent() task: TaskEntity, @CurrentActor() actor: Actor, @RequestLoaders() loaders: Loaders) {
    const row = await loaders.authorization.load(task.id);
    return row ? this.transitions.availableEvents(actor, row) : [];
  }

  @ResolveField(() => [TaskEvent])
  async history(@Parent() task: TaskEntity, @RequestLoaders() loaders: Loaders) {
    return (await loaders.events.load(task.id)).map((event) => ({
      ...event,
      comment: eventComment(event.payload),
      reportSummary: stringOrNull((event.payload.report as { summary?: unknown } | undefined)?.summary ?? event.payload.text),
      dueAt: dateOrNull(event.payload.newDueAt ?? event.payload.proposedDueAt ?? (event.type === 'AMEND' ? event.payload.dueAt : null)),
      changes: recordedChanges(event.payload),
    }));
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

// The comment of an event, whatever its type calls it (a request's reason, a contribution's text
// is its report summary).
function eventComment(payload: Record<string, unknown>): string | null {
  return stringOrNull(payload.comment ?? payload.reason);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function dateOrNull(value: unknown): Date | null {
  return typeof value === 'string' ? new Date(value) : null;
}
