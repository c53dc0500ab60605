import { createHash } from 'node:crypto';
import type { TaskInput } from '@app/lifecycle';
import { canonicalJson } from './canonical-json';

export interface ChainedEvent {
  taskId: string;
  seq: number;
  type: string;
  fromState: string | null;
  toState: string;
  actor: string | null;
  actorAgencyId: string | null;
  at: Date;
  payload: Record<string, unknown>;
  machineVersion: number;
}

export interface HashedEvent extends ChainedEvent {
  prevHash: string;
  hash: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// The chain of a task starts from its creation input, so editing the input is caught as well.
export function genesisHash(taskId: string, input: TaskInput): string {
  return sha256Hex(canonicalJson({ taskId, input }));
}

export function eventContent(event: ChainedEvent): string {
  return canonicalJson({
    taskId: event.taskId,
    seq: event.seq,
    type: event.type,
    fromState: event.fromState,
    toState: event.toState,
    actor: event.actor,
    actorAgencyId: event.actorAgencyId,
    at: event.at.toISOString(),
    payload: event.payload,
    machineVersion: event.machineVersion,
  });
}

// hash = SHA-256 hex over prev_hash and the event's canonical JSON (CONTRACT.md).
export function chainHash(prevHash: string, event: ChainedEvent): string {
  return sha256Hex(`${prevHash}\n${eventContent(event)}`);
}

export interface ChainVerdict {
  valid: boolean;
  firstBrokenSeq: number | null;
}

// Where and how a chain first breaks: a row whose hash is not that of its own content was edited;
// a row that does not link to the one before it follows a removed, inserted or reordered row (or,
// at seq 1, an edited creation input).
export interface ChainBreak {
  seq: number;
  position: number;
  why: 'CONTENT' | 'LINK';
}

export function findChainBreak(taskId: string, input: TaskInput, events: readonly HashedEvent[]): ChainBreak | null {
  let prev = genesisHash(taskId, input);
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i];
    if (event.taskId !== taskId || event.seq !== i + 1 || event.prevHash !== prev) return { seq: event.seq, position: i, why: 'LINK' };
    if (chainHash(prev, event) !== event.hash) return { seq: event.seq, position: i, why: 'CONTENT' };
    prev = event.hash;
  }
  return null;
}

export function verifyChain(taskId: string, input: TaskInput, events: readonly HashedEvent[]): ChainVerdict {
  const broken = findChainBreak(taskId, input, events);
  return { valid: broken === null, firstBrokenSeq: broken?.seq ?? null };
}
