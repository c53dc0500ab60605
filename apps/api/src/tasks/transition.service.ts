import { authorize } from '@app/approval-rules';
import {
  acceptedEventTypes,
  applyTaskEvent,
  replayTask,
  type StoredTaskSnapshot,
  type TaskEvent,
  type TaskEventType,
} from '@app/lifecycle';
import { chainHash, genesisHash } from '../audit/hash-chain';
import type { AmendmentEventData } from '../plans/amendment/plan-amendment.service';
import { toStoredMachineEvent } from '../audit/stored-event';
import { SYSTEM_ACTOR, toRuleActor, type Actor } from '../auth/actor';
import { Scope } from '../common/scope';
import type { Clock } from '../common/clock';
import { conflict, DomainError, forbidden, invalidTransition, notFound } from '../common/domain-error';
import { observeTransition } from '../observability/domain-events';
import type { AccessDenialsService } from '../audit/access-denials.service';
import type { TaskEventRepository } from '../repositories/task-event.repository';
import {
  TaskEntity,
  type DueBatch,
  type LockedParent,
  type TaskAuthorizationRow,
  type TaskRepository,
  type TransitionWrite,
} from '../repositories/task.repository';
import { isUniqueViolation, type Transactions, type Tx } from '../repositories/transaction';
import { checkContributionLimits } from './contribution-limits';
import { ownRelationsOf, relationsOf } from './task-relations';
import { rollUpState } from './task-rollup';
import { toMachineEvent, validateCommand, type TransitionCommand, type ValidCommand } from './transition.command';

export interface TransitionDeps {
  tasks: TaskRepository;
  events: TaskEventRepository;
  transactions: Transactions;
  clock: Clock;
  denials: AccessDenialsService;
}

type Decided = { task: TaskEntity; write: TransitionWrite | null };

// Who a transition is recorded as: task_events.actor and actor_agency_id, and the payload's `by`.
type Recorder = { userId: string | null; agencyId: string | null; by: Record<string, unknown> | null };

// The actor column of the ROLL_UP events the system appends to a parent (its payload's `by` is null).
export const ROLL_UP_ACTOR_ID = 'system:roll-up';
// The actor column of the WITHDRAW and AMEND events an amended plan's import appends.
export const AMENDMENT_ACTOR_ID = 'system:amendment';

export type { AmendmentEventData };

// What a transition learned about the task on its first, unlocked read.
interface Seen {
  provinceCode: string | null;
  // the task's parent: its locked retry locks the parent first
  parentId: string | null;
}

// One transition = two statements, no explicit transaction: the task read with its authorization
// context, then one statement that updates the task row only if its version is still the one read
// and appends the event with it (both or neither). When another transition moved the task in
// between, the transition runs again, locked this time: BEGIN, the task locked FOR UPDATE, the
// write, COMMIT — so a busy task still makes progress. The checks run in this order: visible, not
// split, authorized, idempotent retry, expected version, taken by the machine.
//
// A child of a task split per lead agency: its parent's stored state follows the children
// (rollUpState), recorded as a ROLL_UP event on the parent in the same transaction as the child's
// write. A child transition that changes the child's state therefore always runs locked, in the
// lock order every writer of a child keeps (the deadline sweep too): the parent FOR UPDATE, then the
// child FOR UPDATE with its siblings' states (stable now: their writers wait for the parent), then
// one write of the child and, when the roll-up moved, the parent. A child transition that leaves
// the state as it is (a contribution, an extension request) cannot move the roll-up and keeps the
// two-statement path.
export class TransitionService {
  constructor(private readonly deps: TransitionDeps) {}

  async transition(actor: Actor, command: TransitionCommand): Promise<TaskEntity> {
    const now = this.deps.clock.now();
    const valid = validateCommand(command, now);
    // the province of the task, once it is loaded: where a refusal is recorded
    const seen: Seen = { provinceCode: null, parentId: null };
    try {
      const task = await this.transitionOnce(actor, valid, now, seen);
      observeTransition(valid.type);
      return task;
    } catch (error) {
      observeTransition(valid.type, error);
      // recorded after the refused transaction rolled back, in a statement of its own
      if (error instanceof DomainError && error.code === 'FORBIDDEN') {
        await this.deps.denials.record(actor, { operation: valid.type, provinceCode: seen.provinceCode, taskId: valid.taskId }, error);
      }
      throw error;
    }
  }

