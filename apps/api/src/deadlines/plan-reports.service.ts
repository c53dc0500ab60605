import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { requireUuid, validInstant } from '../common/validation';
import type { PlanRepository } from '../repositories/plan.repository';
import type { TaskEventRepository } from '../repositories/task-event.repository';
import type { TaskRepository } from '../repositories/task.repository';
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
  withdrawn: number; // no report, the task withdrawn by an amended plan: not expected any more
}

export interface PlanReportsDeps {
  plans: PlanRepository;
  tasks: TaskRepository;
  events: TaskEventRepository;
  clock: Clock;
}

// Per lead agency and reporting period: which reports are in, late or missing.
export class PlanReportsService {
  constructor(private readonly deps: PlanReportsDeps) {}

  async planReports(actor: Actor, planId: string, asOf: Date | null): Promise<PlanReportRow[]> {
    const scope = Scope.ofActor(actor);
    const plan = await this.deps.plans.findById(scope, requireUuid(planId, 'planId'));
    if (!plan) throw notFound(`No plan with id ${planId}`);
    const at = validInstant(asOf, 'asOf') ?? this.deps.clock.now();
    const tasks = await this.deps.tasks.leafTasksOfPlan(scope, plan.id);
    const withdrawn = tasks.filter((task) => task.state === 'WITHDRAWN').map((task) => task.id);
    const withdrawals = await this.deps.events.withdrawals(scope, withdrawn);
    const rows = new Map<string, PlanReportRow>();
    for (const task of tasks) {
      const periods = taskPeriods(task.snapshot, plan.reportingDeadlines, at, withdrawals.get(task.id) ?? null);
      for (const period of periods) add(rows, task.leadAgencyId, period);
    }
    return [...rows.values()].sort((a, b) => a.period.localeCompare(b.period) || a.agencyId.localeCompare(b.agencyId));
  }
}

function add(rows: Map<string, PlanReportRow>, agencyId: string, period: TaskPeriodView): void {
  const key = `${agencyId}|${period.label}`;
  const row = rows.get(key) ?? {
    agencyId,
    period: period.label,
    dueAt: null,
    expected: 0,
    submitted: 0,
    onTime: 0,
    late: 0,
    verified: 0,
    missing: 0,
    pending: 0,
    withdrawn: 0,
  };
  rows.set(key, row);
  if (period.status === 'WITHDRAWN') {
    row.withdrawn += 1;
    return;
  }
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
