import type { DataSource } from 'typeorm';
import type { TaskState } from '@app/lifecycle';
import type { Scope } from '../common/scope';
import { ReadRouter, type ReadPreference } from './read-routing';
import { TASKS_AS_OF_CTES } from './task-as-of-sql';

// The four categories of the Government Office's task tracking, plus reports missing and lateness;
// withdrawn tasks (an amended plan no longer holds them) are counted apart, outside the total.
export interface ScoreCounts {
  total: number;
  withdrawn: number;
  verifiedOnTime: number;
  verifiedLate: number;
  pendingWithinDeadline: number;
  overdue: number;
  reportsMissing: number;
  averageDaysLate: number | null;
}

export interface AgencyScoreRow extends ScoreCounts {
  agencyId: string;
  agencyName: string;
}

export interface SectionScoreRow extends ScoreCounts {
  sectionId: string | null; // null: the tasks that stand under no section
  ordinal: string | null;
  title: string | null;
}

export interface PlanScores {
  agencies: AgencyScoreRow[]; // in the order the plan first names each agency as lead
  sections: SectionScoreRow[]; // in plan order; tasks under no section last
  total: ScoreCounts;
}

export type TaskCategory = 'VERIFIED_ON_TIME' | 'VERIFIED_LATE' | 'PENDING_WITHIN_DEADLINE' | 'OVERDUE' | 'WITHDRAWN';

// One leaf task of the appendix as it stood at asOf.
export interface TaskAsOfRow {
  taskId: string;
  sectionId: string | null;
  ordinal: string;
  title: string;
  timeframe: string;
  leadAgencyName: string;
  coordinatingAgencyNames: string[];
  state: TaskState;
  period: number; // 0-based reporting period the task was in
  dueAt: Date | null; // in force at asOf (an approved extension included)
  scheduledDueAt: Date | null; // the plan's own date for that period
  category: TaskCategory;
  daysLate: number | null;
  reportsMissing: number;
  report: { at: Date; summary: string; value: string | null } | null; // the latest report up to asOf
  verdict: { type: 'VERIFY' | 'REJECT'; at: Date; comment: string | null } | null; // given on that report, up to asOf
  withdrawal: { at: Date; reason: string } | null; // the amended plan withdrew it, up to asOf
}

const COUNT_COLUMNS = `count(*) FILTER (WHERE sc.category <> 'WITHDRAWN')::int AS total,
  count(*) FILTER (WHERE sc.category = 'WITHDRAWN')::int AS withdrawn,
  count(*) FILTER (WHERE sc.category = 'VERIFIED_ON_TIME')::int AS verified_on_time,
  count(*) FILTER (WHERE sc.category = 'VERIFIED_LATE')::int AS verified_late,
  count(*) FILTER (WHERE sc.category = 'PENDING_WITHIN_DEADLINE')::int AS pending_within_deadline,
  count(*) FILTER (WHERE sc.category = 'OVERDUE')::int AS overdue,
  coalesce(sum(sc.reports_missing), 0)::int AS reports_missing,
  round(avg(sc.days_late), 2)::float8 AS average_days_late`;

// Per lead agency, per section and for the whole plan in one statement (grouping sets).
const SCORES_SQL = `WITH ${TASKS_AS_OF_CTES}
SELECT GROUPING(sc.lead_agency_id) AS agency_grouped, GROUPING(sc.section_id) AS section_grouped,
  sc.lead_agency_id, a.name AS agency_name, sc.section_id, sec.ordinal AS section_ordinal, sec.title AS section_title,
  min(sc.sort_key) AS first_sort_key, min(sec.position) AS section_position,
  ${COUNT_COLUMNS}
FROM scored sc
LEFT JOIN agencies a ON a.province_code = sc.province_code AND a.id = sc.lead_agency_id
LEFT JOIN sections sec ON sec.province_code = sc.province_code AND sec.id = sc.section_id
GROUP BY GROUPING SETS ((sc.lead_agency_id, a.name), (sc.section_id, sec.ordinal, sec.title), ())`;

const TASKS_SQL = `WITH ${TASKS_AS_OF_CTES},
last_verdict AS (
  SELECT DISTINCT ON (s.task_id) s.task_id, s.seq, s.type, s.at, s.payload->>'comment' AS comment
  FROM steps s WHERE s.type IN ('VERIFY', 'REJECT') ORDER BY s.task_id, s.seq DESC
)
SELECT sc.id, sc.section_id, sc.ordinal, sc.title, sc.timeframe, sc.state, sc.period, sc.due_at, sc.scheduled_due_at,
  sc.category, sc.days_late, sc.reports_missing,
  a.name AS lead_agency_name,
  ARRAY(SELECT ca.name FROM task_coordinators c
        JOIN agencies ca ON ca.province_code = c.province_code AND ca.id = c.agency_id
        WHERE c.province_code = sc.province_code AND c.task_id = sc.id ORDER BY c.position, ca.name) AS coordinating_agency_names,
  r.at AS report_at, r.payload->'report'->>'summary' AS report_summary, r.payload->'report'->>'value' AS report_value,
  v.type AS verdict_type, v.at AS verdict_at, v.comment AS verdict_comment,
  sc.withdrawn_at, sc.withdraw_reason
FROM scored sc
LEFT JOIN agencies a ON a.province_code = sc.province_code AND a.id = sc.lead_agency_id
LEFT JOIN last_report r ON r.task_id = sc.id
LEFT JOIN last_verdict v ON v.task_id = sc.id AND v.seq > r.seq
ORDER BY sc.sort_key`;