  private async transitionOnce(actor: Actor, valid: ValidCommand, now: Date, seen: Seen): Promise<TaskEntity> {
    try {
      const written = await this.transitionIn(this.deps.transactions.autocommit(), actor, valid, now, seen, false);
      if (written) return written;
      // another transition moved the task between the read and the write: decide again on the
      // task as it is now, holding its row
    } catch (error) {
      // the same idempotencyKey raced in from another request: its event is committed now
      if (valid.idempotencyKey === null || !isUniqueViolation(error)) throw error;
    }
    return this.deps.transactions.run(async (tx) => {
      // a child's parent first (parent_id never changes after the import): the lock order of every child writer
      const parent = seen.parentId === null ? null : await this.lockParent(tx, seen.provinceCode!, seen.parentId);
      return (await this.transitionIn(tx, actor, valid, now, seen, true, parent))!;
    });
  }

  private async lockParent(tx: Tx, provinceCode: string, parentId: string): Promise<LockedParent> {
    const parent = await this.deps.tasks.lockParent(tx, provinceCode, parentId);
    if (!parent) throw new Error(`parent task ${parentId} not found`);
    return { parent, childStates: new Map() };
  }

  // The events this viewer may fire now: what the machine takes, joined with what the rules allow.
  availableEvents(actor: Actor, row: TaskAuthorizationRow): TaskEventType[] {
    if (row.hasChildren) return [];
    const ruleActor = toRuleActor(actor, row.task.provinceCode);
    const relations = relationsOf(row);
    const now = this.deps.clock.now().toISOString();
    return acceptedEventTypes(row.task.snapshot, now).filter((type) => authorize(ruleActor, relations, type).allowed);
  }

  // The deadline sweep: DEADLINE_PASSED on a batch the caller locked (with the parents of its
  // children, TaskRepository.lockDue), written in one statement with the ROLL_UP of each parent
  // whose roll-up it moves. Returns the tasks that changed; a task the machine refuses is reported
  // through `refused`.
  async passDeadlines(tx: Tx, batch: DueBatch, asOf: Date, refused: (task: TaskEntity, error: unknown) => void): Promise<TaskEntity[]> {
    const decided: Decided[] = [];
    for (const task of batch.tasks) {
      try {
        const command: ValidCommand = { taskId: task.id, type: 'DEADLINE_PASSED', expectedVersion: null, idempotencyKey: null, data: {} };
        const decision = authorize(toRuleActor(SYSTEM_ACTOR, task.provinceCode), ownRelationsOf(task), command.type);
        if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
        decided.push(this.decide(SYSTEM_ACTOR, task, command, asOf));
      } catch (error) {
        refused(task, error);
      }
    }
    const changed = decided.filter((d) => d.write);
    const writes = [...changed.map((d) => d.write!), ...this.rollUps(batch.parents, changed, asOf)];
    const written = await this.deps.tasks.applyTransitions(tx, writes);
    // the rows are locked: a count that differs means a bug, and the transaction must not commit
    if (written !== writes.length) throw new Error(`expected to write ${writes.length} task(s), wrote ${written}`);
    return changed.map((d) => d.task);
  }

  // An amended plan's WITHDRAW or AMEND of a task the caller locked (with its plan): authorized as
  // the system, decided by the machine, returned as the write to apply with the amendment's others
  // (TaskRepository.applyTransitions). No I/O. A refusal throws INVALID_TRANSITION naming the reason.
  amendmentWrite(task: TaskEntity, data: AmendmentEventData, at: Date): { task: TaskEntity; write: TransitionWrite } {
    const { type, ...fields } = data;
    const decision = authorize(toRuleActor(SYSTEM_ACTOR, task.provinceCode), ownRelationsOf(task), type);
    if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
    const payload = JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
    const event = { ...payload, type, at: at.toISOString(), by: null } as TaskEvent;
    const recorder: Recorder = { userId: AMENDMENT_ACTOR_ID, agencyId: null, by: null };
    const decided = this.record(task, type, payload, event, recorder, at, null);
    return { task: decided.task, write: decided.write! };
  }

