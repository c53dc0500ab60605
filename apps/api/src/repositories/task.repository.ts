import { In, type DataSource, type EntityManager } from 'typeorm';
import type { TaskEventType, TaskState } from '@app/lifecycle';
import type { Scope } from '../common/scope';
import { TaskCoordinatorEntity } from '../database/entities/task-coordinator.entity';
import { TaskEntity, readSnapshot } from '../database/entities/task.entity';
import { AgencyEntity, PROVINCIAL_COMMITTEE_CODE } from './agency.repository';
import { LEAF_TASK_SQL, agencyInvolvedSql } from './task-sql';
import { ReadRouter } from './read-routing';
import { inScope } from './scope-where';
import { TASK_CHANGED_CHANNEL } from './task-change-feed';
import { managerOf, preparedQuery, type Tx } from './transaction';

export { TaskEntity };

export interface TaskFilter {
  planId?: string | null;
  state?: TaskState | null;
  agencyId?: string | null; // lead or coordinating, itself or as a member of a group
  afterSortKey?: string | null;
  first: number;
}

export interface TaskPage {
  tasks: TaskEntity[];
  hasNextPage: boolean;
  totalCount: number;
  // read with the page: each task's coordinating agencies in the plan's order, and the tasks split by children
  coordinatorIds: ReadonlyMap<string, readonly string[]>;
  withChildren: ReadonlySet<string>;
  agencies: readonly AgencyEntity[]; // the lead and coordinating agencies of the page's tasks
}

// Everything the approval rules need about one task, read in one statement.
export interface TaskAuthorizationRow {
  task: TaskEntity;
  hasChildren: boolean;
  coordinatorIds: string[];
  groupMembers: Map<string, string[]>; // members of the lead and coordinating groups
  monitoringAgencyId: string | null;
  coordinatorInputRequired: boolean;
  committeeId: string | null; // the province's People's Committee
  // the event this actor's idempotencyKey already produced on this task, if any
  idempotent: { seq: number; type: TaskEventType } | null;
  // who sent the latest REQUEST_EXTENSION (the pending one, when the snapshot has one)
  extensionRequestedBy: string | null;
  // the locked read only, for a child task: the state of each child of its parent (itself included),
  // as committed when the row was locked (the caller holds the parent's lock: see lockParent)
  siblingStates: ReadonlyMap<string, TaskState> | null;
}

// A parent task locked FOR UPDATE: every writer of one of its children takes this lock first, so
// the children's states read after it stay as read until the transaction ends.
export interface LockedParent {
  parent: TaskEntity;
  // each child's state; filled by the statement that runs after the lock (see lockDue, loadForTransition)
  childStates: Map<string, TaskState>;
}

// The deadline sweep's batch: the due tasks locked, and the parents of those that have one.
export interface DueBatch {
  tasks: TaskEntity[];
  parents: Map<string, LockedParent>;
}

// One accepted event and the task row it leaves behind.
export interface TransitionWrite {
  provinceCode: string;
  taskId: string;
  event: {
    seq: number;
    type: TaskEventType;
    fromState: TaskState | null;
    toState: TaskState;
    actor: string | null;
    actorAgencyId: string | null;
    at: Date;
    payload: Record<string, unknown>;
    idempotencyKey: string | null;
    machineVersion: number;
    prevHash: string;
    hash: string;
  };
  task: Pick<TaskEntity, 'state' | 'snapshot' | 'version' | 'dueAt' | 'originalDueAt' | 'late' | 'lastHash'>;
}

export type NewTaskRow = Omit<TaskEntity, 'sortKey' | 'createdAt' | 'updatedAt' | 'lastHash'>;

export interface PlanTaskRow {
  task: TaskEntity;
  sectionOrdinal: string | null;
  leadCode: string;
  coordinatorCodes: string[];
}

export type PlanTextFields = Partial<
  Pick<TaskEntity, 'ordinal' | 'title' | 'timeframe' | 'target' | 'note' | 'sectionId' | 'leadAgencyId'>
>;

