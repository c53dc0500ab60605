// Each event replays on the machine of the version that accepted it. A version 5 is defined here, in
// the test only (on top of the shipped 1 to 4): in ASSIGNED it takes SUBMIT_REPORT straight to
// REPORTED and no longer takes START.
import { getShortestPaths } from '@xstate/graph';
import { taskMachineVersions, TaskMachineVersions, type TaskMachineVersion } from './machine-versions';
import {
  applyTaskEvent,
  applyTaskEventCompiled,
  createTaskSnapshot,
  replayRecordedTask,
  replayRecordedTaskWithXState,
  type RecordedTaskEvent,
} from './task-lifecycle';
import { taskMachine, taskMachineConfig, taskSetup } from './task.machine';
import { IncompatibleSnapshotError } from './task.errors';
import type { StoredTaskSnapshot, TaskEvent, TaskInput, TaskState } from './task.types';

const DUE = '2024-06-30T17:00:00.000Z';
const T1 = '2024-03-01T03:00:00.000Z';
const T2 = '2024-03-02T03:00:00.000Z';
const T3 = '2024-03-03T03:00:00.000Z';
const INPUT: TaskInput = { dueAt: DUE };
const by = { userId: 'u1', agencyId: 'a1' };

const { START: _start, ...assignedWithoutStart } = taskMachineConfig.states.ASSIGNED.on;
const taskMachineV5 = taskSetup.createMachine({
  ...taskMachineConfig,
  states: {
    ...taskMachineConfig.states,
    ASSIGNED: { on: { ...assignedWithoutStart, SUBMIT_REPORT: { target: 'REPORTED', actions: 'recordReport' } } },
  },
});
const upgradeV4ToV5 = (stored: StoredTaskSnapshot): StoredTaskSnapshot => ({ ...stored, machineVersion: 5 });

function withV5(): TaskMachineVersions {
  const versions = new TaskMachineVersions(
    taskMachineVersions.all().map(({ version, machine, upgradeFromPrevious }) => ({
      version,
      machine,
      upgradeFromPrevious: upgradeFromPrevious ?? undefined,
    })),
  );
  versions.register({ version: 5, machine: taskMachineV5, upgradeFromPrevious: upgradeV4ToV5 });
  return versions;
}

const start: TaskEvent = { type: 'START', at: T1, by };
const contribute: TaskEvent = { type: 'CONTRIBUTE', at: T1, by: { userId: 'u2', agencyId: 'a2' }, text: 'số liệu' };
const submit: TaskEvent = { type: 'SUBMIT_REPORT', at: T2, by, report: { summary: 'xong' } };
const verify: TaskEvent = { type: 'VERIFY', at: T3, by: { userId: 's1', agencyId: 'm1' } };

const rec = (event: TaskEvent, fromState: TaskState, toState: TaskState, machineVersion?: number): RecordedTaskEvent => ({
  event,
  fromState,
  toState,
  ...(machineVersion === undefined ? {} : { machineVersion }),
});

// START under v4, then a report and its verification under v5
const STARTED_UNDER_V4 = [
  rec(start, 'ASSIGNED', 'IN_PROGRESS', 4),
  rec(submit, 'IN_PROGRESS', 'REPORTED', 5),
  rec(verify, 'REPORTED', 'VERIFIED', 5),
];
// a contribution under v4, then v5's report straight from ASSIGNED
const REPORTED_FROM_ASSIGNED_UNDER_V5 = [rec(contribute, 'ASSIGNED', 'ASSIGNED', 4), rec(submit, 'ASSIGNED', 'REPORTED', 5)];

const withVersion = (events: RecordedTaskEvent[], version: number) => events.map((e) => ({ ...e, machineVersion: version }));