  // The machine's answer to an amendment event, without deciding anything else (a dry run's check).
  acceptsAmendment(task: TaskEntity, data: AmendmentEventData, at: Date): boolean {
    const { type, ...fields } = data;
    return applyTaskEvent(task.snapshot, { ...fields, type, at: at.toISOString(), by: null } as TaskEvent).taken;
  }

  // One ROLL_UP per parent whose children's roll-up differs from its stored state once the children
  // `changed` are written; childTaskId names the last child of the parent among them. The parents
  // are locked and their childStates read after the lock.
  private rollUps(parents: ReadonlyMap<string, LockedParent>, changed: readonly Decided[], at: Date): TransitionWrite[] {
    const moved = new Map<string, string>();
    for (const { task } of changed) {
      if (task.parentId === null) continue;
      const locked = parents.get(task.parentId);
      if (!locked) throw new Error(`task ${task.id}: its parent ${task.parentId} is not locked`);
      locked.childStates.set(task.id, task.state);
      moved.set(task.parentId, task.id);
    }
    return [...moved].flatMap(([parentId, childId]) => {
      const write = this.rollUp(parents.get(parentId)!, childId, at);
      return write ? [write] : [];
    });
  }

  // The parent's ROLL_UP to the state its children roll up to, or null when it is there already.
  private rollUp({ parent, childStates }: LockedParent, childTaskId: string, at: Date): TransitionWrite | null {
    const target = rollUpState([...childStates.values()]);
    if (target === null || target === parent.state) return null;
    const decision = authorize(toRuleActor(SYSTEM_ACTOR, parent.provinceCode), ownRelationsOf(parent), 'ROLL_UP');
    if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
    const recorder: Recorder = { userId: ROLL_UP_ACTOR_ID, agencyId: null, by: null };
    const event: TaskEvent = { type: 'ROLL_UP', at: at.toISOString(), by: null, state: target, childTaskId };
    const { write } = this.record(parent, 'ROLL_UP', { state: target, childTaskId }, event, recorder, at, null);
    return write;
  }

  private async transitionIn(
    tx: Tx,
    actor: Actor,
    command: ValidCommand,
    now: Date,
    seen: Seen,
    locked: boolean,
    parent: LockedParent | null = null,
  ): Promise<TaskEntity | null> {
    const idempotency = { actor: actor.userId, key: command.idempotencyKey };
    const row = await this.deps.tasks.loadForTransition(tx, Scope.ofActor(actor), command.taskId, idempotency, locked);
    if (!row) throw notFound(`No task with id ${command.taskId}`);
    const { task } = row;
    seen.provinceCode = task.provinceCode;
    seen.parentId = task.parentId;
    if (row.hasChildren) {
      throw invalidTransition(`Task ${task.ordinal} is split per lead agency: fire ${command.type} on its child tasks`, {
        state: task.state,
      });
    }
    const relations = relationsOf(row);
    const decision = authorize(toRuleActor(actor, task.provinceCode), relations, command.type);
    if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
    if (row.idempotent) return this.firstResult(tx, task, row.idempotent, command);
    let decided: Decided;
    try {
      decided = this.decide(actor, task, command, now);
    } catch (error) {
      // A retry that waited for the lock read the trail as it was before the first request
      // committed: look again (one more statement, on this refusal path only).
      const first =
        command.idempotencyKey === null || actor.userId === null
          ? null
          : await this.deps.events.findByIdempotencyKey(tx, task.provinceCode, task.id, actor.userId, command.idempotencyKey);
      if (first) return this.firstResult(tx, task, first, command);
      throw error;
    }
    // a retry that slipped past both looks fails on the unique key, and transitionOnce runs it again
    if (!decided.write) return decided.task;
    const writes = [decided.write];
    if (task.parentId !== null && decided.task.state !== task.state) {
      // the child's state moves, and with it perhaps its parent's: run again, locked, parent first
      if (!locked) return null;
      if (parent === null || parent.parent.id !== task.parentId || row.siblingStates === null) {
        throw new Error(`task ${task.id}: its parent ${task.parentId} is not locked`);
      }
      for (const [id, state] of row.siblingStates) parent.childStates.set(id, state);
      parent.childStates.set(task.id, decided.task.state);
      const rollUp = this.rollUp(parent, task.id, now);
      if (rollUp) writes.push(rollUp);
    }
    const written = await this.deps.tasks.applyTransitions(tx, writes);
    if (written === writes.length) return decided.task;
    // the version moved since the read (never while the row is locked)
    if (locked) throw new Error(`task ${task.id}: the locked row was not written`);
    return null;
  }