export class TaskRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get tasks() {
    return this.dataSource.getRepository(TaskEntity);
  }

  // tx: read inside that transaction (the audit's snapshot), else on any pooled connection
  findById(scope: Scope, id: string, tx?: Tx): Promise<TaskEntity | null> {
    const tasks = tx ? managerOf(tx).getRepository(TaskEntity) : this.tasks;
    return tasks.findOne({ where: { ...inScope(scope), id } });
  }

  byIds(scope: Scope, ids: readonly string[]): Promise<TaskEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.tasks.find({ where: { ...inScope(scope), id: In([...ids]) } });
  }

  childrenOf(scope: Scope, parentIds: readonly string[]): Promise<TaskEntity[]> {
    if (parentIds.length === 0) return Promise.resolve([]);
    return this.tasks.find({ where: { ...inScope(scope), parentId: In([...parentIds]) }, order: { sortKey: 'ASC' } });
  }

  coordinatorsOf(scope: Scope, taskIds: readonly string[]): Promise<TaskCoordinatorEntity[]> {
    if (taskIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(TaskCoordinatorEntity)
      .find({ where: { ...inScope(scope), taskId: In([...taskIds]) }, order: { taskId: 'ASC', position: 'ASC' } });
  }

  // Keyset page in plan order, with the filter's total, each task's coordinating agencies (in the
  // plan's order) and whether child tasks split it: one statement, so a page's loaders start primed.
  async page(scope: Scope, filter: TaskFilter): Promise<TaskPage> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (scope.provinceCode !== null) where.push(`t.province_code = ${param(scope.provinceCode)}`);
    if (filter.planId) where.push(`t.plan_id = ${param(filter.planId)}::uuid`);
    if (filter.state) where.push(`t.state = ${param(filter.state)}`);
    if (filter.agencyId) where.push(agencyInvolvedSql(`${param(filter.agencyId)}::uuid`));
    const matches = where.length === 0 ? 'true' : where.join(' AND ');
    const after = filter.afterSortKey ? ` AND t.sort_key > ${param(filter.afterSortKey)}::bigint` : '';
    // a task page reads a replica when there is one (read-routing.ts)
    const rows: Record<string, unknown>[] = await ReadRouter.of(this.dataSource).query(
      'replica',
      `SELECT total.n AS page_total_count, page.* FROM (SELECT count(*) AS n FROM tasks t WHERE ${matches}) total
LEFT JOIN LATERAL (
  SELECT t.*,
    ARRAY(SELECT c.agency_id FROM task_coordinators c WHERE c.province_code = t.province_code AND c.task_id = t.id
          ORDER BY c.position) AS page_coordinator_ids,
    EXISTS (SELECT 1 FROM tasks k WHERE k.province_code = t.province_code AND k.parent_id = t.id) AS page_has_children,
    (SELECT jsonb_agg(jsonb_build_object('provinceCode', a.province_code, 'id', a.id, 'code', a.code, 'name', a.name,
            'isGroup', a.is_group, 'aliases', a.aliases))
     FROM agencies a WHERE a.province_code = t.province_code AND (a.id = t.lead_agency_id
       OR a.id IN (SELECT c.agency_id FROM task_coordinators c WHERE c.province_code = t.province_code AND c.task_id = t.id)))
      AS page_agencies
  FROM tasks t WHERE ${matches}${after}
  ORDER BY t.sort_key ASC LIMIT ${param(filter.first + 1)}
) page ON true`,
      params,
    );
    const totalCount = Number(rows[0]?.page_total_count ?? 0);
    const found = rows.filter((row) => row.id !== null);
    const tasks = found.slice(0, filter.first).map(toTask);
    return {
      tasks,
      hasNextPage: found.length > filter.first,
      totalCount,
      coordinatorIds: new Map(found.map((row) => [row.id as string, (row.page_coordinator_ids as string[] | null) ?? []])),
      withChildren: new Set(found.filter((row) => row.page_has_children).map((row) => row.id as string)),
      agencies: [
        ...new Map(
          found
            .flatMap((row) => (row.page_agencies as AgencyEntity[] | null) ?? [])
            .map((a) => [a.id, Object.assign(new AgencyEntity(), a)]),
        ).values(),
      ],
    };
  }

  // The plan reports' read: on a replica when there is one (read-routing.ts).
  async leafTasksOfPlan(scope: Scope, planId: string): Promise<TaskEntity[]> {
    const rows: Record<string, unknown>[] = await ReadRouter.of(this.dataSource).query(
      'replica',
      `SELECT t.* FROM tasks t WHERE t.plan_id = $1 AND ($2::text IS NULL OR t.province_code = $2) AND ${LEAF_TASK_SQL} ORDER BY t.sort_key`,
      [planId, scope.provinceCode],
    );
    return rows.map(toTask);
  }

  // The audit's batches: a plan's tasks in id order after `afterId` (keyset on the primary key, so a
  // batch costs the same wherever it starts). The plan's province is named so that the key is used
  // whatever the scope; another province than the scope's reads nothing.
  async planTasksAfter(
    tx: Tx,
    scope: Scope,
    plan: { provinceCode: string; id: string },
    afterId: string | null,
    limit: number,
  ): Promise<TaskEntity[]> {
    if (!scope.includes(plan.provinceCode)) return [];
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      `SELECT t.* FROM tasks t
       WHERE t.province_code = $1 AND t.plan_id = $2 AND ($3::uuid IS NULL OR t.id > $3::uuid)
       ORDER BY t.id LIMIT $4`,
      [plan.provinceCode, plan.id, afterId, limit],
    );
    return rows.map(toTask);
  }

  // Leaf tasks an agency leads or coordinates: OVERDUE ones, or open ones (not reported, verified or
  // withdrawn) due in [from, until].
  async leafTasksOfAgency(scope: Scope, agencyId: string, due: { from: Date; until: Date } | 'OVERDUE'): Promise<TaskEntity[]> {
    const window = due === 'OVERDUE' ? [null, null] : [due.from.toISOString(), due.until.toISOString()];
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT t.* FROM tasks t
       WHERE ($1::text IS NULL OR t.province_code = $1) AND ${agencyInvolvedSql('$2')} AND ${LEAF_TASK_SQL}
         AND CASE WHEN $3::timestamptz IS NULL THEN t.state = 'OVERDUE'
                  ELSE t.state IN ('ASSIGNED', 'IN_PROGRESS', 'OVERDUE') AND t.due_at >= $3::timestamptz AND t.due_at <= $4::timestamptz END
       ORDER BY t.due_at ASC, t.sort_key ASC`,
      [scope.provinceCode, agencyId, ...window],
    );
    return rows.map(toTask);
  }

  // availableEvents of a page of tasks: one statement for all of them.
  async authorizationRows(scope: Scope, taskIds: readonly string[]): Promise<Map<string, TaskAuthorizationRow>> {
    if (taskIds.length === 0) return new Map();
    const rows: Record<string, unknown>[] = await this.dataSource.query(READ_SQL.any, [[...taskIds], scope.provinceCode, null, null]);
    return new Map(rows.map((row) => [row.id as string, toAuthorizationRow(row)]));
  }

  // The first statement of a transition: the task with everything the rules need; `lock` takes
  // the row FOR UPDATE (inside a transaction), otherwise the row is read as committed and the
  // write's version guard catches a change in between.
  // idempotency: the actor's key (a key is scoped to the task and the user who sent it).
  async loadForTransition(
    tx: Tx,
    scope: Scope,
    taskId: string,
    idempotency: { actor: string | null; key: string | null },
    lock: boolean,
  ): Promise<TaskAuthorizationRow | null> {
    // a prepared statement: its plan (nine sub-plans) costs more than running it
    const variants = lock ? LOCK_SQL : READ_SQL;
    const sql = scope.provinceCode === null ? variants.any : variants.province;
    const rows = await preparedQuery(tx, sql, [[taskId], scope.provinceCode, idempotency.key, idempotency.actor]);
    return rows.length === 0 ? null : toAuthorizationRow(rows[0]);
  }

  // A child's parent, locked FOR UPDATE before the child: the lock order of every writer of a child
  // (transition, locked retry, deadline sweep), so no two of them deadlock. Its children's states
  // are read by the next statement (loadForTransition locked), whose snapshot follows the lock;
  // read here, they could predate a sibling's write committed while this one waited for the lock.
  async lockParent(tx: Tx, provinceCode: string, parentId: string): Promise<TaskEntity | null> {
    const rows = await preparedQuery(tx, LOCK_PARENT_SQL, [provinceCode, parentId]);
    return rows.length === 0 ? null : toTask(rows[0]);
  }

  // The deadline sweep's batch: due leaf tasks not yet overdue, locked, skipping rows others hold.
  // Two statements: the parents of due children first (FOR UPDATE SKIP LOCKED, the same lock order
  // as a transition: parent, then child), then the due tasks whose parent this batch holds (or that
  // have none), each with its siblings' states, read after the parents' locks. A child whose parent
  // another transaction holds waits for a later batch or sweep. SKIP LOCKED never waits: no deadlock.
  async lockDue(tx: Tx, scope: Scope, asOf: Date, skip: readonly string[], limit: number): Promise<DueBatch> {
    const manager = managerOf(tx);
    const due = `t.state IN ('ASSIGNED', 'IN_PROGRESS') AND t.due_at < $1 AND ($2::text IS NULL OR t.province_code = $2)
         AND NOT (t.id = ANY($3::uuid[])) AND ${LEAF_TASK_SQL}`;
    const parentRows: Record<string, unknown>[] = await manager.query(
      `SELECT p.* FROM tasks p
       WHERE (p.province_code, p.id) IN (
         SELECT t.province_code, t.parent_id FROM tasks t WHERE ${due} AND t.parent_id IS NOT NULL ORDER BY t.due_at ASC LIMIT $4)
       ORDER BY p.id
       FOR UPDATE OF p SKIP LOCKED`,
      [asOf.toISOString(), scope.provinceCode, [...skip], limit],
    );
    const parents = new Map(
      parentRows.map((row) => [row.id as string, { parent: toTask(row), childStates: new Map<string, TaskState>() }]),
    );
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT t.*,
         (SELECT jsonb_object_agg(k.id, k.state) FROM tasks k WHERE k.province_code = t.province_code AND k.parent_id = t.parent_id)
           AS ctx_sibling_states
       FROM tasks t
       WHERE ${due} AND (t.parent_id IS NULL OR t.parent_id = ANY($5::uuid[]))
       ORDER BY t.due_at ASC LIMIT $4
       FOR UPDATE OF t SKIP LOCKED`,
      [asOf.toISOString(), scope.provinceCode, [...skip], limit, [...parents.keys()]],
    );
    for (const row of rows) {
      const locked = row.parent_id ? parents.get(row.parent_id as string) : undefined;
      for (const [id, state] of Object.entries((row.ctx_sibling_states ?? {}) as Record<string, TaskState>))
        locked?.childStates.set(id, state);
    }
    return { tasks: rows.map(toTask), parents };
  }

  // One statement whatever the number of writes: each task row updated when its version is still
  // the one the write was decided on, and the events of exactly the rows updated appended (a
  // data-modifying CTE, prepared once per connection). Returns how many tasks were written: fewer
  // than asked when another transition moved a task first (possible only for rows not locked).
  async applyTransitions(tx: Tx, writes: readonly TransitionWrite[]): Promise<number> {
    if (writes.length === 0) return 0;
    const rows = await preparedQuery(tx, WRITE_TRANSITIONS_SQL, [...eventColumns(writes), ...taskColumns(writes)]);
    const inserted = Number(rows[0]?.inserted ?? 0);
    const updated = Number(rows[0]?.updated ?? 0);
    if (inserted !== updated) throw new Error(`wrote ${inserted} event(s) for ${updated} task row(s)`);
    return updated;
  }

  // Amendment: every task of the plan (parents, children, leaves) locked FOR UPDATE in import order,
  // with what the diff compares: the section's ordinal, the lead's and coordinators' agency codes.
  // The caller holds the plan row's lock, so transitions wait for the amendment, not the reverse.
  async lockPlanTasks(tx: Tx, provinceCode: string, planId: string): Promise<PlanTaskRow[]> {
    const rows: Record<string, unknown>[] = await managerOf(tx).query(
      `SELECT ${TASK_COLUMNS.replace(/(^|,\s*)([a-z_]+)/gu, '$1t.$2')},
         s.ordinal AS section_ordinal, a.code AS lead_code,
         ARRAY(SELECT ca.code FROM task_coordinators c JOIN agencies ca ON ca.province_code = c.province_code AND ca.id = c.agency_id
               WHERE c.province_code = t.province_code AND c.task_id = t.id ORDER BY c.position, ca.code) AS coordinator_codes
       FROM tasks t
       LEFT JOIN sections s ON s.province_code = t.province_code AND s.id = t.section_id
       JOIN agencies a ON a.province_code = t.province_code AND a.id = t.lead_agency_id
       WHERE t.province_code = $1 AND t.plan_id = $2
       ORDER BY t.sort_key
       FOR UPDATE OF t`,
      [provinceCode, planId],
    );
    return rows.map((row) => ({
      task: toTask(row),
      sectionOrdinal: (row.section_ordinal as string | null) ?? null,
      leadCode: row.lead_code as string,
      coordinatorCodes: row.coordinator_codes as string[],
    }));
  }

  // Amendment: the task's text as the amended plan gives it (its lifecycle moves by events only).
  async updatePlanText(
    tx: Tx,
    provinceCode: string,
    taskId: string,
    text: PlanTextFields,
    coordinatorIds: readonly string[] | null,
  ): Promise<void> {
    const manager = managerOf(tx);
    await manager.update(TaskEntity, { provinceCode, id: taskId }, text);
    if (coordinatorIds === null) return;
    await manager.delete(TaskCoordinatorEntity, { provinceCode, taskId });
    if (coordinatorIds.length === 0) return;
    await manager.insert(
      TaskCoordinatorEntity,
      coordinatorIds.map((agencyId, position) => ({ provinceCode, taskId, agencyId, position })),
    );
  }

  async insertTask(tx: Tx, task: NewTaskRow, coordinatorIds: readonly string[]): Promise<void> {
    const manager: EntityManager = managerOf(tx);
    await manager.insert(TaskEntity, task);
    if (coordinatorIds.length === 0) return;
    await manager.insert(
      TaskCoordinatorEntity,
      coordinatorIds.map((agencyId, position) => ({ provinceCode: task.provinceCode, taskId: task.id, agencyId, position })),
    );
  }
}

