// Mermaid stateDiagram-v2 read off the machine's state nodes, so the published diagram cannot
// drift from the code. Output order follows the machine definition: deterministic.
import { taskMachine } from './task.machine';

interface GuardLike {
  type?: string;
  guards?: unknown[];
  name?: string;
}

const COMBINATOR_WORDS: Record<string, string> = { and: ' and ', or: ' or ' };

function guardLabel(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (guard === null || guard === undefined) return '';
  const g = guard as GuardLike;
  if (Array.isArray(g.guards)) {
    const parts = g.guards.map(guardLabel);
    if (g.name === 'not') return `not ${parts[0]}`;
    return parts.join(COMBINATOR_WORDS[g.name ?? ''] ?? ', ');
  }
  return g.type ?? g.name ?? 'guard';
}

interface TransitionLike {
  eventType: string;
  guard?: unknown;
  target?: ReadonlyArray<{ key: string }>;
}

function transitionLine(source: string, t: TransitionLike): string {
  const target = t.target?.length ? t.target[0].key : source;
  const guard = guardLabel(t.guard);
  const label = guard ? `${t.eventType} [${guard}]` : t.eventType;
  return `  ${source} --> ${target} : ${label}`;
}

export function lifecycleMermaid(): string {
  const root = taskMachine.root;
  const lines = ['stateDiagram-v2'];
  const initial = root.initial.target[0]?.key;
  if (initial) lines.push(`  [*] --> ${initial}`);
  for (const [key, node] of Object.entries(root.states)) {
    for (const transitions of Object.values(node.on)) {
      for (const t of transitions as TransitionLike[]) lines.push(transitionLine(key, t));
    }
    if (node.type === 'final') lines.push(`  ${key} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
