import { canonicalJson } from '../audit/canonical-json';
import { sha256Hex } from '../audit/hash-chain';
import type { PlanScores, TaskAsOfRow } from '../repositories/scorecard.repository';

// The figures a closed period seals (chốt số liệu), as plain JSON: what was sent up. Pure.
export interface SealedFigures {
  planId: string;
  period: string;
  cutoff: string; // ISO instant
  scores: PlanScores;
  tasks: SealedTask[];
  // who sealed them and when: in the hashed document, not recomputed from the events
  closedAt?: string;
  closedBy?: string | null;
}

// TaskAsOfRow with its instants as ISO strings, as JSON holds them.
// (withdrawal: absent from the seals made before plan amendments existed)
export type SealedTask = Omit<TaskAsOfRow, 'dueAt' | 'scheduledDueAt' | 'report' | 'verdict' | 'withdrawal'> & {
  dueAt: string | null;
  scheduledDueAt: string | null;
  report: { at: string; summary: string; value: string | null } | null;
  verdict: { type: 'VERIFY' | 'REJECT'; at: string; comment: string | null } | null;
  withdrawal?: { at: string; reason: string } | null;
};

export function sealFigures(planId: string, period: string, cutoff: Date, scores: PlanScores, tasks: TaskAsOfRow[]): SealedFigures {
  return JSON.parse(canonicalJson({ planId, period, cutoff, scores, tasks })) as SealedFigures;
}

// The first close of a plan chains from a value of the plan alone.
export function periodGenesisHash(planId: string): string {
  return sha256Hex(canonicalJson({ planId, chain: 'period_closes' }));
}

// hash = SHA-256 hex over the previous close's hash and the sealed figures' canonical JSON.
export function periodHash(prevHash: string, figures: unknown): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(figures)}`);
}

// The sealed tasks as the report renderers take them.
export function revivedTasks(figures: SealedFigures): TaskAsOfRow[] {
  const at = (iso: string | null) => (iso === null ? null : new Date(iso));
  return figures.tasks.map((task) => ({
    ...task,
    dueAt: at(task.dueAt),
    scheduledDueAt: at(task.scheduledDueAt),
    report: task.report ? { ...task.report, at: new Date(task.report.at) } : null,
    verdict: task.verdict ? { ...task.verdict, at: new Date(task.verdict.at) } : null,
    withdrawal: task.withdrawal ? { ...task.withdrawal, at: new Date(task.withdrawal.at) } : null,
  }));
}

// What the events must still give: the numbers, states, dates, reports and verdicts. Names and
// titles are left out, since an agency renamed (or merged) after the close does not change what
// was reported; the hash chain covers them.
export function recomputable(figures: SealedFigures): string {
  const counts = ({ agencyName: _a, title: _t, ...rest }: Record<string, unknown>) => withoutNoWithdrawals(rest);
  return canonicalJson({
    period: figures.period,
    cutoff: figures.cutoff,
    agencies: figures.scores.agencies.map((row) => counts(row as unknown as Record<string, unknown>)),
    sections: figures.scores.sections.map((row) => counts(row as unknown as Record<string, unknown>)),
    total: withoutNoWithdrawals(figures.scores.total as unknown as Record<string, unknown>),
    tasks: figures.tasks.map(({ title: _t, leadAgencyName: _l, coordinatingAgencyNames: _c, timeframe: _f, ...rest }) =>
      withoutNoWithdrawals(rest),
    ),
  });
}

// A seal made before plan amendments existed has no withdrawn count and no withdrawal: the same
// figures as one with none withdrawn (withdrawn 0, withdrawal null).
function withoutNoWithdrawals(row: Record<string, unknown>): Record<string, unknown> {
  const { withdrawn, withdrawal, ...rest } = row;
  return {
    ...rest,
    ...(withdrawn === undefined || withdrawn === 0 ? {} : { withdrawn }),
    ...(withdrawal === undefined || withdrawal === null ? {} : { withdrawal }),
  };
}

export type PeriodProblem = 'CHAIN_BROKEN' | 'FIGURES_DIFFER';

export interface PeriodFinding {
  period: string;
  seq: number;
  problem: PeriodProblem;
  detail: string;
}

export interface StoredClose {
  seq: number;
  period: string;
  cutoff: Date;
  closedAt: Date;
  closedBy: string | null;
  figures: unknown;
  prevHash: string;
  hash: string;
}

// Where the chain of a plan's closes (in seq order) breaks, one finding per broken close.
export function periodChainFindings(planId: string, closes: readonly StoredClose[]): PeriodFinding[] {
  const findings: PeriodFinding[] = [];
  let prev = periodGenesisHash(planId);
  closes.forEach((close, i) => {
    const figures = close.figures as Partial<SealedFigures> | null;
    const problem =
      close.seq !== i + 1 || close.prevHash !== prev
        ? `does not link to the close before it (seq ${close.seq}, position ${i + 1})`
        : periodHash(prev, close.figures) !== close.hash
          ? 'its sealed figures do not hash to its stored hash (edited after the close)'
          : figures?.planId !== planId ||
              figures?.period !== close.period ||
              figures?.cutoff !== close.cutoff.toISOString() ||
              figures?.closedAt !== close.closedAt.toISOString() ||
              (figures?.closedBy ?? null) !== close.closedBy
            ? 'its plan, period, cut-off, close time or closer differ from those its figures were sealed with'
            : null;
    if (problem)
      findings.push({ period: close.period, seq: close.seq, problem: 'CHAIN_BROKEN', detail: `Period ${close.period}: ${problem}` });
    prev = close.hash;
  });
  return findings;
}
