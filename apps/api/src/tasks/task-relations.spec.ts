import { applyTaskEvent, createTaskSnapshot, type StoredTaskSnapshot } from '@app/lifecycle';
import { missingInput } from './task-relations';

const DUE = '2030-12-31T16:59:59.999Z';
const AT = '2030-03-01T02:00:00.000Z';

function contributed(by: string[]): StoredTaskSnapshot {
  return by.reduce(
    (snapshot, agencyId) => {
      const outcome = applyTaskEvent(snapshot, { type: 'CONTRIBUTE', at: AT, by: { agencyId }, text: 'input' });
      if (!outcome.taken) throw new Error(outcome.reason);
      return outcome.snapshot;
    },
    createTaskSnapshot({ dueAt: DUE }),
  );
}

describe(missingInput.name, () => {
  const members = (id: string) => (id === 'group' ? ['district-a', 'district-b'] : []);

  it('does count a group as heard when one of its members contributed', () => {
    expect(missingInput(contributed(['district-b']).context, ['group', 'dept'], members)).toEqual(['dept']);
  });

  it('does list every coordinating agency when nobody contributed', () => {
    expect(missingInput(contributed([]).context, ['group', 'dept'], members)).toEqual(['group', 'dept']);
  });

  it('does list nothing when the group and the department contributed', () => {
    expect(missingInput(contributed(['dept', 'district-a']).context, ['group', 'dept'], members)).toEqual([]);
  });
});
