// An amended plan ("sửa đổi, bổ sung") imported over the plan it amends: the diff (plan-diff.ts)
// turned into writes, in the import's transaction, with the plan row locked. Unchanged tasks are not
// touched at all (their rows and events stay byte for byte); a removed task is withdrawn (WITHDRAW,
// never deleted); a changed one takes its new text and an AMEND event naming every field that changed,
// with the new dates when the plan's dates moved; an added one is written as a new task. A task the
// lifecycle has finished (VERIFIED, WITHDRAWN) is left as it is, and the result says so.
import type { TaskFieldChange } from '@app/lifecycle';
import type { Actor } from '../../auth/actor';
import type { PlanEntity, PlanRepository, PlanVersionRow } from '../../repositories/plan.repository';
import type { PlanTaskRow, PlanTextFields, TaskEntity, TaskRepository, TransitionWrite } from '../../repositories/task.repository';
import type { AgencyRepository } from '../../repositories/agency.repository';
import type { Tx } from '../../repositories/transaction';
import type { TaskEventOf } from '@app/lifecycle';
import type { NewPlan, NewTask } from '../new-plan';
import type { PlanWriterService } from '../plan-writer.service';
import { diffPlan, type CurrentTask, type PlanDiff } from './plan-diff';

// What an amended plan's import asks of one task: its own fields (the event minus type, at and by).
export type AmendmentEventData =
  | ({ type: 'WITHDRAW' } & Omit<TaskEventOf<'WITHDRAW'>, 'type' | 'at' | 'by'>)
  | ({ type: 'AMEND' } & Omit<TaskEventOf<'AMEND'>, 'type' | 'at' | 'by'>);

// TransitionService's amendment entry points (tasks/ depends on plans/, not the reverse).
export interface AmendmentTransitions {
  amendmentWrite(task: TaskEntity, data: AmendmentEventData, at: Date): { task: TaskEntity; write: TransitionWrite };
  acceptsAmendment(task: TaskEntity, data: AmendmentEventData, at: Date): boolean;
}

export interface AmendmentDeps {
  agencies: AgencyRepository;
  plans: PlanRepository;
  tasks: TaskRepository;
  writer: PlanWriterService;
  transitions: AmendmentTransitions;
}

// One task of the amendment as the officer reviews it.
export interface AmendedTaskEntry {
  taskId: string | null;
  ordinal: string;
  section: string | null;
  title: string;
  changes: TaskFieldChange[];
  // why the task was left as it is, or what of the amendment was not applied to it
  note: string | null;
}

export interface AmendmentOutcome {
  plan: PlanEntity;
  fromVersion: number;
  toVersion: number;
  added: AmendedTaskEntry[];
  removed: AmendedTaskEntry[];
  changed: AmendedTaskEntry[];
  unchanged: number;
  // task rows written or moved: new rows, withdrawn rows, amended rows
  tasksCreated: number;
  tasksWithdrawn: number;
  tasksChanged: number;
  warnings: string[];
}

const FINAL_STATES = new Set(['VERIFIED', 'WITHDRAWN']);

export class PlanAmendmentService {
  constructor(private readonly deps: AmendmentDeps) {}

