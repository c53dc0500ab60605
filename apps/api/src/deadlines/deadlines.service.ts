import type { Actor } from '../auth/actor';
import type { AccessDenialsService } from '../audit/access-denials.service';
import type { Clock } from '../common/clock';
import { badInput } from '../common/domain-error';
import { Scope } from '../common/scope';
import { LIMITS, validInstant } from '../common/validation';
import type { DeadlineSweepService } from './deadline-sweep.service';

// Operator entry points of the deadlines module.
export class DeadlinesService {
  constructor(
    private readonly sweeper: DeadlineSweepService,
    private readonly clock: Clock,
    private readonly denials: AccessDenialsService,
  ) {}

  // A province's ADMIN sweeps that province, a national ADMIN every province.
  async runSweep(actor: Actor, asOf: Date | null): Promise<number> {
    await this.denials.requireAdmin(actor, 'run-deadline-sweep', null);
    const now = this.clock.now();
    const at = validInstant(asOf, 'asOf') ?? now;
    // DEADLINE_PASSED cannot be taken back: a sweep "as of" the future would mark tasks overdue
    // that are not. The past stays allowed (a sweep that missed a day catches up).
    if (at.getTime() > now.getTime() + LIMITS.clockSkewMs) {
      throw badInput(
        `asOf must not be later than now (${now.toISOString()}, plus ${LIMITS.clockSkewMs / 1000} s for clock skew), got ${at.toISOString()}`,
        { field: 'asOf' },
      );
    }
    return this.sweeper.sweep(Scope.ofActor(actor), at);
  }
}
