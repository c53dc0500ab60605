import { In, type DataSource } from 'typeorm';
import { badInput } from '../common/domain-error';
import type { Actor } from '../auth/actor';
import { seesProvince } from '../auth/actor';
import { AgencyEntity } from './agency.entity';
import { ProvinceEntity } from './province.entity';

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

  async provincesByCodes(codes: readonly string[]): Promise<ProvinceEntity[]> {
    if (codes.length === 0) return [];
    return this.dataSource.getRepository(ProvinceEntity).find({ where: { code: In([...codes]) } });
  }
}