// $1 task ids, $2 province (null = national), $3 idempotency key, $4 its actor. The lock variant takes FOR UPDATE
// on the task row only (the CTE); the other tables are read in the same statement.
function authorizationSql(lock: boolean, scope: 'province' | 'any' = 'any'): string {
  // the lock is a prepared statement: a fixed province condition lets its generic plan use the primary key
  const province = scope === 'province' ? 'province_code = $2' : '($2::text IS NULL OR province_code = $2)';
  return `WITH t AS (
  SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ANY($1::uuid[]) AND ${province}${lock ? '\n  FOR UPDATE' : ''}
)
SELECT t.*,
  p.monitoring_agency_id AS ctx_monitoring_agency_id,
  coalesce(p.coordinator_input_required, false) AS ctx_coordinator_input_required,
  (SELECT a.id FROM agencies a WHERE a.province_code = t.province_code AND a.code = '${PROVINCIAL_COMMITTEE_CODE}') AS ctx_committee_id,
  EXISTS (SELECT 1 FROM tasks k WHERE k.province_code = t.province_code AND k.parent_id = t.id) AS ctx_has_children,
  ARRAY(SELECT c.agency_id FROM task_coordinators c WHERE c.province_code = t.province_code AND c.task_id = t.id ORDER BY c.agency_id)
    AS ctx_coordinator_ids,
  (SELECT coalesce(jsonb_object_agg(m.group_id, m.members), '{}'::jsonb) FROM (
     SELECT g.group_id, jsonb_agg(g.member_id ORDER BY g.member_id) AS members
     FROM agency_group_members g
     WHERE g.province_code = t.province_code
       AND (g.group_id = t.lead_agency_id
         OR g.group_id IN (SELECT c.agency_id FROM task_coordinators c WHERE c.province_code = t.province_code AND c.task_id = t.id))
     GROUP BY g.group_id) m) AS ctx_group_members,
  (SELECT jsonb_build_object('seq', e.seq, 'type', e.type) FROM task_events e
   WHERE e.province_code = t.province_code AND e.task_id = t.id AND e.actor = $4::text AND e.idempotency_key = $3::text)
    AS ctx_idempotent,
  (SELECT e.actor FROM task_events e
   WHERE e.province_code = t.province_code AND e.task_id = t.id AND e.type = 'REQUEST_EXTENSION'
   ORDER BY e.seq DESC LIMIT 1) AS ctx_extension_requested_by${
     lock
       ? `,
  (SELECT jsonb_object_agg(k.id, k.state) FROM tasks k WHERE k.province_code = t.province_code AND k.parent_id = t.parent_id)
    AS ctx_sibling_states`
       : ''
   }
FROM t
LEFT JOIN plans p ON p.province_code = t.province_code AND p.id = t.plan_id`;
}

