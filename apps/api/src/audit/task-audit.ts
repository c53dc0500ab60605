import { replayRecordedTask, type RecordedTaskEvent, type StoredTaskSnapshot, type TaskReplayResult, type TaskState } from '@app/lifecycle';
import type { TaskEventEntity } from '../repositories/task-event.repository';
import type { TaskEntity } from '../repositories/task.repository';
import { canonicalJson } from './canonical-json';
import { findChainBreak } from './hash-chain';
import { toStoredMachineEvent } from './stored-event';

export const AUDIT_PROBLEMS = ['SEQ_GAP', 'CHAIN_BROKEN', 'UNKNOWN_MACHINE_VERSION', 'REPLAY_REFUSED', 'ROW_DISAGREES'] as const;
export type AuditProblem = (typeof AUDIT_PROBLEMS)[number];

// What is wrong with one task's trail, the first thing found in this order: its seq numbers, its
// hash chain, its replay (each event through the machine of the version that accepted it, which must
// be a version this service knows), its stored row against that replay.
export interface TaskFinding {
  taskId: string;
  ordinal: string;
  problem: AuditProblem;
  // the first event concerned (null: the task row, not an event)
  seq: number | null;
  detail: string;
}

// null when the task is intact: seq 1, 2, … without a gap, the hash chain holds, every event replays
// with the states its row records, and the stored row is exactly what the replay produces.
export function auditTask(task: TaskEntity, events: readonly TaskEventEntity[]): TaskFinding | null {
  const finding = (problem: AuditProblem, seq: number | null, detail: string): TaskFinding => ({
    taskId: task.id,
    ordinal: task.ordinal,
    problem,
    seq,
    detail,
  });
  const gap = events.findIndex((event, i) => event.seq !== i + 1);
  if (gap >= 0) {
    const found = events[gap].seq;
    return finding('SEQ_GAP', gap + 1, `seq gap: expected seq ${gap + 1}, found seq ${found} (${found - gap - 1} event(s) missing)`);
  }
  const broken = findChainBreak(task.id, task.input, events);
  if (broken) {
    const why =
      broken.why === 'CONTENT'
        ? 'the row does not hash to its stored hash (edited)'
        : broken.seq === 1
          ? 'its prev_hash is not the hash of the task creation input (input or row edited)'
          : `its prev_hash is not the hash of seq ${broken.seq - 1} (a row removed, inserted or reordered)`;
    return finding('CHAIN_BROKEN', broken.seq, `chain broken at seq ${broken.seq}: ${why}`);
  }
  const folded = replayRecordedTask(task.input, events.map(recordedEvent));
  if (folded.rejectedAt !== null && folded.versionProblem !== undefined) {
    const event = events[folded.rejectedAt];
    return finding(
      'UNKNOWN_MACHINE_VERSION',
      event.seq,
      `replay cannot go on at seq ${event.seq}: the row records machine version ${event.machineVersion}, ` +
        `which this service does not know or which is older than the version of an earlier event`,
    );
  }
  if (folded.rejectedAt !== null) {
    const event = events[folded.rejectedAt];
    return finding(
      'REPLAY_REFUSED',
      event.seq,
      `replay disagrees at seq ${event.seq}: the row records ${event.type} ${event.fromState ?? '-'} → ${event.toState}; ` +
        `the machine (version ${event.machineVersion}), in ${folded.snapshot.state} after ${folded.applied} event(s), does not take it so`,
    );
  }
  const differences = rowDifferences(task, folded, events.at(-1)?.hash ?? null);
  if (differences.length > 0) return finding('ROW_DISAGREES', null, `replay disagrees with the stored task row: ${differences.join('; ')}`);
  return null;
}

export function recordedEvent(event: TaskEventEntity): RecordedTaskEvent {
  return { event: toStoredMachineEvent(event), fromState: event.fromState, toState: event.toState, machineVersion: event.machineVersion };
}

// The snapshot and the columns read by queries and scores (state, due times, late, version, last hash).
export function rowDifferences(task: TaskEntity, folded: TaskReplayResult, lastHash: string | null): string[] {
  const snapshot: StoredTaskSnapshot = folded.snapshot;
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  const isoOrNull = (value: string | null) => (value === null ? null : new Date(value).toISOString());
  const checks: [string, unknown, unknown][] = [
    ['state', task.state, snapshot.state as TaskState],
    ['version', task.version, folded.applied],
    ['late', task.late, snapshot.context.late],
    ['due_at', iso(task.dueAt), isoOrNull(snapshot.context.dueAt)],
    ['original_due_at', iso(task.originalDueAt), isoOrNull(snapshot.context.originalDueAt)],
    ['last_hash', task.lastHash, lastHash],
  ];
  const differences = checks
    .filter(([, stored, replayed]) => stored !== replayed)
    .map(([column, stored, replayed]) => `${column}: stored ${show(stored)}, replay ${show(replayed)}`);
  if (canonicalJson(snapshot) !== canonicalJson(task.snapshot)) differences.push('snapshot: stored differs from replay');
  return differences;
}

function show(value: unknown): string {
  return typeof value === 'string' && value.length > 16 ? `${value.slice(0, 12)}…` : String(value);
}
