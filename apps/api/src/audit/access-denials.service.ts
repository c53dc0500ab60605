import { authorizeAdmin, type AdminOperation } from '@app/approval-rules';
import { hasRole, toRuleActor, type Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput, DomainError, forbidden } from '../common/domain-error';
import { Scope } from '../common/scope';
import { pageSize } from '../common/validation';
import type { AccessDenialEntity, AccessDenialRepository } from '../repositories/access-denial.repository';

export interface DeniedAttempt {
  operation: string; // the task event, or the ADMIN operation
  provinceCode: string | null; // the province aimed at; null = the actor's own
  taskId?: string | null;
  target?: string | null;
}

export interface AccessDenialQuery {
  provinceCode?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface AccessDenialPage {
  denials: AccessDenialEntity[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface AccessDenialsDeps {
  denials: AccessDenialRepository;
  clock: Clock;
  log?: { warn(message: string): void };
}

// Every column is cut to a bound: a refused request writes one row of at most a few KB, so an
// attacker fills the table no faster than they can send requests (which the rate limit bounds).
const CUT = { sub: 200, code: 100, operation: 60, target: 200, rule: 100, message: 1000, roles: 10 } as const;
const cut = (text: string | null | undefined, max: number): string | null => (text == null ? null : [...text].slice(0, max).join(''));

// Refused attempts (FORBIDDEN) kept for auditors: written in a statement of their own after the
// refused transaction rolled back, so the refusal itself still changes no task or event row.
export class AccessDenialsService {
  constructor(private readonly deps: AccessDenialsDeps) {}

  // Never throws: a failure to record is logged, and the caller's refusal goes out unchanged.
  async record(actor: Actor, attempt: DeniedAttempt, error: DomainError): Promise<void> {
    if (error.code !== 'FORBIDDEN' || actor.kind !== 'user') return;
    try {
      await this.deps.denials.insert({
        provinceCode: cut(attempt.provinceCode ?? actor.provinceCode, CUT.code)!,
        at: this.deps.clock.now(),
        actorSub: cut(actor.userId, CUT.sub),
        actorProvince: cut(actor.provinceCode, CUT.code)!,
        actorAgency: cut(actor.agencyCode, CUT.code),
        roles: actor.roles.slice(0, CUT.roles).map((role) => cut(role, CUT.code)!),
        operation: cut(attempt.operation, CUT.operation)!,
        taskId: attempt.taskId ?? null,
        target: cut(attempt.target, CUT.target),
        rule: cut(String(error.details.rule ?? 'unknown'), CUT.rule)!,
        message: cut(error.message, CUT.message)!,
      });
    } catch (failure) {
      (this.deps.log ?? console).warn(`Could not record an access denial: ${(failure as Error).message}`);
    }
  }

  // Runs the checks of an ADMIN operation; a FORBIDDEN from them is recorded and thrown on.
  async guardAdmin<T>(actor: Actor, attempt: DeniedAttempt, checks: () => T): Promise<T> {
    try {
      return checks();
    } catch (error) {
      if (error instanceof DomainError) await this.record(actor, attempt, error);
      throw error;
    }
  }

  // The one gate of ADMIN-only operations, recording refusals.
  requireAdmin(actor: Actor, operation: AdminOperation, province: string | null, target: string | null = null): Promise<void> {
    // a provincial token's refusals stay in its own province; a national one's go to the province it named
    const provinceCode = actor.provinceCode === '*' ? province : null;
    return this.guardAdmin(actor, { operation, provinceCode, target: target ?? province }, () => {
      const decision = authorizeAdmin(toRuleActor(actor, province ?? actor.provinceCode), operation, province);
      if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
    });
  }

  // AUDITOR and ADMIN read the denials of the provinces their token covers, newest first.
  async list(actor: Actor, query: AccessDenialQuery): Promise<AccessDenialPage> {
    if (!hasRole(actor, 'AUDITOR', 'ADMIN')) {
      throw forbidden('Only AUDITOR and ADMIN read access denials', { rule: 'access-denials-need-auditor' });
    }
    const scope = Scope.ofActor(actor).narrow(query.provinceCode);
    const first = pageSize(query.first);
    const rows = await this.deps.denials.page(scope, { first, before: query.after ? decodeCursor(query.after) : null });
    const denials = rows.slice(0, first);
    const last = denials.at(-1);
    return { denials, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodeCursor(denial: AccessDenialEntity): string {
  return Buffer.from(`denial:${denial.at.toISOString()}|${denial.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const decoded = cursor.length <= 120 ? /^denial:([^|]+)\|(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  const at = decoded ? new Date(decoded[1]) : null;
  if (!decoded || !at || Number.isNaN(at.getTime()) || !UUID.test(decoded[2])) {
    throw badInput(`after is not a cursor returned by accessDenials: "${cursor.slice(0, 64)}"`, { field: 'after' });
  }
  return { at, id: decoded[2] };
}
