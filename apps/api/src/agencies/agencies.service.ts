import { slugify } from '@app/plan-import';
import type { Actor } from '../auth/actor';
import type { AccessDenialsService } from '../audit/access-denials.service';
import { badInput, conflict, notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { LIMITS, requiredText, requireUuid } from '../common/validation';
import type { AgencyEntity, AgencyRepository } from '../repositories/agency.repository';

const MAX_ALIASES = 50;
const MAX_MEMBERS = 200;

export class AgenciesService {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly denials: AccessDenialsService,
  ) {}

  // provinceCode narrows the viewer's scope: another province is FORBIDDEN, "" BAD_USER_INPUT.
  async listForProvince(actor: Actor, provinceCode: string): Promise<AgencyEntity[]> {
    const scope = Scope.ofActor(actor).narrow(provinceCode);
    return this.agencies.listForProvince(scope, provinceCode);
  }

  // An agency of another province answers like one that does not exist.
  async getVisible(actor: Actor, agencyId: string): Promise<AgencyEntity> {
    const agency = await this.agencies.findById(Scope.ofActor(actor), requireUuid(agencyId, 'agencyId'));
    if (!agency) throw notFound(`No agency with id ${agencyId}`);
    return agency;
  }

  async create(actor: Actor, provinceCode: string, name: string, isGroup: boolean, aliases: string[]): Promise<AgencyEntity> {
    await this.denials.guardAdmin(actor, { operation: 'manage-registry', provinceCode: null, target: provinceCode }, () =>
      Scope.ofActor(actor).narrow(provinceCode),
    );
    await this.denials.requireAdmin(actor, 'manage-registry', provinceCode);
    const cleanName = requiredText(name, 'name', LIMITS.agencyName).trim();
    const code = slugify(cleanName);
    if (!code) throw badInput('name must contain letters', { field: 'name' });
    if (aliases.length > MAX_ALIASES) throw badInput(`aliases: at most ${MAX_ALIASES}`, { field: 'aliases' });
    const cleanAliases = aliases.map((alias) => requiredText(alias, 'aliases', LIMITS.alias));
    if (!(await this.agencies.provinceExists(provinceCode))) throw notFound(`No province "${provinceCode}"`);
    if (await this.agencies.findByCode(provinceCode, code))
      throw conflict(`Province ${provinceCode} already has an agency with code "${code}"`);
    return this.agencies.insert(provinceCode, {
      code,
      name: cleanName,
      isGroup,
      aliases: cleanAliases,
    });
  }

  // Replaces the members of a group agency; members are agencies of the same province, not groups.
  async setGroupMembers(actor: Actor, groupId: string, memberIds: string[]): Promise<AgencyEntity> {
    const scope = Scope.ofActor(actor);
    const group = await this.agencies.findById(scope, requireUuid(groupId, 'groupId'));
    if (!group) throw notFound(`No agency with id ${groupId}`);
    await this.denials.requireAdmin(actor, 'manage-registry', group.provinceCode, `agency ${group.id}`);
    if (!group.isGroup) throw badInput(`${group.name} is not a group agency`);
    if (memberIds.length > MAX_MEMBERS) throw badInput(`memberIds: at most ${MAX_MEMBERS}`, { field: 'memberIds' });
    const ids = [...new Set(memberIds.map((id) => requireUuid(id, 'memberIds')))];
    const members = await this.agencies.byIds(Scope.province(group.provinceCode), ids);
    const missing = ids.filter((id) => !members.some((m) => m.id === id));
    if (missing.length > 0) throw notFound(`No agency of ${group.provinceCode} with id ${missing.join(', ')}`);
    const groups = members.filter((m) => m.isGroup);
    if (groups.length > 0) throw badInput(`Groups cannot be members of a group: ${groups.map((g) => g.name).join(', ')}`);
    await this.agencies.replaceGroupMembers(group, ids);
    return group;
  }
}
