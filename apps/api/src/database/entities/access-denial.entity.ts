import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// Append-only record of refused attempts (FORBIDDEN), for auditors; a trigger refuses UPDATE and DELETE.
// province_code: the province the attempt aimed at (the task's, or the one an ADMIN operation named),
// else the actor's own ('*' for a national token).
@Entity({ name: 'access_denials' })
@Index('ix_access_denials_province_at', ['provinceCode', 'at', 'id'])
export class AccessDenialEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'actor_sub', type: 'text', nullable: true })
  actorSub: string | null;

  @Column({ name: 'actor_province', type: 'text' })
  actorProvince: string;

  @Column({ name: 'actor_agency', type: 'text', nullable: true })
  actorAgency: string | null;

  @Column({ type: 'text', array: true })
  roles: string[];

  // a task event (START, VERIFY …) or an ADMIN operation (run-deadline-sweep …)
  @Column({ type: 'text' })
  operation: string;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId: string | null;

  // what else the attempt named: a province, a plan, an agency, a notification
  @Column({ type: 'text', nullable: true })
  target: string | null;

  @Column({ type: 'text' })
  rule: string;

  @Column({ type: 'text' })
  message: string;
}
