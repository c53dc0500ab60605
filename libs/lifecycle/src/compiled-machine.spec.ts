import { and, assign, createMachine, log, not, or, setup, stateIn, transition, type AnyStateMachine } from 'xstate';
import { compileMachine, MachineCompileError } from './compiled-machine';
import { taskGuards } from './task.guards';
import { taskMachine } from './task.machine';

type Ctx = { n: number; log: string[] };
type Ev = { type: 'GO' | 'STAY' | 'BOOM'; by?: number };

// A small flat machine in the task machine's style, varied per test.
function flat(configure: (base: Record<string, unknown>) => Record<string, unknown> = (b) => b): AnyStateMachine {
  const s = setup({
    types: { context: {} as Ctx, events: {} as Ev, input: {} as { n: number } },
    guards: {
      big: ({ context }) => context.n > 2,
      byGiven: ({ event }) => event.by !== undefined,
      boom: ({ event }) => (event as unknown as { payload: { x: number } }).payload.x > 0,
      // a guard implemented by naming another (XState resolves the name again)
      alias: 'big' as never,
    },
    actions: {
      add: assign(({ context, event }) => ({ n: context.n + (event.by ?? 1) })),
      note: assign({ log: ({ context, event }) => [...context.log, event.type], n: 7 }),
      say: log('hello'),
    },
  });
  return s.createMachine(
    configure({
      id: 'small',
      context: ({ input }: { input: { n: number } }) => ({ n: input.n, log: [] }),
      initial: 'A',
      states: {
        A: {
          on: {
            GO: [{ target: 'B', guard: and(['big', not('byGiven')]), actions: ['add', 'note'] }, { actions: 'add' }],
            STAY: { guard: or(['byGiven', 'alias']), actions: 'note' },
            BOOM: { target: 'B', guard: 'boom' },
          },
        },
        B: { on: { GO: 'C' } },
        C: { type: 'final' },
      },
    }) as never,
  ) as unknown as AnyStateMachine;
}

describe(compileMachine.name, () => {
  it('does read the task machine into a table with every state and transition it declares', () => {
    const compiled = compileMachine(taskMachine);
    expect(compiled.initial).toBe('ASSIGNED');
    for (const [key, node] of Object.entries(taskMachine.root.states)) {
      const table = compiled.states[key];
      expect(table.final).toBe(node.type === 'final');
      expect(Object.keys(table.on)).toEqual([...node.transitions.keys()]);
      for (const [event, transitions] of node.transitions) {
        expect(table.on[event].map((t) => t.target)).toEqual(transitions.map((t) => t.target?.[0]?.key ?? null));
        expect(table.on[event].map((t) => t.actionNames)).toEqual(transitions.map((t) => t.actions));
      }
    }
  });

  it('does call the machine’s own guard implementations, not copies', () => {
    const hasComment = jest.fn(taskGuards.hasComment);
    const compiled = compileMachine(taskMachine.provide({ guards: { hasComment } }));
    const context = compiled.initialContext({ dueAt: null });
    const event = { type: 'WAIVE_COORDINATION', at: '2024-01-01T00:00:00Z', comment: 'x' } as const;
    expect(compiled.can('ASSIGNED', context, event)).toBe(true);
    expect(hasComment).toHaveBeenCalledWith({ context, event }, undefined);
  });

  it('does take the same transitions as XState on a small machine, and/or/not, aliases and object assigns included', () => {
    const machine = flat();
    const compiled = compileMachine(machine);
    const events: Ev[] = [{ type: 'STAY' }, { type: 'GO' }, { type: 'GO', by: 1 }, { type: 'STAY', by: 2 }, { type: 'GO' }, { type: 'GO' }];
    for (const n of [0, 2, 3]) {
      let snapshot = machine.resolveState({ value: 'A', context: { n, log: [] } });
      let state = 'A';
      let context: Ctx = { n, log: [] };
      for (const event of events) {
        expect(compiled.can(state, context, event)).toBe(snapshot.can(event));
        const next = compiled.take(state, context, event);
        if (next === null) continue;
        [snapshot] = transition(machine, snapshot, event);
        ({ state, context } = next);
        expect({ state, context }).toEqual({ state: snapshot.value, context: snapshot.context });
      }
    }
  });

  it('does report a throwing guard with XState’s own wording', () => {
    const machine = flat();
    const compiled = compileMachine(machine);
    const snapshot = machine.resolveState({ value: 'A', context: { n: 0, log: [] } });
    const event = { type: 'BOOM' } as Ev;
    const xstateError = (() => {
      try {
        snapshot.can(event);
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    })();
    expect(xstateError).toContain("Unable to evaluate guard 'boom'");
    expect(() => compiled.take('A', { n: 0, log: [] }, event)).toThrow(xstateError);
  });

  describe('does refuse at load, naming the place, what it cannot reproduce:', () => {
    const withA = (a: Record<string, unknown>) => (base: Record<string, unknown>) => ({
      ...base,
      states: { ...(base.states as object), A: { ...(base.states as Record<string, object>).A, ...a } },
    });
    const cases: Array<[string, (base: Record<string, unknown>) => Record<string, unknown>, RegExp]> = [
      ['an inline guard', withA({ on: { GO: { target: 'B', guard: () => true } } }), /state A, event GO\): inline guard function/],
      ['an inline action', withA({ on: { GO: { actions: assign({ n: 1 }) } } }), /inline action .*name it in setup/],
      ['a non-assign action', withA({ on: { GO: { actions: 'say' } } }), /action "say" is not an assign/],
      ['an unknown guard name', withA({ on: { GO: { guard: 'nope', target: 'B' } } }), /guard "nope" is not implemented/],
      ['guard params', withA({ on: { GO: { guard: { type: 'big', params: { x: 1 } }, target: 'B' } } }), /has params/],
      ['action params', withA({ on: { GO: { actions: { type: 'add', params: { x: 1 } } } } }), /has params/],
      ['always', withA({ always: { target: 'B' } }), /state A\): unsupported state settings always/],
      ['after', withA({ after: { 1000: 'B' } }), /unsupported state settings after/],
      ['invoke', withA({ invoke: { src: 'x' } }), /unsupported state settings invoke/],
      ['entry', withA({ entry: 'note' }), /unsupported state settings entry/],
      ['exit', withA({ exit: 'note' }), /unsupported state settings exit/],
      ['a wildcard event', withA({ on: { '*': 'B' } }), /wildcard/],
      ['nested states', withA({ initial: 'X', states: { X: {} } }), /compound states are not supported/],
      ['a parallel root', (b) => ({ ...b, type: 'parallel', initial: undefined }), /only a compound root|unsupported machine settings/],
      ['root transitions', (b) => ({ ...b, on: { GO: '.B' } }), /unsupported machine settings on/],
      ['root entry', (b) => ({ ...b, entry: 'note' }), /unsupported machine settings entry/],
      ['an unknown transition setting', withA({ on: { GO: { target: 'B', delay: 5 } } }), /unsupported transition settings delay/],
    ];
    it.each(cases)('%s', (_name, configure, message) => {
      const machine = flat(configure);
      expect(() => compileMachine(machine)).toThrow(MachineCompileError);
      expect(() => compileMachine(machine)).toThrow(message);
    });

    it('a stateIn guard', () => {
      const machine = createMachine({
        id: 'x',
        initial: 'A',
        states: { A: { on: { GO: { target: 'B', guard: stateIn('#x.A') } } }, B: {} },
      });
      expect(() => compileMachine(machine)).toThrow(/guard .* is not and\/or\/not/);
    });
  });
});
