import { lifecycleMermaid, TASK_STATES } from './index';

// The CONTRACT.md table as edges: [from, event, to]; "unchanged" rows are self-loops.
const CONTRACT_EDGES: ReadonlyArray<[string, string, string]> = [
  ['ASSIGNED', 'START', 'IN_PROGRESS'],
  ['IN_PROGRESS', 'SUBMIT_REPORT', 'REPORTED'],
  ['OVERDUE', 'SUBMIT_REPORT', 'REPORTED'],
  ['REPORTED', 'VERIFY', 'VERIFIED'],
  ['REPORTED', 'VERIFY', 'IN_PROGRESS'],
  ['REPORTED', 'REJECT', 'IN_PROGRESS'],
  ['REPORTED', 'REJECT', 'OVERDUE'],
  ['ASSIGNED', 'DEADLINE_PASSED', 'OVERDUE'],
  ['IN_PROGRESS', 'DEADLINE_PASSED', 'OVERDUE'],
  ...(['ASSIGNED', 'IN_PROGRESS', 'OVERDUE'] as const).flatMap((s): Array<[string, string, string]> => [
    [s, 'CONTRIBUTE', s],
    [s, 'REQUEST_EXTENSION', s],
    [s, 'WAIVE_COORDINATION', s],
  ]),
  ['OVERDUE', 'APPROVE_EXTENSION', 'IN_PROGRESS'],
  ...(['ASSIGNED', 'IN_PROGRESS', 'REPORTED', 'OVERDUE'] as const).flatMap((s): Array<[string, string, string]> => [
    [s, 'APPROVE_EXTENSION', s],
    [s, 'DENY_EXTENSION', s],
  ]),
];

describe(lifecycleMermaid.name, () => {
  const diagram = lifecycleMermaid();
  const lines = diagram.split('\n').map((l) => l.trim());

  it('does produce a stateDiagram-v2 with the initial and final markers', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain('[*] --> ASSIGNED');
    expect(lines).toContain('VERIFIED --> [*]');
  });

  it.each(TASK_STATES)('does mention state %s', (state) => {
    expect(diagram).toContain(state);
  });

  it.each(CONTRACT_EDGES)('does draw %s --> %s on %s', (from, event, to) => {
    const edge = lines.find((l) => l === `${from} --> ${to} : ${event}` || l.startsWith(`${from} --> ${to} : ${event} [`));
    expect(edge).toBeDefined();
  });

  it('does label the coordination waiver with its guards and draw it nowhere else', () => {
    const waivers = lines.filter((l) => l.includes('WAIVE_COORDINATION'));
    expect(waivers).toEqual(
      ['ASSIGNED', 'IN_PROGRESS', 'OVERDUE'].map((s) => `${s} --> ${s} : WAIVE_COORDINATION [coordinationNotWaived and hasComment]`),
    );
  });

  it('does draw nothing leaving VERIFIED but the final marker', () => {
    expect(lines.filter((l) => l.startsWith('VERIFIED -->'))).toEqual(['VERIFIED --> [*]']);
  });

  it('does give the same text on every call', () => {
    expect(lifecycleMermaid()).toBe(diagram);
  });
});