  // The diff of `next` against the locked plan `plan` (versions: its imported versions so far), and,
  // unless dryRun, its writes. Returns what was (or would be) done.
  async amend(
    tx: Tx,
    actor: Actor,
    plan: PlanEntity,
    versions: readonly PlanVersionRow[],
    next: NewPlan,
    at: Date,
    dryRun: boolean,
  ): Promise<AmendmentOutcome> {
    const rows = await this.deps.tasks.lockPlanTasks(tx, plan.provinceCode, plan.id);
    const { current, byId, childrenOf } = currentTasks(rows);
    const diff = diffPlan(current, next.tasks);
    const fromVersion = versions.length === 0 ? 1 : versions[versions.length - 1].version;
    const label = amendmentLabel(next);
    const amendment = { version: fromVersion + 1, label };
    const outcome: AmendmentOutcome = {
      plan,
      fromVersion,
      toVersion: fromVersion + 1,
      added: diff.added.map((task) => entry(null, task, [], null)),
      removed: [],
      changed: [],
      unchanged: diff.unchanged.length,
      tasksCreated: 0,
      tasksWithdrawn: 0,
      tasksChanged: 0,
      warnings: [],
    };
    const writes: TransitionWrite[] = [];
    const textUpdates: { row: PlanTaskRow; text: PlanTextFields; coordinators: string[] | null }[] = [];
    const agencyIds = dryRun ? null : await this.deps.agencies.ensureForPlan(tx, next.province, next.agencies);
    const sectionIds = await this.deps.plans.sectionIdsIn(tx, plan);

    for (const removed of diff.removed) {
      const note = this.withdraw(byId.get(removed.id)!, childrenOf(removed.id), amendment, at, writes);
      outcome.removed.push(entry(removed.id, removed, [], note));
      if (note === null) outcome.tasksWithdrawn += 1 + childrenOf(removed.id).filter((c) => !FINAL_STATES.has(c.task.state)).length;
    }
    for (const changed of diff.changed) {
      const row = byId.get(changed.current.id)!;
      const children = childrenOf(changed.current.id);
      const result = this.amendTask(row, children, changed, amendment, at, writes);
      outcome.changed.push(entry(row.task.id, changed.next, changed.changes, result.note));
      if (result.applied) {
        outcome.tasksChanged += result.applied;
        if (!dryRun) textUpdates.push(...this.textUpdates(row, children, changed.next, changed.changes, agencyIds!, sectionIds));
      }
    }
    if (outcome.removed.some((r) => r.note) || outcome.changed.some((c) => c.note)) {
      outcome.warnings.push('Some tasks of the amendment were left as they are; see the note of each in the amendment');
    }
    if (JSON.stringify(next.reportingDeadlines) !== JSON.stringify(plan.reportingDeadlines)) {
      outcome.warnings.push(
        "The amended plan's reporting deadlines differ from the plan's; change them in the plan settings if they should apply",
      );
    }
    if (dryRun) {
      outcome.tasksCreated = diff.added.reduce((n, t) => n + 1 + (t.coLeadAgencyCodes?.length ? t.coLeadAgencyCodes.length + 1 : 0), 0);
      return outcome;
    }

    // the writes: events first (one statement), then the plan's text on the changed rows, then new tasks
    const written = await this.deps.tasks.applyTransitions(tx, writes);
    if (written !== writes.length) throw new Error(`amendment: expected to write ${writes.length} task event(s), wrote ${written}`);
    for (const update of textUpdates) {
      await this.deps.tasks.updatePlanText(tx, plan.provinceCode, update.row.task.id, update.text, update.coordinators);
    }
    await this.deps.plans.appendSections(tx, plan, next.sections, sectionIds);
    const target = { plan, agencyIds: agencyIds!, sectionIds };
    for (const task of diff.added) outcome.tasksCreated += await this.deps.writer.insertTask(tx, target, task);
    outcome.plan = await this.deps.plans.applyAmendment(tx, plan, {
      title: next.title,
      issuedOn: next.issuedOn,
      sourceHash: next.sourceHash ?? null,
    });
    await this.deps.plans.insertVersion(tx, {
      provinceCode: plan.provinceCode,
      planId: plan.id,
      version: outcome.toVersion,
      number: next.number,
      title: next.title,
      issuedOn: next.issuedOn,
      sourceHash: next.sourceHash ?? null,
      importedBy: actor.userId,
      summary: summaryOf(diff, outcome),
    });
    return outcome;
  }

  // WITHDRAW of a removed task and of its children; null, or why it was left.
  private withdraw(
    row: PlanTaskRow,
    children: PlanTaskRow[],
    amendment: { version: number; label: string },
    at: Date,
    writes: TransitionWrite[],
  ): string | null {
    if (FINAL_STATES.has(row.task.state)) return `${row.task.state}: the task's lifecycle is over; it is kept as it is`;
    const reason = `Không còn trong kế hoạch sửa đổi, bổ sung (${amendment.label})`;
    const data: AmendmentEventData = { type: 'WITHDRAW', reason, amendment };
    for (const child of children) {
      if (!FINAL_STATES.has(child.task.state)) writes.push(this.deps.transitions.amendmentWrite(child.task, data, at).write);
    }
    writes.push(this.deps.transitions.amendmentWrite(row.task, data, at).write);
    return null;
  }

  // AMEND of a changed task (and its children): the fields that changed, and the new dates when they
  // moved and the task can take them. Returns how many rows take the event, and a note for the rest.
  private amendTask(
    row: PlanTaskRow,
    children: PlanTaskRow[],
    changed: PlanDiff['changed'][number],
    amendment: { version: number; label: string },
    at: Date,
    writes: TransitionWrite[],
  ): { applied: number; note: string | null } {
    if (FINAL_STATES.has(row.task.state))
      return { applied: 0, note: `${row.task.state}: the task's lifecycle is over; it is kept as it is` };
    const notes: string[] = [];
    const leadsChanged = changed.changes.some((c) => c.field === 'leadAgencies');
    if (leadsChanged && (children.length > 0 || (changed.next.coLeadAgencyCodes?.length ?? 0) > 0)) {
      notes.push('the lead agencies of a task split per lead agency changed: not applied; split or merge it by hand');
    }
    const schedule = changed.rescheduled ? scheduleData(changed.next) : null;
    let applied = 0;
    for (const target of [...children, row]) {
      if (FINAL_STATES.has(target.task.state)) continue;
      let data: AmendmentEventData = { type: 'AMEND', changes: changed.changes, amendment, ...(schedule ?? {}) };
      if (schedule && !this.deps.transitions.acceptsAmendment(target.task, data, at)) {
        notes.push(`task ${target.task.ordinal}: the new dates do not fit the periods it has reached; not rescheduled`);
        data = { type: 'AMEND', changes: changed.changes.filter((c) => c.field !== 'schedule'), amendment };
        if (data.changes!.length === 0) continue;
      }
      writes.push(this.deps.transitions.amendmentWrite(target.task, data, at).write);
      applied += 1;
    }
    return { applied, note: notes.length === 0 ? null : notes.join('; ') };
  }

