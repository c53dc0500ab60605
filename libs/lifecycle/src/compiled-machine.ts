// An XState machine compiled, when it loads, into a lookup table: state × event type → candidate
// transitions (guard, target, actions). The table is read off the machine's own state nodes and
// calls the machine's own named guard and assign implementations, so the rules exist once; only
// the walk through them is re-implemented, for bulk replay (XState's transition() costs ≈ 50× a
// hand-written switch here: bench/replay-machine.ts). What the table cannot express faithfully is refused at load with
// MachineCompileError, so a later machine change cannot make the two silently disagree.
//
// Supported: a flat machine (a compound root whose children are atomic or final states), events on
// exact type names, transitions with at most one sibling target, guards named in setup() and
// combined with and()/or()/not(), actions named in setup() whose implementation is assign().
// Refused: nested or parallel states, history, entry/exit, always, after, invoke, onDone, root
// transitions, wildcard events, inline guard or action functions, params, non-assign actions.
import { and, assign, not, or, type AnyStateMachine, type ContextFrom, type EventFromLogic, type InputFrom } from 'xstate';

export class MachineCompileError extends Error {
  override readonly name = 'MachineCompileError';

  constructor(machineId: string, where: string, what: string) {
    super(`cannot compile machine "${machineId}" (${where}): ${what}`);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

type GuardCheck<C, E> = (context: C, event: E) => boolean;
type ContextStep<C, E> = (context: C, event: E) => C;

export interface CompiledTransition<C, E> {
  // null: the state does not change
  readonly target: string | null;
  // what XState names in a guard error ('' for a combinator), and the guard itself; null = no guard
  readonly guardLabel: string;
  readonly guard: GuardCheck<C, E> | null;
  readonly actionNames: readonly string[];
  readonly actions: readonly ContextStep<C, E>[];
}

export interface CompiledState<C, E> {
  readonly id: string;
  readonly final: boolean;
  // null prototype: looked up with hasOwnProperty like XState's `on`
  readonly on: Readonly<Record<string, readonly CompiledTransition<C, E>[]>>;
}

export interface CompiledStep<C> {
  state: string;
  context: C;
}

export interface CompiledMachine<C, E extends { type: string }, I> {
  readonly id: string;
  readonly initial: string;
  readonly states: Readonly<Record<string, CompiledState<C, E>>>;
  initialContext(input: I): C;
  isFinal(state: string): boolean;
  // the state declares a transition for this event type (whatever its guards say)
  declares(state: string, eventType: unknown): boolean;
  // XState's snapshot.can(): a transition is enabled and it changes the state or runs an action
  can(state: string, context: C, event: E): boolean;
  // XState's transition() when can() is true (guards evaluated once); null when can() is false
  take(state: string, context: C, event: E): CompiledStep<C> | null;
}

type Loose = Record<string, unknown>;
type AnyFn = ((...args: unknown[]) => unknown) & Loose;

// XState's builtins are recognised by the shared functions they carry, not by name.
const AND_CHECK = (and([]) as unknown as Loose).check;
const OR_CHECK = (or([]) as unknown as Loose).check;
const NOT_CHECK = (not('x') as unknown as Loose).check;
const ASSIGN_RESOLVE = (assign({}) as unknown as Loose).resolve;

// schemas: setup()'s type schemas, stored by XState and not read when transitioning
const ROOT_KEYS = new Set(['id', 'initial', 'states', 'context', 'types', 'schemas', 'description', 'meta', 'version']);
const STATE_KEYS = new Set(['on', 'type', 'description', 'meta', 'tags']);
const TRANSITION_KEYS = new Set(['target', 'guard', 'actions', 'description', 'meta', 'reenter']);

function refuseSpawn(): never {
  throw new Error('a compiled machine cannot spawn actors');
}

function hasOwn(record: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

// a setting left undefined is absent
function unknownKeys(config: object, allowed: Set<string>): string[] {
  return Object.entries(config)
    .filter(([key, value]) => value !== undefined && !allowed.has(key))
    .map(([key]) => key);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Map) return value.size === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

export function compileMachine<M extends AnyStateMachine>(machine: M): CompiledMachine<ContextFrom<M>, EventFromLogic<M>, InputFrom<M>> {
  type C = ContextFrom<M>;
  type E = EventFromLogic<M>;
  const id = String(machine.id);
  const fail = (where: string, what: string): never => {
    throw new MachineCompileError(id, where, what);
  };
  const guardImpls = (machine.implementations?.guards ?? {}) as Loose;
  const actionImpls = (machine.implementations?.actions ?? {}) as Loose;
  const root = machine.root;

  const extra = unknownKeys(root.config, ROOT_KEYS);
  if (extra.length) fail('root', `unsupported machine settings ${extra.join(', ')}`);
  if (root.type !== 'compound') fail('root', `the root is ${root.type}; only a compound root of flat states compiles`);
  for (const feature of ['entry', 'exit', 'invoke', 'always', 'after', 'output'] as const) {
    if (!isEmpty((root as unknown as Loose)[feature])) fail('root', `root ${feature} is not supported`);
  }
  if (root.transitions.size > 0) fail('root', 'root-level transitions are not supported');
  const initialTransition = root.initial;
  if (!isEmpty(initialTransition.actions)) fail('root', 'actions on the initial transition are not supported');
  const initial = initialTransition.target[0];
  if (initialTransition.target.length !== 1 || initial.parent !== root) fail('root', 'the initial state must be one child of the root');

  function compileGuard(guard: unknown, where: string): GuardCheck<C, E> {
    if (typeof guard === 'string') {
      if (!hasOwn(guardImpls, guard)) fail(where, `guard "${guard}" is not implemented in setup({ guards })`);
      const impl = guardImpls[guard];
      if (typeof impl !== 'function') return compileGuard(impl, `${where}, guard "${guard}"`);
      if ('check' in impl) return compileCombinator(impl as unknown as AnyFn, `${where}, guard "${guard}"`);
      const check = impl as (args: { context: C; event: E }, params: undefined) => boolean;
      return (context, event) => check({ context, event }, undefined);
    }
    if (typeof guard === 'function') {
      if ('check' in guard) return compileCombinator(guard as unknown as AnyFn, where);
      return fail(where, `inline guard function ${guard.name || '(anonymous)'}: name it in setup({ guards })`);
    }
    if (guard !== null && typeof guard === 'object') {
      const { type, params } = guard as Loose;
      if (params !== undefined) fail(where, `guard "${String(type)}" has params, which are not supported`);
      return compileGuard(type, where);
    }
    return fail(where, `unrecognised guard ${String(guard)}`);
  }

  function compileCombinator(guard: AnyFn, where: string): GuardCheck<C, E> {
    const parts = ((guard.guards ?? []) as unknown[]).map((g) => compileGuard(g, where));
    // the same short-circuit order as XState's checkAnd/checkOr/checkNot
    if (guard.check === AND_CHECK) return (context, event) => parts.every((part) => part(context, event));
    if (guard.check === OR_CHECK) return (context, event) => parts.some((part) => part(context, event));
    if (guard.check === NOT_CHECK && parts.length === 1) return (context, event) => !parts[0](context, event);
    return fail(where, `guard ${guard.name || '(anonymous)'} is not and/or/not (stateIn and custom builtins are not supported)`);
  }

  function compileAction(action: unknown, where: string): { name: string; apply: ContextStep<C, E> } {
    let name: unknown = action;
    if (action !== null && typeof action === 'object') {
      const { type, params } = action as Loose;
      if (params !== undefined) fail(where, `action "${String(type)}" has params, which are not supported`);
      name = type;
    }
    if (typeof name !== 'string') {
      return fail(
        where,
        `inline action ${typeof action === 'function' ? action.name || '(anonymous)' : String(action)}: name it in setup({ actions })`,
      );
    }
    const impl = hasOwn(actionImpls, name) ? (actionImpls[name] as AnyFn) : undefined;
    if (typeof impl !== 'function') return fail(where, `action "${name}" is not implemented in setup({ actions })`);
    if (impl.resolve !== ASSIGN_RESOLVE) fail(where, `action "${name}" is not an assign(); only context updates replay`);
    return { name, apply: compileAssignment(impl.assignment) };
  }

  // XState's resolveAssign without the actor system: a partial update merged over the context.
  function compileAssignment(assignment: unknown): ContextStep<C, E> {
    const args = (context: C, event: E) => ({ context, event, spawn: refuseSpawn, self: undefined, system: undefined });
    const merge = (context: C, partial: unknown): C => {
      if (!context) throw new Error('Cannot assign to undefined `context`. Ensure that `context` is defined in the machine config.');
      return Object.assign({}, context, partial) as C;
    };
    if (typeof assignment === 'function') return (context, event) => merge(context, assignment(args(context, event), undefined));
    const entries = Object.entries(assignment as Loose);
    return (context, event) => {
      const partial: Loose = {};
      for (const [key, value] of entries) partial[key] = typeof value === 'function' ? value(args(context, event), undefined) : value;
      return merge(context, partial);
    };
  }

  const states: Record<string, CompiledState<C, E>> = Object.create(null);
  for (const [key, node] of Object.entries(root.states)) {
    const where = `state ${key}`;
    if (node.type !== 'atomic' && node.type !== 'final')
      fail(where, `${node.type} states are not supported, only flat atomic and final states`);
    const extraKeys = unknownKeys(node.config, STATE_KEYS);
    if (extraKeys.length) fail(where, `unsupported state settings ${extraKeys.join(', ')}`);
    for (const feature of ['entry', 'exit', 'invoke', 'always', 'after'] as const) {
      if (!isEmpty((node as unknown as Loose)[feature])) fail(where, `${feature} is not supported`);
    }
    const on: Record<string, CompiledTransition<C, E>[]> = Object.create(null);
    for (const [eventType, transitions] of node.transitions) {
      const at = `${where}, event ${eventType}`;
      if (eventType.includes('*') || eventType.startsWith('xstate.')) fail(at, 'wildcard and xstate.* events are not supported');
      on[eventType] = transitions.map((t, i) => {
        const tWhere = transitions.length > 1 ? `${at} #${i + 1}` : at;
        const config = t as unknown as Loose;
        const extraTransitionKeys = unknownKeys(config, TRANSITION_KEYS).filter((k) => !['source', 'eventType', 'toJSON'].includes(k));
        if (extraTransitionKeys.length) fail(tWhere, `unsupported transition settings ${extraTransitionKeys.join(', ')}`);
        const targets = t.target ?? [];
        if (targets.length > 1) fail(tWhere, 'multiple targets are not supported');
        if (targets.length === 1 && targets[0].parent !== root) fail(tWhere, `target ${targets[0].id} is not a sibling state`);
        // XState's next() treats any falsy guard as none
        const guard = t.guard ? compileGuard(t.guard, tWhere) : null;
        const actions = t.actions.map((a) => compileAction(a, tWhere));
        const label = typeof t.guard === 'string' ? t.guard : typeof t.guard === 'object' && t.guard ? String((t.guard as Loose).type) : '';
        return {
          target: targets.length === 1 ? targets[0].key : null,
          guardLabel: label,
          guard,
          actionNames: actions.map((a) => a.name),
          actions: actions.map((a) => a.apply),
        };
      });
    }
    states[key] = { id: node.id, final: node.type === 'final', on };
  }

  const contextConfig = (root.config as Loose).context;
  const initialContext = (input: InputFrom<M>): C =>
    (typeof contextConfig === 'function' ? contextConfig({ input, spawn: refuseSpawn, self: undefined }) : (contextConfig ?? {})) as C;

  // XState's StateNode.next(): the first candidate whose guard passes; a throwing guard is reported
  // with the same wording.
  function select(state: string, context: C, event: E): CompiledTransition<C, E> | null {
    const node = states[state];
    if (node === undefined) throw new Error(`state ${String(state)} is not a state of machine "${id}"`);
    const type = event.type;
    if (typeof type !== 'string' || !hasOwn(node.on, type)) return null;
    for (const candidate of node.on[type]) {
      if (candidate.guard === null) return candidate;
      let passed: boolean;
      try {
        passed = candidate.guard(context, event);
      } catch (err) {
        const label = candidate.guardLabel ? `'${candidate.guardLabel}' ` : '';
        throw new Error(
          `Unable to evaluate guard ${label}in transition for event '${type}' in state node '${node.id}':\n${(err as Error).message}`,
          { cause: err },
        );
      }
      if (passed) return candidate;
    }
    return null;
  }

  return {
    id,
    initial: initial.key,
    states,
    initialContext,
    isFinal: (state) => states[state]?.final === true,
    declares: (state, eventType) => states[state] !== undefined && hasOwn(states[state].on, eventType as PropertyKey),
    can(state, context, event) {
      const selected = select(state, context, event);
      return selected !== null && (selected.target !== null || selected.actions.length > 0);
    },
    take(state, context, event) {
      const selected = select(state, context, event);
      if (selected === null || (selected.target === null && selected.actions.length === 0)) return null;
      let next = context;
      for (const action of selected.actions) next = action(next, event);
      return { state: selected.target ?? state, context: next };
    },
  };
}
