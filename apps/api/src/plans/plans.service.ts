import { In, type DataSource } from 'typeorm';
import { TASK_STATES, type TaskState } from '@app/lifecycle';
import { seesProvince, type Actor } from '../auth/actor';
import { badInput } from '../common/domain-error';
import { requireUuid } from '../common/validation';
import { TaskEntity } from '../database/entities/task.entity';
import { PlanEntity } from '../database/entities/plan.entity';
import { SectionEntity } from '../database/entities/section.entity';

export interface PlanProgress {
  total: number;
  byState: { state: TaskState; count: number }[];
  overdue: number;
  verifiedOnTime: number;
  verifiedLate: number;
}

export class PlansService {
  constructor(private readonly dataSource: DataSource) {}

  async list(actor: Actor, provinceCode?: string | null): Promise<PlanEntity[]> {
    if (provinceCode && provinceCode.length > 100) throw badInput('provinceCode is too long');
    const province = provinceCode ?? (actor.provinceCode === '*' ? null : actor.provinceCode);
    if (province && !seesProvince(actor, province)) return [];
    return this.dataSource.getRepository(PlanEntity).find({
      where: province ? { provinceCode: province } : {},
      order: { issuedOn: 'DESC', createdAt: 'DESC' },
    });
  }

  async findById(actor: Actor, id: string): Promise<PlanEntity | null> {
    const plan = await this.dataSource.getRepository(PlanEntity).findOne({ where: { id: requireUuid(id, 'id') } });
    return plan && seesProvince(actor, plan.provinceCode) ? plan : null;
  }

  async byIds(ids: readonly string[]): Promise<PlanEntity[]> {
    return ids.length === 0 ? [] : this.dataSource.getRepository(PlanEntity).find({ where: { id: In([...ids]) } });
  }

  async sectionsByIds(ids: readonly string[]): Promise<SectionEntity[]> {
    return ids.length === 0 ? [] : this.dataSource.getRepository(SectionEntity).find({ where: { id: In([...ids]) } });
  }

  // Leaf tasks only: a parent's state is the roll-up of its children.
  async progress(planIds: readonly string[]): Promise<Map<string, PlanProgress>> {
    const rows: { plan_id: string; state: TaskState; late: boolean; count: string }[] = await this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .select(['t.plan_id AS plan_id', 't.state AS state', 't.late AS late', 'count(*) AS count'])
      .where('t.plan_id IN (:...planIds)', { planIds })
      .andWhere('NOT EXISTS (SELECT 1 FROM tasks c WHERE c.province_code = t.province_code AND c.parent_id = t.id)')
      .groupBy('t.plan_id, t.state, t.late')
      .getRawMany();
    return new Map(planIds.map((id) => [id, summarise(rows.filter((row) => row.plan_id === id))]));
  }
}

function summarise(rows: { state: TaskState; late: boolean; count: string }[]): PlanProgress {
  const count = (predicate: (row: { state: TaskState; late: boolean }) => boolean) =>
    rows.filter(predicate).reduce((sum, row) => sum + Number(row.count), 0);
  return {
    total: count(() => true),
    byState: TASK_STATES.map((state) => ({ state, count: count((row) => row.state === state) })),
    overdue: count((row) => row.state === 'OVERDUE'),
    verifiedOnTime: count((row) => row.state === 'VERIFIED' && !row.late),
    verifiedLate: count((row) => row.state === 'VERIFIED' && row.late),
  };
}
