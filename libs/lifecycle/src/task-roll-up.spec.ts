// ROLL_UP (machine version 3): the system moves a task split per lead agency to the state its
// children roll up to. Histories recorded under versions 1 and 2 replay as they did.
import { ev, DUE, BEFORE_DUE, AFTER_DUE } from '../test/task-fixtures';
import {
  applyTaskEvent,
  applyTaskEventCompiled,
  createTaskSnapshot,
  replayRecordedTask,
  replayRecordedTaskWithXState,
} from './task-lifecycle';
import type { RecordedTaskEvent } from './task-lifecycle';
import { taskMachineVersions } from './machine-versions';
import { TASK_MACHINE_VERSION, TASK_STATES, type StoredTaskSnapshot, type TaskEvent, type TaskState } from './task.types';

const INPUT = { dueAt: DUE };
const rec = (event: TaskEvent, fromState: TaskState, toState: TaskState, machineVersion: number): RecordedTaskEvent => ({
  event,
  fromState,
  toState,
  machineVersion,
});

describe('ROLL_UP', () => {
  it('is taken from version 3 on; new events are recorded under the latest version', () => {
    expect(TASK_MACHINE_VERSION).toBe(4);
    expect(taskMachineVersions.latest.version).toBe(4);
    expect(taskMachineVersions.get(3)!.compiled.declares('IN_PROGRESS', 'ROLL_UP')).toBe(true);
    for (const version of [1, 2]) {
      for (const state of TASK_STATES) expect(taskMachineVersions.get(version)!.compiled.declares(state, 'ROLL_UP')).toBe(false);
    }
  });

  it.each(TASK_STATES.filter((state) => state !== 'VERIFIED' && state !== 'WITHDRAWN'))(
    'does move a task in %s to every other state it names',
    (from) => {
      const stored: StoredTaskSnapshot = { ...createTaskSnapshot(INPUT), state: from };
      // a roll-up never withdraws: WITHDRAWN comes from the amended plan alone
      for (const to of TASK_STATES.filter((state) => state !== 'WITHDRAWN')) {
        const event = ev.rollUp(BEFORE_DUE, to);
        const outcome = applyTaskEvent(stored, event);
        expect(applyTaskEventCompiled(stored, event)).toStrictEqual(outcome);
        if (to === from) {
          expect(outcome).toEqual({ taken: false, reason: `ROLL_UP is not allowed in ${from} now: its conditions are not met` });
        } else {
          // the state only: the context (due time, periods) stays what the plan gave the task
          expect(outcome).toEqual({ taken: true, snapshot: { ...stored, state: to, machineVersion: 4 } });
        }
      }
    },
  );

  it('does refuse a roll-up out of VERIFIED, to a state that does not exist, or without one', () => {
    const verified: StoredTaskSnapshot = { ...createTaskSnapshot(INPUT), state: 'VERIFIED' };
    expect(applyTaskEvent(verified, ev.rollUp(AFTER_DUE, 'OVERDUE'))).toMatchObject({ taken: false });
    const assigned = createTaskSnapshot(INPUT);
    for (const bad of [
      { type: 'ROLL_UP', at: BEFORE_DUE, state: 'DONE' },
      { type: 'ROLL_UP', at: BEFORE_DUE },
    ]) {
      expect(applyTaskEvent(assigned, bad as unknown as TaskEvent)).toMatchObject({ taken: false });
    }
  });

  it('does refuse a roll-up to WITHDRAWN from every state', () => {
    for (const from of TASK_STATES) {
      const stored: StoredTaskSnapshot = { ...createTaskSnapshot(INPUT), state: from };
      expect(applyTaskEvent(stored, ev.rollUp(BEFORE_DUE, 'WITHDRAWN'))).toMatchObject({ taken: false });
    }
  });

  it('does lift a version 2 snapshot to the latest version when it takes a roll-up', () => {
    const v2: StoredTaskSnapshot = { ...createTaskSnapshot(INPUT), machineVersion: 2 };
    expect(applyTaskEvent(v2, ev.rollUp(BEFORE_DUE, 'IN_PROGRESS'))).toEqual({
      taken: true,
      snapshot: { ...v2, machineVersion: 4, state: 'IN_PROGRESS' },
    });
  });

  it('does replay a parent recorded under version 2, then rolled up under version 3; a roll-up under version 2 is refused', () => {
    // a parent's history: nothing of its own, then the roll-ups its children caused
    const history = [
      rec(ev.rollUp(BEFORE_DUE, 'IN_PROGRESS'), 'ASSIGNED', 'IN_PROGRESS', 3),
      rec(ev.rollUp(BEFORE_DUE, 'REPORTED'), 'IN_PROGRESS', 'REPORTED', 3),
      rec(ev.rollUp(AFTER_DUE, 'OVERDUE'), 'REPORTED', 'OVERDUE', 3),
      rec(ev.rollUp(AFTER_DUE, 'VERIFIED'), 'OVERDUE', 'VERIFIED', 3),
    ];
    const states: TaskState[] = [];
    const result = replayRecordedTask(INPUT, history, (_i, state) => states.push(state));
    expect(result).toMatchObject({ applied: 4, rejectedAt: null, snapshot: { machineVersion: 4, state: 'VERIFIED' } });
    expect(states).toEqual(['IN_PROGRESS', 'REPORTED', 'OVERDUE', 'VERIFIED']);
    expect(result).toStrictEqual(replayRecordedTaskWithXState(INPUT, history));
    // the same event stored as version 2's is not one version 2 took
    const asV2 = [rec(ev.start(BEFORE_DUE), 'ASSIGNED', 'IN_PROGRESS', 2), { ...history[1], machineVersion: 2 }];
    expect(replayRecordedTask(INPUT, asV2)).toMatchObject({ applied: 1, rejectedAt: 1 });
    // and a leaf's version 2 history replays as it did: START, then v3 events after it
    const leaf = [rec(ev.start(BEFORE_DUE), 'ASSIGNED', 'IN_PROGRESS', 2), rec(ev.submit(BEFORE_DUE), 'IN_PROGRESS', 'REPORTED', 3)];
    expect(replayRecordedTask(INPUT, leaf)).toMatchObject({ applied: 2, rejectedAt: null, snapshot: { state: 'REPORTED' } });
  });
});
