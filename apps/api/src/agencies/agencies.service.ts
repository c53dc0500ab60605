import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { slugify } from '@app/plan-import';
import { badInput, conflict, forbidden, notFound } from '../common/domain-error';
import type { Actor } from '../auth/actor';
import { hasRole, seesProvince } from '../auth/actor';
import { LIMITS, requiredText, requireUuid } from '../common/validation';
import { AgencyGroupMemberEntity } from '../database/entities/agency-group-member.entity';
import { AgencyEntity } from '../database/entities/agency.entity';
import { ProvinceEntity } from '../database/entities/province.entity';

export const PROVINCIAL_COMMITTEE_CODE = 'uy-ban-nhan-dan-tinh';

export class AgenciesService {
  constructor(private readonly dataSource: DataSource) {}

  async listForProvince(actor: Actor, provinceCode: string): Promise<AgencyEntity[]> {
    if (provinceCode.length > 100) throw badInput('provinceCode is too long');
    if (!seesProvince(actor, provinceCode)) return [];
    return this.dataSource.getRepository(AgencyEntity).find({ where: { provinceCode }, order: { name: 'ASC' } });
  }

  async findByCode(provinceCode: string, code: string): Promise<AgencyEntity | null> {
    return this.dataSource.getRepository(AgencyEntity).findOne({ where: { provinceCode, code } });
  }

  async byIds(ids: readonly string[]): Promise<AgencyEntity[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(AgencyEntity).find({ where: { id: In([...ids]) } });
  }

  async committeeIdsByProvince(provinceCodes: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource
      .getRepository(AgencyEntity)
      .find({ where: { provinceCode: In([...provinceCodes]), code: PROVINCIAL_COMMITTEE_CODE } });
    return new Map(rows.map((row) => [row.provinceCode, row.id]));
  }

  // Member agencies of each group (an agency that is no group has none).
  async membersOf(groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = groupIds.length === 0 ? [] : await this.dataSource.getRepository(AgencyGroupMemberEntity).find({ where: { groupId: In([...groupIds]) } });
    const members = new Map<string, string[]>(groupIds.map((id) => [id, []]));
    for (const row of rows) members.get(row.groupId)!.push(row.memberId);
    return members;
  }

  async create(actor: Actor, provinceCode: string, name: string, isGroup: boolean, aliases: string[]): Promise<AgencyEntity> {
    this.requireAdmin(actor, provinceCode);
    const cleanName = requiredText(name, 'name', 300).trim();
    const code = slugify(cleanName);
    if (!code) throw badInput('name must contain letters');
    if (!(await this.dataSource.getRepository(ProvinceEntity).exists({ where: { code: provinceCode } }))) {
      throw notFound(`No province "${provinceCode}"`);
    }
    if (await this.findByCode(provinceCode, code)) throw conflict(`Province ${provinceCode} already has an agency with code "${code}"`);
    const agency = { provinceCode, id: randomUUID(), code, name: cleanName, isGroup, aliases: aliases.map((a) => requiredText(a, 'aliases', LIMITS.comment)) };
    await this.dataSource.getRepository(AgencyEntity).insert(agency);
    return Object.assign(new AgencyEntity(), agency);
  }

  // Replaces the members of a group agency; members are agencies of the same province, not groups.
  async setGroupMembers(actor: Actor, groupId: string, memberIds: string[]): Promise<AgencyEntity> {
    const group = await this.dataSource.getRepository(AgencyEntity).findOne({ where: { id: requireUuid(groupId, 'groupId') } });
    if (!group || !seesProvince(actor, group.provinceCode)) throw notFound(`No agency with id ${groupId}`);
    this.requireAdmin(actor, group.provinceCode);
    if (!group.isGroup) throw badInput(`${group.name} is not a group agency`);
    const ids = [...new Set(memberIds.map((id) => requireUuid(id, 'memberIds')))];
    const members = await this.byIds(ids);
    const wrong = ids.filter((id) => !members.some((m) => m.id === id && m.provinceCode === group.provinceCode && !m.isGroup));
    if (wrong.length > 0) throw badInput(`Not agencies of ${group.provinceCode} that can be members: ${wrong.join(', ')}`);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(AgencyGroupMemberEntity, { provinceCode: group.provinceCode, groupId: group.id });
      if (ids.length > 0) {
        await manager.insert(AgencyGroupMemberEntity, ids.map((memberId) => ({ provinceCode: group.provinceCode, groupId: group.id, memberId })));
      }
    });
    return group;
  }

  private requireAdmin(actor: Actor, provinceCode: string): void {
    if (!hasRole(actor, 'ADMIN') || !seesProvince(actor, provinceCode)) {
      throw forbidden(`Managing the agencies of ${provinceCode} needs the ADMIN role for that province`, { rule: 'registry-needs-admin' });
    }
  }

  async provincesByCodes(codes: readonly string[]): Promise<ProvinceEntity[]> {
    if (codes.length === 0) return [];
    return this.dataSource.getRepository(ProvinceEntity).find({ where: { code: In([...codes]) } });
  }
}
