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

// One imported version of a plan (plan_versions): 1 = the first import, then each amendment.
export interface PlanVersionRow {
  provinceCode: string;
  planId: string;
  version: number;
  number: string;
  title: string;
  issuedOn: string | null;
  sourceHash: string | null;
  importedAt: Date;
  importedBy: string | null;
  summary: Record<string, unknown>;
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

  // Amendment: the plan an amended document amends (same province, number and plan year), locked
  // FOR UPDATE so two imports of amendments of one plan run one after the other. The oldest such
  // plan when several exist (a number reused by plans imported before amendments were read).
  async lockAmendable(tx: Tx, provinceCode: string, number: string, year: number | null): Promise<PlanEntity | null> {
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      `SELECT ${PLAN_COLUMNS} FROM plans p
       WHERE p.province_code = $1 AND p.number = $2 AND p.year IS NOT DISTINCT FROM $3
       ORDER BY p.created_at, p.id LIMIT 1 FOR UPDATE`,
      [provinceCode, number, year],
    );
    return rows.length === 0 ? null : toPlan(rows[0]);
  }

  async versionsIn(tx: Tx, provinceCode: string, planId: string): Promise<PlanVersionRow[]> {
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      `SELECT ${VERSION_COLUMNS} FROM plan_versions v WHERE v.province_code = $1 AND v.plan_id = $2 ORDER BY v.version`,
      [provinceCode, planId],
    );
    return rows.map(toVersion);
  }

  // Plan.versions: every plan's versions in one statement (a DataLoader batches the plans of a page).
  async versionsOf(scope: Scope, planIds: readonly string[]): Promise<Map<string, PlanVersionRow[]>> {
    const byPlan = new Map<string, PlanVersionRow[]>(planIds.map((id) => [id, []]));
    if (planIds.length === 0) return byPlan;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${VERSION_COLUMNS} FROM plan_versions v
       WHERE v.plan_id = ANY($1::uuid[]) AND ($2::text IS NULL OR v.province_code = $2) ORDER BY v.plan_id, v.version`,
      [[...planIds], scope.provinceCode],
    );
    for (const row of rows.map(toVersion)) byPlan.get(row.planId)?.push(row);
    return byPlan;
  }

  async insertVersion(tx: Tx, row: Omit<PlanVersionRow, 'importedAt'>): Promise<void> {
    await managerOf(tx).query(
      `INSERT INTO plan_versions (province_code, plan_id, version, number, title, issued_on, source_hash, imported_by, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [
        row.provinceCode,
        row.planId,
        row.version,
        row.number,
        row.title,
        row.issuedOn,
        row.sourceHash,
        row.importedBy,
        JSON.stringify(row.summary),
      ],
    );
  }

  // The amended document becomes the plan's text: its title, date and fingerprint.
  async applyAmendment(tx: Tx, plan: PlanEntity, changes: Pick<PlanEntity, 'title' | 'issuedOn' | 'sourceHash'>): Promise<PlanEntity> {
    await managerOf(tx).update(PlanEntity, { provinceCode: plan.provinceCode, id: plan.id }, changes);
    return Object.assign(new PlanEntity(), plan, changes);
  }

  // The plan's sections by ordinal, and new ones appended after them.
  async sectionIdsIn(tx: Tx, plan: PlanEntity): Promise<Map<string, string>> {
    const rows = await managerOf(tx).find(SectionEntity, { where: { provinceCode: plan.provinceCode, planId: plan.id } });
    return new Map(rows.map((s) => [s.ordinal, s.id]));
  }

  async appendSections(
    tx: Tx,
    plan: PlanEntity,
    sections: readonly { ordinal: string; title: string }[],
    ids: Map<string, string>,
  ): Promise<void> {
    const manager = managerOf(tx);
    const [{ next }] = (await manager.query(
      'SELECT coalesce(max(position) + 1, 0) AS next FROM sections WHERE province_code = $1 AND plan_id = $2',
      [plan.provinceCode, plan.id],
    )) as { next: number }[];
    const rows = sections
      .filter((section) => !ids.has(section.ordinal))
      .map((section, i) => {
        const id = randomUUID();
        ids.set(section.ordinal, id);
        return {
          provinceCode: plan.provinceCode,
          id,
          planId: plan.id,
          ordinal: section.ordinal,
          title: section.title,
          position: Number(next) + i,
        };
      });
    if (rows.length > 0) await manager.insert(SectionEntity, rows);
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

const VERSION_COLUMNS = `v.province_code, v.plan_id, v.version, v.number, v.title, v.issued_on::text AS issued_on, v.source_hash,
  v.imported_at, v.imported_by, v.summary`;

function toVersion(row: Record<string, unknown>): PlanVersionRow {
  return {
    provinceCode: row.province_code as string,
    planId: row.plan_id as string,
    version: Number(row.version),
    number: row.number as string,
    title: row.title as string,
    issuedOn: (row.issued_on as string | null) ?? null,
    sourceHash: (row.source_hash as string | null) ?? null,
    importedAt: row.imported_at as Date,
    importedBy: (row.imported_by as string | null) ?? null,
    summary: (row.summary as Record<string, unknown>) ?? {},
  };
}

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