// Named, not *: a prepared statement's result type may not change when a migration adds a column.
const TASK_COLUMNS = `province_code, id, sort_key, plan_id, section_id, parent_id, ordinal, title, lead_agency_id, timeframe,
    target, note, state, input, snapshot, version, due_at, original_due_at, late, last_hash, created_at, updated_at`;

const LOCK_SQL = { province: authorizationSql(true, 'province'), any: authorizationSql(true) };

// $1 province, $2 the parent's id (lockParent).
const LOCK_PARENT_SQL = `SELECT ${TASK_COLUMNS} FROM tasks WHERE province_code = $1 AND id = $2 FOR UPDATE`;
const READ_SQL = { province: authorizationSql(false, 'province'), any: authorizationSql(false) };

// $1..$14 the events' columns, $15..$23 the tasks' columns (eventColumns, taskColumns). An event
// is appended only with its task row's update, so the statement writes both or neither per task.
// Each updated row also queues one NOTIFY on TASK_CHANGED_CHANNEL (live updates, task-change-feed.ts):
// PostgreSQL delivers it at commit and drops it on rollback, so listeners hear of committed
// transitions only, at no extra round trip. The payload (~150 bytes) stays far below the 8000-byte limit.
const WRITE_TRANSITIONS_SQL = `WITH updated AS (
  UPDATE tasks t
  SET state = v.state, snapshot = v.snapshot, version = v.version, due_at = v.due_at, original_due_at = v.original_due_at,
      late = v.late, last_hash = v.last_hash, updated_at = now()
  FROM unnest($15::text[], $16::uuid[], $17::text[], $18::jsonb[], $19::int[], $20::timestamptz[], $21::timestamptz[], $22::bool[], $23::text[])
    AS v(province_code, id, state, snapshot, version, due_at, original_due_at, late, last_hash)
  WHERE t.province_code = v.province_code AND t.id = v.id AND t.version = v.version - 1
  RETURNING t.province_code, t.id,
    pg_notify('${TASK_CHANGED_CHANNEL}', json_build_object('p', t.province_code, 'plan', t.plan_id, 'task', t.id, 'v', v.version)::text)
), inserted AS (
  INSERT INTO task_events
    (province_code, task_id, seq, type, from_state, to_state, actor, actor_agency_id, at, payload, idempotency_key, machine_version, prev_hash, hash)
  SELECT e.* FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[],
      $9::timestamptz[], $10::jsonb[], $11::text[], $12::int[], $13::text[], $14::text[])
    AS e(province_code, task_id, seq, type, from_state, to_state, actor, actor_agency_id, at, payload, idempotency_key, machine_version, prev_hash, hash)
  WHERE EXISTS (SELECT 1 FROM updated u WHERE u.province_code = e.province_code AND u.id = e.task_id)
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM updated) AS updated`;

