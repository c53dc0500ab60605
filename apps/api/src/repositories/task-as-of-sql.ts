import { LEAF_TASK_SQL } from './task-sql';

// The leaf tasks of one plan as they stood at an instant, derived from task_events alone (the stored
// tasks row is today's). Parameters: $1 plan id, $2 province (null = national), $3 asOf.
// A task with no event up to asOf is ASSIGNED in its first period. The due time an event was judged
// against follows the machine: the current period's date from the task's input (periodDueDates, or
// dueAt), unless an APPROVE_EXTENSION earlier in the same period moved it; a VERIFY that opens the
// next period (to IN_PROGRESS) moves to that period's date.
//
// scored: one row per leaf task with
//   state        the to_state of its last event with at <= asOf
//   due_at       the due time in force at asOf
//   category     VERIFIED_ON_TIME | VERIFIED_LATE | PENDING_WITHIN_DEADLINE | OVERDUE (see below)
//   days_late    started days past the due time (verified late: its latest step; overdue: asOf, or
//                the late report waiting for a verdict); null when not late
//   reports_missing  periods whose due time passed by asOf without a report standing
const SCHEDULED_DUE = (period: string) => `CASE
      WHEN jsonb_array_length(l.schedule) > 0 THEN (l.schedule->>(${period})::int)::timestamptz
      WHEN ${period} = 0 THEN (l.input->>'dueAt')::timestamptz
    END`;

const DAYS_PAST = (later: string, earlier: string) => `ceil(extract(epoch FROM ${later} - ${earlier}) / 86400)::int`;

export const TASKS_AS_OF_CTES = `leaf AS (
  SELECT t.province_code, t.id, t.section_id, t.lead_agency_id, t.sort_key, t.ordinal, t.title, t.timeframe, t.input,
    CASE WHEN jsonb_typeof(t.input->'periodDueDates') = 'array' THEN t.input->'periodDueDates' ELSE '[]'::jsonb END AS schedule
  FROM tasks t
  WHERE t.plan_id = $1 AND ($2::text IS NULL OR t.province_code = $2) AND ${LEAF_TASK_SQL}
),
ev AS (
  SELECT e.task_id, e.seq, e.type, e.to_state, e.at, e.payload,
    count(*) FILTER (WHERE e.type = 'VERIFY' AND e.to_state = 'IN_PROGRESS') OVER w AS period_after,
    count(*) FILTER (WHERE e.type = 'VERIFY' AND e.to_state = 'IN_PROGRESS')
      OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS period_before,
    count(*) FILTER (WHERE e.type = 'APPROVE_EXTENSION') OVER w AS extensions
  FROM leaf l
  JOIN task_events e ON e.province_code = l.province_code AND e.task_id = l.id
  WHERE e.at <= $3::timestamptz
  WINDOW w AS (PARTITION BY e.task_id ORDER BY e.seq)
),
steps AS (
  -- an extension opens a run of events (same period, same count of extensions) that it leads
  SELECT x.*, coalesce(x.extended_before, ${SCHEDULED_DUE('x.period_before')}) AS due_before
  FROM (
    SELECT ev.*,
      (first_value(CASE WHEN ev.type = 'APPROVE_EXTENSION' THEN ev.payload->>'newDueAt' END)
        OVER (PARTITION BY ev.task_id, ev.period_before, ev.extensions ORDER BY ev.seq))::timestamptz AS extended_before,
      (first_value(CASE WHEN ev.type = 'APPROVE_EXTENSION' THEN ev.payload->>'newDueAt' END)
        OVER (PARTITION BY ev.task_id, ev.period_after, ev.extensions ORDER BY ev.seq))::timestamptz AS extended_after
    FROM ev
  ) x
  JOIN leaf l ON l.id = x.task_id
),
last_step AS (
  SELECT DISTINCT ON (s.task_id) s.task_id, s.to_state, s.period_after, s.extended_after
  FROM steps s ORDER BY s.task_id, s.seq DESC
),
last_report AS (
  SELECT DISTINCT ON (s.task_id) s.task_id, s.seq, s.at, s.payload, s.at > s.due_before AS late, ${DAYS_PAST('s.at', 's.due_before')} AS days_late
  FROM steps s WHERE s.type = 'SUBMIT_REPORT' ORDER BY s.task_id, s.seq DESC
),
worst_step AS (
  SELECT s.task_id, max(${DAYS_PAST('s.at', 's.due_before')}) AS days_late
  FROM steps s WHERE s.type IN ('SUBMIT_REPORT', 'VERIFY') AND s.at > s.due_before GROUP BY s.task_id
),
as_of AS (
  SELECT l.*, coalesce(s.to_state, 'ASSIGNED') AS state, coalesce(s.period_after, 0)::int AS period,
    coalesce(s.extended_after, ${SCHEDULED_DUE('coalesce(s.period_after, 0)')}) AS due_at,
    ${SCHEDULED_DUE('coalesce(s.period_after, 0)')} AS scheduled_due_at,
    w.days_late AS worst_days_late, r.late AS report_late, r.days_late AS report_days_late,
    (SELECT count(*) FROM jsonb_array_elements_text(l.schedule) WITH ORDINALITY p(due, n)
     WHERE p.n - 1 > coalesce(s.period_after, 0) AND p.due::timestamptz < $3::timestamptz)::int AS later_periods_missed
  FROM leaf l
  LEFT JOIN last_step s ON s.task_id = l.id
  LEFT JOIN last_report r ON r.task_id = l.id
  LEFT JOIN worst_step w ON w.task_id = l.id
),
scored AS (
  -- verified: on time or late as the machine marked it (a report or verification after the due time);
  -- reported: waiting for a verdict, overdue when the report came after the due time;
  -- otherwise overdue once the due time passed.
  SELECT a.*,
    CASE
      WHEN a.state = 'VERIFIED' THEN CASE WHEN a.worst_days_late IS NULL THEN 'VERIFIED_ON_TIME' ELSE 'VERIFIED_LATE' END
      WHEN a.state = 'REPORTED' THEN CASE WHEN a.report_late THEN 'OVERDUE' ELSE 'PENDING_WITHIN_DEADLINE' END
      WHEN a.due_at < $3::timestamptz THEN 'OVERDUE'
      ELSE 'PENDING_WITHIN_DEADLINE'
    END AS category,
    CASE
      WHEN a.state = 'VERIFIED' THEN a.worst_days_late
      WHEN a.state = 'REPORTED' THEN CASE WHEN a.report_late THEN a.report_days_late END
      WHEN a.due_at < $3::timestamptz THEN ${DAYS_PAST('$3::timestamptz', 'a.due_at')}
    END AS days_late,
    (CASE WHEN a.state NOT IN ('REPORTED', 'VERIFIED') AND a.due_at < $3::timestamptz THEN 1 ELSE 0 END) + a.later_periods_missed
      AS reports_missing
  FROM as_of a
)`;
