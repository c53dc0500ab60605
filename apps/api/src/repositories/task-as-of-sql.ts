import { LEAF_TASK_SQL } from './task-sql';

// The leaf tasks of one plan as they stood at an instant, derived from task_events alone (the stored
// tasks row is today's). Parameters: $1 plan id, $2 province (null = national), $3 asOf.
// A task with no event up to asOf is ASSIGNED in its first period. The due time an event was judged
// against follows the machine: the current period's date from the task's input (periodDueDates, or
// dueAt), unless a later event moved it: an APPROVE_EXTENSION in the same period, or an AMEND (the
// amended plan's date: one with periodDueDates, or with dueAt null, replaces the whole schedule;
// one with dueAt alone moves its own period's date). Of these, the latest event wins: an AMEND
// supersedes an extension granted before it, an extension granted after an AMEND supersedes it.
// A VERIFY that opens the next period (to IN_PROGRESS) moves to that period's date.
//
// scored: one row per leaf task with
//   state        the to_state of its last event with at <= asOf
//   due_at       the due time in force at asOf
//   category     VERIFIED_ON_TIME | VERIFIED_LATE | PENDING_WITHIN_DEADLINE | OVERDUE | WITHDRAWN (see below)
//   days_late    started days past the due time (verified late: its latest step; overdue: asOf, or
//                the late report waiting for a verdict); null when not late
//   reports_missing  periods whose due time passed by asOf without a report standing (none once withdrawn)
//   withdrawn_at, withdraw_reason  the WITHDRAW event up to asOf, if any
const SCHEDULED_DUE = (period: string) => `CASE
      WHEN jsonb_array_length(l.schedule) > 0 THEN (l.schedule->>(${period})::int)::timestamptz
      WHEN ${period} = 0 THEN (l.input->>'dueAt')::timestamptz
    END`;

const DAYS_PAST = (later: string, earlier: string) => `ceil(extract(epoch FROM ${later} - ${earlier}) / 86400)::int`;

// An AMEND that replaces the whole schedule, and one that moves its own period's date only.
const AMEND_SCHEDULE = `(e.type = 'AMEND' AND (e.payload ? 'periodDueDates' OR (e.payload ? 'dueAt' AND jsonb_typeof(e.payload->'dueAt') = 'null')))`;
const AMEND_DUE = `(e.type = 'AMEND' AND e.payload ? 'dueAt' AND NOT e.payload ? 'periodDueDates' AND jsonb_typeof(e.payload->'dueAt') <> 'null')`;

// The due time of period `period` set by the event `m` (an extension or an AMEND; m.seq null: none,
// the input's schedule).
const DUE_SET_BY = (m: string, period: string) => `CASE
      WHEN ${m}.seq IS NULL THEN ${SCHEDULED_DUE(period)}
      WHEN ${m}.type = 'APPROVE_EXTENSION' THEN (${m}.payload->>'newDueAt')::timestamptz
      WHEN ${m}.payload ? 'periodDueDates' THEN (${m}.payload->'periodDueDates'->>(${period})::int)::timestamptz
      ELSE (${m}.payload->>'dueAt')::timestamptz
    END`;

