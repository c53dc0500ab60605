// The compiled table (replayRecordedTask, applyTaskEventCompiled) against XState itself
// (replayRecordedTaskWithXState, applyTaskEvent): same state, context, and refusal, step by step.
// Paths come from @xstate/graph walking the machine; random sequences from fast-check are a
// second net, malformed events included.
import { getShortestPaths, getSimplePaths } from '@xstate/graph';
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import { taskMachineVersions } from './machine-versions';
import { isCoordinationWaived } from './task-context';
import {
  applyTaskEvent,
  applyTaskEventCompiled,
  createTaskSnapshot,
  RecordedTaskEvent,
  replayRecordedTask,
  replayRecordedTaskWithXState,
} from './task-lifecycle';
import { taskMachine } from './task.machine';
import {
  StoredTaskSnapshot,
  TaskContext,
  TASK_EVENT_TYPES,
  TASK_STATES,
  TaskEvent,
  TaskInput,
  TaskState,
  TransitionOutcome,
} from './task.types';

const DUES = ['2024-03-31T17:00:00.000Z', '2024-06-30T17:00:00.000Z', '2024-09-30T17:00:00.000Z'];
// before the first due date, between the first two, after the last
const EARLY = '2024-03-01T03:00:00.000Z';
const MID = '2024-05-01T03:00:00.000Z';
const LATE = '2024-11-01T03:00:00.000Z';
const INPUTS: TaskInput[] = [{ dueAt: null }, { dueAt: DUES[0] }, { dueAt: DUES[0], periodDueDates: DUES }];
const by = { userId: 'u1', agencyId: 'a1' };

// What the graph walks: every event type, with payloads that make each guard go both ways.
const WALK: TaskEvent[] = [
  { type: 'START', at: EARLY, by },
  { type: 'DEADLINE_PASSED', at: EARLY },
  { type: 'DEADLINE_PASSED', at: MID },
  { type: 'DEADLINE_PASSED', at: LATE },
  { type: 'SUBMIT_REPORT', at: EARLY, by, report: { summary: 'on time', value: '3' } },
  { type: 'SUBMIT_REPORT', at: MID, by, report: { summary: 'late' } },
  { type: 'VERIFY', at: EARLY, by },
  { type: 'VERIFY', at: LATE, by },
  { type: 'REJECT', at: EARLY, by, comment: ' ' },
  { type: 'REJECT', at: EARLY, by, comment: 'thiếu số liệu' },
  { type: 'REJECT', at: LATE, by, comment: 'thiếu số liệu' },
  { type: 'CONTRIBUTE', at: EARLY, by: { userId: 'u2', agencyId: 'a2' }, text: 'input', value: '1' },
  { type: 'REQUEST_EXTENSION', at: EARLY, by, reason: 'r', proposedDueAt: '2024-04-15T00:00:00.000Z' },
  { type: 'REQUEST_EXTENSION', at: EARLY, by, reason: 'r', proposedDueAt: '2024-03-15T00:00:00.000Z' },
  { type: 'REQUEST_EXTENSION', at: MID, by, reason: 'r', proposedDueAt: EARLY },
  { type: 'APPROVE_EXTENSION', at: MID, by, newDueAt: 'next week' },
  { type: 'APPROVE_EXTENSION', at: MID, by, newDueAt: '2024-06-15T00:00:00.000Z' },
  { type: 'APPROVE_EXTENSION', at: LATE, by, newDueAt: '2024-04-15T00:00:00.000Z' },
  { type: 'DENY_EXTENSION', at: EARLY, by, comment: '' },
  { type: 'DENY_EXTENSION', at: EARLY, by, comment: 'no' },
  { type: 'WAIVE_COORDINATION', at: EARLY, by, comment: '' },
  { type: 'WAIVE_COORDINATION', at: EARLY, by, comment: 'urgent' },
  // version 4: withdrawn with and without a reason; amended ahead of the event, behind it, badly, text only
  { type: 'WITHDRAW', at: MID, by: null, reason: ' ' },
  { type: 'WITHDRAW', at: MID, by: null, reason: 'removed by the amended plan' },
  { type: 'AMEND', at: MID, by: null, dueAt: '2024-08-31T17:00:00.000Z' },
  { type: 'AMEND', at: LATE, by: null, dueAt: '2024-10-15T17:00:00.000Z' },
  { type: 'AMEND', at: EARLY, by: null, dueAt: 'end of year' },
  { type: 'AMEND', at: EARLY, by: null, changes: [{ field: 'title', from: 'a', to: 'b' }] },
];

