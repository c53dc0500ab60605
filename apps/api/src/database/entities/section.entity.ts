import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'sections' })
@Index('ix_sections_plan', ['provinceCode', 'planId', 'position'])
export class SectionEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @Column({ type: 'text' })
  ordinal: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'int' })
  position: number;
}