// The two statements of an uncontended transition of a provincial actor, as sent: the bench's
// "same SQL" limit sends exactly these with bare pg (bench/run.ts).
export const TRANSITION_STATEMENTS = { read: READ_SQL.province, write: WRITE_TRANSITIONS_SQL };

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function eventColumns(writes: readonly TransitionWrite[]): unknown[] {
  const e = writes.map((w) => w.event);
  return [
    writes.map((w) => w.provinceCode),
    writes.map((w) => w.taskId),
    e.map((x) => x.seq),
    e.map((x) => x.type),
    e.map((x) => x.fromState),
    e.map((x) => x.toState),
    e.map((x) => x.actor),
    e.map((x) => x.actorAgencyId),
    e.map((x) => x.at.toISOString()),
    e.map((x) => JSON.stringify(x.payload)),
    e.map((x) => x.idempotencyKey),
    e.map((x) => x.machineVersion),
    e.map((x) => x.prevHash),
    e.map((x) => x.hash),
  ];
}

function taskColumns(writes: readonly TransitionWrite[]): unknown[] {
  const t = writes.map((w) => w.task);
  return [
    writes.map((w) => w.provinceCode),
    writes.map((w) => w.taskId),
    t.map((x) => x.state),
    t.map((x) => JSON.stringify(x.snapshot)),
    t.map((x) => x.version),
    t.map((x) => iso(x.dueAt)),
    t.map((x) => iso(x.originalDueAt)),
    t.map((x) => x.late),
    t.map((x) => x.lastHash),
  ];
}