// Also tried at the end of every path: refused before the machine, outside its vocabulary, malformed.
// ROLL_UP is only probed, not walked: it reaches every state in one step, so walking it would cut
// every other path short. Probed to each state, and to one that does not exist.
const PROBES: TaskEvent[] = [
  ...WALK,
  ...TASK_STATES.map((state): TaskEvent => ({ type: 'ROLL_UP', at: MID, by: null, state, childTaskId: 'c1' })),
  { type: 'ROLL_UP', at: MID, state: 'DONE' } as unknown as TaskEvent,
  { type: 'ROLL_UP', at: MID } as unknown as TaskEvent,
  { type: 'START', at: '2024-03-01' },
  { type: 'START' } as unknown as TaskEvent,
  null as unknown as TaskEvent,
  { type: 'FOO', at: EARLY } as unknown as TaskEvent,
  { type: 'xstate.stop', at: EARLY } as unknown as TaskEvent,
  { type: 'toString', at: EARLY } as unknown as TaskEvent,
  { type: 'SUBMIT_REPORT', at: EARLY } as unknown as TaskEvent,
  { type: 'CONTRIBUTE', at: EARLY } as unknown as TaskEvent,
  { type: 'REQUEST_EXTENSION', at: EARLY } as unknown as TaskEvent,
  { type: 'APPROVE_EXTENSION', at: MID } as unknown as TaskEvent,
];

// The guard-relevant part of the context: what the guards read, nothing that only grows.
function abstractState(snapshot: { value: unknown; context: StoredTaskSnapshot['context'] }): string {
  const c = snapshot.context;
  return JSON.stringify([snapshot.value, c.dueAt, c.period, c.pendingExtension !== null, isCoordinationWaived(c)]);
}

function pathsOf(input: TaskInput): TaskEvent[][] {
  return getShortestPaths(taskMachine, { input, events: WALK, serializeState: abstractState }).map((path) =>
    path.steps.map((step) => step.event).filter((event) => !event.type.startsWith('xstate.')),
  );
}

function triple(from: TaskState, event: TaskEvent, outcome: TransitionOutcome): string | null {
  return outcome.taken ? `${from} ${event.type} ${outcome.snapshot.state}` : null;
}

describe('compiled lifecycle ≡ XState', () => {
  const taken = new Set<string>();
  const refusedByGuards = new Set<string>();
  const reached = new Set<TaskState>();
  let paths = 0;
  let steps = 0;
  let depth = 0;

  // Compared on every step; what XState did is recorded for the coverage check.
  function compareStep(stored: StoredTaskSnapshot, event: TaskEvent): TransitionOutcome {
    const viaXState = applyTaskEvent(stored, event);
    expect(applyTaskEventCompiled(stored, event)).toStrictEqual(viaXState);
    const t = triple(stored.state, event, viaXState);
    if (t) taken.add(t);
    else if (!viaXState.taken && viaXState.reason.includes('conditions are not met')) refusedByGuards.add(`${stored.state} ${event.type}`);
    return viaXState;
  }

  it.each(INPUTS.map((input) => [JSON.stringify(input), input] as const))(
    'does agree on every step of every shortest path to each guard-relevant state, input %s',
    (_name, input) => {
      for (const events of pathsOf(input)) {
        paths++;
        depth = Math.max(depth, events.length);
        let stored = createTaskSnapshot(input);
        const recorded: RecordedTaskEvent[] = [];
        for (const event of events) {
          steps++;
          const outcome = compareStep(stored, event);
          // the graph only walks what the machine takes
          if (!outcome.taken) throw new Error(`path event ${event.type} refused: ${outcome.reason}`);
          recorded.push({ event, fromState: stored.state, toState: outcome.snapshot.state });
          stored = outcome.snapshot;
        }
        reached.add(stored.state);
        for (const probe of PROBES) compareStep(stored, probe);
        expect(replayRecordedTask(input, recorded)).toStrictEqual(replayRecordedTaskWithXState(input, recorded));
        if (recorded.length > 0) {
          // a row whose recorded states disagree with the replay: both stop at the same place
          const last = recorded.length - 1;
          // no transition enters ASSIGNED, and ASSIGNED never leads to VERIFIED
          const wrongTo = recorded.map((r, i): RecordedTaskEvent =>
            i === last ? { ...r, toState: r.fromState === 'ASSIGNED' ? 'VERIFIED' : 'ASSIGNED' } : r,
          );
          const wrongFrom = recorded.map((r, i) => (i === last ? { ...r, fromState: 'VERIFIED' as const } : r));
          for (const tampered of [wrongTo, wrongFrom]) {
            expect(replayRecordedTask(input, tampered)).toStrictEqual(replayRecordedTaskWithXState(input, tampered));
            expect(replayRecordedTask(input, tampered).rejectedAt).toBe(last);
          }
        }
      }
    },
  );

  // reads what the path tests above recorded (jest runs a file's tests in order)
  it('does cover every state, every declared transition, and each guarded event refused', () => {
    // 122 paths, 409 steps, depth 8 when written; each path end also probed with every PROBES event
    expect(paths).toBeGreaterThanOrEqual(100);
    expect(depth).toBeGreaterThanOrEqual(8);
    expect(steps).toBeGreaterThanOrEqual(400);
    expect([...reached].sort()).toEqual([...TASK_STATES].sort());
    const declared = new Set<string>();
    const guarded = new Set<string>();
    for (const [state, node] of Object.entries(taskMachine.root.states)) {
      for (const [event, transitions] of node.transitions) {
        for (const t of transitions) declared.add(`${state} ${event} ${t.target?.[0]?.key ?? state}`);
        if (transitions.every((t) => t.guard !== undefined)) guarded.add(`${state} ${event}`);
      }
    }
    expect([...taken].filter((t) => !declared.has(t))).toEqual([]);
    expect([...declared].filter((t) => !taken.has(t))).toEqual([]);
    expect([...guarded].filter((g) => !refusedByGuards.has(g))).toEqual([]);
  });
});

