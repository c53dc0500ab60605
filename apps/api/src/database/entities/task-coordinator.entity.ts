import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// Đơn vị phối hợp: the coordinating agencies of a task.
@Entity({ name: 'task_coordinators' })
@Index('ix_task_coordinators_agency', ['provinceCode', 'agencyId'])
export class TaskCoordinatorEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @PrimaryColumn({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  // the place in the plan's list of coordinating agencies
  @Column({ type: 'int', default: 0 })
  position: number;
}
