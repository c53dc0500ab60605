import type { DataSource } from 'typeorm';
import type { Scope } from '../common/scope';
import { AccessDenialEntity } from '../database/entities/access-denial.entity';

export { AccessDenialEntity };

export type NewAccessDenial = Omit<AccessDenialEntity, 'id'>;

export interface AccessDenialPageQuery {
  first: number;
  // keyset: rows strictly older than this (at, id)
  before: { at: Date; id: string } | null;
}

const INSERT_SQL = `INSERT INTO access_denials
  (province_code, id, at, actor_sub, actor_province, actor_agency, roles, operation, task_id, target, rule, message)
VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11)`;

// Refused attempts, for auditors. Written by one INSERT outside the refused transaction.
export class AccessDenialRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(denial: NewAccessDenial): Promise<void> {
    await this.dataSource.query(INSERT_SQL, [
      denial.provinceCode,
      denial.at.toISOString(),
      denial.actorSub,
      denial.actorProvince,
      denial.actorAgency,
      denial.roles,
      denial.operation,
      denial.taskId,
      denial.target,
      denial.rule,
      denial.message,
    ]);
  }

  // Newest first, one more row than asked so the caller knows whether a next page exists.
  async page(scope: Scope, query: AccessDenialPageQuery): Promise<AccessDenialEntity[]> {
    const builder = this.dataSource.getRepository(AccessDenialEntity).createQueryBuilder('d');
    if (scope.provinceCode !== null) builder.andWhere('d.province_code = :province', { province: scope.provinceCode });
    if (query.before) {
      builder.andWhere('(d.at, d.id) < (:at, :id)', { at: query.before.at.toISOString(), id: query.before.id });
    }
    return builder
      .orderBy('d.at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .take(query.first + 1)
      .getMany();
  }
}
