import type { Actor } from '../auth/actor';
import { requireAdmin } from '../auth/admin-policy';
import type { Clock } from '../common/clock';
import { Scope } from '../common/scope';
import { validInstant } from '../common/validation';
import type { DeadlineSweepService } from './deadline-sweep.service';

// Operator entry points of the deadlines module.
export class DeadlinesService {
  constructor(
    private readonly sweeper: DeadlineSweepService,
    private readonly clock: Clock,
  ) {}

  // A province's ADMIN sweeps that province, a national ADMIN every province.
  async runSweep(actor: Actor, asOf: Date | null): Promise<number> {
    requireAdmin(actor, 'run-deadline-sweep', null);
    const at = validInstant(asOf, 'asOf') ?? this.clock.now();
    return this.sweeper.sweep(Scope.ofActor(actor), at);
  }
}
