// Micro-benchmark of the audit's bulk replay: `npm run bench:replay [-- HISTORIES [SEED]]`.
// Replays the same seeded, stored-like histories (events with the states their rows record) with
//   (a) XState's pure transition(), bare (initialTransition + transition per event);
//   (a') the former audit replay on XState (replayRecordedTaskWithXState: checks + a JSON copy per step);
//   (b) the compiled table (replayRecordedTask, what the audit runs);
//   (c) a hand-written switch reducer with the same checks, written only here, as the limit;
// then (b) and (c) bare, like (a): stepping only, without the audit's checks and final JSON copy.
// Prints events/s and the compiled/switch ratios; checks first that (a'), (b) and (c) agree on every
// history. Timings only: nothing here is a test.
import { deepStrictEqual } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { initialTransition, transition } from 'xstate';
import { compileMachine } from '../libs/lifecycle/src/compiled-machine';
import { isAfter, isValidInstant } from '../libs/lifecycle/src/iso-time';
import {
  assertValidTaskInput,
  initialTaskContext,
  isCoordinationWaived,
  withContribution,
  withCoordinationWaiver,
  withExtension,
  withExtensionRequest,
  withNextPeriod,
  withRejection,
  withReport,
  withVerification,
} from '../libs/lifecycle/src/task-context';
import {
  applyTaskEventCompiled,
  createTaskSnapshot,
  RecordedTaskEvent,
  replayRecordedTask,
  replayRecordedTaskWithXState,
} from '../libs/lifecycle/src/task-lifecycle';
import { taskMachine } from '../libs/lifecycle/src/task.machine';
import {
  StoredTaskSnapshot,
  TASK_MACHINE_ID,
  TASK_MACHINE_VERSION,
  TaskContext,
  TaskEvent,
  TaskEventType,
  TaskInput,
  TaskReplayResult,
  TaskState,
} from '../libs/lifecycle/src/task.types';

export interface History {
  input: TaskInput;
  events: RecordedTaskEvent[];
}

// mulberry32: small, seeded, the same histories on every run
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const YEAR_START = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const TYPES: TaskEventType[] = [
  'START',
  'SUBMIT_REPORT',
  'VERIFY',
  'REJECT',
  'DEADLINE_PASSED',
  'CONTRIBUTE',
  'CONTRIBUTE',
  'REQUEST_EXTENSION',
  'APPROVE_EXTENSION',
  'DENY_EXTENSION',
  'WAIVE_COORDINATION',
];

// A task's life as task_events would hold it: random attempts, only the taken ones recorded.
export function generate(count: number, seed: number): History[] {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const histories: History[] = [];
  for (let h = 0; h < count; h++) {
    const quarters = [90, 181, 273, 365].map((d) => iso(YEAR_START + d * DAY + 17 * 3_600_000));
    const recurring = random() < 0.3;
    const input: TaskInput =
      random() < 0.1 ? { dueAt: null } : recurring ? { dueAt: quarters[0], periodDueDates: quarters } : { dueAt: quarters[0] };
    let stored = createTaskSnapshot(input);
    let now = YEAR_START + Math.floor(random() * 30) * DAY;
    const events: RecordedTaskEvent[] = [];
    const attempts = 10 + Math.floor(random() * 30);
    for (let a = 0; a < attempts && stored.state !== 'VERIFIED'; a++) {
      now += Math.floor(random() * 12 * DAY);
      const at = iso(now);
      const by = { userId: `u${Math.floor(random() * 5)}`, agencyId: `a${Math.floor(random() * 3)}` };
      const later = iso(now + (1 + Math.floor(random() * 60)) * DAY);
      const type = pick(TYPES);
      const event = {
        START: { type, at, by },
        SUBMIT_REPORT: { type, at, by, report: { summary: 'báo cáo', value: String(a) } },
        VERIFY: { type, at, by },
        REJECT: { type, at, by, comment: random() < 0.9 ? 'bổ sung' : '' },
        DEADLINE_PASSED: { type, at },
        CONTRIBUTE: { type, at, by, text: 'ý kiến', value: null },
        REQUEST_EXTENSION: { type, at, by, reason: 'lý do', proposedDueAt: later },
        APPROVE_EXTENSION: { type, at, by, newDueAt: later },
        DENY_EXTENSION: { type, at, by, comment: 'không' },
        WAIVE_COORDINATION: { type, at, by, comment: 'gấp' },
        ROLL_UP: { type, at, state: 'IN_PROGRESS' },
        WITHDRAW: { type, at, reason: 'rút' },
        AMEND: { type, at, dueAt: later },
      }[type] as TaskEvent;
      const outcome = applyTaskEventCompiled(stored, event);
      if (!outcome.taken) continue;
      // as read back from task_events (jsonb): plain JSON
      events.push(
        JSON.parse(
          JSON.stringify({ event, fromState: stored.state, toState: outcome.snapshot.state, machineVersion: TASK_MACHINE_VERSION }),
        ),
      );
      stored = outcome.snapshot;
    }
    // one history in twenty was tampered with: a recorded state that replay does not reach
    if (events.length > 2 && random() < 0.05) events[events.length - 2].toState = 'ASSIGNED';
    histories.push({ input, events });
  }
  return histories;
}

