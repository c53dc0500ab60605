import { upgradeTaskSnapshot, type StoredTaskSnapshot, type TaskInput, type TaskState } from '@app/lifecycle';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'tasks' })
@Index('ix_tasks_plan_sort', ['provinceCode', 'planId', 'sortKey'])
@Index('ix_tasks_lead', ['provinceCode', 'leadAgencyId'])
@Index('ix_tasks_parent', ['provinceCode', 'parentId'])
@Index('ix_tasks_due', ['state', 'dueAt'])
@Index('ix_tasks_open_due', ['dueAt'], { where: `"state" IN ('ASSIGNED', 'IN_PROGRESS')` })
export class TaskEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;

  // Keyset pagination key: ascending in plan order as tasks are created.
  @Column({ name: 'sort_key', type: 'bigint', generated: 'identity', generatedIdentity: 'BY DEFAULT' })
  sortKey: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @Column({ name: 'section_id', type: 'uuid', nullable: true })
  sectionId: string | null;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @Column({ type: 'text' })
  ordinal: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'lead_agency_id', type: 'uuid' })
  leadAgencyId: string;

  @Column({ type: 'text' })
  timeframe: string;

  @Column({ type: 'text', nullable: true })
  target: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'text' })
  state: TaskState;

  // The machine input the task was created with: the genesis of its audit chain.
  @Column({ type: 'jsonb' })
  input: TaskInput;

  // Read as the current machine version (an older snapshot is upgraded by the lifecycle library).
  @Column({ type: 'jsonb', transformer: { to: (value: StoredTaskSnapshot) => value, from: readSnapshot } })
  snapshot: StoredTaskSnapshot;

  @Column({ type: 'int', default: 0 })
  version: number;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ name: 'original_due_at', type: 'timestamptz', nullable: true })
  originalDueAt: Date | null;

  @Column({ type: 'boolean', default: false })
  late: boolean;

  // Hash of the last task_events row (null before the first): the next event chains from it.
  @Column({ name: 'last_hash', type: 'text', nullable: true })
  lastHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export function readSnapshot(value: StoredTaskSnapshot | null): StoredTaskSnapshot | null {
  if (value === null) return value;
  try {
    return upgradeTaskSnapshot(value);
  } catch {
    // left as stored: transitions refuse it and the audit reports it, queries still answer
    return value;
  }
}
