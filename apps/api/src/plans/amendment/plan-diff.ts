// What an amended plan ("sửa đổi, bổ sung") changes against the plan already imported: tasks added,
// removed, changed, unchanged. Pure: no database, no clock; the amendment service reads the current
// tasks, calls diffPlan and writes the result.
import type { TaskFieldChange, TaskState } from '@app/lifecycle';
import type { NewTask } from '../new-plan';

// A task of the imported plan as the diff compares it (a split task: one entry, its leads in order).
export interface CurrentTask {
  id: string;
  state: TaskState;
  sectionOrdinal: string | null;
  ordinal: string;
  title: string;
  // the lead agency first, then the co-leads of a task split per lead agency
  leadAgencyCodes: string[];
  coordinatingAgencyCodes: string[];
  timeframe: string;
  target: string | null;
  note: string | null;
  // the plan's own dates: each period's due instant of a recurring task, else [due] or [] (no date)
  schedule: string[];
}

export interface ChangedTask {
  current: CurrentTask;
  next: NewTask;
  changes: TaskFieldChange[];
  // the plan's dates changed: the task is rescheduled (AMEND with the new dates)
  rescheduled: boolean;
}

export interface PlanDiff {
  added: NewTask[];
  removed: CurrentTask[];
  changed: ChangedTask[];
  unchanged: { current: CurrentTask; next: NewTask }[];
}

// Plans stay far below this; above it the similarity pass (quadratic within a section) is skipped.
const SIMILARITY_PASS_LIMIT = 2_000;
const SIMILAR_ENOUGH = 0.5;

export function scheduleOf(task: Pick<NewTask, 'dueAt' | 'periodDueDates'>): string[] {
  if (task.periodDueDates && task.periodDueDates.length > 0) return [...task.periodDueDates];
  return task.dueAt ? [task.dueAt] : [];
}

function leadsOf(task: NewTask): string[] {
  return [task.leadAgencyCode, ...(task.coLeadAgencyCodes ?? [])];
}

// Titles compared as a reader would: Unicode form, case, spacing and a closing full stop do not count.
export function titleKey(title: string): string {
  return title
    .normalize('NFC')
    .toLocaleLowerCase('vi')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[.;:,]$/u, '');
}

function words(title: string): Set<string> {
  return new Set(
    titleKey(title)
      .split(/[\s,.;:()/-]+/u)
      .filter((w) => w.length > 1),
  );
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return shared / (a.size + b.size - shared);
}

// Pairs each current task with at most one task of the amended plan: first the same title, then the
// most similar title in the same section (at least half the words shared, most similar first), then
// the same number in the same section (a task reworded beyond recognition at its place). What stays
// unpaired was removed or added.
export function diffPlan(current: readonly CurrentTask[], next: readonly NewTask[]): PlanDiff {
  const pairs = new Map<number, number>(); // current index → next index
  const taken = new Set<number>();
  const pair = (c: number, n: number) => {
    pairs.set(c, n);
    taken.add(n);
  };

  // 1. the same title, where it is unique on both sides
  const byTitle = (titles: string[]) => {
    const index = new Map<string, number | null>();
    titles.forEach((t, i) => index.set(t, index.has(t) ? null : i));
    return index;
  };
  const currentTitles = byTitle(current.map((t) => titleKey(t.title)));
  const nextTitles = byTitle(next.map((t) => titleKey(t.title)));
  for (const [title, c] of currentTitles) {
    const n = nextTitles.get(title);
    if (c !== null && n !== null && n !== undefined) pair(c, n);
  }

  // 2. the most similar title in the same section
  if (current.length <= SIMILARITY_PASS_LIMIT && next.length <= SIMILARITY_PASS_LIMIT) {
    const candidates: { c: number; n: number; score: number }[] = [];
    const nextWords = next.map((t) => words(t.title));
    current.forEach((t, c) => {
      if (pairs.has(c)) return;
      const own = words(t.title);
      next.forEach((u, n) => {
        if (taken.has(n) || (u.sectionOrdinal ?? null) !== (t.sectionOrdinal ?? null)) return;
        const score = similarity(own, nextWords[n]);
        if (score >= SIMILAR_ENOUGH) candidates.push({ c, n, score });
      });
    });
    candidates.sort((a, b) => b.score - a.score || a.c - b.c || a.n - b.n);
    for (const { c, n } of candidates) if (!pairs.has(c) && !taken.has(n)) pair(c, n);
  }

  // 3. the same number in the same section
  const nextByPlace = new Map<string, number>();
  next.forEach((t, n) => {
    if (!taken.has(n)) nextByPlace.set(`${t.sectionOrdinal ?? ''}\u0000${t.ordinal}`, n);
  });
  current.forEach((t, c) => {
    if (pairs.has(c)) return;
    const n = nextByPlace.get(`${t.sectionOrdinal ?? ''}\u0000${t.ordinal}`);
    if (n !== undefined && !taken.has(n)) pair(c, n);
  });

  const diff: PlanDiff = { added: [], removed: [], changed: [], unchanged: [] };
  current.forEach((task, c) => {
    const n = pairs.get(c);
    if (n === undefined) {
      diff.removed.push(task);
      return;
    }
    const changes = fieldChanges(task, next[n]);
    if (changes.length === 0) diff.unchanged.push({ current: task, next: next[n] });
    else diff.changed.push({ current: task, next: next[n], changes, rescheduled: changes.some((ch) => ch.field === 'schedule') });
  });
  next.forEach((task, n) => {
    if (!taken.has(n)) diff.added.push(task);
  });
  return diff;
}

const joined = (codes: readonly string[]) => (codes.length === 0 ? null : codes.join('; '));

function sameInstants(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((d, i) => Date.parse(d) === Date.parse(b[i]));
}

// The fields that differ, in a fixed order, as the plan's text gave them.
export function fieldChanges(current: CurrentTask, next: NewTask): TaskFieldChange[] {
  const changes: TaskFieldChange[] = [];
  const text = (field: string, from: string | null, to: string | null) => {
    if ((from ?? null) !== (to ?? null)) changes.push({ field, from: from ?? null, to: to ?? null });
  };
  text('section', current.sectionOrdinal, next.sectionOrdinal);
  text('ordinal', current.ordinal, next.ordinal);
  text('title', current.title, next.title);
  text('leadAgencies', joined(current.leadAgencyCodes), joined(leadsOf(next)));
  text(
    'coordinatingAgencies',
    joined([...current.coordinatingAgencyCodes].sort()),
    joined([...new Set(next.coordinatingAgencyCodes)].sort()),
  );
  text('timeframe', current.timeframe, next.timeframe);
  text('target', current.target, next.target);
  text('note', current.note, next.note);
  const schedule = scheduleOf(next);
  if (!sameInstants(current.schedule, schedule)) changes.push({ field: 'schedule', from: joined(current.schedule), to: joined(schedule) });
  return changes;
}
