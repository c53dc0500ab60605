import type { TaskState } from '@app/lifecycle';
import { rollUpState } from './task-rollup';

describe(rollUpState.name, () => {
  const cases: [TaskState[], TaskState | null][] = [
    [[], null],
    [['ASSIGNED', 'ASSIGNED'], 'ASSIGNED'],
    [['ASSIGNED', 'IN_PROGRESS'], 'IN_PROGRESS'],
    [['REPORTED', 'ASSIGNED'], 'IN_PROGRESS'],
    [['REPORTED', 'VERIFIED'], 'REPORTED'],
    [['VERIFIED', 'VERIFIED'], 'VERIFIED'],
    [['VERIFIED', 'OVERDUE'], 'OVERDUE'],
    [['ASSIGNED', 'OVERDUE', 'REPORTED'], 'OVERDUE'],
    // a withdrawn child is no longer part of the plan: the others decide
    [['VERIFIED', 'WITHDRAWN'], 'VERIFIED'],
    [['WITHDRAWN', 'REPORTED', 'VERIFIED'], 'REPORTED'],
    [['WITHDRAWN', 'ASSIGNED'], 'ASSIGNED'],
    [['WITHDRAWN', 'IN_PROGRESS'], 'IN_PROGRESS'],
    [['WITHDRAWN', 'OVERDUE', 'VERIFIED'], 'OVERDUE'],
    [['WITHDRAWN'], null],
    [['WITHDRAWN', 'WITHDRAWN'], null],
  ];
  it.each(cases)('does roll %j up to %s', (children, expected) => {
    expect(rollUpState(children)).toBe(expected);
  });
});
