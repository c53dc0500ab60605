import type { AgencyAliasResolver } from './agency-alias.resolver';
import { tidyAgencyName } from './agency-key.util';
import { splitAgenciesDetailed } from './agency-list.parser';
import type { DraftAgencyRef, DraftTask } from './draft-plan.types';
import { PlanImportError } from './plan-import.error';
import { MAX_AGENCY_CELL_CHARS } from './plan-limits';
import type { ProseTask } from './prose-task.parser';
import type { TableRow } from './task-table.parser';
import { parseTimeframe } from './timeframe.parser';

export interface BuildContext {
  resolver: AgencyAliasResolver;
  planYear: number | null;
  warnings: string[];
}

/** "row II.3 (line 120)": how warnings name a table row. */
export function rowLabel(kind: 'row' | 'prose task', section: string | null, ordinal: string, line: number): string {
  return `${kind} ${section ? `${section}.` : ''}${ordinal} (line ${line})`;
}

export function taskFromTableRow(row: TableRow, context: BuildContext): DraftTask {
  const label = rowLabel('row', row.section, row.ordinal, row.line);
  for (const issue of row.issues) context.warnings.push(`${label}: ${issue}`);
  const task: DraftTask = {
    ordinal: row.ordinal,
    section: row.section,
    title: row.title,
    leadAgencies: agencyRefs(checkedCell(row.lead, 'lead', label), label, context),
    coordinatingAgencies: agencyRefs(checkedCell(row.coordinating, 'coordinating', label), label, context),
    timeframe: row.timeframe,
    target: row.target,
    note: row.note,
    sourceLine: row.line,
    fromProse: false,
  };
  checkTask(task, label, context);
  return task;
}

export function taskFromProse(prose: ProseTask, context: BuildContext): DraftTask {
  const label = rowLabel('prose task', prose.section, prose.ordinal, prose.line);
  const due = parseTimeframe(prose.timeframe, context.planYear).dueDate;
  const when = prose.timeframe ? `timeframe "${prose.timeframe}"` : `no timeframe given (due ${due ?? 'unknown'})`;
  context.warnings.push(`${label}: read from prose, not from a table; check its agencies and ${when}`);
  const task: DraftTask = {
    ordinal: prose.ordinal,
    section: prose.section,
    title: prose.title,
    leadAgencies: agencyRefs(prose.lead.join('\n'), label, context),
    coordinatingAgencies: agencyRefs(prose.coordinating.join('\n'), label, context),
    timeframe: prose.timeframe,
    target: null,
    note: null,
    sourceLine: prose.line,
    fromProse: true,
  };
  if (task.leadAgencies.length === 0) context.warnings.push(`${label}: no lead agency found`);
  return task;
}

function checkTask(task: DraftTask, label: string, context: BuildContext): void {
  if (task.title.length === 0) context.warnings.push(`${label}: the task text is empty`);
  if (task.leadAgencies.length === 0) context.warnings.push(`${label}: no lead agency`);
  if (parseTimeframe(task.timeframe, context.planYear).kind !== 'unknown') return;
  const due = context.planYear === null ? 'no due date' : `due at the end of ${context.planYear}`;
  const what = task.timeframe ? `timeframe "${task.timeframe}" not understood` : 'no timeframe';
  context.warnings.push(`${label}: ${what}; ${due}`);
}

// Refused before any splitting: no agency cell of a real plan comes near the bound.
function checkedCell(cell: string, role: 'lead' | 'coordinating', label: string): string {
  if (cell.length <= MAX_AGENCY_CELL_CHARS) return cell;
  throw new PlanImportError(
    `${label}: the ${role} agency cell has ${cell.length} characters; an agency cell may have at most ${MAX_AGENCY_CELL_CHARS}. ` +
      'Check that the table columns are in the right order.',
  );
}

function agencyRefs(cell: string, label: string, context: BuildContext): DraftAgencyRef[] {
  const { parts, ranTogether } = splitAgenciesDetailed(cell, context.resolver);
  if (ranTogether) {
    const written = cell.replace(/\s+/gu, ' ');
    context.warnings.push(`${label}: agency names ran together without separators and were split by guess: "${written}"`);
  }
  const refs: DraftAgencyRef[] = [];
  const codes = new Set<string>();
  for (const raw of parts) {
    const resolved = context.resolver.resolve(raw);
    if (!resolved.confident) context.warnings.push(`${label}: agency "${raw}" is not in the registry; kept as written`);
    if (codes.has(resolved.code)) continue; // named twice in one cell
    codes.add(resolved.code);
    refs.push({ raw: tidyAgencyName(raw), name: resolved.name, code: resolved.code, isGroup: resolved.isGroup });
  }
  return refs;
}

/** The monitoring agency as a reference, warning when the registry does not know it. */
export function monitoringRef(raw: string | null, context: BuildContext): DraftAgencyRef | null {
  if (raw === null) {
    context.warnings.push('monitoring agency not found (e.g. "Sở … làm đầu mối theo dõi" or "gửi về Sở … để tổng hợp")');
    return null;
  }
  const resolved = context.resolver.resolve(raw);
  if (!resolved.confident) context.warnings.push(`monitoring agency "${raw}" is not in the registry; kept as written`);
  return { raw: tidyAgencyName(raw), name: resolved.name, code: resolved.code, isGroup: resolved.isGroup };
}