type Row = Record<string, unknown>;

// Progress of a plan as of any instant, computed in SQL from task_events (never from today's rows).
// Scorecards and report exports read a replica (read-routing.ts); sealing a period close reads
// the primary (read: 'primary'), since its figures are kept for good.
export class ScorecardRepository {
  private readonly reads: ReadRouter;

  constructor(dataSource: DataSource) {
    this.reads = ReadRouter.of(dataSource);
  }

  async scores(scope: Scope, planId: string, asOf: Date, read: ReadPreference = 'replica'): Promise<PlanScores> {
    const rows: Row[] = await this.reads.query(read, SCORES_SQL, [planId, scope.provinceCode, asOf.toISOString()]);
    const agencies = rows
      .filter((row) => Number(row.agency_grouped) === 0)
      .sort((a, b) => Number(a.first_sort_key) - Number(b.first_sort_key))
      .map((row) => ({ agencyId: row.lead_agency_id as string, agencyName: (row.agency_name as string | null) ?? '', ...counts(row) }));
    const sections = rows
      .filter((row) => Number(row.section_grouped) === 0)
      .sort((a, b) => position(a) - position(b))
      .map((row) => ({
        sectionId: (row.section_id as string | null) ?? null,
        ordinal: (row.section_ordinal as string | null) ?? null,
        title: (row.section_title as string | null) ?? null,
        ...counts(row),
      }));
    const totalRow = rows.find((row) => Number(row.agency_grouped) === 1 && Number(row.section_grouped) === 1);
    return { agencies, sections, total: totalRow ? counts(totalRow) : counts({}) };
  }

  async tasksAsOf(scope: Scope, planId: string, asOf: Date, read: ReadPreference = 'replica'): Promise<TaskAsOfRow[]> {
    const rows: Row[] = await this.reads.query(read, TASKS_SQL, [planId, scope.provinceCode, asOf.toISOString()]);
    return rows.map(toTaskAsOf);
  }
}

function position(row: Row): number {
  return row.section_id === null ? Number.MAX_SAFE_INTEGER : Number(row.section_position);
}

function counts(row: Row): ScoreCounts {
  return {
    total: Number(row.total ?? 0),
    withdrawn: Number(row.withdrawn ?? 0),
    verifiedOnTime: Number(row.verified_on_time ?? 0),
    verifiedLate: Number(row.verified_late ?? 0),
    pendingWithinDeadline: Number(row.pending_within_deadline ?? 0),
    overdue: Number(row.overdue ?? 0),
    reportsMissing: Number(row.reports_missing ?? 0),
    averageDaysLate: row.average_days_late === null || row.average_days_late === undefined ? null : Number(row.average_days_late),
  };
}

function toTaskAsOf(row: Row): TaskAsOfRow {
  const verdictType = row.verdict_type as 'VERIFY' | 'REJECT' | null;
  return {
    taskId: row.id as string,
    sectionId: (row.section_id as string | null) ?? null,
    ordinal: row.ordinal as string,
    title: row.title as string,
    timeframe: row.timeframe as string,
    leadAgencyName: (row.lead_agency_name as string | null) ?? '',
    coordinatingAgencyNames: (row.coordinating_agency_names as string[] | null) ?? [],
    state: row.state as TaskState,
    period: Number(row.period),
    dueAt: (row.due_at as Date | null) ?? null,
    scheduledDueAt: (row.scheduled_due_at as Date | null) ?? null,
    category: row.category as TaskCategory,
    daysLate: row.days_late === null ? null : Number(row.days_late),
    reportsMissing: Number(row.reports_missing),
    report: row.report_at
      ? {
          at: row.report_at as Date,
          summary: (row.report_summary as string | null) ?? '',
          value: (row.report_value as string | null) ?? null,
        }
      : null,
    verdict: verdictType
      ? { type: verdictType, at: row.verdict_at as Date, comment: (row.verdict_comment as string | null) ?? null }
      : null,
    withdrawal: row.withdrawn_at ? { at: row.withdrawn_at as Date, reason: (row.withdraw_reason as string | null) ?? '' } : null,
  };
}
