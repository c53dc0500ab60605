import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { AgenciesService } from '../agencies/agencies.service';
import type { AgencyEntity } from '../database/entities/agency.entity';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { badInput } from '../common/domain-error';
import { AGENCY_INVOLVED_SQL } from '../tasks/agency-involvement';
import { TaskEntity } from '../database/entities/task.entity';
import { endOfVietnamDayAfter } from '../common/vietnam-time';
import { visibleAgency } from './visible-agency';

export const MAX_WITHIN_DAYS = 366;

// What an agency must deliver soon, and what it is late with: leaf tasks (a split task's children
// carry the work) the agency leads (chủ trì) or coordinates (phối hợp), itself or through a group.
export class UpcomingDeadlinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agencies: AgenciesService,
    private readonly clock: Clock,
  ) {}

  // Not yet reported or verified, due from now to the end of the Vietnam day withinDays ahead.
  async upcoming(actor: Actor, agencyId: string, withinDays: number): Promise<TaskEntity[]> {
    const days = checkedWithinDays(withinDays);
    const agency = await visibleAgency(this.agencies, actor, agencyId);
    const now = this.clock.now();
    return this.leafTasksOf(agency)
      .andWhere("t.state NOT IN ('REPORTED', 'VERIFIED')")
      .andWhere('t.due_at >= :now AND t.due_at <= :until', { now: now.toISOString(), until: endOfVietnamDayAfter(now, days).toISOString() })
      .getMany();
  }

  async overdue(actor: Actor, agencyId: string): Promise<TaskEntity[]> {
    const agency = await visibleAgency(this.agencies, actor, agencyId);
    return this.leafTasksOf(agency).andWhere("t.state = 'OVERDUE'").getMany();
  }

  private leafTasksOf(agency: AgencyEntity): SelectQueryBuilder<TaskEntity> {
    return this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.province_code = :province', { province: agency.provinceCode })
      .andWhere(AGENCY_INVOLVED_SQL, { agencyId: agency.id })
      .andWhere('NOT EXISTS (SELECT 1 FROM tasks k WHERE k.province_code = t.province_code AND k.parent_id = t.id)')
      .orderBy('t.due_at', 'ASC')
      .addOrderBy('t.sort_key', 'ASC');
  }
}

function checkedWithinDays(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_WITHIN_DAYS) {
    throw badInput(`withinDays must be between 1 and ${MAX_WITHIN_DAYS}, got ${value}`, { field: 'withinDays' });
  }
  return value;
}
