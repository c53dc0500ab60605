import type { DataSource } from 'typeorm';
import type { Scope } from '../common/scope';
import { isUniqueViolation } from './transaction';

// One sealed period of a plan (period_closes, append-only).
export interface PeriodCloseEntity {
  provinceCode: string;
  planId: string;
  seq: number; // 1, 2, … per plan, in the order the periods were closed
  period: string;
  cutoff: Date;
  closedAt: Date;
  closedBy: string | null;
  closedByAgencyId: string | null;
  figures: unknown; // the sealed figures, as jsonb returns them
  prevHash: string;
  hash: string;
}

export type NewPeriodClose = Omit<PeriodCloseEntity, 'provinceCode' | 'planId' | 'seq' | 'prevHash' | 'hash'>;

// An event recorded after a period's cut-off on one of the tasks the period sealed.
export interface AmendmentRow {
  taskId: string;
  ordinal: string;
  seq: number;
  type: string;
  fromState: string | null;
  toState: string;
  actor: string | null;
  at: Date;
  comment: string | null;
}

export class PeriodAlreadyClosedError extends Error {}

const COLUMNS = `province_code, plan_id, seq, period, cutoff, closed_at, closed_by, closed_by_agency_id, figures, prev_hash, hash`;

const AMENDMENTS_SQL = `SELECT e.task_id, t.ordinal, e.seq, e.type, e.from_state, e.to_state, e.actor, e.at, e.payload->>'comment' AS comment
FROM task_events e
JOIN tasks t ON t.province_code = e.province_code AND t.id = e.task_id
WHERE e.province_code = $1 AND e.task_id = ANY($2::uuid[]) AND e.at > $3::timestamptz AND t.plan_id = $4
ORDER BY e.at, t.sort_key, e.seq
LIMIT $5`;

type Row = Record<string, unknown>;

export class PeriodCloseRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: Scope, plan: { provinceCode: string; id: string }): Promise<PeriodCloseEntity[]> {
    if (!scope.includes(plan.provinceCode)) return [];
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM period_closes WHERE province_code = $1 AND plan_id = $2 ORDER BY seq`,
      [plan.provinceCode, plan.id],
    );
    return rows.map(toClose);
  }

  async find(scope: Scope, plan: { provinceCode: string; id: string }, period: string): Promise<PeriodCloseEntity | null> {
    if (!scope.includes(plan.provinceCode)) return null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM period_closes WHERE province_code = $1 AND plan_id = $2 AND period = $3`,
      [plan.provinceCode, plan.id, period],
    );
    return rows.length > 0 ? toClose(rows[0]) : null;
  }

  // Appends a close after the plan's last one, the plan row locked so that two closes of one plan
  // chain one after the other. seal: the hash over the previous close's hash (null: the first).
  // Throws PeriodAlreadyClosedError when the period is closed already.
  async append(
    plan: { provinceCode: string; id: string },
    close: NewPeriodClose,
    seal: (prevHash: string | null) => { prevHash: string; hash: string },
  ): Promise<PeriodCloseEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT 1 FROM plans WHERE province_code = $1 AND id = $2 FOR UPDATE`, [plan.provinceCode, plan.id]);
        const closed: Row[] = await manager.query(`SELECT 1 FROM period_closes WHERE province_code = $1 AND plan_id = $2 AND period = $3`, [
          plan.provinceCode,
          plan.id,
          close.period,
        ]);
        if (closed.length > 0) throw new PeriodAlreadyClosedError(close.period);
        const top: Row[] = await manager.query(
          `SELECT seq, hash FROM period_closes WHERE province_code = $1 AND plan_id = $2 ORDER BY seq DESC LIMIT 1`,
          [plan.provinceCode, plan.id],
        );
        const { prevHash, hash } = seal((top[0]?.hash as string | undefined) ?? null);
        const rows: Row[] = await manager.query(
          `INSERT INTO period_closes (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11) RETURNING ${COLUMNS}`,
          [
            plan.provinceCode,
            plan.id,
            Number(top[0]?.seq ?? 0) + 1,
            close.period,
            close.cutoff.toISOString(),
            close.closedAt.toISOString(),
            close.closedBy,
            close.closedByAgencyId,
            JSON.stringify(close.figures),
            prevHash,
            hash,
          ],
        );
        return toClose(rows[0]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new PeriodAlreadyClosedError(close.period);
      throw error;
    }
  }

  // Events after the cut-off on the given tasks, oldest first, at most limit.
  async amendments(
    plan: { provinceCode: string; id: string },
    taskIds: readonly string[],
    cutoff: Date,
    limit: number,
  ): Promise<AmendmentRow[]> {
    if (taskIds.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(AMENDMENTS_SQL, [
      plan.provinceCode,
      [...taskIds],
      cutoff.toISOString(),
      plan.id,
      limit,
    ]);
    return rows.map((row) => ({
      taskId: row.task_id as string,
      ordinal: row.ordinal as string,
      seq: Number(row.seq),
      type: row.type as string,
      fromState: (row.from_state as string | null) ?? null,
      toState: row.to_state as string,
      actor: (row.actor as string | null) ?? null,
      at: row.at as Date,
      comment: (row.comment as string | null) ?? null,
    }));
  }
}

function toClose(row: Row): PeriodCloseEntity {
  return {
    provinceCode: row.province_code as string,
    planId: row.plan_id as string,
    seq: Number(row.seq),
    period: row.period as string,
    cutoff: row.cutoff as Date,
    closedAt: row.closed_at as Date,
    closedBy: (row.closed_by as string | null) ?? null,
    closedByAgencyId: (row.closed_by_agency_id as string | null) ?? null,
    figures: row.figures,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}
