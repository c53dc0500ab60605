import { canonicalJson } from './canonical-json';
import { chainHash, findChainBreak, genesisHash, verifyChain, type HashedEvent } from './hash-chain';

const TASK = '7d2f3a8e-1111-4c8e-9a51-0c1f7e9b2a10';
const INPUT = { dueAt: '2023-12-31T16:59:59.999Z' };

function chain(count: number): HashedEvent[] {
  const events: HashedEvent[] = [];
  let prev = genesisHash(TASK, INPUT);
  for (let seq = 1; seq <= count; seq += 1) {
    const base = {
      taskId: TASK,
      seq,
      type: 'START',
      fromState: 'ASSIGNED',
      toState: 'IN_PROGRESS',
      actor: 'u1',
      actorAgencyId: null,
      at: new Date(Date.UTC(2023, 0, seq)),
      payload: { comment: `c${seq}` },
      machineVersion: 1,
    };
    const hash = chainHash(prev, base);
    events.push({ ...base, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe('canonicalJson', () => {
  it('does sort keys at every depth when objects differ only in key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('does drop undefined members when serialising', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
});

describe('verifyChain', () => {
  it('does accept an intact chain', () => {
    expect(verifyChain(TASK, INPUT, chain(4))).toEqual({ valid: true, firstBrokenSeq: null });
  });

  it('does report the first broken seq when a payload is edited', () => {
    const events = chain(4);
    events[2] = { ...events[2], payload: { comment: 'edited' } };
    expect(verifyChain(TASK, INPUT, events)).toEqual({ valid: false, firstBrokenSeq: 3 });
  });

  it('does fail when a row is deleted from the middle', () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(verifyChain(TASK, INPUT, events).valid).toBe(false);
  });

  it('does fail when the creation input is edited', () => {
    expect(verifyChain(TASK, { dueAt: '2024-12-31T16:59:59.999Z' }, chain(2))).toEqual({ valid: false, firstBrokenSeq: 1 });
  });

  it('does fail when a hash is recomputed without its successor', () => {
    const events = chain(3);
    const edited = { ...events[0], actor: 'mallory' };
    events[0] = { ...edited, hash: chainHash(edited.prevHash, edited) };
    expect(verifyChain(TASK, INPUT, events)).toEqual({ valid: false, firstBrokenSeq: 2 });
  });
});

describe(findChainBreak.name, () => {
  it('does find nothing in an intact chain', () => {
    expect(findChainBreak(TASK, INPUT, chain(3))).toBeNull();
  });

  it('does name the edited row by its content when a payload is edited', () => {
    const events = chain(4);
    events[2] = { ...events[2], payload: { comment: 'edited' } };
    expect(findChainBreak(TASK, INPUT, events)).toEqual({ seq: 3, position: 2, why: 'CONTENT' });
  });

  it('does name the first row that does not link when two rows swap their seq', () => {
    const events = chain(4);
    const [second, third] = [events[1], events[2]];
    events[1] = { ...third, seq: 2 };
    events[2] = { ...second, seq: 3 };
    expect(findChainBreak(TASK, INPUT, events)).toEqual({ seq: 2, position: 1, why: 'LINK' });
  });

  it('does name the row after the gap when a row is deleted', () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(findChainBreak(TASK, INPUT, events)).toEqual({ seq: 3, position: 1, why: 'LINK' });
  });
});
