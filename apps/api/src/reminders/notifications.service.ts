import type { DataSource } from 'typeorm';
import type { AgenciesService } from '../agencies/agencies.service';
import { hasRole, seesProvince, type Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput, forbidden, notFound } from '../common/domain-error';
import { pageSize, requireUuid, validInstant } from '../common/validation';
import type { DigestService } from './digest.service';
import { NotificationEntity } from '../database/entities/notification.entity';
import { visibleAgency } from './visible-agency';

export interface NotificationFilter {
  agencyId?: string | null;
  undeliveredOnly?: boolean | null;
  first?: number | null;
}

// Operator and reader entry points of the reminders module: run the digest, list digests, and let
// a gateway mark what it has sent.
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agencies: AgenciesService,
    private readonly digest: DigestService,
    private readonly clock: Clock,
  ) {}

  async runDigest(actor: Actor, asOf: Date | null): Promise<number> {
    if (!hasRole(actor, 'ADMIN')) throw forbidden('Running the daily digest needs the ADMIN role', { rule: 'digest-needs-admin' });
    const at = validInstant(asOf, 'asOf') ?? this.clock.now();
    const year = at.getUTCFullYear();
    if (year < 2000 || year > 9998) throw badInput(`asOf must fall between the years 2000 and 9998, got ${at.toISOString()}`, { field: 'asOf' });
    return this.digest.runDaily(at, { provinceCode: actor.provinceCode === '*' ? null : actor.provinceCode });
  }

  // Newest first. ADMIN and AUDITOR read every agency of their province(s); others their own agency.
  async list(actor: Actor, filter: NotificationFilter): Promise<NotificationEntity[]> {
    const first = pageSize(filter.first);
    const agencyId = await this.readableAgency(actor, filter.agencyId ?? null);
    const query = this.dataSource.getRepository(NotificationEntity).createQueryBuilder('n');
    if (actor.provinceCode !== '*') query.andWhere('n.province_code = :province', { province: actor.provinceCode });
    if (agencyId) query.andWhere('n.agency_id = :agencyId', { agencyId });
    if (filter.undeliveredOnly) query.andWhere('n.delivered_at IS NULL');
    return query.orderBy('n.digest_date', 'DESC').addOrderBy('n.created_at', 'DESC').addOrderBy('n.id', 'ASC').take(first).getMany();
  }

  // Idempotent: a second call keeps the first delivery time.
  async markDelivered(actor: Actor, id: string): Promise<NotificationEntity> {
    if (!hasRole(actor, 'ADMIN')) throw forbidden('Marking a notification delivered needs the ADMIN role', { rule: 'delivery-needs-admin' });
    const repository = this.dataSource.getRepository(NotificationEntity);
    const found = await repository.findOne({ where: { id: requireUuid(id, 'id') } });
    if (!found || !seesProvince(actor, found.provinceCode)) throw notFound(`No notification with id ${id}`);
    if (found.deliveredAt) return found;
    await repository
      .createQueryBuilder()
      .update()
      .set({ deliveredAt: this.clock.now() })
      .where('province_code = :province AND id = :id AND delivered_at IS NULL', { province: found.provinceCode, id: found.id })
      .execute();
    return repository.findOneOrFail({ where: { provinceCode: found.provinceCode, id: found.id } });
  }

  // The agency whose notifications the actor reads, or null for "every agency in sight".
  private async readableAgency(actor: Actor, agencyId: string | null): Promise<string | null> {
    const overseer = hasRole(actor, 'ADMIN', 'AUDITOR');
    if (agencyId === null) {
      if (overseer) return null;
      if (actor.agencyId) return actor.agencyId;
      throw forbidden('Only ADMIN, AUDITOR or staff of an agency read notifications', { rule: 'notifications-of-own-agency' });
    }
    const agency = await visibleAgency(this.agencies, actor, agencyId);
    if (!overseer && actor.agencyId !== agency.id) {
      throw forbidden("Only ADMIN, AUDITOR or the agency's own staff read its notifications", { rule: 'notifications-of-own-agency' });
    }
    return agency.id;
  }
}
