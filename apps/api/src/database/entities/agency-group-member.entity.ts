import { Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'agency_group_members' })
@Index('ix_agency_group_members_member', ['provinceCode', 'memberId'])
export class AgencyGroupMemberEntity {
  @PrimaryColumn({ name: 'province_code', type: 'text' })
  provinceCode: string;

  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @PrimaryColumn({ name: 'member_id', type: 'uuid' })
  memberId: string;
}