  private textUpdates(
    row: PlanTaskRow,
    children: PlanTaskRow[],
    next: NewTask,
    changes: TaskFieldChange[],
    agencyIds: Map<string, string>,
    sectionIds: Map<string, string>,
  ): { row: PlanTaskRow; text: PlanTextFields; coordinators: string[] | null }[] {
    const fields = new Set(changes.map((c) => c.field));
    const text: PlanTextFields = {};
    if (fields.has('title')) text.title = next.title;
    if (fields.has('timeframe')) text.timeframe = next.timeframe;
    if (fields.has('target')) text.target = next.target;
    if (fields.has('note')) text.note = next.note;
    if (fields.has('section')) text.sectionId = next.sectionOrdinal ? (sectionIds.get(next.sectionOrdinal) ?? null) : null;
    const coordinators = fields.has('coordinatingAgencies')
      ? [...new Set(next.coordinatingAgencyCodes)].map((code) => agencyIds.get(code)!).filter(Boolean)
      : null;
    const updates = [];
    const single = children.length === 0 && (next.coLeadAgencyCodes?.length ?? 0) === 0;
    const own: PlanTextFields = { ...text };
    if (fields.has('ordinal')) own.ordinal = next.ordinal;
    if (fields.has('leadAgencies') && single) own.leadAgencyId = agencyIds.get(next.leadAgencyCode);
    if (!FINAL_STATES.has(row.task.state)) updates.push({ row, text: own, coordinators });
    for (const child of children) {
      if (FINAL_STATES.has(child.task.state)) continue;
      const childText: PlanTextFields = { ...text };
      // a child's ordinal follows its parent's: "3.2" of task 3 becomes "4.2" of task 4
      if (fields.has('ordinal')) childText.ordinal = `${next.ordinal}${child.task.ordinal.slice(row.task.ordinal.length)}`;
      updates.push({ row: child, text: childText, coordinators });
    }
    return updates.filter((u) => Object.keys(u.text).length > 0 || u.coordinators !== null);
  }
}

function scheduleData(next: NewTask): { dueAt?: string | null; periodDueDates?: string[] } {
  if (next.periodDueDates && next.periodDueDates.length > 1) return { periodDueDates: next.periodDueDates };
  return { dueAt: next.dueAt };
}

// The top-level tasks as the diff compares them, and each one's children. A withdrawn task is no
// longer part of the plan: a later version that lacks it changes nothing, one that holds it again adds it anew.
function currentTasks(rows: PlanTaskRow[]) {
  const byId = new Map(rows.map((row) => [row.task.id, row]));
  const children = new Map<string, PlanTaskRow[]>();
  for (const row of rows) {
    if (row.task.parentId === null) continue;
    children.set(row.task.parentId, [...(children.get(row.task.parentId) ?? []), row]);
  }
  const childrenOf = (id: string) => children.get(id) ?? [];
  const current: CurrentTask[] = rows
    .filter((row) => row.task.parentId === null && row.task.state !== 'WITHDRAWN')
    .map((row) => {
      const own = childrenOf(row.task.id);
      return {
        id: row.task.id,
        state: row.task.state,
        sectionOrdinal: row.sectionOrdinal,
        ordinal: row.task.ordinal,
        title: row.task.title,
        leadAgencyCodes: own.length > 0 ? own.map((c) => c.leadCode) : [row.leadCode],
        coordinatingAgencyCodes: row.coordinatorCodes,
        timeframe: row.task.timeframe,
        target: row.task.target,
        note: row.task.note,
        schedule: row.task.snapshot.context.periodDueDates,
      };
    });
  return { current, byId, childrenOf };
}

function entry(
  taskId: string | null,
  task: { ordinal: string; title: string } & { sectionOrdinal: string | null },
  changes: TaskFieldChange[],
  note: string | null,
): AmendedTaskEntry {
  return { taskId, ordinal: task.ordinal, section: task.sectionOrdinal, title: task.title, changes, note };
}

function amendmentLabel(next: NewPlan): string {
  const date = next.issuedOn ? ` ngày ${next.issuedOn.slice(8, 10)}/${next.issuedOn.slice(5, 7)}/${next.issuedOn.slice(0, 4)}` : '';
  return `Kế hoạch số ${next.number}${date}`;
}

function summaryOf(diff: PlanDiff, outcome: AmendmentOutcome): Record<string, unknown> {
  return {
    added: diff.added.length,
    removed: diff.removed.length,
    changed: diff.changed.length,
    unchanged: diff.unchanged.length,
    tasksCreated: outcome.tasksCreated,
    tasksWithdrawn: outcome.tasksWithdrawn,
    tasksChanged: outcome.tasksChanged,
  };
}

export type { TaskEntity };
