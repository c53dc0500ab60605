import DataLoader from 'dataloader';
import type { Actor } from '../auth/actor';
import { Scope } from '../common/scope';
import type { AgencyEntity, ProvinceEntity } from '../repositories/agency.repository';
import type { PlanEntity, PlanProgress, PlanVersionRow, SectionEntity } from '../repositories/plan.repository';
import type { Repositories } from '../repositories/repositories';
import type { TaskEventEntity } from '../repositories/task-event.repository';
import type { TaskAuthorizationRow, TaskEntity, TaskPage } from '../repositories/task.repository';

export interface RequestContext {
  actor: Actor | null;
  loaders: Loaders;
}

export type LoaderSources = Pick<Repositories, 'agencies' | 'plans' | 'tasks' | 'events'>;

// Per-request DataLoaders within the viewer's scope: a page of tasks with their agencies costs a
// constant number of queries, and nothing outside the scope can be loaded by id.
export class Loaders {
  readonly agency: DataLoader<string, AgencyEntity | null>;
  readonly province: DataLoader<string, ProvinceEntity | null>;
  readonly plan: DataLoader<string, PlanEntity | null>;
  readonly progress: DataLoader<string, PlanProgress>;
  readonly planVersions: DataLoader<string, PlanVersionRow[]>;
  readonly section: DataLoader<string, SectionEntity | null>;
  readonly task: DataLoader<string, TaskEntity | null>;
  readonly children: DataLoader<string, TaskEntity[]>;
  readonly coordinatorIds: DataLoader<string, string[]>;
  readonly events: DataLoader<string, TaskEventEntity[]>;
  readonly groupMembers: DataLoader<string, string[]>;
  readonly authorization: DataLoader<string, TaskAuthorizationRow | null>;

  constructor(sources: LoaderSources, actor: Actor | null) {
    // without an actor nothing resolves (the guard refuses first); an empty province matches no row
    const scope = actor ? Scope.ofActor(actor) : Scope.province('');
    const { agencies, plans, tasks, events } = sources;
    this.agency = byId(
      (ids) => agencies.byIds(scope, ids),
      (a) => a.id,
    );
    this.province = byId(
      (codes) => agencies.provincesByCodes(scope, codes),
      (p) => p.code,
    );
    this.plan = byId(
      (ids) => plans.byIds(scope, ids),
      (p) => p.id,
    );
    this.planVersions = new DataLoader(async (ids) => {
      const versions = await plans.versionsOf(scope, ids);
      return ids.map((id) => versions.get(id) ?? []);
    });
    this.progress = new DataLoader(async (ids) => {
      const progress = await plans.progress(scope, ids);
      return ids.map((id) => progress.get(id)!);
    });
    this.section = byId(
      (ids) => plans.sectionsByIds(scope, ids),
      (s) => s.id,
    );
    this.task = byId(
      (ids) => tasks.byIds(scope, ids),
      (t) => t.id,
    );
    this.children = grouped(
      (ids) => tasks.childrenOf(scope, ids),
      (t) => t.parentId!,
    );
    this.coordinatorIds = new DataLoader(async (ids) => {
      const rows = await tasks.coordinatorsOf(scope, ids);
      return ids.map((id) => rows.filter((row) => row.taskId === id).map((row) => row.agencyId));
    });
    this.events = grouped(
      (ids) => events.eventsOf(scope, ids),
      (e) => e.taskId,
    );
    this.groupMembers = new DataLoader(async (ids) => {
      const members = await agencies.membersOf(scope, ids);
      return ids.map((id) => members.get(id) ?? []);
    });
    this.authorization = new DataLoader(async (ids) => {
      const rows = await tasks.authorizationRows(scope, ids);
      return ids.map((id) => rows.get(id) ?? null);
    });
  }

  // A subscription's connection keeps its loaders: each notification reads afresh.
  clearAll(): void {
    for (const loader of [
      this.agency,
      this.province,
      this.plan,
      this.progress,
      this.planVersions,
      this.section,
      this.task,
      this.children,
      this.coordinatorIds,
      this.events,
      this.groupMembers,
      this.authorization,
    ] as DataLoader<string, unknown>[]) {
      loader.clearAll();
    }
  }

  // A page read its tasks' coordinating agencies and whether children split them: the fields that
  // ask for those are answered from the page, and the agencies of the whole page load in one batch.
  primePage(page: TaskPage): void {
    for (const agency of page.agencies) this.agency.prime(agency.id, agency);
    for (const task of page.tasks) {
      this.task.prime(task.id, task);
      this.coordinatorIds.prime(task.id, [...(page.coordinatorIds.get(task.id) ?? [])]);
      if (!page.withChildren.has(task.id)) this.children.prime(task.id, []);
    }
  }
}

function byId<T>(load: (ids: readonly string[]) => Promise<T[]>, key: (item: T) => string): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const found = new Map((await load(ids)).map((item) => [key(item), item]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function grouped<T>(load: (ids: readonly string[]) => Promise<T[]>, key: (item: T) => string): DataLoader<string, T[]> {
  return new DataLoader(async (ids) => {
    const groups = new Map<string, T[]>();
    for (const item of await load(ids)) {
      const list = groups.get(key(item));
      if (list) list.push(item);
      else groups.set(key(item), [item]);
    }
    return ids.map((id) => groups.get(id) ?? []);
  });
}
