import type { AgencyAliasResolver } from './agency-alias.resolver';
import { tidyAgencyName } from './agency-key.util';
import { splitAgenciesDetailed } from './agency-list.parser';
import type { DraftAgencyRef, DraftTask } from './draft-plan.types';
import { PlanImportError } from './plan-import.error';
import { MAX_AGENCY_CELL_CHARS } from './plan-limits';
import type { ProseTask } from './prose-task.parser';
import type { TableRow } from './task-table.parser';
import { parseTimeframe, refersElsewhere } from './timeframe.parser';

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
  const notes = new TaskNotes(label, context);
  for (const issue of row.issues) notes.add(issue, issuePenalty(issue));
  // a cell already flagged for its paragraphs is not flagged again for its sentences
  const runTogether = row.issues.some((issue) => issue.includes('run together')) ? 0 : taskSentences(row.title);
  if (runTogether >= 2) {
    notes.add(
      `the task text reads like ${runTogether} tasks run together (sentences each opening with a task verb); check whether it is more than one task`,
      0.35,
    );
  }
  const task: DraftTask = {
    ordinal: row.ordinal,
    section: row.section,
    title: row.title,
    leadAgencies: agencyRefs(checkedCell(row.lead, 'lead', label), notes, context),
    coordinatingAgencies: agencyRefs(checkedCell(row.coordinating, 'coordinating', label), notes, context),
    timeframe: row.timeframe,
    target: row.target,
    note: row.note,
    sourceLine: row.line,
    fromProse: false,
    confidence: 1,
    warnings: [],
  };
  checkTask(task, notes, context);
  return notes.settle(task);
}

export function taskFromProse(prose: ProseTask, context: BuildContext): DraftTask {
  const label = rowLabel('prose task', prose.section, prose.ordinal, prose.line);
  const notes = new TaskNotes(label, context);
  const due = parseTimeframe(prose.timeframe, context.planYear).dueDate;
  const when = prose.timeframe ? `timeframe "${prose.timeframe}"` : `no timeframe given (due ${due ?? 'unknown'})`;
  notes.add(`read from prose, not from a table; check its agencies and ${when}`, prose.timeframe ? 0.3 : 0.4);
  const task: DraftTask = {
    ordinal: prose.ordinal,
    section: prose.section,
    title: prose.title,
    leadAgencies: agencyRefs(prose.lead.join('\n'), notes, context),
    coordinatingAgencies: agencyRefs(prose.coordinating.join('\n'), notes, context),
    timeframe: prose.timeframe,
    target: null,
    note: null,
    sourceLine: prose.line,
    fromProse: true,
    confidence: 1,
    warnings: [],
  };
  if (task.leadAgencies.length === 0) notes.add('no lead agency found', 0.4);
  return notes.settle(task);
}

/**
 * The warnings about one task, each with what it costs the importer's confidence (1: nothing
 * doubtful; 0: check everything). They go both to the plan's warnings and to the task.
 */
class TaskNotes {
  private readonly warnings: string[] = [];
  private doubt = 0;

  constructor(
    private readonly label: string,
    private readonly context: BuildContext,
  ) {}

  add(warning: string, penalty: number): void {
    const labelled = `${this.label}: ${warning}`;
    this.context.warnings.push(labelled);
    if (this.warnings.length < MAX_TASK_WARNINGS) this.warnings.push(labelled);
    this.doubt += penalty;
  }

  settle(task: DraftTask): DraftTask {
    const confidence = Math.round(Math.max(0, 1 - this.doubt) * 100) / 100;
    return { ...task, confidence, warnings: this.warnings };
  }
}

const MAX_TASK_WARNINGS = 20;

// Verbs that open a task in the appendices ("Tiếp tục …", "Đẩy mạnh …"): two sentences of one cell,
// both opening with one of them, are likely two tasks that lost their row boundary and ordinals.
// Never split on this guess: the officer decides.
const TASK_VERB =
  /^(?:tiếp tục|đẩy mạnh|nâng cao|rà soát|thực hiện|tăng cường|triển khai|xây dựng|hoàn thiện|tổ chức|nghiên cứu|kiểm tra|cải thiện|cải cách|phát triển|đổi mới|công khai|tuyên truyền|duy trì|ban hành|đơn giản hóa|rút ngắn|hỗ trợ|đôn đốc|chỉ đạo|hướng dẫn|thúc đẩy|số hóa|đầu tư|tập trung)\s/u;
const MAX_SENTENCES = 20;

/** How many of the text's sentences (split at full stops before a capital) open with a task verb. */
export function taskSentences(text: string): number {
  if (!text.includes('.')) return 0;
  const pieces = text.split(/\.\s+(?=\p{Lu})/u, MAX_SENTENCES);
  // "TP. Thực hiện" is an abbreviation (a short capitalised word before the stop), not a sentence end
  const sentences = pieces.filter((_, i) => i === 0 || !/(?:^|\s)\p{Lu}\p{L}{0,2}$/u.test(pieces[i - 1]));
  if (sentences.length < 2) return 0;
  return sentences.filter((sentence) => TASK_VERB.test(sentence.trimStart().slice(0, 40).toLocaleLowerCase('vi'))).length;
}

// A continuation joined on the numbering's word costs little; a guess costs more.
function issuePenalty(issue: string): number {
  if (issue.startsWith('ordinal missing')) return 0.3;
  if (issue.includes('check that it is not a separate task')) return 0.35;
  if (issue.startsWith('ordinal "')) return 0.2;
  if (issue.startsWith('text continued')) return 0.05;
  return 0.2;
}

function checkTask(task: DraftTask, notes: TaskNotes, context: BuildContext): void {
  if (task.title.length === 0) notes.add('the task text is empty', 0.4);
  if (task.leadAgencies.length === 0) notes.add('no lead agency', 0.4);
  if (parseTimeframe(task.timeframe, context.planYear).kind !== 'unknown') return;
  const due = context.planYear === null ? 'no due date' : `due at the end of ${context.planYear}`;
  const what = !task.timeframe
    ? 'no timeframe'
    : refersElsewhere(task.timeframe)
      ? `timeframe "${task.timeframe}" follows another document's schedule, which the importer cannot date`
      : `timeframe "${task.timeframe}" not understood`;
  notes.add(`${what}; ${due}`, 0.3);
}

// Refused before any splitting: no agency cell of a real plan comes near the bound.
function checkedCell(cell: string, role: 'lead' | 'coordinating', label: string): string {
  if (cell.length <= MAX_AGENCY_CELL_CHARS) return cell;
  throw new PlanImportError(
    `${label}: the ${role} agency cell has ${cell.length} characters; an agency cell may have at most ${MAX_AGENCY_CELL_CHARS}. ` +
      'Check that the table columns are in the right order.',
  );
}

function agencyRefs(cell: string, notes: TaskNotes, context: BuildContext): DraftAgencyRef[] {
  const { parts, ranTogether } = splitAgenciesDetailed(cell, context.resolver);
  if (ranTogether) {
    const written = cell.replace(/\s+/gu, ' ');
    notes.add(`agency names ran together without separators and were split by guess: "${written}"`, 0.25);
  }
  const refs: DraftAgencyRef[] = [];
  const codes = new Set<string>();
  for (const raw of parts) {
    const resolved = context.resolver.resolve(raw);
    if (!resolved.confident) notes.add(`agency "${raw}" is not in the registry; kept as written`, 0.1);
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
