import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput, notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { LIMITS, requireUuid, validInstant } from '../common/validation';
import type { PlanEntity, PlanRepository } from '../repositories/plan.repository';
import type { AgencyScoreRow, PlanScores, ScorecardRepository, SectionScoreRow } from '../repositories/scorecard.repository';

export type { AgencyScoreRow, PlanScores, SectionScoreRow };

export interface ScorecardDeps {
  plans: PlanRepository;
  scorecards: ScorecardRepository;
  clock: Clock;
}

export interface PlanScoresAsOf {
  plan: PlanEntity;
  asOf: Date;
  scores: PlanScores;
}

// Progress per lead agency and per section, as of now or an earlier instant, from the events.
// Any viewer of the plan's province may ask (as for Plan.progress and planReports).
export class ScorecardService {
  constructor(private readonly deps: ScorecardDeps) {}

  async agencyScorecard(actor: Actor, planId: string, asOf: Date | null): Promise<AgencyScoreRow[]> {
    return (await this.planScores(Scope.ofActor(actor), planId, asOf)).scores.agencies;
  }

  async sectionScorecard(actor: Actor, planId: string, asOf: Date | null): Promise<SectionScoreRow[]> {
    return (await this.planScores(Scope.ofActor(actor), planId, asOf)).scores.sections;
  }

  // asOf: null = now. The future is refused: nothing has happened there yet.
  async planScores(scope: Scope, planId: string, asOf: Date | null): Promise<PlanScoresAsOf> {
    const id = requireUuid(planId, 'planId');
    const at = this.pastInstant(asOf);
    const plan = await this.deps.plans.findById(scope, id);
    if (!plan) throw notFound(`No plan with id ${planId}`);
    // narrowed to the plan's province: a national reader's query then uses the province-led indexes
    return { plan, asOf: at, scores: await this.deps.scorecards.scores(scope.narrow(plan.provinceCode), plan.id, at) };
  }

  pastInstant(asOf: Date | null): Date {
    const now = this.deps.clock.now();
    const at = validInstant(asOf, 'asOf') ?? now;
    if (at.getTime() > now.getTime() + LIMITS.clockSkewMs) {
      throw badInput(
        `asOf must not be later than now (${now.toISOString()}): the scorecard counts what has happened, got ${at.toISOString()}`,
        {
          field: 'asOf',
        },
      );
    }
    return at;
  }
}