export const TASKS_AS_OF_CTES = `leaf AS (
  SELECT t.province_code, t.id, t.section_id, t.lead_agency_id, t.sort_key, t.ordinal, t.title, t.timeframe, t.input,
    CASE WHEN jsonb_typeof(t.input->'periodDueDates') = 'array' THEN t.input->'periodDueDates' ELSE '[]'::jsonb END AS schedule
  FROM tasks t
  WHERE t.plan_id = $1 AND ($2::text IS NULL OR t.province_code = $2) AND ${LEAF_TASK_SQL}
),
ev0 AS (
  SELECT e.task_id, e.seq, e.type, e.to_state, e.at, e.payload,
    count(*) FILTER (WHERE e.type = 'VERIFY' AND e.to_state = 'IN_PROGRESS') OVER w AS period_after,
    coalesce(count(*) FILTER (WHERE e.type = 'VERIFY' AND e.to_state = 'IN_PROGRESS')
      OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS period_before,
    max(e.seq) FILTER (WHERE ${AMEND_SCHEDULE}) OVER w AS schedule_after,
    max(e.seq) FILTER (WHERE ${AMEND_SCHEDULE}) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS schedule_before
  FROM leaf l
  JOIN task_events e ON e.province_code = l.province_code AND e.task_id = l.id
  WHERE e.at <= $3::timestamptz
  WINDOW w AS (PARTITION BY e.task_id ORDER BY e.seq)
),
ev AS (
  -- per period: the latest extension or own-period AMEND so far (after: this event included)
  SELECT e.*,
    max(e.seq) FILTER (WHERE e.type = 'APPROVE_EXTENSION' OR ${AMEND_DUE}) OVER p AS moved_after,
    max(e.seq) FILTER (WHERE e.type = 'APPROVE_EXTENSION' OR ${AMEND_DUE}) OVER (p ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
      AS moved_before,
    max(e.seq) FILTER (WHERE ${AMEND_DUE}) OVER p AS amended_after
  FROM ev0 e
  WINDOW p AS (PARTITION BY e.task_id, e.period_before ORDER BY e.seq)
),
steps AS (
  -- the due time in force before each event (due_before) and after it (due_after, in period_after)
  SELECT x.*, ${DUE_SET_BY('mb', 'x.period_before')} AS due_before, ${DUE_SET_BY('ma', 'x.period_after')} AS due_after,
    ${DUE_SET_BY('sa', 'x.period_after')} AS scheduled_after,
    coalesce(CASE WHEN ss.payload ? 'periodDueDates' THEN ss.payload->'periodDueDates' WHEN ss.seq IS NOT NULL THEN '[]'::jsonb END,
      l.schedule) AS schedule_in_force
  FROM ev x
  JOIN leaf l ON l.id = x.task_id
  LEFT JOIN ev0 mb ON mb.task_id = x.task_id AND mb.seq = greatest(x.moved_before, x.schedule_before)
  LEFT JOIN ev0 ma ON ma.task_id = x.task_id
    AND ma.seq = greatest(CASE WHEN x.period_after = x.period_before THEN x.moved_after END, x.schedule_after)
  -- the plan's own date (an AMEND moves it, an extension does not)
  LEFT JOIN ev0 sa ON sa.task_id = x.task_id
    AND sa.seq = greatest(CASE WHEN x.period_after = x.period_before THEN x.amended_after END, x.schedule_after)
  LEFT JOIN ev0 ss ON ss.task_id = x.task_id AND ss.seq = x.schedule_after
),
last_step AS (
  SELECT DISTINCT ON (s.task_id) s.task_id, s.to_state, s.period_after, s.due_after, s.scheduled_after, s.schedule_in_force
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
withdrawal AS (
  SELECT s.task_id, s.at, s.payload->>'reason' AS reason FROM steps s WHERE s.type = 'WITHDRAW'
),
as_of AS (
  SELECT l.*, coalesce(s.to_state, 'ASSIGNED') AS state, coalesce(s.period_after, 0)::int AS period,
    CASE WHEN s.task_id IS NULL THEN ${SCHEDULED_DUE('0')} ELSE s.due_after END AS due_at,
    CASE WHEN s.task_id IS NULL THEN ${SCHEDULED_DUE('0')} ELSE s.scheduled_after END AS scheduled_due_at,
    w.days_late AS worst_days_late, r.late AS report_late, r.days_late AS report_days_late,
    wd.at AS withdrawn_at, wd.reason AS withdraw_reason,
    (SELECT count(*) FROM jsonb_array_elements_text(coalesce(s.schedule_in_force, l.schedule)) WITH ORDINALITY p(due, n)
     WHERE p.n - 1 > coalesce(s.period_after, 0) AND p.due::timestamptz < $3::timestamptz)::int AS later_periods_missed
  FROM leaf l
  LEFT JOIN last_step s ON s.task_id = l.id
  LEFT JOIN last_report r ON r.task_id = l.id
  LEFT JOIN worst_step w ON w.task_id = l.id
  LEFT JOIN withdrawal wd ON wd.task_id = l.id
),
scored AS (
  -- withdrawn: its own category (no longer part of the plan: not late, no report missing);
  -- verified: on time or late as the machine marked it (a report or verification after the due time);
  -- reported: waiting for a verdict, overdue when the report came after the due time;
  -- otherwise overdue once the due time passed.
  SELECT a.*,
    CASE
      WHEN a.state = 'WITHDRAWN' THEN 'WITHDRAWN'
      WHEN a.state = 'VERIFIED' THEN CASE WHEN a.worst_days_late IS NULL THEN 'VERIFIED_ON_TIME' ELSE 'VERIFIED_LATE' END
      WHEN a.state = 'REPORTED' THEN CASE WHEN a.report_late THEN 'OVERDUE' ELSE 'PENDING_WITHIN_DEADLINE' END
      WHEN a.due_at < $3::timestamptz THEN 'OVERDUE'
      ELSE 'PENDING_WITHIN_DEADLINE'
    END AS category,
    CASE
      WHEN a.state = 'WITHDRAWN' THEN NULL
      WHEN a.state = 'VERIFIED' THEN a.worst_days_late
      WHEN a.state = 'REPORTED' THEN CASE WHEN a.report_late THEN a.report_days_late END
      WHEN a.due_at < $3::timestamptz THEN ${DAYS_PAST('$3::timestamptz', 'a.due_at')}
    END AS days_late,
    CASE WHEN a.state = 'WITHDRAWN' THEN 0
      ELSE (CASE WHEN a.state NOT IN ('REPORTED', 'VERIFIED') AND a.due_at < $3::timestamptz THEN 1 ELSE 0 END) + a.later_periods_missed
    END AS reports_missing
  FROM as_of a
)`;
