// Seeded data generators. The plan, province, agencies and section are written through the service
// layer (PlanWriterService); the bulk of tasks and events is generated in SQL (generate_series,
// INSERT … SELECT) into the real schema, with snapshots and hash chains the lifecycle and the
// audit accept (checked by the caller with verifyAuditTrail where it matters).
import type { DataSource } from 'typeorm';
import { applyTaskEvent, createTaskSnapshot, type StoredTaskSnapshot, type TaskEvent, type TaskInput } from '../../libs/lifecycle/src';
import { canonicalJson } from '../../apps/api/src/audit/canonical-json';
import type { Services } from '../../apps/api/src/services';
import { AGENCIES, testPlan } from '../../test/support/fixtures';
import type { NewTask } from '../../apps/api/src/plans/new-plan';

export { AGENCIES };

export interface SeededPlan {
  provinceCode: string;
  planId: string;
  sectionId: string;
  agencyIds: Record<string, string>; // by code
}

export const FUTURE_DUE = '2030-12-31T16:59:59.999Z';
export const PAST_DUE = '2020-06-30T16:59:59.999Z';

// A plan (province, agencies incl. the People's Committee, section) through PlanWriterService.
export async function seedPlan(
  services: Services,
  dataSource: DataSource,
  provinceCode: string,
  tasks: Partial<NewTask>[] = [],
): Promise<SeededPlan> {
  const plan = testPlan({ code: provinceCode, name: `Tỉnh đo hiệu năng ${provinceCode}` }, tasks);
  const written = await services.planWriter.write(plan);
  const agencies: { code: string; id: string }[] = await dataSource.query('SELECT code, id FROM agencies WHERE province_code = $1', [
    provinceCode,
  ]);
  const [section] = await dataSource.query('SELECT id FROM sections WHERE province_code = $1 AND plan_id = $2', [provinceCode, written.id]);
  return {
    provinceCode,
    planId: written.id,
    sectionId: section.id,
    agencyIds: Object.fromEntries(agencies.map((a) => [a.code, a.id])),
  };
}

export interface BulkTaskShape {
  count: number;
  seed: number;
  pastDueEvery?: number; // every n-th task is due in the past (0 = none)
  // the stored state after a history (audit data); default: freshly assigned
  stored?: { snapshot: StoredTaskSnapshot; version: number };
  ordinalPrefix?: string;
}

// `count` leaf tasks led by Sở Tư pháp with Sở TT&TT coordinating, in one INSERT … SELECT.
// Ids are md5(seed, province, n) so a seed gives the same rows.
export async function bulkTasks(dataSource: DataSource, plan: SeededPlan, shape: BulkTaskShape): Promise<void> {
  const future: TaskInput = { dueAt: FUTURE_DUE };
  const past: TaskInput = { dueAt: PAST_DUE };
  const futureSnapshot = shape.stored?.snapshot ?? createTaskSnapshot(future);
  const pastSnapshot = createTaskSnapshot(past);
  const every = shape.pastDueEvery ?? 0;
  const prefix = shape.ordinalPrefix ?? 'B';
  await dataSource.query(
    `INSERT INTO tasks (province_code, id, plan_id, section_id, ordinal, title, lead_agency_id, timeframe, state, input, snapshot,
       version, due_at, original_due_at, late)
     SELECT $1, md5($2 || ':' || $1 || ':' || $12 || ':' || g)::uuid, $3, $4, $12 || '.' || g,
       'Nhiệm vụ sinh tự động số ' || g, $5, 'Năm 2030',
       (CASE WHEN $6 > 0 AND g % $6 = 0 THEN $8::jsonb ELSE $10::jsonb END)->>'state',
       CASE WHEN $6 > 0 AND g % $6 = 0 THEN $7::jsonb ELSE $9::jsonb END,
       CASE WHEN $6 > 0 AND g % $6 = 0 THEN $8::jsonb ELSE $10::jsonb END,
       CASE WHEN $6 > 0 AND g % $6 = 0 THEN 0 ELSE $11 END,
       CASE WHEN $6 > 0 AND g % $6 = 0 THEN ($7::jsonb->>'dueAt')::timestamptz ELSE ($9::jsonb->>'dueAt')::timestamptz END,
       CASE WHEN $6 > 0 AND g % $6 = 0 THEN ($7::jsonb->>'dueAt')::timestamptz ELSE ($9::jsonb->>'dueAt')::timestamptz END,
       false
     FROM generate_series(1, $13::int) g`,
    [
      plan.provinceCode,
      String(shape.seed),
      plan.planId,
      plan.sectionId,
      plan.agencyIds[AGENCIES.justice.code],
      every,
      JSON.stringify(past),
      JSON.stringify(pastSnapshot),
      JSON.stringify(future),
      JSON.stringify(futureSnapshot),
      shape.stored?.version ?? 0,
      prefix,
      shape.count,
    ],
  );
  await dataSource.query(
    `INSERT INTO task_coordinators (province_code, task_id, agency_id, position)
     SELECT province_code, id, $3, 0 FROM tasks WHERE province_code = $1 AND plan_id = $2 AND ordinal LIKE $4 || '.%'`,
    [plan.provinceCode, plan.planId, plan.agencyIds[AGENCIES.ict.code], prefix],
  );
}

