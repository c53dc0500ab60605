import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export interface StoredReportingDeadline {
  period: string;
  dueMonthDay: string;
}

// The plan's own data cut-off of a period (H1, YEAR, Q1..Q4), the last Vietnam day its data cover.
export interface StoredPeriodCutoff {
  period: string;
  cutoffMonthDay: string;
}

@Entity({ name: 'plans' })
@Index('uq_plans_province_number', ['provinceCode', 'number', 'issuedOn'], { unique: true })
@Index('uq_plans_source_hash', ['provinceCode', 'sourceHash'], { unique: true })
export class PlanEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  number: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'issued_on', type: 'date', nullable: true })
  issuedOn: string | null;

  @Column({ type: 'int', nullable: true })
  year: number | null;

  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Column({ name: 'monitoring_agency_id', type: 'uuid', nullable: true })
  monitoringAgencyId: string | null;

  @Column({ name: 'reporting_deadlines', type: 'jsonb', default: () => "'[]'" })
  reportingDeadlines: StoredReportingDeadline[];

  @Column({ name: 'consolidation_deadlines', type: 'jsonb', default: () => "'[]'" })
  consolidationDeadlines: StoredReportingDeadline[];

  // the plan's own data cut-offs; a period not named here takes Decree 09/2019's
  @Column({ name: 'period_cutoffs', type: 'jsonb', default: () => "'[]'" })
  periodCutoffs: StoredPeriodCutoff[];

  // SUBMIT_REPORT waits for every coordinating agency's CONTRIBUTE (unless a LEADER waives it)
  @Column({ name: 'coordinator_input_required', type: 'boolean', default: false })
  coordinatorInputRequired: boolean;

  // SHA-256 of the imported text (null for plans written otherwise)
  @Column({ name: 'source_hash', type: 'text', nullable: true })
  sourceHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
