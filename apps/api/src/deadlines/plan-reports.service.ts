import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { seesProvince } from '../auth/actor';
import type { Clock } from '../common/clock';
import { notFound } from '../common/domain-error';
import { requireUuid, validInstant } from '../common/validation';
import { PlanEntity } from '../database/entities/plan.entity';
import { TaskEntity } from '../database/entities/task.entity';
import { taskPeriods, type TaskPeriodView } from './reporting-periods';

export interface PlanReportRow {
  agencyId: string;
  period: string;
  dueAt: string | null; // the latest due time among the row's tasks (extensions included)
  expected: number;
  submitted: number; // reports in (verified included); a rejected report counts only once resubmitted
  onTime: number;
  late: number;
  verified: number;
  missing: number; // due time passed, no report
  pending: number; // not due yet, no report
}

// Per lead agency and reporting period: which reports are in, late or missing.
export class PlanReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async planReports(actor: Actor, planId: string, asOf: Date | null): Promise<PlanReportRow[]> {
    const plan = await this.dataSource.getRepository(PlanEntity).findOne({ where: { id: requireUuid(planId, 'planId') } });
    if (!plan || !seesProvince(actor, plan.provinceCode)) throw notFound(`No plan with id ${planId}`);
    const at = validInstant(asOf, 'asOf') ?? this.clock.now();
    const tasks = await this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.province_code = :province AND t.plan_id = :planId', { province: plan.provinceCode, planId: plan.id })
      .andWhere('NOT EXISTS (SELECT 1 FROM tasks c WHERE c.province_code = t.province_code AND c.parent_id = t.id)')
      .getMany();
    const rows = new Map<string, PlanReportRow>();
    for (const task of tasks) {
      for (const period of taskPeriods(task.snapshot, plan.reportingDeadlines, at)) add(rows, task.leadAgencyId, period);
    }
    return [...rows.values()].sort((a, b) => a.period.localeCompare(b.period) || a.agencyId.localeCompare(b.agencyId));
  }
}

function add(rows: Map<string, PlanReportRow>, agencyId: string, period: TaskPeriodView): void {
  const key = `${agencyId}|${period.label}`;
  const row = rows.get(key) ?? {
    agencyId, period: period.label, dueAt: null, expected: 0, submitted: 0, onTime: 0, late: 0, verified: 0, missing: 0, pending: 0,
  };
  row.expected += 1;
  if (period.dueAt && (!row.dueAt || period.dueAt > row.dueAt)) row.dueAt = period.dueAt;
  if (period.status === 'SUBMITTED' || period.status === 'VERIFIED') {
    row.submitted += 1;
    if (period.late) row.late += 1;
    else row.onTime += 1;
  }
  if (period.status === 'VERIFIED') row.verified += 1;
  if (period.status === 'MISSING') row.missing += 1;
  if (period.status === 'PENDING') row.pending += 1;
  rows.set(key, row);
}
