import type { DataSource } from 'typeorm';
import type { Scope } from '../common/scope';
import { NOTIFICATION_KINDS, NotificationEntity, type DigestItem, type DigestPayload } from '../database/entities/notification.entity';
import { inScope } from './scope-where';
import { LEAF_TASK_SQL } from './task-sql';

export { NOTIFICATION_KINDS, NotificationEntity, type DigestItem, type DigestPayload };

export interface NotificationFilter {
  agencyId: string | null; // null = every agency in scope
  undeliveredOnly: boolean;
  first: number;
  // keyset: the page starts after this notification in the list's order
  after: NotificationCursor | null;
}

// A notification's place in the list: newest digest date first, then newest written (to the
// millisecond, what a Date holds), then id.
export interface NotificationCursor {
  digestDate: string;
  createdAt: Date;
  id: string;
}

export interface NotificationPage {
  notifications: NotificationEntity[];
  hasNextPage: boolean;
  // every notification the filter matches, whatever the page
  totalCount: number;
}

// One statement: every non-group agency that leads or coordinates a leaf task (itself, or as a
// registered member of the group agency named) that is overdue (OVERDUE, or due passed and not yet
// swept) or due by the end of the Vietnam day 7 days ahead gets one row for the day. Tasks it leads
// go to dueSoon/overdue, tasks it only coordinates to coordinatingDueSoon/coordinatingOverdue (an
// agency both leading and coordinating a task sees it once, as lead).
// ON CONFLICT DO NOTHING on the unique key lets instances and reruns race safely; the NOT EXISTS
// skips the work for agencies already done today.
const DIGEST_SQL = `
WITH responsible AS (
  SELECT t.*, r.agency_id, r.leads
  FROM tasks t
  CROSS JOIN LATERAL (
    SELECT x.agency_id, bool_or(x.leads) AS leads
    FROM (
      SELECT t.lead_agency_id AS agency_id, true AS leads
      UNION ALL
      SELECT g.member_id, true FROM agency_group_members g WHERE g.province_code = t.province_code AND g.group_id = t.lead_agency_id
      UNION ALL
      SELECT c.agency_id, false FROM task_coordinators c WHERE c.province_code = t.province_code AND c.task_id = t.id
      UNION ALL
      SELECT g.member_id, false
      FROM task_coordinators c
      JOIN agency_group_members g ON g.province_code = c.province_code AND g.group_id = c.agency_id
      WHERE c.province_code = t.province_code AND c.task_id = t.id
    ) x
    GROUP BY x.agency_id
  ) r
), due AS (
  SELECT t.province_code, t.agency_id, t.leads, t.due_at, t.sort_key,
         (t.state = 'OVERDUE' OR t.due_at < $1::timestamptz) AS overdue,
         jsonb_build_object('taskId', t.id, 'ordinal', t.ordinal, 'title', t.title,
           'dueAt', to_char(t.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS item
  FROM responsible t
  JOIN agencies a ON a.province_code = t.province_code AND a.id = t.agency_id
  WHERE NOT a.is_group
    AND t.state IN ('ASSIGNED', 'IN_PROGRESS', 'OVERDUE')
    AND (t.state = 'OVERDUE' OR t.due_at <= $2::timestamptz)
    AND ($4::text IS NULL OR t.province_code = $4::text)
    AND ${LEAF_TASK_SQL}
    AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.province_code = t.province_code AND n.agency_id = t.agency_id
                    AND n.kind = 'DAILY_DIGEST' AND n.digest_date = $3::date)
)
INSERT INTO notifications (province_code, id, agency_id, kind, digest_date, payload)
SELECT province_code, gen_random_uuid(), agency_id, 'DAILY_DIGEST', $3::date,
       jsonb_build_object(
         'dueSoon', coalesce(jsonb_agg(item ORDER BY due_at, sort_key) FILTER (WHERE leads AND NOT overdue), '[]'::jsonb),
         'overdue', coalesce(jsonb_agg(item ORDER BY due_at, sort_key) FILTER (WHERE leads AND overdue), '[]'::jsonb),
         'coordinatingDueSoon', coalesce(jsonb_agg(item ORDER BY due_at, sort_key) FILTER (WHERE NOT leads AND NOT overdue), '[]'::jsonb),
         'coordinatingOverdue', coalesce(jsonb_agg(item ORDER BY due_at, sort_key) FILTER (WHERE NOT leads AND overdue), '[]'::jsonb))
FROM due
GROUP BY province_code, agency_id
ON CONFLICT (province_code, agency_id, kind, digest_date) DO NOTHING
RETURNING id`;

export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get notifications() {
    return this.dataSource.getRepository(NotificationEntity);
  }

  // Returns how many digests this call wrote (0 when they were already written for the day).
  async writeDailyDigests(scope: Scope, asOf: Date, windowEnd: Date, vietnamDate: string): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(DIGEST_SQL, [
      asOf.toISOString(),
      windowEnd.toISOString(),
      vietnamDate,
      scope.provinceCode,
    ]);
    return rows.length;
  }

  // Newest first, a page at a time (keyset on the cursor), with the count of the whole list.
  async page(scope: Scope, filter: NotificationFilter): Promise<NotificationPage> {
    const matching = () => {
      const query = this.notifications.createQueryBuilder('n');
      if (scope.provinceCode !== null) query.andWhere('n.province_code = :province', { province: scope.provinceCode });
      if (filter.agencyId) query.andWhere('n.agency_id = :agencyId', { agencyId: filter.agencyId });
      if (filter.undeliveredOnly) query.andWhere('n.delivered_at IS NULL');
      return query;
    };
    const created = "date_trunc('milliseconds', n.created_at)";
    const query = matching();
    if (filter.after) {
      query.andWhere(
        `(n.digest_date < :afterDate OR (n.digest_date = :afterDate AND (${created} < :afterCreated OR (${created} = :afterCreated AND n.id > :afterId))))`,
        { afterDate: filter.after.digestDate, afterCreated: filter.after.createdAt.toISOString(), afterId: filter.after.id },
      );
    }
    query
      .orderBy('n.digest_date', 'DESC')
      .addOrderBy(created, 'DESC')
      .addOrderBy('n.id', 'ASC')
      .limit(filter.first + 1);
    const [rows, totalCount] = await Promise.all([query.getMany(), matching().getCount()]);
    return { notifications: rows.slice(0, filter.first), hasNextPage: rows.length > filter.first, totalCount };
  }

  findById(scope: Scope, id: string): Promise<NotificationEntity | null> {
    return this.notifications.findOne({ where: { ...inScope(scope), id } });
  }

  // Idempotent: a second call keeps the first delivery time.
  async markDelivered(notification: NotificationEntity, at: Date): Promise<NotificationEntity> {
    const [rows] = (await this.dataSource.query(
      `UPDATE notifications SET delivered_at = coalesce(delivered_at, $3) WHERE province_code = $1 AND id = $2 RETURNING delivered_at`,
      [notification.provinceCode, notification.id, at.toISOString()],
    )) as [{ delivered_at: Date }[], number];
    return Object.assign(notification, { deliveredAt: rows[0]?.delivered_at ?? notification.deliveredAt });
  }
}
