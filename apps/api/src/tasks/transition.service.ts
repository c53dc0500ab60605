import { authorize } from '@app/approval-rules';
import { acceptedEventTypes, applyTaskEvent, replayTask, type StoredTaskSnapshot, type TaskEventType } from '@app/lifecycle';
import { chainHash, genesisHash } from '../audit/hash-chain';
import { toStoredMachineEvent } from '../audit/stored-event';
import { SYSTEM_ACTOR, toRuleActor, type Actor } from '../auth/actor';
import { Scope } from '../common/scope';
import type { Clock } from '../common/clock';
import { conflict, DomainError, forbidden, invalidTransition, notFound } from '../common/domain-error';
import { observeTransition } from '../observability/domain-events';
import type { AccessDenialsService } from '../audit/access-denials.service';
import type { TaskEventRepository } from '../repositories/task-event.repository';
import { TaskEntity, type TaskAuthorizationRow, type TaskRepository, type TransitionWrite } from '../repositories/task.repository';
import { isUniqueViolation, type Transactions, type Tx } from '../repositories/transaction';
import { checkContributionLimits } from './contribution-limits';
import { ownRelationsOf, relationsOf } from './task-relations';
import { toMachineEvent, validateCommand, type TransitionCommand, type ValidCommand } from './transition.command';

export interface TransitionDeps {
  tasks: TaskRepository;
  events: TaskEventRepository;
  transactions: Transactions;
  clock: Clock;
  denials: AccessDenialsService;
}

type Decided = { task: TaskEntity; write: TransitionWrite | null };

// One transition = two statements, no explicit transaction: the task read with its authorization
// context, then one statement that updates the task row only if its version is still the one read
// and appends the event with it (both or neither). When another transition moved the task in
// between, the transition runs again, locked this time: BEGIN, the task locked FOR UPDATE, the
// write, COMMIT — so a busy task still makes progress. The checks run in this order: visible, not
// split, authorized, idempotent retry, expected version, taken by the machine.
export class TransitionService {
  constructor(private readonly deps: TransitionDeps) {}

  async transition(actor: Actor, command: TransitionCommand): Promise<TaskEntity> {
    const now = this.deps.clock.now();
    const valid = validateCommand(command, now);
    // the province of the task, once it is loaded: where a refusal is recorded
    const seen: { provinceCode: string | null } = { provinceCode: null };
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

  private async transitionOnce(actor: Actor, valid: ValidCommand, now: Date, seen: { provinceCode: string | null }): Promise<TaskEntity> {
    try {
      const written = await this.transitionIn(this.deps.transactions.autocommit(), actor, valid, now, seen, false);
      if (written) return written;
      // another transition moved the task between the read and the write: decide again on the
      // task as it is now, holding its row
    } catch (error) {
      // the same idempotencyKey raced in from another request: its event is committed now
      if (valid.idempotencyKey === null || !isUniqueViolation(error)) throw error;
    }
    return this.deps.transactions.run(async (tx) => (await this.transitionIn(tx, actor, valid, now, seen, true))!);
  }

  // The events this viewer may fire now: what the machine takes, joined with what the rules allow.
  availableEvents(actor: Actor, row: TaskAuthorizationRow): TaskEventType[] {
    if (row.hasChildren) return [];
    const ruleActor = toRuleActor(actor, row.task.provinceCode);
    const relations = relationsOf(row);
    const now = this.deps.clock.now().toISOString();
    return acceptedEventTypes(row.task.snapshot, now).filter((type) => authorize(ruleActor, relations, type).allowed);
  }

  // The deadline sweep: DEADLINE_PASSED on a batch the caller locked, written in two statements.
  // Returns the tasks that changed; a task the machine refuses is reported through `refused`.
  async passDeadlines(
    tx: Tx,
    tasks: readonly TaskEntity[],
    asOf: Date,
    refused: (task: TaskEntity, error: unknown) => void,
  ): Promise<TaskEntity[]> {
    const decided: Decided[] = [];
    for (const task of tasks) {
      try {
        const command: ValidCommand = { taskId: task.id, type: 'DEADLINE_PASSED', expectedVersion: null, idempotencyKey: null, data: {} };
        const decision = authorize(toRuleActor(SYSTEM_ACTOR, task.provinceCode), ownRelationsOf(task), command.type);
        if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
        decided.push(this.decide(SYSTEM_ACTOR, task, command, asOf));
      } catch (error) {
        refused(task, error);
      }
    }
    const writes = decided.flatMap((d) => (d.write ? [d.write] : []));
    const written = await this.deps.tasks.applyTransitions(tx, writes);
    // the rows are locked: a count that differs means a bug, and the transaction must not commit
    if (written !== writes.length) throw new Error(`expected to write ${writes.length} task(s), wrote ${written}`);
    return decided.filter((d) => d.write).map((d) => d.task);
  }

  private async transitionIn(
    tx: Tx,
    actor: Actor,
    command: ValidCommand,
    now: Date,
    seen: { provinceCode: string | null },
    locked: boolean,
  ): Promise<TaskEntity | null> {
    const idempotency = { actor: actor.userId, key: command.idempotencyKey };
    const row = await this.deps.tasks.loadForTransition(tx, Scope.ofActor(actor), command.taskId, idempotency, locked);
    if (!row) throw notFound(`No task with id ${command.taskId}`);
    const { task } = row;
    seen.provinceCode = task.provinceCode;
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
    const written = await this.deps.tasks.applyTransitions(tx, [decided.write]);
    if (written === 1) return decided.task;
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
    const payload = JSON.parse(JSON.stringify({ ...command.data, by: { userId: actor.userId, agencyId: actor.agencyId } })) as Record<
      string,
      unknown
    >;
    const outcome = applyTaskEvent(task.snapshot, toMachineEvent(command.type, now, payload));
    if (!outcome.taken) {
      throw invalidTransition(`A task in state ${task.state} does not take ${command.type}: ${outcome.reason}`, { state: task.state });
    }
    const event = {
      taskId: task.id,
      seq: task.version + 1,
      type: command.type,
      fromState: task.state,
      toState: outcome.snapshot.state,
      actor: actor.userId,
      actorAgencyId: actor.agencyId,
      at: now,
      payload,
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
        event: { ...event, idempotencyKey: command.idempotencyKey, prevHash, hash },
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
