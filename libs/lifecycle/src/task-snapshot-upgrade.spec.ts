import { AFTER_DUE, applyAll, BEFORE_DUE, DUE, ev, taskIn } from '../test/task-fixtures';
import {
  acceptedEventTypes,
  applyTaskEvent,
  canApply,
  createTaskSnapshot,
  IncompatibleSnapshotError,
  replayTask,
  taskMachineVersions,
  upgradeV2ToV3,
  upgradeV3ToV4,
  restoreTaskSnapshot,
  StoredTaskSnapshot,
  TaskEvent,
  upgradeTaskSnapshot,
} from './index';

const CONTRIBUTED_AT = '2024-06-05T03:00:00.000Z';
const REPORTED_AT = '2024-06-25T03:00:00.000Z';

// A row as version 1 stored it (written out by hand, not produced by this code): started,
// one contribution, a report under review. Version 1 had no waivers and no reliesOn.
function version1Reported(): StoredTaskSnapshot {
  return {
    machineId: 'task',
    machineVersion: 1,
    state: 'REPORTED',
    context: {
      dueAt: DUE,
      originalDueAt: DUE,
      periodDueDates: [DUE],
      period: 0,
      periods: [
        {
          index: 0,
          dueAt: DUE,
          reportedAt: REPORTED_AT,
          verifiedAt: null,
          late: false,
          report: { summary: 'done', value: '100%' },
          rejections: 0,
        },
      ],
      late: false,
      pendingExtension: null,
      contributions: [{ agencyId: 'a-co', at: CONTRIBUTED_AT, text: 'phối hợp', value: null, period: 0 }],
      reportedByAgencyId: 'a-lead',
      reportedByUserId: 'u-lead',
    },
  } as unknown as StoredTaskSnapshot;
}

// The same row one step earlier: in progress, the contribution in, no report yet.
function version1InProgress(): StoredTaskSnapshot {
  const stored = version1Reported();
  const context = stored.context as unknown as Record<string, unknown>;
  return {
    ...stored,
    state: 'IN_PROGRESS',
    context: {
      ...context,
      periods: [{ index: 0, dueAt: DUE, reportedAt: null, verifiedAt: null, late: false, report: null, rejections: 0 }],
      reportedByAgencyId: null,
      reportedByUserId: null,
    } as unknown as StoredTaskSnapshot['context'],
  };
}

// The version-1-era events behind those rows (events carry no machine version).
const HISTORY: TaskEvent[] = [ev.start('2024-06-01T03:00:00.000Z'), ev.contribute(CONTRIBUTED_AT), ev.submit(REPORTED_AT)];

describe(upgradeTaskSnapshot.name, () => {
  it('does lift a version 1 row to version 2: no waivers, reliesOn on every period; and on to 3 and 4, the context unchanged', () => {
    const toV2 = taskMachineVersions.upgrade(version1Reported(), 2);
    expect(toV2.machineVersion).toBe(2);
    const upgraded = upgradeTaskSnapshot(version1Reported());
    expect(upgraded).toStrictEqual({ ...toV2, machineVersion: 4 });
    expect(upgradeV3ToV4(upgradeV2ToV3(toV2))).toStrictEqual(upgraded);
    expect(upgraded.context.coordinationWaivedPeriods).toEqual([]);
    expect(upgraded.context.periods[0].reliesOn).toEqual([{ agencyId: 'a-co', at: CONTRIBUTED_AT }]);
    expect(upgradeTaskSnapshot(version1InProgress()).context.periods[0].reliesOn).toEqual([]);
  });

  it('does give exactly what version 2 gives when it replays the same events', () => {
    const replayed = replayTask({ dueAt: DUE }, HISTORY);
    expect(replayed.rejectedAt).toBeNull();
    expect(upgradeTaskSnapshot(version1Reported())).toStrictEqual(replayed.snapshot);
    expect(upgradeTaskSnapshot(version1InProgress())).toStrictEqual(replayTask({ dueAt: DUE }, HISTORY.slice(0, 2)).snapshot);
  });

  it('does give a row of the current version back unchanged', () => {
    const current = taskIn('OVERDUE', true);
    expect(upgradeTaskSnapshot(current)).toBe(current);
  });

  it('does not mutate the version 1 row it is given', () => {
    const stored = version1Reported();
    const before = JSON.stringify(stored);
    upgradeTaskSnapshot(stored);
    applyTaskEvent(stored, ev.verify(AFTER_DUE));
    expect(JSON.stringify(stored)).toBe(before);
  });

  it.each([
    ['a null context', null],
    ['a context without periods', { dueAt: DUE }],
  ])('does throw IncompatibleSnapshotError when a version 1 row has %s', (_why, context) => {
    const bad = { ...version1Reported(), context } as unknown as StoredTaskSnapshot;
    expect(() => upgradeTaskSnapshot(bad)).toThrow(IncompatibleSnapshotError);
    expect(() => applyTaskEvent(bad, ev.verify(AFTER_DUE))).toThrow(IncompatibleSnapshotError);
  });

  it.each([0, 5, -1, 1.5, Number.NaN])('does throw IncompatibleSnapshotError for machine version %p', (machineVersion) => {
    expect(() => upgradeTaskSnapshot({ ...version1Reported(), machineVersion })).toThrow(IncompatibleSnapshotError);
  });

  it('does throw IncompatibleSnapshotError for a version 1 row of another machine', () => {
    expect(() => upgradeTaskSnapshot({ ...version1Reported(), machineId: 'plan' })).toThrow(IncompatibleSnapshotError);
  });
});

