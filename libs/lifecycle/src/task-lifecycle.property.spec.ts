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
    // AMEND: a new date, a whole new schedule (sometimes not ascending), no date, or changes only
    amendKind: fc.constantFrom('dueAt', 'schedule', 'none', 'changes'),
    schedule: fc.array(instant, { minLength: 1, maxLength: 4 }),
  })
  .map(({ type, at, by, s, d, state, amendKind, schedule }): TaskEvent => {
    switch (type) {
      case 'WITHDRAW':
        return { type, at, by: null, reason: s };
      case 'AMEND':
        if (amendKind === 'dueAt') return { type, at, by: null, dueAt: d };
        if (amendKind === 'schedule') return { type, at, by: null, periodDueDates: schedule };
        if (amendKind === 'none') return { type, at, by: null, dueAt: null };
        return { type, at, by: null, changes: s === '' ? [] : [{ field: 'title', from: 'a', to: s }] };
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
const version1Event = event.filter((e) => !['WAIVE_COORDINATION', 'ROLL_UP', 'WITHDRAW', 'AMEND'].includes(e.type));

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

  it('does keep the schedule ascending, reached periods dated as they were, and an amended date the original one', () => {
    fc.assert(
      fc.property(input, fc.array(event, { maxLength: 40 }), (i, events) => {
        let current = createTaskSnapshot(i);
        for (const e of events) {
          const outcome = applyTaskEvent(current, e);
          if (!outcome.taken) continue;
          const next = outcome.snapshot.context;
          const dates = next.periodDueDates;
          expect(dates.every((d, n) => n === 0 || Date.parse(d) > Date.parse(dates[n - 1]))).toBe(true);
          if (e.type === 'AMEND') {
            // periods before the current one keep their dates; the current one takes the amended date
            expect(next.periods.slice(0, -1)).toStrictEqual(current.context.periods.slice(0, -1));
            if (e.periodDueDates || e.dueAt !== undefined) {
              expect(next.dueAt).toBe(dates[next.period] ?? null);
              expect(next.originalDueAt).toBe(next.dueAt);
              expect(next.periods[next.periods.length - 1].dueAt).toBe(next.dueAt);
            } else {
              // a recorded change of text only: the context is untouched
              expect(next).toStrictEqual(current.context);
            }
          }
          current = outcome.snapshot;
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(['VERIFIED', 'WITHDRAWN'] as const)('does take nothing once %s', (final) => {
    const finished = fc
      .tuple(input, fc.array(event, { maxLength: 60 }))
      .map(([i, events]) => foldLenient(createTaskSnapshot(i), events).find((s) => s.state === final))
      .filter((s): s is StoredTaskSnapshot => s !== undefined);
    fc.assert(
      fc.property(finished, fc.array(event, { minLength: 1, maxLength: 10 }), (verified, more) => {
        for (const e of more) expect(applyTaskEvent(verified, e).taken).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