describe(TaskMachineVersions.name, () => {
  it('does ship versions 1 to 4, each with the table compiled from its own machine', () => {
    expect(taskMachineVersions.all().map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(taskMachineVersions.latest.machine).toBe(taskMachine);
    const v1 = taskMachineVersions.get(1) as TaskMachineVersion;
    // version 1 had no coordination waiver
    expect(v1.compiled.declares('IN_PROGRESS', 'WAIVE_COORDINATION')).toBe(false);
    expect(taskMachineVersions.latest.compiled.declares('IN_PROGRESS', 'WAIVE_COORDINATION')).toBe(true);
    const v3 = taskMachineVersions.get(3) as TaskMachineVersion;
    expect(Object.keys(v1.compiled.states)).toEqual(Object.keys(v3.compiled.states));
    // ROLL_UP is version 3's: versions 1 and 2 never took it
    const v2 = taskMachineVersions.get(2) as TaskMachineVersion;
    expect(v2.compiled.declares('IN_PROGRESS', 'WAIVE_COORDINATION')).toBe(true);
    for (const old of [v1, v2]) expect(old.compiled.declares('IN_PROGRESS', 'ROLL_UP')).toBe(false);
    expect(taskMachineVersions.latest.compiled.declares('IN_PROGRESS', 'ROLL_UP')).toBe(true);
    // WITHDRAW, AMEND and the state WITHDRAWN are version 4's
    expect(Object.keys(taskMachineVersions.latest.compiled.states)).toEqual([...Object.keys(v3.compiled.states), 'WITHDRAWN']);
    for (const old of [v1, v2, v3]) {
      expect(old.compiled.declares('IN_PROGRESS', 'WITHDRAW')).toBe(false);
      expect(old.compiled.declares('OVERDUE', 'AMEND')).toBe(false);
    }
    expect(taskMachineVersions.latest.compiled.declares('IN_PROGRESS', 'WITHDRAW')).toBe(true);
    expect(taskMachineVersions.latest.compiled.declares('OVERDUE', 'AMEND')).toBe(true);
  });

  it('does refuse a version that skips one or lacks its upgrade, and undoes a registration', () => {
    const versions = withV5();
    expect(() => versions.register({ version: 7, machine: taskMachineV5, upgradeFromPrevious: upgradeV4ToV5 })).toThrow('must follow 5');
    expect(() => versions.register({ version: 6, machine: taskMachineV5 })).toThrow('needs the upgrade');
    const undo = versions.register({ version: 6, machine: taskMachineV5, upgradeFromPrevious: (s) => ({ ...s, machineVersion: 6 }) });
    expect(versions.latest.version).toBe(6);
    undo();
    expect(versions.latest.version).toBe(5);
    expect(versions.get(6)).toBeUndefined();
  });

  it('does lift a snapshot one step per version, and refuses an unknown version or a downgrade', () => {
    const versions = withV5();
    const v4 = createTaskSnapshot(INPUT);
    const v2 = { ...v4, machineVersion: 2 };
    expect(versions.upgrade(v2)).toStrictEqual({ ...v4, machineVersion: 5 });
    expect(versions.upgrade(v2, 4)).toStrictEqual(v4);
    expect(versions.upgrade(v4, 4)).toBe(v4);
    expect(() => versions.upgrade({ ...v4, machineVersion: 8 })).toThrow(IncompatibleSnapshotError);
    expect(() => versions.upgrade({ ...v4, machineVersion: 5 }, 4)).toThrow(IncompatibleSnapshotError);
  });
});

describe('replay by the machine version of each event', () => {
  it('does replay a history recorded under v4 then v5 consistently, on the table and on XState alike', () => {
    const versions = withV5();
    for (const history of [STARTED_UNDER_V4, REPORTED_FROM_ASSIGNED_UNDER_V5]) {
      const result = replayRecordedTask(INPUT, history, undefined, versions);
      expect(result).toMatchObject({ applied: history.length, rejectedAt: null });
      expect(result.snapshot.machineVersion).toBe(5);
      expect(result.snapshot.state).toBe(history[history.length - 1].toState);
      expect(result).toStrictEqual(replayRecordedTaskWithXState(INPUT, history, versions));
    }
  });

  it('does find the same history inconsistent when every event is replayed by one machine (what versions prevent)', () => {
    const versions = withV5();
    // v5 no longer takes START; v4 does not take a report in ASSIGNED
    expect(replayRecordedTask(INPUT, withVersion(STARTED_UNDER_V4, 5), undefined, versions)).toMatchObject({ rejectedAt: 0 });
    expect(replayRecordedTask(INPUT, withVersion(REPORTED_FROM_ASSIGNED_UNDER_V5, 4), undefined, versions)).toMatchObject({
      rejectedAt: 1,
    });
  });

  it('does report, without throwing, an event of an unknown version or of a version older than the one before', () => {
    const versions = withV5();
    const unknown = [STARTED_UNDER_V4[0], { ...STARTED_UNDER_V4[1], machineVersion: 8 }];
    const backwards = [rec(contribute, 'ASSIGNED', 'ASSIGNED', 5), rec(start, 'ASSIGNED', 'IN_PROGRESS', 4)];
    for (const history of [unknown, backwards]) {
      const result = replayRecordedTask(INPUT, history, undefined, versions);
      expect(result).toMatchObject({
        applied: 1,
        rejectedAt: 1,
        versionProblem: expect.stringContaining('event #2 names machine version'),
      });
      expect(result).toStrictEqual(replayRecordedTaskWithXState(INPUT, history, versions));
    }
    // without v5 registered (the shipped versions), an event of v5 is unknown
    expect(replayRecordedTask(INPUT, STARTED_UNDER_V4)).toMatchObject({ applied: 1, rejectedAt: 1, versionProblem: expect.any(String) });
    expect(replayRecordedTask(INPUT, [{ ...STARTED_UNDER_V4[0], machineVersion: 0 }])).toMatchObject({ rejectedAt: 0 });
  });

  it('does replay an event recorded under v1 on v1, which did not take WAIVE_COORDINATION', () => {
    const waive: TaskEvent = { type: 'WAIVE_COORDINATION', at: T2, by, comment: 'gấp' };
    const history = [rec(start, 'ASSIGNED', 'IN_PROGRESS', 1), rec(waive, 'IN_PROGRESS', 'IN_PROGRESS', 1)];
    expect(replayRecordedTask(INPUT, history)).toMatchObject({ applied: 1, rejectedAt: 1 });
    const upgraded = [history[0], { ...history[1], machineVersion: 2 }];
    const result = replayRecordedTask(INPUT, upgraded);
    // the result is lifted to the latest version, as the write path stores it
    expect(result).toMatchObject({ applied: 2, rejectedAt: null, snapshot: { machineVersion: 4 } });
    expect(result.snapshot.context.coordinationWaivedPeriods).toEqual([0]);
    expect(result).toStrictEqual(replayRecordedTaskWithXState(INPUT, upgraded));
  });

  it('does agree, table and XState, on every step of every shortest path of the test’s v5', () => {
    const versions = withV5();
    const v5 = versions.latest;
    const walk: TaskEvent[] = [start, contribute, submit, verify, { type: 'REJECT', at: T3, comment: 'thiếu' }];
    const paths = getShortestPaths(taskMachineV5, { input: INPUT, events: walk, serializeState: (s) => JSON.stringify(s.value) });
    expect(paths.length).toBeGreaterThanOrEqual(4);
    for (const path of paths) {
      let stored = createTaskSnapshot(INPUT, v5);
      for (const { event } of path.steps.slice(1)) {
        const viaXState = applyTaskEvent(stored, event, v5, versions);
        expect(applyTaskEventCompiled(stored, event, v5, versions)).toStrictEqual(viaXState);
        if (viaXState.taken) stored = viaXState.snapshot;
      }
      for (const probe of walk)
        expect(applyTaskEventCompiled(stored, probe, v5, versions)).toStrictEqual(applyTaskEvent(stored, probe, v5, versions));
    }
  });
});
