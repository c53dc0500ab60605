import type { Actor } from '../auth/actor';
import { Scope } from '../common/scope';
import { requireUuid } from '../common/validation';
import type { PlanEntity, PlanProgress, PlanRepository } from '../repositories/plan.repository';

export type { PlanProgress } from '../repositories/plan.repository';

export class PlansService {
  constructor(private readonly plans: PlanRepository) {}

  // provinceCode narrows the viewer's scope: another province is FORBIDDEN, "" BAD_USER_INPUT.
  async list(actor: Actor, provinceCode?: string | null): Promise<PlanEntity[]> {
    return this.plans.list(Scope.ofActor(actor).narrow(provinceCode));
  }

  async findById(actor: Actor, id: string): Promise<PlanEntity | null> {
    return this.plans.findById(Scope.ofActor(actor), requireUuid(id, 'id'));
  }

  findWithProgress(actor: Actor, id: string): Promise<{ plan: PlanEntity; progress: PlanProgress } | null> {
    return this.plans.findWithProgress(Scope.ofActor(actor), requireUuid(id, 'id'));
  }
}
