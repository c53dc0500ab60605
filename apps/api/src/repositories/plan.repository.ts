import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { TASK_STATES, type TaskState } from '@app/lifecycle';
import type { Scope } from '../common/scope';
import { PlanEntity, type StoredReportingDeadline } from '../database/entities/plan.entity';
import { SectionEntity } from '../database/entities/section.entity';
import { LEAF_TASK_SQL } from './task-sql';
import { inScope } from './scope-where';
import { managerOf, type Tx } from './transaction';

export { PlanEntity, SectionEntity, type StoredReportingDeadline };

export interface PlanProgress {
  total: number;
  byState: { state: TaskState; count: number }[];
  overdue: number;
  verifiedOnTime: number;
  verifiedLate: number;
}

export type NewPlanRow = Omit<PlanEntity, 'id' | 'createdAt' | 'coordinatorInputRequired'>;
export type PlanSettingsChanges = Partial<Pick<PlanEntity, 'coordinatorInputRequired' | 'reportingDeadlines' | 'consolidationDeadlines'>>;

export class PlanRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get plans() {
    return this.dataSource.getRepository(PlanEntity);
  }

  list(scope: Scope): Promise<PlanEntity[]> {
    return this.plans.find({ where: inScope(scope), order: { issuedOn: 'DESC', createdAt: 'DESC' } });
  }

  findById(scope: Scope, id: string): Promise<PlanEntity | null> {
    return this.plans.findOne({ where: { ...inScope(scope), id } });
  }

  byIds(scope: Scope, ids: readonly string[]): Promise<PlanEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.plans.find({ where: { ...inScope(scope), id: In([...ids]) } });
  }

  sectionsByIds(scope: Scope, ids: readonly string[]): Promise<SectionEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(SectionEntity).find({ where: { ...inScope(scope), id: In([...ids]) } });
  }

  async any(): Promise<boolean> {
    return (await this.plans.count({ take: 1 })) > 0;
  }

  // Leaf tasks only: a parent's state is the roll-up of its children.
  async progress(scope: Scope, planIds: readonly string[]): Promise<Map<string, PlanProgress>> {
    if (planIds.length === 0) return new Map();
    const rows: { plan_id: string; state: TaskState; late: boolean; count: string }[] = await this.dataSource.query(
      `SELECT t.plan_id, t.state, t.late, count(*) AS count
       FROM tasks t
       WHERE t.plan_id = ANY($1::uuid[]) AND ($2::text IS NULL OR t.province_code = $2) AND ${LEAF_TASK_SQL}
       GROUP BY t.plan_id, t.state, t.late`,
      [[...planIds], scope.provinceCode],
    );
    return new Map(planIds.map((id) => [id, summarise(rows.filter((row) => row.plan_id === id))]));
  }

  async updateSettings(scope: Scope, plan: PlanEntity, changes: PlanSettingsChanges): Promise<PlanEntity> {
    if (!scope.includes(plan.provinceCode)) throw new Error(`plan ${plan.id} is outside the caller's scope`);
    await this.plans.update({ provinceCode: plan.provinceCode, id: plan.id }, changes);
    return Object.assign(plan, changes);
  }

  // Import: the plan a document already became, or one with the same number and date.
  findBySourceHash(tx: Tx, provinceCode: string, sourceHash: string): Promise<PlanEntity | null> {
    return managerOf(tx).findOne(PlanEntity, { where: { provinceCode, sourceHash } });
  }

  findByNumber(tx: Tx, provinceCode: string, number: string, issuedOn: string | null): Promise<PlanEntity | null> {
    return managerOf(tx).findOne(PlanEntity, { where: { provinceCode, number, ...(issuedOn ? { issuedOn } : {}) } });
  }

  async insert(
    tx: Tx,
    plan: NewPlanRow,
    sections: { ordinal: string; title: string }[],
  ): Promise<{ plan: PlanEntity; sectionIds: Map<string, string> }> {
    const manager = managerOf(tx);
    const entity = manager.create(PlanEntity, { ...plan, id: randomUUID() });
    await manager.insert(PlanEntity, entity);
    const sectionIds = new Map<string, string>();
    const rows = sections.map((section, position) => {
      const id = randomUUID();
      sectionIds.set(section.ordinal, id);
      return { provinceCode: plan.provinceCode, id, planId: entity.id, ordinal: section.ordinal, title: section.title, position };
    });
    if (rows.length > 0) await manager.insert(SectionEntity, rows);
    return { plan: entity, sectionIds };
  }
}

function summarise(rows: { state: TaskState; late: boolean; count: string }[]): PlanProgress {
  const count = (predicate: (row: { state: TaskState; late: boolean }) => boolean) =>
    rows.filter(predicate).reduce((sum, row) => sum + Number(row.count), 0);
  return {
    total: count(() => true),
    byState: TASK_STATES.map((state) => ({ state, count: count((row) => row.state === state) })),
    overdue: count((row) => row.state === 'OVERDUE'),
    verifiedOnTime: count((row) => row.state === 'VERIFIED' && !row.late),
    verifiedLate: count((row) => row.state === 'VERIFIED' && row.late),
  };
}
