import { randomUUID } from 'node:crypto';
import { createTaskSnapshot, type TaskInput } from '@app/lifecycle';
import { badInput } from '../common/domain-error';
import type { AgencyRepository } from '../repositories/agency.repository';
import type { PlanEntity, PlanRepository } from '../repositories/plan.repository';
import type { TaskRepository } from '../repositories/task.repository';
import type { Transactions, Tx } from '../repositories/transaction';
import type { NewPlan, NewTask } from './new-plan';

export interface PlanWriterDeps {
  agencies: AgencyRepository;
  plans: PlanRepository;
  tasks: TaskRepository;
  transactions: Transactions;
}

// Where tasks are written: the plan, and its agencies and sections by code / ordinal.
export interface Written {
  plan: PlanEntity;
  agencyIds: Map<string, string>;
  sectionIds: Map<string, string>;
}

// Writes a whole plan (registry entries, plan, sections, tasks) in one transaction.
export class PlanWriterService {
  constructor(private readonly deps: PlanWriterDeps) {}

  async write(plan: NewPlan): Promise<PlanEntity> {
    return (await this.deps.transactions.run((tx) => this.writeIn(tx, plan))).plan;
  }

  // Returns the plan and how many task rows were written (parents of split tasks included).
  async writeIn(tx: Tx, plan: NewPlan): Promise<{ plan: PlanEntity; tasksCreated: number }> {
    const agencyIds = await this.deps.agencies.ensureForPlan(tx, plan.province, plan.agencies);
    const { plan: entity, sectionIds } = await this.deps.plans.insert(
      tx,
      {
        provinceCode: plan.province.code,
        number: plan.number,
        title: plan.title,
        issuedOn: plan.issuedOn,
        year: plan.year,
        resolution: plan.resolution,
        monitoringAgencyId: plan.monitoringAgencyCode ? agencyId(agencyIds, plan.monitoringAgencyCode) : null,
        reportingDeadlines: plan.reportingDeadlines,
        consolidationDeadlines: plan.consolidationDeadlines,
        sourceHash: plan.sourceHash ?? null,
      },
      plan.sections,
    );
    const written = { plan: entity, agencyIds, sectionIds };
    let tasksCreated = 0;
    for (const task of plan.tasks) tasksCreated += await this.insertTask(tx, written, task);
    return { plan: entity, tasksCreated };
  }

  // One task of the plan (and, split per lead agency, its children); also an amendment's added task.
  async insertTask(tx: Tx, written: Written, task: NewTask): Promise<number> {
    const parentId = await this.insertOne(tx, written, task, null);
    const leads = [task.leadAgencyCode, ...(task.coLeadAgencyCodes ?? [])];
    if (leads.length === 1) return 1;
    // One child per lead agency, each with its own lifecycle; the parent shows their roll-up.
    for (const [i, lead] of leads.entries()) {
      const child = { ...task, ordinal: `${task.ordinal}.${i + 1}`, leadAgencyCode: lead, coLeadAgencyCodes: [] };
      await this.insertOne(tx, written, child, parentId);
    }
    return leads.length + 1;
  }

  private async insertOne(tx: Tx, { plan, agencyIds, sectionIds }: Written, task: NewTask, parentId: string | null): Promise<string> {
    const input: TaskInput = { dueAt: task.dueAt, ...(task.periodDueDates?.length ? { periodDueDates: task.periodDueDates } : {}) };
    const snapshot = createTaskSnapshot(input);
    const id = randomUUID();
    const coordinatorIds = [...new Set(task.coordinatingAgencyCodes)].map((code) => agencyId(agencyIds, code));
    await this.deps.tasks.insertTask(
      tx,
      {
        provinceCode: plan.provinceCode,
        id,
        planId: plan.id,
        sectionId: task.sectionOrdinal ? (sectionIds.get(task.sectionOrdinal) ?? null) : null,
        parentId,
        ordinal: task.ordinal,
        title: task.title,
        leadAgencyId: agencyId(agencyIds, task.leadAgencyCode),
        timeframe: task.timeframe,
        target: task.target,
        note: task.note,
        state: snapshot.state,
        input,
        snapshot,
        version: 0,
        dueAt: task.dueAt ? new Date(task.dueAt) : null,
        originalDueAt: task.dueAt ? new Date(task.dueAt) : null,
        late: false,
      },
      coordinatorIds,
    );
    return id;
  }
}

function agencyId(ids: Map<string, string>, code: string): string {
  const id = ids.get(code);
  if (!id) throw badInput(`Agency "${code}" is not in the plan's agency list`);
  return id;
}
