import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { TASK_STATES, type TaskState } from '@app/lifecycle';
import type { Scope } from '../common/scope';
import { PlanEntity, type StoredPeriodCutoff, type StoredReportingDeadline } from '../database/entities/plan.entity';
import { SectionEntity } from '../database/entities/section.entity';
import { LEAF_TASK_SQL } from './task-sql';
import { ReadRouter } from './read-routing';
import { inScope } from './scope-where';
import { managerOf, type Tx } from './transaction';

export { PlanEntity, SectionEntity, type StoredPeriodCutoff, type StoredReportingDeadline };

export interface PlanProgress {
  total: number;
  byState: { state: TaskState; count: number }[];
  overdue: number;
  verifiedOnTime: number;
  verifiedLate: number;
}

export type NewPlanRow = Omit<PlanEntity, 'id' | 'createdAt' | 'coordinatorInputRequired' | 'periodCutoffs'>;
export type PlanSettingsChanges = Partial<
  Pick<PlanEntity, 'coordinatorInputRequired' | 'reportingDeadlines' | 'consolidationDeadlines' | 'periodCutoffs'>
>;

export class PlanRepository {
  private readonly reads: ReadRouter;

  constructor(private readonly dataSource: DataSource) {
    this.reads = ReadRouter.of(dataSource);
  }

  private get plans() {
    return this.dataSource.getRepository(PlanEntity);
  }

  list(scope: Scope): Promise<PlanEntity[]> {
    return this.plans.find({ where: inScope(scope), order: { issuedOn: 'DESC', createdAt: 'DESC' } });
  }

  async findById(scope: Scope, id: string): Promise<PlanEntity | null> {
    const [plan] = await this.byIds(scope, [id]);
    return plan ?? null;
  }

  async byIds(scope: Scope, ids: readonly string[]): Promise<PlanEntity[]> {
    if (ids.length === 0) return [];
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${PLAN_COLUMNS} FROM plans p WHERE p.id = ANY($1::uuid[]) AND ($2::text IS NULL OR p.province_code = $2)`,
      [[...ids], scope.provinceCode],
    );
    return rows.map(toPlan);
  }

  // A plan page: the plan and its progress in one statement. The tasks are filtered by the plan id
  // as a parameter, not as p.id: with a correlated p.id the planner estimated an average plan's
  // tasks (hundreds of thousands beside one big plan) and scanned the whole table.
  // Read on a replica when there is one (read-routing.ts): a page may lag the primary.
  async findWithProgress(scope: Scope, id: string): Promise<{ plan: PlanEntity; progress: PlanProgress } | null> {
    const rows: Record<string, unknown>[] = await this.reads.query(
      'replica',
      `SELECT ${PLAN_COLUMNS},
  (SELECT coalesce(jsonb_agg(s), '[]'::jsonb) FROM (
     SELECT t.state, t.late, count(*) AS count FROM tasks t
     WHERE t.province_code = p.province_code AND t.plan_id = $1::uuid AND ${LEAF_TASK_SQL}
     GROUP BY t.state, t.late) s) AS progress_rows
FROM plans p WHERE p.id = $1::uuid AND ($2::text IS NULL OR p.province_code = $2)`,
      [id, scope.provinceCode],
    );
    if (rows.length === 0) return null;
    return { plan: toPlan(rows[0]), progress: summarise(rows[0].progress_rows as ProgressRow[]) };
  }

  sectionsByIds(scope: Scope, ids: readonly string[]): Promise<SectionEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(SectionEntity).find({ where: { ...inScope(scope), id: In([...ids]) } });
  }

  async any(): Promise<boolean> {
    return (await this.plans.count({ take: 1 })) > 0;
  }

  // Leaf tasks only: a parent's state is the roll-up of its children. On a replica when there is one.
  async progress(scope: Scope, planIds: readonly string[]): Promise<Map<string, PlanProgress>> {
    if (planIds.length === 0) return new Map();
    const rows = await this.reads.query<{ plan_id: string; state: TaskState; late: boolean; count: string }>(
      'replica',
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

type ProgressRow = { state: TaskState; late: boolean; count: string | number };

function summarise(rows: ProgressRow[]): PlanProgress {
  const count = (predicate: (row: { state: TaskState; late: boolean }) => boolean) =>
    rows.filter(predicate).reduce((sum, row) => sum + Number(row.count), 0);
  return {
    // a withdrawn task is no longer part of the plan: listed in byState, left out of the total
    total: count((row) => row.state !== 'WITHDRAWN'),
    byState: TASK_STATES.map((state) => ({ state, count: count((row) => row.state === state) })),
    overdue: count((row) => row.state === 'OVERDUE'),
    verifiedOnTime: count((row) => row.state === 'VERIFIED' && !row.late),
    verifiedLate: count((row) => row.state === 'VERIFIED' && row.late),
  };
}

const PLAN_COLUMNS = `p.province_code, p.id, p.number, p.title, p.issued_on::text AS issued_on, p.year, p.resolution,
  p.monitoring_agency_id, p.reporting_deadlines, p.consolidation_deadlines, p.period_cutoffs, p.coordinator_input_required, p.source_hash, p.created_at`;

// A raw plans row (snake_case) as the entity TypeORM would have built (issued_on read as text: a date, no time).
function toPlan(row: Record<string, unknown>): PlanEntity {
  return Object.assign(new PlanEntity(), {
    provinceCode: row.province_code as string,
    id: row.id as string,
    number: row.number as string,
    title: row.title as string,
    issuedOn: (row.issued_on as string | null) ?? null,
    year: (row.year as number | null) ?? null,
    resolution: (row.resolution as string | null) ?? null,
    monitoringAgencyId: (row.monitoring_agency_id as string | null) ?? null,
    reportingDeadlines: row.reporting_deadlines as StoredReportingDeadline[],
    consolidationDeadlines: row.consolidation_deadlines as StoredReportingDeadline[],
    periodCutoffs: (row.period_cutoffs as StoredPeriodCutoff[] | null) ?? [],
    coordinatorInputRequired: Boolean(row.coordinator_input_required),
    sourceHash: (row.source_hash as string | null) ?? null,
    createdAt: row.created_at as Date,
  });
}
