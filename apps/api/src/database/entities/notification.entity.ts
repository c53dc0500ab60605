import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const NOTIFICATION_KINDS = ['DAILY_DIGEST'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface DigestItem {
  taskId: string;
  ordinal: string;
  title: string;
  dueAt: string | null; // ISO instant
}

export interface DigestPayload {
  // tasks the agency leads (chủ trì)
  dueSoon: DigestItem[];
  overdue: DigestItem[];
  // tasks it coordinates (phối hợp) and does not lead; absent in digests written before they were added
  coordinatingDueSoon?: DigestItem[];
  coordinatingOverdue?: DigestItem[];
}

// A message for an agency, written once and left for a mail/SMS/Zalo gateway to send and mark.
@Entity({ name: 'notifications' })
@Index('uq_notifications_agency_kind_date', ['provinceCode', 'agencyId', 'kind', 'digestDate'], { unique: true })
@Index('ix_notifications_undelivered', ['provinceCode', 'createdAt'], { where: '"delivered_at" IS NULL' })
export class NotificationEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ type: 'text' })
  kind: NotificationKind;

  // The Vietnam calendar date the digest is for (YYYY-MM-DD)
  @Column({ name: 'digest_date', type: 'date' })
  digestDate: string;

  @Column({ type: 'jsonb' })
  payload: DigestPayload;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
