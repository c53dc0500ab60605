import { hasRole, type Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { forbidden } from '../common/domain-error';
import { validInstant } from '../common/validation';
import type { DeadlineSweepService } from './deadline-sweep.service';

// Operator entry points of the deadlines module.
export class DeadlinesService {
  constructor(
    private readonly sweeper: DeadlineSweepService,
    private readonly clock: Clock,
  ) {}

  async runSweep(actor: Actor, asOf: Date | null): Promise<number> {
    if (!hasRole(actor, 'ADMIN')) throw forbidden('Running the deadline sweep needs the ADMIN role', { rule: 'sweep-needs-admin' });
    const at = validInstant(asOf, 'asOf') ?? this.clock.now();
    return this.sweeper.sweep(at, { provinceCode: actor.provinceCode === '*' ? null : actor.provinceCode });
  }
}
