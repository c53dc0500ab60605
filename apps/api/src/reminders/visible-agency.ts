import type { AgenciesService } from '../agencies/agencies.service';
import type { AgencyEntity } from '../database/entities/agency.entity';
import { seesProvince, type Actor } from '../auth/actor';
import { notFound } from '../common/domain-error';
import { requireUuid } from '../common/validation';

// An agency of another province answers like one that does not exist.
export async function visibleAgency(agencies: AgenciesService, actor: Actor, agencyId: string): Promise<AgencyEntity> {
  const [agency] = await agencies.byIds([requireUuid(agencyId, 'agencyId')]);
  if (!agency || !seesProvince(actor, agency.provinceCode)) throw notFound(`No agency with id ${agencyId}`);
  return agency;
}