describe('a stored version 1 row', () => {
  it('does restore to the state and the upgraded context', () => {
    const restored = restoreTaskSnapshot(version1Reported());
    expect(restored.value).toBe('REPORTED');
    expect(restored.context).toStrictEqual(upgradeTaskSnapshot(version1Reported()).context);
  });

  it('does take an event and come back at the latest version, 4', () => {
    const outcome = applyTaskEvent(version1Reported(), ev.verify(AFTER_DUE));
    expect(outcome).toEqual({ taken: true, snapshot: applyAll(replayTask({ dueAt: DUE }, HISTORY).snapshot, [ev.verify(AFTER_DUE)]) });
    expect(outcome.taken && outcome.snapshot).toMatchObject({ machineVersion: 4, state: 'VERIFIED' });
  });

  it('does take a waiver and a report resting on the contribution it already had', () => {
    const s = applyAll(version1InProgress(), [ev.waive(BEFORE_DUE), ev.submit(BEFORE_DUE)]);
    expect(s.context.coordinationWaivedPeriods).toEqual([0]);
    expect(s.context.periods[0].reliesOn).toEqual([{ agencyId: 'a-co', at: CONTRIBUTED_AT }]);
  });

  it('does answer canApply and acceptedEventTypes as its upgrade does', () => {
    for (const stored of [version1Reported(), version1InProgress()]) {
      const upgraded = upgradeTaskSnapshot(stored);
      for (const at of [BEFORE_DUE, AFTER_DUE]) {
        expect(acceptedEventTypes(stored, at)).toEqual(acceptedEventTypes(upgraded, at));
      }
      expect(canApply(stored, ev.waive(BEFORE_DUE))).toBe(canApply(upgraded, ev.waive(BEFORE_DUE)));
      expect(canApply(stored, ev.verify(AFTER_DUE))).toBe(canApply(upgraded, ev.verify(AFTER_DUE)));
    }
    expect(acceptedEventTypes(version1InProgress(), BEFORE_DUE)).toEqual([
      'SUBMIT_REPORT',
      'CONTRIBUTE',
      'REQUEST_EXTENSION',
      'WAIVE_COORDINATION',
      'WITHDRAW',
      'AMEND',
    ]);
    expect(acceptedEventTypes(version1Reported(), AFTER_DUE)).toEqual(['VERIFY', 'REJECT', 'WITHDRAW', 'AMEND']);
  });
});

describe(`${replayTask.name} of a version 1 history`, () => {
  it('does replay into a snapshot of the latest version from scratch', () => {
    const result = replayTask({ dueAt: DUE }, JSON.parse(JSON.stringify(HISTORY)));
    expect(result).toMatchObject({ applied: 3, rejectedAt: null, snapshot: { machineVersion: 4, state: 'REPORTED' } });
    expect(result.snapshot).toStrictEqual(applyAll(createTaskSnapshot({ dueAt: DUE }), HISTORY));
  });
});
