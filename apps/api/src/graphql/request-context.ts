import DataLoader from 'dataloader';
import type { AgenciesService } from '../agencies/agencies.service';
import type { AgencyEntity } from '../database/entities/agency.entity';
import type { ProvinceEntity } from '../database/entities/province.entity';
import type { TaskEventEntity } from '../database/entities/task-event.entity';
import type { Actor } from '../auth/actor';
import type { PlanEntity } from '../database/entities/plan.entity';
import type { PlanProgress, PlansService } from '../plans/plans.service';
import type { SectionEntity } from '../database/entities/section.entity';
import type { TaskQueryService } from '../tasks/task-query.service';
import type { TaskEntity } from '../database/entities/task.entity';

export interface RequestContext {
  actor: Actor | null;
  authError: Error | null;
  loaders: Loaders;
}

// Per-request DataLoaders: a page of tasks with their agencies costs a constant number of queries.
export class Loaders {
  readonly agency: DataLoader<string, AgencyEntity | null>;
  readonly province: DataLoader<string, ProvinceEntity | null>;
  readonly committeeId: DataLoader<string, string | null>;
  readonly plan: DataLoader<string, PlanEntity | null>;
  readonly progress: DataLoader<string, PlanProgress>;
  readonly section: DataLoader<string, SectionEntity | null>;
  readonly task: DataLoader<string, TaskEntity | null>;
  readonly children: DataLoader<string, TaskEntity[]>;
  readonly coordinatorIds: DataLoader<string, string[]>;
  readonly events: DataLoader<string, TaskEventEntity[]>;
  readonly groupMembers: DataLoader<string, string[]>;

  constructor(agencies: AgenciesService, plans: PlansService, tasks: TaskQueryService) {
    this.agency = byId((ids) => agencies.byIds(ids), (a) => a.id);
    this.province = byId((codes) => agencies.provincesByCodes(codes), (p) => p.code);
    this.committeeId = new DataLoader(async (codes) => {
      const ids = await agencies.committeeIdsByProvince(codes);
      return codes.map((code) => ids.get(code) ?? null);
    });
    this.plan = byId((ids) => plans.byIds(ids), (p) => p.id);
    this.progress = new DataLoader(async (ids) => {
      const progress = await plans.progress(ids);
      return ids.map((id) => progress.get(id)!);
    });
    this.section = byId((ids) => plans.sectionsByIds(ids), (s) => s.id);
    this.task = byId((ids) => tasks.byIds(ids), (t) => t.id);
    this.children = grouped((ids) => tasks.childrenOf(ids), (t) => t.parentId!);
    this.coordinatorIds = new DataLoader(async (ids) => {
      const rows = await tasks.coordinatorsOf(ids);
      return ids.map((id) => rows.filter((row) => row.taskId === id).map((row) => row.agencyId));
    });
    this.events = grouped((ids) => tasks.eventsOf(ids), (e) => e.taskId);
    this.groupMembers = new DataLoader(async (ids) => {
      const members = await agencies.membersOf(ids);
      return ids.map((id) => members.get(id) ?? []);
    });
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