// Every simple path (no abstract state — state, extension pending, due time — twice) of a three-period task, one event per taken branch, as
// an event sequence: XState's transition() and the table step it side by side from the start. Run for
// every registered machine version, on that version's own machine and table.
describe.each(taskMachineVersions.all().map((entry) => [entry.version, entry] as const))(
  'compiled table ≡ XState transition() on every simple path, machine version %i',
  (_version, entry) => {
    const SIMPLE_WALK: TaskEvent[] = [
      { type: 'START', at: EARLY },
      { type: 'DEADLINE_PASSED', at: MID },
      { type: 'SUBMIT_REPORT', at: EARLY, by, report: { summary: 'x' } },
      { type: 'VERIFY', at: EARLY },
      { type: 'REJECT', at: EARLY, comment: 'x' },
      { type: 'REJECT', at: MID, comment: 'x' },
      { type: 'CONTRIBUTE', at: EARLY, by, text: 't' },
      { type: 'REQUEST_EXTENSION', at: EARLY, reason: 'r', proposedDueAt: '2024-04-15T00:00:00.000Z' },
      { type: 'APPROVE_EXTENSION', at: MID, newDueAt: '2024-06-15T00:00:00.000Z' },
      { type: 'DENY_EXTENSION', at: EARLY, comment: 'no' },
      { type: 'WAIVE_COORDINATION', at: EARLY, comment: 'u' },
    ];
    const coarse = (s: { value: unknown; context: StoredTaskSnapshot['context'] }) =>
      JSON.stringify([s.value, s.context.pendingExtension !== null, s.context.dueAt]);

    it('does reach the same state and context, and accept the same events, after every step', () => {
      const machine = entry.machine as typeof taskMachine;
      const table = entry.compiled;
      const input = { dueAt: DUES[0], periodDueDates: DUES };
      const simple = getSimplePaths(machine, { input, events: SIMPLE_WALK, serializeState: coarse });
      // Paths share prefixes: each distinct prefix is stepped once, from its parent's result.
      type Pair = { snapshot: ReturnType<typeof initialTransition<typeof taskMachine>>[0]; state: string; context: TaskContext };
      const [initial] = initialTransition(machine, input);
      const start: Pair = { snapshot: initial, state: table.initial, context: table.initialContext(input) };
      expect({ state: start.state, context: start.context }).toStrictEqual({ state: initial.value, context: initial.context });
      const prefixes = new Map<string, Pair>([['', start]]);
      let steps = 0;
      for (const path of simple) {
        let key = '';
        let pair = start;
        for (const { event } of path.steps.slice(1)) {
          steps++;
          key += `|${JSON.stringify(event)}`;
          const known = prefixes.get(key);
          if (known) {
            pair = known;
            continue;
          }
          const next = table.take(pair.state, pair.context, event);
          expect(next !== null).toBe(pair.snapshot.can(event));
          if (next !== null) {
            const [snapshot] = transition(machine, pair.snapshot, event);
            expect(next).toStrictEqual({ state: snapshot.value, context: snapshot.context });
            pair = { snapshot, ...next };
          }
          prefixes.set(key, pair);
        }
      }
      // 550 paths of up to 14 events, 4 053 steps, 550 distinct prefixes when written, for versions 1
      // and 2 alike (WAIVE_COORDINATION leaves the coarse state as it is)
      expect(simple.length).toBeGreaterThanOrEqual(500);
      expect(Math.max(...simple.map((p) => p.steps.length - 1))).toBeGreaterThanOrEqual(14);
      expect(steps).toBeGreaterThanOrEqual(4000);
    });
  },
);