  // Version check, machine, and the rows to write; no I/O.
  private decide(actor: Actor, task: TaskEntity, command: ValidCommand, now: Date): Decided {
    if (command.expectedVersion !== null && command.expectedVersion !== task.version) {
      throw conflict(`Task version is ${task.version}, not ${command.expectedVersion}: reload the task and try again`, {
        currentVersion: task.version,
      });
    }
    if (command.type === 'CONTRIBUTE') checkContributionLimits(task.snapshot.context, actor.agencyId, String(command.data.text ?? ''));
    const by = { userId: actor.userId, agencyId: actor.agencyId };
    const data = JSON.parse(JSON.stringify(command.data)) as Record<string, unknown>;
    const payload = { ...data, by };
    const recorder: Recorder = { ...by, by };
    return this.record(task, command.type, data, toMachineEvent(command.type, now, payload), recorder, now, command.idempotencyKey);
  }

  // The machine's decision on one event, and the task row and event row it leaves: seq = version + 1,
  // chained to the task's last hash. data = the event's own fields (task_events.payload without `by`).
  private record(
    task: TaskEntity,
    type: TaskEventType,
    data: Record<string, unknown>,
    machineEvent: TaskEvent,
    recorder: Recorder,
    now: Date,
    idempotencyKey: string | null,
  ): Decided {
    const outcome = applyTaskEvent(task.snapshot, machineEvent);
    if (!outcome.taken) {
      throw invalidTransition(`A task in state ${task.state} does not take ${type}: ${outcome.reason}`, { state: task.state });
    }
    const event = {
      taskId: task.id,
      seq: task.version + 1,
      type,
      fromState: task.state,
      toState: outcome.snapshot.state,
      actor: recorder.userId,
      actorAgencyId: recorder.agencyId,
      at: now,
      payload: { ...data, by: recorder.by },
      machineVersion: outcome.snapshot.machineVersion,
    };
    const prevHash = task.lastHash ?? genesisHash(task.id, task.input);
    const hash = chainHash(prevHash, event);
    const columns = { ...snapshotColumns(outcome.snapshot), version: event.seq, lastHash: hash };
    return {
      task: Object.assign(new TaskEntity(), task, columns, { updatedAt: now }),
      write: {
        provinceCode: task.provinceCode,
        taskId: task.id,
        event: { ...event, idempotencyKey, prevHash, hash },
        task: columns,
      },
    };
  }

  // A retried idempotencyKey answers the task as the first request left it, rebuilt from the trail.
  private async firstResult(
    tx: Tx,
    task: TaskEntity,
    first: { seq: number; type: TaskEventType },
    command: ValidCommand,
  ): Promise<TaskEntity> {
    if (first.type !== command.type) {
      throw conflict(`idempotencyKey "${command.idempotencyKey}" was already used for a ${first.type} event on this task`);
    }
    const events = await this.deps.events.eventsUpTo(tx, task.provinceCode, task.id, first.seq);
    const { snapshot } = replayTask(task.input, events.map(toStoredMachineEvent));
    return Object.assign(new TaskEntity(), task, snapshotColumns(snapshot), { version: first.seq, lastHash: events.at(-1)?.hash ?? null });
  }
}

function snapshotColumns(snapshot: StoredTaskSnapshot) {
  return {
    state: snapshot.state,
    snapshot,
    dueAt: snapshot.context.dueAt ? new Date(snapshot.context.dueAt) : null,
    originalDueAt: snapshot.context.originalDueAt ? new Date(snapshot.context.originalDueAt) : null,
    late: snapshot.context.late,
  };
}
