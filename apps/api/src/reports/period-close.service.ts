import { authorizeSupervision } from '@app/approval-rules';
import { toRuleActor, type Actor } from '../auth/actor';
import type { AccessDenialsService } from '../audit/access-denials.service';
import type { Clock } from '../common/clock';
import { badInput, conflict, forbidden, notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { requireUuid } from '../common/validation';
import { parseClosePeriod, periodCutoff, type ClosePeriod } from '../deadlines/reporting-periods';
import {
  PeriodAlreadyClosedError,
  type AmendmentRow,
  type PeriodCloseEntity,
  type PeriodCloseRepository,
} from '../repositories/period-close.repository';
import type { PlanEntity, PlanRepository } from '../repositories/plan.repository';
import type { ReadPreference } from '../repositories/read-routing';
import type { ScorecardRepository } from '../repositories/scorecard.repository';
import {
  periodChainFindings,
  periodGenesisHash,
  periodHash,
  recomputable,
  sealFigures,
  type PeriodFinding,
  type SealedFigures,
} from './period-seal';

export type { AmendmentRow, PeriodCloseEntity, PeriodFinding };

export interface PeriodCloseDeps {
  plans: PlanRepository;
  scorecards: ScorecardRepository;
  periodCloses: PeriodCloseRepository;
  denials: AccessDenialsService;
  clock: Clock;
}

export interface PeriodVerification {
  periodsChecked: number;
  findings: PeriodFinding[];
}

// Amendments listed in one report at most (the rest are counted).
export const AMENDMENTS_LISTED = 2000;

// Closing a period (chốt số liệu kỳ báo cáo) seals the plan's figures as of the period's data
// cut-off, in a hash chain of the plan's closes, so what was sent up can be proven later.
export class PeriodCloseService {
  constructor(private readonly deps: PeriodCloseDeps) {}

  async close(actor: Actor, planId: string, period: string): Promise<PeriodCloseEntity> {
    const plan = await this.plan(Scope.ofActor(actor), planId);
    const target = `plan ${plan.id} period ${String(period).slice(0, 40)}`;
    await this.deps.denials.guardAdmin(actor, { operation: 'close-period', provinceCode: plan.provinceCode, target }, () => {
      const relations = { provinceCode: plan.provinceCode, monitoringAgencyId: plan.monitoringAgencyId };
      const decision = authorizeSupervision(toRuleActor(actor, plan.provinceCode), 'close-period', relations);
      if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
    });
    const parsed = requirePeriod(period);
    const cutoff = this.cutoffOf(plan, parsed);
    const now = this.deps.clock.now();
    if (cutoff.getTime() > now.getTime()) {
      throw badInput(`Period ${parsed.label} has its data cut-off at ${cutoff.toISOString()}, still to come: it cannot be closed yet`, {
        field: 'period',
      });
    }
    const scope = Scope.ofActor(actor).narrow(plan.provinceCode);
    if (await this.deps.periodCloses.find(scope, plan, parsed.label)) throw alreadyClosed(parsed.label);
    // sealed for good: read on the primary, never on a replica that may lag
    const figures = {
      ...(await this.figures(scope, plan, parsed.label, cutoff, 'primary')),
      closedAt: now.toISOString(),
      closedBy: actor.userId,
    };
    const close = { period: parsed.label, cutoff, closedAt: now, closedBy: actor.userId, closedByAgencyId: actor.agencyId, figures };
    try {
      return await this.deps.periodCloses.append(plan, close, (prev) => {
        const prevHash = prev ?? periodGenesisHash(plan.id);
        return { prevHash, hash: periodHash(prevHash, figures) };
      });
    } catch (error) {
      if (error instanceof PeriodAlreadyClosedError) throw alreadyClosed(parsed.label);
      throw error;
    }
  }

  // Every close of a plan the actor sees, in the order they were made.
  async list(actor: Actor, planId: string): Promise<PeriodCloseEntity[]> {
    const plan = await this.plan(Scope.ofActor(actor), planId);
    return this.deps.periodCloses.list(Scope.ofActor(actor), plan);
  }

  // The close of a period, or null while it is open.
  sealed(scope: Scope, plan: PlanEntity, period: string): Promise<PeriodCloseEntity | null> {
    return this.deps.periodCloses.find(scope, plan, period);
  }

  cutoffOf(plan: PlanEntity, period: Pick<ClosePeriod, 'year' | 'kind'>): Date {
    return periodCutoff(period, plan.periodCutoffs ?? []);
  }

  amendments(plan: PlanEntity, close: PeriodCloseEntity): Promise<AmendmentRow[]> {
    const taskIds = (close.figures as SealedFigures).tasks.map((task) => task.taskId);
    return this.deps.periodCloses.amendments(plan, taskIds, close.cutoff, AMENDMENTS_LISTED);
  }

  // The chain of a plan's closes, and each close's figures recomputed from the events as of its cut-off.
  async verify(scope: Scope, plan: PlanEntity): Promise<PeriodVerification> {
    const closes = await this.deps.periodCloses.list(scope, plan);
    const findings = periodChainFindings(plan.id, closes);
    const broken = new Set(findings.map((finding) => finding.seq));
    for (const close of closes) {
      if (broken.has(close.seq)) continue;
      const again = await this.figures(scope.narrow(plan.provinceCode), plan, close.period, close.cutoff, 'replica');
      if (recomputable(again) !== recomputable(close.figures as SealedFigures)) {
        findings.push({
          period: close.period,
          seq: close.seq,
          problem: 'FIGURES_DIFFER',
          detail: `Period ${close.period}: the figures recomputed from the events as of ${close.cutoff.toISOString()} differ from the sealed ones`,
        });
      }
    }
    return { periodsChecked: closes.length, findings: findings.sort((a, b) => a.seq - b.seq) };
  }

  private async figures(scope: Scope, plan: PlanEntity, period: string, cutoff: Date, read: ReadPreference): Promise<SealedFigures> {
    const scores = await this.deps.scorecards.scores(scope, plan.id, cutoff, read);
    const tasks = await this.deps.scorecards.tasksAsOf(scope, plan.id, cutoff, read);
    return sealFigures(plan.id, period, cutoff, scores, tasks);
  }

  private async plan(scope: Scope, planId: string): Promise<PlanEntity> {
    const plan = await this.deps.plans.findById(scope, requireUuid(planId, 'planId'));
    if (!plan) throw notFound(`No plan with id ${planId}`);
    return plan;
  }
}

function requirePeriod(period: string): ClosePeriod {
  const parsed = parseClosePeriod(String(period ?? ''));
  if (!parsed) {
    throw badInput(
      `period must be a year ("2023"), a half year ("2023-H1") or a quarter ("2023-Q2"), got "${String(period).slice(0, 40)}"`,
      {
        field: 'period',
      },
    );
  }
  return parsed;
}

function alreadyClosed(period: string) {
  return conflict(`Period ${period} is closed already: its figures are sealed; later events show as amendments`, { field: 'period' });
}
