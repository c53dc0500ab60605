import type { AgenciesService } from '../agencies/agencies.service';
import { hasRole, type Actor } from '../auth/actor';
import type { AccessDenialsService } from '../audit/access-denials.service';
import type { Clock } from '../common/clock';
import { badInput, forbidden, notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { LIMITS, pageSize, requireUuid, validInstant } from '../common/validation';
import type {
  NotificationCursor,
  NotificationEntity,
  NotificationPage,
  NotificationRepository,
} from '../repositories/notification.repository';
import type { DigestService } from './digest.service';

export interface NotificationFilter {
  agencyId?: string | null;
  undeliveredOnly?: boolean | null;
  first?: number | null;
  // a cursor this API returned (NotificationEdge.cursor, PageInfo.endCursor)
  after?: string | null;
}

export interface NotificationsDeps {
  notifications: NotificationRepository;
  agencies: AgenciesService;
  digest: DigestService;
  clock: Clock;
  denials: AccessDenialsService;
}

// Operator and reader entry points of the reminders module: run the digest, list digests, and let
// a gateway mark what it has sent.
export class NotificationsService {
  constructor(private readonly deps: NotificationsDeps) {}

  // A province's ADMIN runs that province, a national ADMIN every province.
  async runDigest(actor: Actor, asOf: Date | null): Promise<number> {
    await this.deps.denials.requireAdmin(actor, 'run-daily-digest', null);
    const now = this.deps.clock.now();
    const at = validInstant(asOf, 'asOf') ?? now;
    // a digest written for a day still to come would be sent early and block that day's real one
    if (at.getTime() > now.getTime() + LIMITS.clockSkewMs) {
      throw badInput(
        `asOf must not be later than now (${now.toISOString()}, plus ${LIMITS.clockSkewMs / 1000} s for clock skew), got ${at.toISOString()}`,
        { field: 'asOf' },
      );
    }
    const year = at.getUTCFullYear();
    if (year < 2000 || year > 9998)
      throw badInput(`asOf must fall between the years 2000 and 9998, got ${at.toISOString()}`, { field: 'asOf' });
    return this.deps.digest.runDaily(Scope.ofActor(actor), at);
  }

  // Newest first, a page at a time. ADMIN and AUDITOR read every agency of their province(s); others their own agency.
  async page(actor: Actor, filter: NotificationFilter): Promise<NotificationPage> {
    const first = pageSize(filter.first);
    const after = filter.after ? decodeNotificationCursor(filter.after) : null;
    const agencyId = await this.readableAgency(actor, filter.agencyId ?? null);
    return this.deps.notifications.page(Scope.ofActor(actor), { agencyId, undeliveredOnly: Boolean(filter.undeliveredOnly), first, after });
  }

  // Idempotent: a second call keeps the first delivery time.
  async markDelivered(actor: Actor, id: string): Promise<NotificationEntity> {
    await this.deps.denials.requireAdmin(actor, 'mark-notification-delivered', null, `notification ${String(id).slice(0, 60)}`);
    const found = await this.deps.notifications.findById(Scope.ofActor(actor), requireUuid(id, 'id'));
    if (!found) throw notFound(`No notification with id ${id}`);
    if (found.deliveredAt) return found;
    return this.deps.notifications.markDelivered(found, this.deps.clock.now());
  }

  // The agency whose notifications the actor reads, or null for "every agency in sight".
  private async readableAgency(actor: Actor, agencyId: string | null): Promise<string | null> {
    const overseer = hasRole(actor, 'ADMIN', 'AUDITOR');
    if (agencyId === null) {
      if (overseer) return null;
      if (actor.agencyId) return actor.agencyId;
      throw forbidden('Only ADMIN, AUDITOR or staff of an agency read notifications', { rule: 'notifications-of-own-agency' });
    }
    const agency = await this.deps.agencies.getVisible(actor, agencyId);
    if (!overseer && actor.agencyId !== agency.id) {
      throw forbidden("Only ADMIN, AUDITOR or the agency's own staff read its notifications", { rule: 'notifications-of-own-agency' });
    }
    return agency.id;
  }
}

export function encodeNotificationCursor(notification: NotificationEntity): string {
  const { digestDate, createdAt, id } = notification;
  return Buffer.from(`notification:${digestDate}|${createdAt.toISOString()}|${id}`, 'utf8').toString('base64url');
}

const CURSOR = /^notification:(\d{4}-\d{2}-\d{2})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/;

export function decodeNotificationCursor(cursor: string): NotificationCursor {
  const decoded = cursor.length <= 200 ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  const createdAt = decoded ? new Date(decoded[2]) : null;
  if (!decoded || !createdAt || Number.isNaN(createdAt.getTime())) {
    throw badInput(`after is not a cursor returned by this API: "${cursor.slice(0, 64)}"`, { field: 'after' });
  }
  return { digestDate: decoded[1], createdAt, id: decoded[3] };
}
