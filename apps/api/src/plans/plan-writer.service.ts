import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { createTaskSnapshot, type TaskInput } from '@app/lifecycle';
import { PROVINCIAL_COMMITTEE_CODE } from '../agencies/agencies.service';
import { AgencyEntity } from '../database/entities/agency.entity';
import { ProvinceEntity } from '../database/entities/province.entity';
import { badInput } from '../common/domain-error';
import { TaskCoordinatorEntity } from '../database/entities/task-coordinator.entity';
import { TaskEntity } from '../database/entities/task.entity';
import type { NewPlan, NewTask } from './new-plan';
import { PlanEntity } from '../database/entities/plan.entity';
import { SectionEntity } from '../database/entities/section.entity';

// Writes a whole plan (registry entries, plan, sections, tasks) in one transaction.
export class PlanWriterService {
  constructor(private readonly dataSource: DataSource) {}

  async write(plan: NewPlan): Promise<PlanEntity> {
    return (await this.dataSource.transaction((manager) => this.writeIn(manager, plan))).plan;
  }

  // Returns the plan and how many task rows were written (parents of split tasks included).
  async writeIn(manager: EntityManager, plan: NewPlan): Promise<{ plan: PlanEntity; tasksCreated: number }> {
    const province = plan.province.code;
    await manager.upsert(ProvinceEntity, { code: province, name: plan.province.name }, ['code']);
    const agencyIds = await this.ensureAgencies(manager, plan);
    const monitoringAgencyId = plan.monitoringAgencyCode ? agencyId(agencyIds, plan.monitoringAgencyCode) : null;
    const entity = manager.create(PlanEntity, {
      provinceCode: province, id: randomUUID(), number: plan.number, title: plan.title, issuedOn: plan.issuedOn,
      year: plan.year, resolution: plan.resolution, monitoringAgencyId,
      reportingDeadlines: plan.reportingDeadlines, consolidationDeadlines: plan.consolidationDeadlines,
      sourceHash: plan.sourceHash ?? null,
    });
    await manager.insert(PlanEntity, entity);
    const sectionIds = new Map<string, string>();
    const sections = plan.sections.map((section, position) => {
      const id = randomUUID();
      sectionIds.set(section.ordinal, id);
      return { provinceCode: province, id, planId: entity.id, ordinal: section.ordinal, title: section.title, position };
    });
    if (sections.length > 0) await manager.insert(SectionEntity, sections);
    let tasksCreated = 0;
    for (const task of plan.tasks) tasksCreated += await this.insertTask(manager, entity, task, agencyIds, sectionIds);
    return { plan: entity, tasksCreated };
  }

  private async ensureAgencies(manager: EntityManager, plan: NewPlan): Promise<Map<string, string>> {
    const province = plan.province.code;
    const wanted = [{ code: PROVINCIAL_COMMITTEE_CODE, name: 'Ủy ban nhân dân tỉnh', isGroup: false, aliases: [] }, ...plan.agencies];
    const rows = wanted.map((a) => ({
      provinceCode: province, id: randomUUID(), code: a.code, name: a.name, isGroup: a.isGroup ?? false, aliases: a.aliases ?? [],
    }));
    await manager.createQueryBuilder().insert().into(AgencyEntity).values(rows).orIgnore().execute();
    const stored = await manager.find(AgencyEntity, { where: { provinceCode: province } });
    return new Map(stored.map((a) => [a.code, a.id]));
  }

  private async insertTask(
    manager: EntityManager,
    plan: PlanEntity,
    task: NewTask,
    agencyIds: Map<string, string>,
    sectionIds: Map<string, string>,
  ): Promise<number> {
    const parentId = await this.insertOne(manager, plan, task, null, agencyIds, sectionIds);
    const leads = [task.leadAgencyCode, ...(task.coLeadAgencyCodes ?? [])];
    if (leads.length === 1) return 1;
    // One child per lead agency, each with its own lifecycle; the parent shows their roll-up.
    for (const [i, lead] of leads.entries()) {
      const child = { ...task, ordinal: `${task.ordinal}.${i + 1}`, leadAgencyCode: lead, coLeadAgencyCodes: [] };
      await this.insertOne(manager, plan, child, parentId, agencyIds, sectionIds);
    }
    return leads.length + 1;
  }

  private async insertOne(
    manager: EntityManager,
    plan: PlanEntity,
    task: NewTask,
    parentId: string | null,
    agencyIds: Map<string, string>,
    sectionIds: Map<string, string>,
  ): Promise<string> {
    const input: TaskInput = { dueAt: task.dueAt, ...(task.periodDueDates?.length ? { periodDueDates: task.periodDueDates } : {}) };
    const snapshot = createTaskSnapshot(input);
    const id = randomUUID();
    await manager.insert(TaskEntity, {
      provinceCode: plan.provinceCode, id, planId: plan.id,
      sectionId: task.sectionOrdinal ? (sectionIds.get(task.sectionOrdinal) ?? null) : null,
      parentId, ordinal: task.ordinal, title: task.title, leadAgencyId: agencyId(agencyIds, task.leadAgencyCode),
      timeframe: task.timeframe, target: task.target, note: task.note, state: snapshot.state, input, snapshot, version: 0,
      dueAt: task.dueAt ? new Date(task.dueAt) : null, originalDueAt: task.dueAt ? new Date(task.dueAt) : null, late: false,
    });
    const coordinators = [...new Set(task.coordinatingAgencyCodes)].map((code) => ({
      provinceCode: plan.provinceCode, taskId: id, agencyId: agencyId(agencyIds, code),
    }));
    if (coordinators.length > 0) await manager.insert(TaskCoordinatorEntity, coordinators);
    return id;
  }
}

function agencyId(ids: Map<string, string>, code: string): string {
  const id = ids.get(code);
  if (!id) throw badInput(`Agency "${code}" is not in the plan's agency list`);
  return id;
}