// Second net: random inputs and sequences, valid and malformed, on a fixed seed.
describe('compiled lifecycle ≡ XState on random sequences', () => {
  const instant = fc.constantFrom(EARLY, MID, LATE, ...DUES, '2024-04-15T00:00:00.000Z', '2024-12-31T23:59:59+07:00');
  const maybeInstant = fc.oneof({ weight: 8, arbitrary: instant }, fc.constantFrom('soon', '', undefined, null, 42));
  const text = fc.constantFrom('', ' ', 'ok', 'chưa đạt', undefined, null);
  const actor = fc.option(fc.record({ userId: fc.constantFrom('u1', 'u2'), agencyId: fc.constantFrom('a1', 'a2', undefined) }));
  const type = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom<string>(...TASK_EVENT_TYPES) },
    fc.constantFrom('FOO', 'toString', 'xstate.stop'),
  );
  const event: fc.Arbitrary<TaskEvent> = fc
    .record({ type, at: maybeInstant, by: actor, s: text, d: maybeInstant, drop: fc.boolean() })
    .map(({ type, at, by, s, d, drop }) => {
      const payload: Record<string, unknown> = {
        report: { summary: s, value: s },
        comment: s,
        text: s,
        reason: s,
        proposedDueAt: d,
        newDueAt: d,
      };
      const e = { type, at, by, ...(drop ? {} : payload) };
      return e as unknown as TaskEvent;
    });
  const input: fc.Arbitrary<TaskInput> = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...INPUTS) },
    fc.constantFrom<TaskInput>(
      { dueAt: 'tomorrow' },
      { dueAt: DUES[1], periodDueDates: DUES },
      { dueAt: DUES[0], periodDueDates: [...DUES].reverse() },
    ),
  );

  function outcomeOf<T>(run: () => T): { value: T } | { error: string } {
    try {
      return { value: run() };
    } catch (err) {
      return { error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }

  it('does agree on every step, on the audit replay of what was taken, and on the strict fold of raw events', () => {
    fc.assert(
      fc.property(input, fc.array(event, { maxLength: 30 }), fc.nat(), (i, events, tamperAt) => {
        const start = outcomeOf(() => createTaskSnapshot(i));
        const raw = events.map((e) => ({ event: e, fromState: null, toState: null }) as unknown as RecordedTaskEvent);
        expect(outcomeOf(() => replayRecordedTask(i, raw))).toStrictEqual(outcomeOf(() => replayRecordedTaskWithXState(i, raw)));
        if (!('value' in start)) return;
        let stored = start.value;
        const recorded: RecordedTaskEvent[] = [];
        for (const e of events) {
          const viaXState = applyTaskEvent(stored, e);
          expect(applyTaskEventCompiled(stored, e)).toStrictEqual(viaXState);
          if (!viaXState.taken) continue;
          recorded.push({ event: e, fromState: stored.state, toState: viaXState.snapshot.state });
          stored = viaXState.snapshot;
        }
        expect(replayRecordedTask(i, recorded)).toStrictEqual(replayRecordedTaskWithXState(i, recorded));
        // drop one recorded event: the rest may no longer fold, and both must say where
        const gapped = recorded.filter((_, n) => n !== tamperAt % Math.max(recorded.length, 1));
        expect(replayRecordedTask(i, gapped)).toStrictEqual(replayRecordedTaskWithXState(i, gapped));
      }),
      { seed: 20240331, numRuns: 300 },
    );
  });
});
