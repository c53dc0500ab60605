import { REPORTING_PERIODS } from '@app/plan-import';
import type { Actor } from '../auth/actor';
import type { AccessDenialsService } from '../audit/access-denials.service';
import { badInput, notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { requireUuid } from '../common/validation';
import type {
  PlanEntity,
  PlanRepository,
  PlanSettingsChanges,
  StoredPeriodCutoff,
  StoredReportingDeadline,
} from '../repositories/plan.repository';

export interface PlanSettingsCommand {
  planId: string;
  coordinatorInputRequired?: boolean | null;
  reportingDeadlines?: StoredReportingDeadline[] | null;
  consolidationDeadlines?: StoredReportingDeadline[] | null;
  // the plan's own data cut-offs ([] = Decree 09/2019's for every period)
  periodCutoffs?: StoredPeriodCutoff[] | null;
}

const PERIODS = /^(H1|H2|YEAR|Q[1-4]|M(0[1-9]|1[0-2]))$/;
// Each period at most once: twelve months, four quarters, two halves and the year.
export const MAX_REPORTING_DEADLINES = REPORTING_PERIODS.length;

// ADMIN edits what the import read or could not read. Deadlines apply to period labels and to
// tasks created afterwards: an existing task keeps the schedule it was created with (it is the
// start of its audit chain); move one task's due time with an extension.
export class PlanSettingsService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly denials: AccessDenialsService,
  ) {}

  async update(actor: Actor, command: PlanSettingsCommand): Promise<PlanEntity> {
    await this.denials.requireAdmin(actor, 'edit-plan-settings', null, `plan ${String(command.planId).slice(0, 60)}`);
    const id = requireUuid(command.planId, 'planId');
    const changes: PlanSettingsChanges = {};
    if (command.coordinatorInputRequired !== undefined && command.coordinatorInputRequired !== null) {
      changes.coordinatorInputRequired = command.coordinatorInputRequired;
    }
    if (command.reportingDeadlines) changes.reportingDeadlines = checkedDeadlines(command.reportingDeadlines, 'reportingDeadlines');
    if (command.consolidationDeadlines) {
      changes.consolidationDeadlines = checkedDeadlines(command.consolidationDeadlines, 'consolidationDeadlines');
    }
    if (command.periodCutoffs) changes.periodCutoffs = checkedCutoffs(command.periodCutoffs);
    const scope = Scope.ofActor(actor);
    const plan = await this.plans.findById(scope, id);
    if (!plan) throw notFound(`No plan with id ${command.planId}`);
    if (Object.keys(changes).length === 0) return plan;
    return this.plans.updateSettings(scope, plan, changes);
  }
}

export function checkedDeadlines(deadlines: StoredReportingDeadline[], field: string): StoredReportingDeadline[] {
  if (deadlines.length > MAX_REPORTING_DEADLINES) {
    throw badInput(`${field}: at most ${MAX_REPORTING_DEADLINES} deadlines, one per period`, { field });
  }
  const seen = new Set<string>();
  return deadlines.map(({ period, dueMonthDay }, i) => {
    if (!PERIODS.test(period)) throw badInput(`${field}[${i}].period must be H1, H2, YEAR, Q1..Q4 or M01..M12, got "${period}"`);
    if (seen.has(period)) throw badInput(`${field}: period ${period} appears twice`);
    seen.add(period);
    if (!validMonthDay(dueMonthDay)) {
      throw badInput(`${field}[${i}].dueMonthDay must be a day that exists every year, as MM-DD, got "${dueMonthDay}"`);
    }
    return { period, dueMonthDay };
  });
}

function validMonthDay(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [month, day] = [Number(match[1]), Number(match[2])];
  // 2023 is not a leap year: 02-29 does not exist every year
  const date = new Date(Date.UTC(2023, month - 1, day));
  return month >= 1 && month <= 12 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const CUTOFF_PERIODS = /^(H1|YEAR|Q[1-4])$/;

// A plan's own data cut-offs; a period closed already keeps the cut-off it was sealed with.
export function checkedCutoffs(cutoffs: StoredPeriodCutoff[]): StoredPeriodCutoff[] {
  if (cutoffs.length > 6) throw badInput('periodCutoffs: at most 6 cut-offs (H1, YEAR, Q1..Q4)', { field: 'periodCutoffs' });
  const seen = new Set<string>();
  return cutoffs.map(({ period, cutoffMonthDay }, i) => {
    const field = `periodCutoffs[${i}]`;
    if (!CUTOFF_PERIODS.test(period)) {
      throw badInput(`${field}.period must be H1, YEAR or Q1..Q4, got "${String(period).slice(0, 40)}"`, { field: `${field}.period` });
    }
    if (seen.has(period)) throw badInput(`${field}.period: period ${period} appears twice`, { field: `${field}.period` });
    seen.add(period);
    if (!validMonthDay(cutoffMonthDay)) {
      throw badInput(
        `${field}.cutoffMonthDay must be a day that exists every year, as MM-DD, got "${String(cutoffMonthDay).slice(0, 40)}"`,
        {
          field: `${field}.cutoffMonthDay`,
        },
      );
    }
    return { period, cutoffMonthDay };
  });
}
