import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// Primary keys lead with province_code so the table can be distributed by province (Citus).
@Entity({ name: 'agencies' })
@Index('uq_agencies_province_code', ['provinceCode', 'code'], { unique: true })
export class AgencyEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'is_group', type: 'boolean', default: false })
  isGroup: boolean;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];
}
