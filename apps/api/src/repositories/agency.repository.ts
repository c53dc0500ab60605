import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import type { Scope } from '../common/scope';
import { AgencyGroupMemberEntity } from '../database/entities/agency-group-member.entity';
import { AgencyEntity } from '../database/entities/agency.entity';
import { ProvinceEntity } from '../database/entities/province.entity';
import { inScope } from './scope-where';
import { managerOf, type Tx } from './transaction';

export { AgencyEntity, ProvinceEntity };

export const PROVINCIAL_COMMITTEE_CODE = 'uy-ban-nhan-dan-tinh';
export const PROVINCIAL_COMMITTEE_NAME = 'Ủy ban nhân dân tỉnh';

export interface NewAgency {
  code: string;
  name: string;
  isGroup?: boolean;
  aliases?: string[];
}

// The registry: provinces, agencies and the members of group agencies.
export class AgencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get agencies() {
    return this.dataSource.getRepository(AgencyEntity);
  }

  listForProvince(scope: Scope, provinceCode: string): Promise<AgencyEntity[]> {
    if (!scope.includes(provinceCode)) return Promise.resolve([]);
    return this.agencies.find({ where: { provinceCode }, order: { name: 'ASC' } });
  }

  // Authentication looks up a token's agency before any scope exists: the token names the province.
  findByCode(provinceCode: string, code: string): Promise<AgencyEntity | null> {
    return this.agencies.findOne({ where: { provinceCode, code } });
  }

  async findById(scope: Scope, id: string): Promise<AgencyEntity | null> {
    const [agency] = await this.byIds(scope, [id]);
    return agency ?? null;
  }

  byIds(scope: Scope, ids: readonly string[]): Promise<AgencyEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.agencies.find({ where: { ...inScope(scope), id: In([...ids]) } });
  }

  // Member agencies of each group (an agency that is no group has none).
  async membersOf(scope: Scope, groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows =
      groupIds.length === 0
        ? []
        : await this.dataSource.getRepository(AgencyGroupMemberEntity).find({ where: { ...inScope(scope), groupId: In([...groupIds]) } });
    const members = new Map<string, string[]>(groupIds.map((id) => [id, []]));
    for (const row of rows) members.get(row.groupId)!.push(row.memberId);
    return members;
  }

  provincesByCodes(scope: Scope, codes: readonly string[]): Promise<ProvinceEntity[]> {
    const visible = codes.filter((code) => scope.includes(code));
    if (visible.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(ProvinceEntity).find({ where: { code: In(visible) } });
  }

  // Province names are public (the list of provinces), not tenant data.
  async provinceName(code: string): Promise<string | null> {
    return (await this.dataSource.getRepository(ProvinceEntity).findOne({ where: { code } }))?.name ?? null;
  }

  provinceExists(code: string): Promise<boolean> {
    return this.dataSource.getRepository(ProvinceEntity).exists({ where: { code } });
  }

  async insert(provinceCode: string, agency: NewAgency): Promise<AgencyEntity> {
    const row = {
      provinceCode,
      id: randomUUID(),
      code: agency.code,
      name: agency.name,
      isGroup: agency.isGroup ?? false,
      aliases: agency.aliases ?? [],
    };
    await this.agencies.insert(row);
    return Object.assign(new AgencyEntity(), row);
  }

  async replaceGroupMembers(group: AgencyEntity, memberIds: readonly string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(AgencyGroupMemberEntity, { provinceCode: group.provinceCode, groupId: group.id });
      if (memberIds.length === 0) return;
      await manager.insert(
        AgencyGroupMemberEntity,
        memberIds.map((memberId) => ({ provinceCode: group.provinceCode, groupId: group.id, memberId })),
      );
    });
  }

  // Import: the province, its People's Committee and the plan's agencies exist afterwards
  // (existing ones are kept as they are); returns every agency id of the province by code.
  async ensureForPlan(tx: Tx, province: { code: string; name: string }, agencies: readonly NewAgency[]): Promise<Map<string, string>> {
    const manager = managerOf(tx);
    await manager.upsert(ProvinceEntity, { code: province.code, name: province.name }, ['code']);
    const wanted = [{ code: PROVINCIAL_COMMITTEE_CODE, name: PROVINCIAL_COMMITTEE_NAME }, ...agencies];
    const rows = wanted.map((a) => ({
      provinceCode: province.code,
      id: randomUUID(),
      code: a.code,
      name: a.name,
      isGroup: a.isGroup ?? false,
      aliases: a.aliases ?? [],
    }));
    await manager.createQueryBuilder().insert().into(AgencyEntity).values(rows).orIgnore().execute();
    const stored = await manager.find(AgencyEntity, { where: { provinceCode: province.code }, select: { code: true, id: true } });
    return new Map(stored.map((a) => [a.code, a.id]));
  }

  // What the import parser matches names against.
  knownAgencies(scope: Scope, provinceCode: string): Promise<AgencyEntity[]> {
    if (!scope.includes(provinceCode)) return Promise.resolve([]);
    return this.agencies.find({ where: { provinceCode } });
  }
}
