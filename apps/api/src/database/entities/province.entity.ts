import { Column, Entity, PrimaryColumn } from 'typeorm';

// A reference table (replicated to every node when distributed by province).
@Entity({ name: 'provinces' })
export class ProvinceEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;
}