export async function taskIds(dataSource: DataSource, plan: SeededPlan, prefix = 'B'): Promise<string[]> {
  const rows: { id: string }[] = await dataSource.query(
    `SELECT id FROM tasks WHERE province_code = $1 AND plan_id = $2 AND ordinal LIKE $3 || '.%' ORDER BY sort_key`,
    [plan.provinceCode, plan.planId, prefix],
  );
  return rows.map((r) => r.id);
}

export async function analyze(dataSource: DataSource): Promise<void> {
  await dataSource.query('ANALYZE tasks, task_events, task_coordinators');
}

interface HistoryStep {
  type: string;
  fromState: string;
  toState: string;
  at: string;
  payload: Record<string, unknown>;
  machineVersion: number;
}

// A history of `length` events the lifecycle takes, as the service would record it for the lead
// agency's officer (START, then SUBMIT_REPORT / REJECT by the monitoring agency, all before the due
// time): the steps and the snapshot it leaves.
export function auditHistory(
  agencyIds: Record<string, string>,
  length: number,
): { steps: HistoryStep[]; snapshot: StoredTaskSnapshot; input: TaskInput } {
  const input: TaskInput = { dueAt: FUTURE_DUE };
  let snapshot = createTaskSnapshot(input);
  const officer = { userId: 'bench-officer', agencyId: agencyIds[AGENCIES.justice.code] };
  const supervisor = { userId: 'bench-supervisor', agencyId: agencyIds[AGENCIES.monitoring.code] };
  const steps: HistoryStep[] = [];
  const start = Date.parse('2030-01-02T02:00:00.000Z');
  for (let i = 0; i < length; i++) {
    const at = new Date(start + i * 3_600_000).toISOString();
    const type = i === 0 ? 'START' : i % 2 === 1 ? 'SUBMIT_REPORT' : 'REJECT';
    const payload: Record<string, unknown> =
      type === 'START'
        ? { by: officer }
        : type === 'SUBMIT_REPORT'
          ? { report: { summary: `Báo cáo lần ${i}`, value: String(i) }, by: officer }
          : { comment: 'Đề nghị bổ sung số liệu', by: supervisor };
    const outcome = applyTaskEvent(snapshot, { ...payload, type, at } as TaskEvent);
    if (!outcome.taken) throw new Error(`generated history: step ${i} ${type} not taken: ${outcome.reason}`);
    steps.push({
      type,
      fromState: snapshot.state,
      toState: outcome.snapshot.state,
      at,
      payload,
      machineVersion: outcome.snapshot.machineVersion,
    });
    snapshot = outcome.snapshot;
  }
  return { steps, snapshot, input };
}

// Appends the history to every bulk task of the plan: one INSERT … SELECT per step, the hash chain
// computed by PostgreSQL (sha256) over the same canonical JSON the service hashes; then last_hash.
export async function appendHistories(
  dataSource: DataSource,
  plan: SeededPlan,
  history: ReturnType<typeof auditHistory>,
  onStep: (step: number) => void = () => undefined,
): Promise<void> {
  const MARK = '00000000-0000-4000-8000-00000000beef';
  const [genesisBefore, genesisAfter] = canonicalJson({ taskId: MARK, input: history.input }).split(MARK);
  for (const [i, step] of history.steps.entries()) {
    const seq = i + 1;
    const by = step.payload.by as { userId: string; agencyId: string };
    const content = canonicalJson({
      taskId: MARK,
      seq,
      type: step.type,
      fromState: step.fromState,
      toState: step.toState,
      actor: by.userId,
      actorAgencyId: by.agencyId,
      at: step.at,
      payload: step.payload,
      machineVersion: step.machineVersion,
    });
    const [before, after] = content.split(MARK);
    await dataSource.query(
      `INSERT INTO task_events (province_code, task_id, seq, type, from_state, to_state, actor, actor_agency_id, at, payload,
         idempotency_key, machine_version, prev_hash, hash)
       SELECT t.province_code, t.id, $3::int, $4, $5, $6, $7, $8::uuid, $9::timestamptz, $10::jsonb, NULL, $11::int, p.prev,
         encode(sha256(convert_to(p.prev || E'\\n' || $12 || t.id::text || $13, 'UTF8')), 'hex')
       FROM tasks t
       CROSS JOIN LATERAL (SELECT CASE WHEN $3::int = 1
           THEN encode(sha256(convert_to($14 || t.id::text || $15, 'UTF8')), 'hex')
           ELSE (SELECT e.hash FROM task_events e WHERE e.province_code = t.province_code AND e.task_id = t.id AND e.seq = $3::int - 1)
         END AS prev) p
       WHERE t.province_code = $1 AND t.plan_id = $2`,
      [
        plan.provinceCode,
        plan.planId,
        seq,
        step.type,
        step.fromState,
        step.toState,
        by.userId,
        by.agencyId,
        step.at,
        JSON.stringify(step.payload),
        step.machineVersion,
        before,
        after,
        genesisBefore,
        genesisAfter,
      ],
    );
    onStep(seq);
  }
  await dataSource.query(
    // a correlated primary-key look-up: a join here was planned as a nested loop over a seq scan of
    // task_events (not analyzed yet) and ran for minutes
    `UPDATE tasks t SET last_hash = (
       SELECT e.hash FROM task_events e WHERE e.province_code = t.province_code AND e.task_id = t.id AND e.seq = t.version)
     WHERE t.province_code = $1 AND t.plan_id = $2`,
    [plan.provinceCode, plan.planId],
  );
}
