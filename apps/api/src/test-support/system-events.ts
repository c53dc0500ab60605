import type { DataSource } from 'typeorm';
import { applyTaskEvent, type TaskEvent, type TaskEventOf, type TaskState } from '@app/lifecycle';
import { chainHash, genesisHash } from '../audit/hash-chain';
import { Scope } from '../common/scope';
import { createRepositories } from '../repositories/repositories';
import type { TaskEntity, TransitionWrite } from '../repositories/task.repository';
import { rollUpState } from '../tasks/task-rollup';

// The amendment import's events (WITHDRAW, AMEND) as the system records them, for tests of the read
// sides while the import itself is built elsewhere: the machine decides (applyTaskEvent), the row
// and the chained event are written by TaskRepository.applyTransitions as TransitionService writes
// them, and a split parent gets the ROLL_UP its children's states now call for.
export const AMENDMENT_ACTOR_ID = 'system:plan-amendment';

type SystemEvent = Omit<TaskEventOf<'WITHDRAW'>, 'at' | 'by'> | Omit<TaskEventOf<'AMEND'>, 'at' | 'by'>;

export async function applySystemEvent(dataSource: DataSource, taskId: string, event: SystemEvent, at: Date | string): Promise<TaskEntity> {
  const { tasks, transactions } = createRepositories(dataSource, null);
  const when = new Date(at);
  return transactions.run(async (tx) => {
    const task = await tasks.findById(Scope.national(), taskId, tx);
    if (!task) throw new Error(`no task ${taskId}`);
    const { type, ...data } = event;
    const write = decide(task, type, data, { ...event, at: when.toISOString(), by: null } as TaskEvent, AMENDMENT_ACTOR_ID, when);
    const writes = [write];
    if (task.parentId !== null && write.task.state !== task.state) {
      const parent = await tasks.findById(Scope.national(), task.parentId, tx);
      const siblings = await tasks.childrenOf(Scope.national(), [task.parentId]);
      const states: TaskState[] = siblings.map((s) => (s.id === task.id ? write.task.state : s.state));
      const target = rollUpState(states);
      if (parent && target !== null && target !== parent.state) {
        const rollUp: TaskEvent = { type: 'ROLL_UP', at: when.toISOString(), by: null, state: target, childTaskId: task.id };
        writes.push(decide(parent, 'ROLL_UP', { state: target, childTaskId: task.id }, rollUp, 'system:roll-up', when));
      }
    }
    const written = await tasks.applyTransitions(tx, writes);
    if (written !== writes.length) throw new Error(`wrote ${written} of ${writes.length} task(s)`);
    return (await tasks.findById(Scope.national(), taskId, tx))!;
  });
}

function decide(
  task: TaskEntity,
  type: TaskEvent['type'],
  data: object,
  machineEvent: TaskEvent,
  actor: string,
  at: Date,
): TransitionWrite {
  const outcome = applyTaskEvent(task.snapshot, machineEvent);
  if (!outcome.taken) throw new Error(`task ${task.id} in ${task.state} refused ${type}: ${outcome.reason}`);
  const event = {
    taskId: task.id,
    seq: task.version + 1,
    type,
    fromState: task.state,
    toState: outcome.snapshot.state,
    actor,
    actorAgencyId: null,
    at,
    payload: { ...data, by: null },
    machineVersion: outcome.snapshot.machineVersion,
  };
  const prevHash = task.lastHash ?? genesisHash(task.id, task.input);
  const hash = chainHash(prevHash, event);
  const context = outcome.snapshot.context;
  return {
    provinceCode: task.provinceCode,
    taskId: task.id,
    event: { ...event, idempotencyKey: null, prevHash, hash },
    task: {
      state: outcome.snapshot.state,
      snapshot: outcome.snapshot,
      version: event.seq,
      dueAt: context.dueAt ? new Date(context.dueAt) : null,
      originalDueAt: context.originalDueAt ? new Date(context.originalDueAt) : null,
      late: context.late,
      lastHash: hash,
    },
  };
}
