import { In, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { authorize, type TaskRelations } from '@app/approval-rules';
import { applyTaskEvent, replayTask, type StoredTaskSnapshot } from '@app/lifecycle';
import { PROVINCIAL_COMMITTEE_CODE } from '../agencies/agencies.service';
import { AgencyGroupMemberEntity } from '../database/entities/agency-group-member.entity';
import { AgencyEntity } from '../database/entities/agency.entity';
import { chainHash, genesisHash } from '../audit/hash-chain';
import { toStoredMachineEvent } from '../audit/stored-event';
import { TaskEventEntity } from '../database/entities/task-event.entity';
import { toRuleActor, seesProvince, type Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { conflict, forbidden, invalidTransition, notFound } from '../common/domain-error';
import { PlanEntity } from '../database/entities/plan.entity';
import { TaskCoordinatorEntity } from '../database/entities/task-coordinator.entity';
import { TaskEntity } from '../database/entities/task.entity';
import { relationsOf } from './task-relations';
import { toMachineEvent, validateCommand, type TransitionCommand, type ValidCommand } from './transition.command';

export type TaskChangedListener = (task: TaskEntity) => void;

// One transition = one database transaction: lock the task, authorize, idempotency, version check,
// machine, append the audit row, update the task.
export class TransitionService {
  private readonly listeners: TaskChangedListener[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  onTaskChanged(listener: TaskChangedListener): void {
    this.listeners.push(listener);
  }

  async transition(actor: Actor, command: TransitionCommand): Promise<TaskEntity> {
    const now = this.clock.now();
    const valid = validateCommand(command, now);
    const { task, changed } = await this.dataSource.transaction('READ COMMITTED', (manager) => this.apply(manager, actor, valid, now));
    if (changed) this.notify(task);
    return task;
  }

  notify(task: TaskEntity): void {
    for (const listener of this.listeners) listener(task);
  }

  private async apply(manager: EntityManager, actor: Actor, command: ValidCommand, now: Date) {
    return this.applyToLocked(manager, actor, await this.lockTask(manager, actor, command.taskId), command, now);
  }

  // For callers that locked the task themselves (the deadline sweep locks a batch, skipping locked rows).
  async applyToLocked(manager: EntityManager, actor: Actor, task: TaskEntity, command: ValidCommand, now: Date) {
    if (await manager.exists(TaskEntity, { where: { provinceCode: task.provinceCode, parentId: task.id } })) {
      throw invalidTransition(`Task ${task.ordinal} is split per lead agency: fire ${command.type} on its child tasks`, { state: task.state });
    }
    const decision = authorize(toRuleActor(actor, task.provinceCode), await this.relations(manager, task), command.type);
    if (!decision.allowed) throw forbidden(decision.reason, { rule: decision.rule });
    if (command.idempotencyKey !== null) {
      const first = await this.firstResult(manager, task, command);
      if (first) return { task: first, changed: false };
    }
    if (command.expectedVersion !== null && command.expectedVersion !== task.version) {
      throw conflict(`Task version is ${task.version}, not ${command.expectedVersion}: reload the task and try again`, {
        currentVersion: task.version,
      });
    }
    const payload = { ...command.data, by: { userId: actor.userId, agencyId: actor.agencyId } };
    const outcome = applyTaskEvent(task.snapshot, toMachineEvent(command.type, now, payload));
    if (!outcome.taken) {
      throw invalidTransition(`A task in state ${task.state} does not take ${command.type}: ${outcome.reason}`, { state: task.state });
    }
    await this.appendEvent(manager, task, actor, command, payload, now, outcome.snapshot);
    const updated = await this.saveSnapshot(manager, task, outcome.snapshot);
    return { task: updated, changed: true };
  }

  // A retried idempotencyKey answers the task as the first request left it, rebuilt from the trail.
  private async firstResult(manager: EntityManager, task: TaskEntity, command: ValidCommand): Promise<TaskEntity | null> {
    const first = await manager.findOne(TaskEventEntity, {
      where: { provinceCode: task.provinceCode, taskId: task.id, idempotencyKey: command.idempotencyKey! },
    });
    if (!first) return null;
    if (first.type !== command.type) {
      throw conflict(`idempotencyKey "${command.idempotencyKey}" was already used for a ${first.type} event on this task`);
    }
    const events = await manager.find(TaskEventEntity, {
      where: { provinceCode: task.provinceCode, taskId: task.id, seq: LessThanOrEqual(first.seq) },
      order: { seq: 'ASC' },
    });
    const { snapshot } = replayTask(task.input, events.map(toStoredMachineEvent));
    return Object.assign(Object.create(TaskEntity.prototype) as TaskEntity, task, snapshotColumns(snapshot), { version: first.seq });
  }

  private async lockTask(manager: EntityManager, actor: Actor, taskId: string): Promise<TaskEntity> {
    const task = await manager
      .createQueryBuilder(TaskEntity, 't')
      .setLock('pessimistic_write')
      .where('t.id = :taskId', { taskId })
      .getOne();
    if (!task || !seesProvince(actor, task.provinceCode)) throw notFound(`No task with id ${taskId}`);
    return task;
  }

  private async relations(manager: EntityManager, task: TaskEntity): Promise<TaskRelations> {
    // one connection per transaction: these run one after the other
    const coordinators = await manager.find(TaskCoordinatorEntity, { where: { provinceCode: task.provinceCode, taskId: task.id } });
    const plan = await manager.findOne(PlanEntity, { where: { provinceCode: task.provinceCode, id: task.planId } });
    const committee = await manager.findOne(AgencyEntity, { where: { provinceCode: task.provinceCode, code: PROVINCIAL_COMMITTEE_CODE } });
    const coordinatorIds = coordinators.map((c) => c.agencyId);
    const memberRows = await manager.find(AgencyGroupMemberEntity, {
      where: { provinceCode: task.provinceCode, groupId: In([task.leadAgencyId, ...coordinatorIds]) },
    });
    const groupMembers = new Map<string, string[]>();
    for (const row of memberRows) groupMembers.set(row.groupId, [...(groupMembers.get(row.groupId) ?? []), row.memberId]);
    return relationsOf(task, { coordinatorIds, plan, committeeId: committee?.id ?? null, groupMembers });
  }

  private async appendEvent(
    manager: EntityManager,
    task: TaskEntity,
    actor: Actor,
    command: ValidCommand,
    payload: Record<string, unknown>,
    at: Date,
    next: StoredTaskSnapshot,
  ): Promise<void> {
    const last = await manager.findOne(TaskEventEntity, {
      where: { provinceCode: task.provinceCode, taskId: task.id },
      order: { seq: 'DESC' },
    });
    const prevHash = last?.hash ?? genesisHash(task.id, task.input);
    const event = {
      taskId: task.id,
      seq: (last?.seq ?? 0) + 1,
      type: command.type,
      fromState: task.state,
      toState: next.state,
      actor: actor.userId,
      actorAgencyId: actor.agencyId,
      at,
      payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown>,
      machineVersion: next.machineVersion,
    };
    await manager.save(TaskEventEntity, {
      ...event,
      provinceCode: task.provinceCode,
      idempotencyKey: command.idempotencyKey,
      prevHash,
      hash: chainHash(prevHash, event),
    });
  }

  private async saveSnapshot(manager: EntityManager, task: TaskEntity, next: StoredTaskSnapshot): Promise<TaskEntity> {
    const changes = { ...snapshotColumns(next), version: task.version + 1 };
    await manager.update(TaskEntity, { provinceCode: task.provinceCode, id: task.id }, changes);
    return Object.assign(task, changes, { updatedAt: new Date() });
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
