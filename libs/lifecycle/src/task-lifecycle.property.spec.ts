import fc from 'fast-check';
import {
  applyTaskEvent,
  createTaskSnapshot,
  replayTask,
  StoredTaskSnapshot,
  TASK_EVENT_TYPES,
  TASK_STATES,
  TaskEvent,
  TaskEventType,
  TaskInput,
  upgradeTaskSnapshot,
} from './index';

// Instants around three quarterly due dates, so guards on time go both ways.
const DUES = ['2024-03-31T17:00:00.000Z', '2024-06-30T17:00:00.000Z', '2024-09-30T17:00:00.000Z'];
const instant = fc
  .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2024-12-31T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());
const text = fc.constantFrom('', ' ', 'ok', 'chưa đạt');
const actor = fc.record({ userId: fc.constantFrom('u1', 'u2'), agencyId: fc.constantFrom('a1', 'a2') });

const input: fc.Arbitrary<TaskInput> = fc.oneof(
  fc.constant({ dueAt: null }),
  fc.constant({ dueAt: DUES[0] }),
  fc.constant({ dueAt: DUES[0], periodDueDates: DUES }),
);

const event: fc.Arbitrary<TaskEvent> = fc
  .record({
    type: fc.constantFrom<TaskEventType>(...TASK_EVENT_TYPES),
    at: instant,
    by: actor,
    s: text,
    d: instant,
    state: fc.constantFrom(...TASK_STATES),
  })
  .map(({ type, at, by, s, d, state }): TaskEvent => {
    switch (type) {
      case 'ROLL_UP':
        return { type, at, by: null, state };
      case 'SUBMIT_REPORT':
        return { type, at, by, report: { summary: s } };
      case 'REJECT':
      case 'DENY_EXTENSION':
      case 'WAIVE_COORDINATION':
        return { type, at, by, comment: s };
      case 'CONTRIBUTE':
        return { type, at, by, text: s };
      case 'REQUEST_EXTENSION':
        return { type, at, by, reason: s, proposedDueAt: d };
      case 'APPROVE_EXTENSION':
        return { type, at, by, newDueAt: d };
      default:
        return { type, at, by };
    }
  });

// What a leaf task takes: ROLL_UP moves a task split per lead agency, whose own data never changes
// after, so the invariants of a leaf's reports and waivers do not hold across it.
const leafEvent = event.filter((e) => e.type !== 'ROLL_UP');

// What version 1 knew: no waiver events, and snapshots without the version 2 fields.
const version1Event = event.filter((e) => e.type !== 'WAIVE_COORDINATION' && e.type !== 'ROLL_UP');

function asVersion1(s: StoredTaskSnapshot): StoredTaskSnapshot {
  const { coordinationWaivedPeriods: _waived, periods, ...rest } = s.context;
  const context = { ...rest, periods: periods.map(({ reliesOn: _reliesOn, ...period }) => period) };
  return { ...s, machineVersion: 1, context: context as unknown as StoredTaskSnapshot['context'] };
}

// Applies what the machine takes and skips the rest, to walk deeper than replayTask's strict fold.
function foldLenient(start: StoredTaskSnapshot, events: TaskEvent[]): StoredTaskSnapshot[] {
  const trail = [start];
  for (const e of events) {
    const outcome = applyTaskEvent(trail[trail.length - 1], e);
    if (outcome.taken) trail.push(outcome.snapshot);
  }
  return trail;
}

describe(applyTaskEvent.name, () => {
  it('does give identical snapshots when random sequences are applied twice', () => {
    fc.assert(
      fc.property(input, fc.array(event, { maxLength: 40 }), (i, events) => {
        const first = foldLenient(createTaskSnapshot(i), events);
        const second = foldLenient(createTaskSnapshot(i), JSON.parse(JSON.stringify(events)));
        expect(second).toStrictEqual(first);
        expect(replayTask(i, events)).toStrictEqual(replayTask(i, events));
      }),
      { numRuns: 300 },
    );
  });

  it('does keep state, periods and the late flag consistent along any sequence', () => {
    fc.assert(
      fc.property(input, fc.array(event, { maxLength: 40 }), (i, events) => {
        const trail = foldLenient(createTaskSnapshot(i), events);
        trail.forEach((s, n) => {
          expect(TASK_STATES).toContain(s.state);
          expect(s.context.periods).toHaveLength(s.context.period + 1);
          expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s);
          if (n > 0 && trail[n - 1].context.late) expect(s.context.late).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('does keep waivers unique, of reached periods, and reports resting on their own period only', () => {
    fc.assert(
      fc.property(input, fc.array(leafEvent, { maxLength: 40 }), (i, events) => {
        for (const s of foldLenient(createTaskSnapshot(i), events)) {
          const waived = s.context.coordinationWaivedPeriods;
          expect(new Set(waived).size).toBe(waived.length);
          expect(waived).toEqual([...waived].sort((a, b) => a - b));
          expect(waived.every((p) => p >= 0 && p <= s.context.period)).toBe(true);
          for (const period of s.context.periods) {
            const own = s.context.contributions.filter((c) => c.period === period.index).map(({ agencyId, at }) => ({ agencyId, at }));
            expect(period.reliesOn).toEqual(period.report === null ? [] : own);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does upgrade any version 1 snapshot to exactly what version 2 holds after the same events', () => {
    fc.assert(
      fc.property(input, fc.array(version1Event, { maxLength: 40 }), fc.array(event, { maxLength: 5 }), (i, events, next) => {
        for (const s of foldLenient(createTaskSnapshot(i), events)) {
          const v1 = asVersion1(s);
          expect(upgradeTaskSnapshot(v1)).toStrictEqual(s);
          for (const e of next) expect(applyTaskEvent(v1, e)).toStrictEqual(applyTaskEvent(s, e));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('does take nothing once VERIFIED', () => {
    const finished = fc
      .tuple(input, fc.array(event, { maxLength: 60 }))
      .map(([i, events]) => foldLenient(createTaskSnapshot(i), events).find((s) => s.state === 'VERIFIED'))
      .filter((s): s is StoredTaskSnapshot => s !== undefined);
    fc.assert(
      fc.property(finished, fc.array(event, { minLength: 1, maxLength: 10 }), (verified, more) => {
        for (const e of more) expect(applyTaskEvent(verified, e).taken).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