// (c) The limit: the same lifecycle as a hand-written switch. Not used anywhere but here.
type Ctx = TaskContext;
const merge = (c: Ctx, patch: Partial<Ctx>): Ctx => ({ ...c, ...patch });
const comment = (e: TaskEvent) => {
  const value = (e as { comment?: unknown }).comment;
  return typeof value === 'string' && value.trim() !== '';
};

function switchStep(state: TaskState, c: Ctx, e: TaskEvent): [TaskState, Ctx] | null {
  const open = state === 'ASSIGNED' || state === 'IN_PROGRESS' || state === 'OVERDUE';
  switch (e.type) {
    case 'START':
      return state === 'ASSIGNED' ? ['IN_PROGRESS', c] : null;
    case 'DEADLINE_PASSED':
      return (state === 'ASSIGNED' || state === 'IN_PROGRESS') && c.dueAt !== null && isAfter(e.at, c.dueAt) ? ['OVERDUE', c] : null;
    case 'SUBMIT_REPORT':
      return state === 'IN_PROGRESS' || state === 'OVERDUE' ? ['REPORTED', merge(c, withReport(c, e))] : null;
    case 'VERIFY': {
      if (state !== 'REPORTED') return null;
      const verified = merge(c, withVerification(c, e));
      return c.period < c.periodDueDates.length - 1 ? ['IN_PROGRESS', merge(verified, withNextPeriod(verified))] : ['VERIFIED', verified];
    }
    case 'REJECT':
      if (state !== 'REPORTED' || !comment(e)) return null;
      return [c.dueAt !== null && isAfter(e.at, c.dueAt) ? 'OVERDUE' : 'IN_PROGRESS', merge(c, withRejection(c))];
    case 'CONTRIBUTE':
      return open ? [state, merge(c, withContribution(c, e))] : null;
    case 'REQUEST_EXTENSION':
      return open &&
        c.pendingExtension === null &&
        isAfter(e.proposedDueAt, e.at) &&
        (c.dueAt === null || isAfter(e.proposedDueAt, c.dueAt))
        ? [state, merge(c, withExtensionRequest(e))]
        : null;
    case 'APPROVE_EXTENSION':
      if (state === 'VERIFIED' || c.pendingExtension === null || !isValidInstant(e.newDueAt)) return null;
      return [state === 'OVERDUE' && isAfter(e.newDueAt, e.at) ? 'IN_PROGRESS' : state, merge(c, withExtension(c, e))];
    case 'DENY_EXTENSION':
      return state !== 'VERIFIED' && c.pendingExtension !== null && comment(e) ? [state, merge(c, { pendingExtension: null })] : null;
    case 'WAIVE_COORDINATION':
      return open && !isCoordinationWaived(c) && comment(e) ? [state, merge(c, withCoordinationWaiver(c))] : null;
    default:
      return null;
  }
}

// replayRecordedTask's contract on the switch: same checks, one JSON copy of the result.
export function replaySwitch(input: TaskInput, events: readonly RecordedTaskEvent[]): TaskReplayResult {
  assertValidTaskInput(input);
  let state: TaskState = 'ASSIGNED';
  let context = initialTaskContext(input);
  const result = (applied: number, rejectedAt: number | null): TaskReplayResult => ({
    snapshot: { machineId: TASK_MACHINE_ID, machineVersion: TASK_MACHINE_VERSION, state, context: JSON.parse(JSON.stringify(context)) },
    applied,
    rejectedAt,
  });
  for (let i = 0; i < events.length; i++) {
    const { event, fromState, toState } = events[i];
    if (state !== fromState || state === 'VERIFIED' || !isValidInstant(event?.at)) return result(i, i);
    const next = switchStep(state, context, event);
    if (next === null || next[0] !== toState) return result(i, i);
    [state, context] = next;
  }
  return result(events.length, null);
}