// A raw tasks row (snake_case) as the entity TypeORM would have built.
function toTask(row: Record<string, unknown>): TaskEntity {
  return Object.assign(new TaskEntity(), {
    provinceCode: row.province_code as string,
    id: row.id as string,
    sortKey: String(row.sort_key),
    planId: row.plan_id as string,
    sectionId: (row.section_id as string | null) ?? null,
    parentId: (row.parent_id as string | null) ?? null,
    ordinal: row.ordinal as string,
    title: row.title as string,
    leadAgencyId: row.lead_agency_id as string,
    timeframe: row.timeframe as string,
    target: (row.target as string | null) ?? null,
    note: (row.note as string | null) ?? null,
    state: row.state as TaskState,
    input: row.input as TaskEntity['input'],
    snapshot: readSnapshot(row.snapshot as TaskEntity['snapshot']) as TaskEntity['snapshot'],
    version: Number(row.version),
    dueAt: (row.due_at as Date | null) ?? null,
    originalDueAt: (row.original_due_at as Date | null) ?? null,
    late: Boolean(row.late),
    lastHash: (row.last_hash as string | null) ?? null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  });
}

function toAuthorizationRow(row: Record<string, unknown>): TaskAuthorizationRow {
  const members = (row.ctx_group_members ?? {}) as Record<string, string[]>;
  return {
    task: toTask(row),
    hasChildren: Boolean(row.ctx_has_children),
    coordinatorIds: (row.ctx_coordinator_ids as string[] | null) ?? [],
    groupMembers: new Map(Object.entries(members)),
    monitoringAgencyId: (row.ctx_monitoring_agency_id as string | null) ?? null,
    coordinatorInputRequired: Boolean(row.ctx_coordinator_input_required),
    committeeId: (row.ctx_committee_id as string | null) ?? null,
    idempotent: (row.ctx_idempotent as TaskAuthorizationRow['idempotent']) ?? null,
    extensionRequestedBy: (row.ctx_extension_requested_by as string | null) ?? null,
    siblingStates:
      row.ctx_sibling_states === undefined || row.ctx_sibling_states === null
        ? null
        : new Map(Object.entries(row.ctx_sibling_states as Record<string, TaskState>)),
  };
}
