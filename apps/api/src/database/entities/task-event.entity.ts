import type { TaskEventType, TaskState } from '@app/lifecycle';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// Append-only audit table (CONTRACT.md "Audit table"); a trigger refuses UPDATE and DELETE.
@Entity({ name: 'task_events' })
// an idempotency key is scoped to the task and the user who sent it
@Index('uq_task_events_idempotency', ['provinceCode', 'taskId', 'actor', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
export class TaskEventEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @PrimaryColumn({ type: 'int' })
  seq: number;

  @Column({ type: 'text' })
  type: TaskEventType;

  @Column({ name: 'from_state', type: 'text', nullable: true })
  fromState: TaskState | null;

  @Column({ name: 'to_state', type: 'text' })
  toState: TaskState;

  @Column({ type: 'text', nullable: true })
  actor: string | null;

  @Column({ name: 'actor_agency_id', type: 'uuid', nullable: true })
  actorAgencyId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'machine_version', type: 'int' })
  machineVersion: number;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;
}