// (a) XState's transition() with nothing around it: the cost of the library itself.
function replayBareXState(input: TaskInput, events: readonly RecordedTaskEvent[]): StoredTaskSnapshot['state'] {
  let [snapshot] = initialTransition(taskMachine, input);
  for (const { event } of events) [snapshot] = transition(taskMachine, snapshot, event);
  return snapshot.value as TaskState;
}

// (b) and (c) bare: the table's and the switch's stepping alone, as (a) is XState's.
const table = compileMachine(taskMachine);

function replayBareTable(input: TaskInput, events: readonly RecordedTaskEvent[]): string {
  let state = table.initial;
  let context = table.initialContext(input);
  for (const { event } of events) {
    const next = table.take(state, context, event);
    if (next !== null) ({ state, context } = next);
  }
  return state;
}

function replayBareSwitch(input: TaskInput, events: readonly RecordedTaskEvent[]): string {
  let state: TaskState = 'ASSIGNED';
  let context = initialTaskContext(input);
  for (const { event } of events) {
    const next = switchStep(state, context, event);
    if (next !== null) [state, context] = next;
  }
  return state;
}

export function measure(label: string, histories: History[], events: number, budgetMs: number, run: (h: History) => unknown): number {
  for (const h of histories.slice(0, 200)) run(h); // warm-up
  let best = Infinity;
  const started = performance.now();
  let rounds = 0;
  while (rounds < 3 || (performance.now() - started < budgetMs && rounds < 50)) {
    const t0 = performance.now();
    for (const h of histories) run(h);
    best = Math.min(best, performance.now() - t0);
    rounds++;
  }
  const rate = events / (best / 1000);
  console.log(
    `${label.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} events/s  (best of ${rounds}, ${best.toFixed(1)} ms)`,
  );
  return rate;
}

function main(): void {
  const count = Number(process.argv[2] ?? 2000);
  const seed = Number(process.argv[3] ?? 20240331);
  const histories = generate(count, seed);
  const events = histories.reduce((n, h) => n + h.events.length, 0);
  const rejected = histories.filter((h) => replayRecordedTask(h.input, h.events).rejectedAt !== null).length;
  console.log(`${count} histories, ${events} events (seed ${seed}; ${rejected} tampered), node ${process.version}`);

  for (const h of histories) {
    const compiled = replayRecordedTask(h.input, h.events);
    deepStrictEqual(compiled, replayRecordedTaskWithXState(h.input, h.events));
    deepStrictEqual(replaySwitch(h.input, h.events), compiled);
  }
  console.log('(a′), (b) and (c) agree on every history\n');

  const xstate = measure('(a)  XState transition(), bare', histories, events, 4000, (h) => replayBareXState(h.input, h.events));
  const former = measure('(a′) XState audit replay (former path)', histories, events, 4000, (h) =>
    replayRecordedTaskWithXState(h.input, h.events),
  );
  const compiled = measure('(b)  compiled table (replayRecordedTask)', histories, events, 3000, (h) =>
    replayRecordedTask(h.input, h.events),
  );
  const limit = measure('(c)  hand-written switch (limit)', histories, events, 3000, (h) => replaySwitch(h.input, h.events));
  const bareTable = measure('(b0) compiled table, bare', histories, events, 3000, (h) => replayBareTable(h.input, h.events));
  const bareSwitch = measure('(c0) hand-written switch, bare', histories, events, 3000, (h) => replayBareSwitch(h.input, h.events));
  console.log(
    `\ncompiled / switch: ${(compiled / limit).toFixed(2)} as the audit replays (b/c), ${(bareTable / bareSwitch).toFixed(2)} bare (b0/c0); target ≥ 0.25`,
  );
  console.log(
    `compiled / XState: ${(bareTable / xstate).toFixed(0)}× bare (b0/a), ${(compiled / former).toFixed(0)}× as the audit replays (b/a′)`,
  );
  console.log(`switch / XState, bare (c0/a): ${(bareSwitch / xstate).toFixed(0)}×`);
}

// run as a script (npm run bench:replay); npm run bench imports the pieces above
if (require.main === module) main();
