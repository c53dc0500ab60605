import { AgencyAliasResolver } from './agency-alias.resolver';
import { startsLikeAgency } from './agency-prefix.matcher';
import { readAppendixTable, type AppendixTableModel, type ModelRow } from './appendix-table.model';
import { assertTaskCount, MAX_AGENCY_CELL_CHARS } from './plan-limits';
import type { DraftSection } from './draft-plan.types';
import type { ColumnRole, TableColumns } from './table-columns.parser';
import { cleanInline, cleanMultiline, isWhitespace, lowerNfc, trimEndWhere } from './text-cleanup.util';
import { parseTimeframe } from './timeframe.parser';

/** One task row of an appendix table, cells as written (agency cells keep their line breaks). */
export interface TableRow {
  ordinal: string;
  section: string | null;
  line: number;
  title: string;
  lead: string;
  coordinating: string;
  timeframe: string;
  target: string | null;
  note: string | null;
  /** What the reader should check about this row (inferred ordinal, merged page break …). */
  issues: string[];
}

export interface TaskTables {
  sections: DraftSection[];
  rows: TableRow[];
  warnings: string[];
}

const SECTION_ORDINAL = /^([IVXLC]+|[A-Z])\s*[.)]?(?:\s+(.*))?$/u;
const DEFAULT_RESOLVER = new AgencyAliasResolver();
const TASK_ORDINAL = /^(\d+(?:\.\d+)*)[.)]?$/u;

/** Reads the tab-separated task tables of a plan's appendix (through the table model). */
export function parseTaskTables(lines: readonly string[]): TaskTables {
  return readTaskTables(readAppendixTable(lines));
}

/** Reads task rows out of the table model: sections, numbered rows, continuations. */
export function readTaskTables(model: AppendixTableModel, resolver: AgencyAliasResolver = DEFAULT_RESOLVER): TaskTables {
  const reader = new TableReader(model.rows, resolver);
  const warnings = model.headerlessAt.map(
    (line) => `table at line ${line}: no header row; columns assumed to be STT, task, lead, coordinating, timeframe, note`,
  );
  reader.readAll();
  return { sections: reader.sections, rows: reader.finish(), warnings: [...warnings, ...reader.warnings] };
}

type Kind =
  | { type: 'section'; ordinal: string; title: string | null }
  | { type: 'numbered'; ordinal: string }
  | { type: 'other'; ordinal: string }
  | { type: 'unnumbered' };

/** What the numbering says an unnumbered row is; null when it says nothing. */
type Verdict = 'row' | 'continuation' | null;

/** A row being read: its raw cells as parts (a cut row gets the continuation's parts appended). */
interface OpenRow {
  row: TableRow;
  columns: TableColumns;
  parts: string[][];
  hasLead: boolean;
  hasTimeframe: boolean;
}

class TableReader {
  readonly sections: DraftSection[] = [];
  readonly warnings: string[] = [];
  private readonly open: OpenRow[] = [];
  private section: string | null = null;
  /** The section heading just read (a heading cut by a page break continues after it). */
  private lastSection: DraftSection | null = null;
  private readonly kinds: Kind[];
  private readonly verdicts: Verdict[];

  constructor(
    private readonly rows: readonly ModelRow[],
    private readonly resolver: AgencyAliasResolver,
  ) {
    this.kinds = rows.map(kindOf);
    this.verdicts = judgeUnnumbered(rows, this.kinds);
  }

  readAll(): void {
    this.rows.forEach((row, index) => this.read(row, index));
  }

  finish(): TableRow[] {
    return this.open.map(({ row, columns, parts }) => ({ ...row, ...rowFields(parts, columns, this.resolver) }));
  }

  private read(model: ModelRow, index: number): void {
    const kind = this.kinds[index];
    if (kind.type === 'section') return this.openSection(kind.ordinal, kind.title ?? cleanInline(cellOf(model, 'title')));
    // The rest of a heading wrapped or cut by a page break: text only, right after the heading.
    if (this.lastSection !== null && !hasRoles(model) && !(kind.type === 'numbered' && hasText(model, 'title'))) {
      const text = model.cells.map(cleanInline).filter((cell) => cell.length > 0);
      this.lastSection.title = joinText(this.lastSection.title, text.join(' '));
      return;
    }
    if (kind.type === 'numbered') return this.add(model, kind.ordinal, []);
    if (kind.type === 'other') return this.add(model, kind.ordinal.replace(/[.)]$/u, ''), [`ordinal "${kind.ordinal}" is not a number`]);
    this.readUnnumbered(model, this.verdicts[index]);
  }

  private openSection(ordinal: string, title: string): void {
    this.section = ordinal;
    this.lastSection = { ordinal, title: title || ordinal };
    this.sections.push(this.lastSection);
  }

  // An empty ordinal: the rest of the row before a page break, or a row whose number was lost.
  // The numbering decides when it can ("5", "", "7": the row is 6; "5", "", "6": it is the rest
  // of 5). Otherwise it continues the row before it (a wrapped line, or the rest after a page
  // break) unless it reads as a whole row of its own (task text, agency, timeframe) after a
  // complete row.
  private readUnnumbered(model: ModelRow, verdict: Verdict): void {
    const previous = this.open.length > 0 ? this.open[this.open.length - 1] : null;
    const sameSection = previous !== null && previous.row.section === this.section;
    const inferred = nextOrdinal(sameSection ? previous.row : null);
    if (previous && sameSection && verdict !== 'row') {
      const complete = previous.hasLead && previous.hasTimeframe;
      if (verdict === 'continuation' || !complete || rowLikeness(model) < 3) {
        this.merge(previous, model, verdict === 'continuation' || !hasRoles(model) || !complete);
        return;
      }
    }
    this.add(model, inferred, [`ordinal missing; inferred ${inferred} from the row before`]);
  }

  private merge(previous: OpenRow, model: ModelRow, evident: boolean): void {
    previous.parts.push(model.columns.width === previous.columns.width ? model.cells : []);
    previous.hasLead ||= hasText(model, 'lead') || hasText(model, 'both');
    previous.hasTimeframe ||= hasText(model, 'timeframe');
    const where = model.afterBreak ? ' (after a page break)' : '';
    previous.row.issues.push(`text continued on line ${model.line}${where} was merged into it`);
    previous.row.issues.push(...model.notes);
    if (!evident) {
      previous.row.issues.push(`the row on line ${model.line} has its own agencies and timeframe; check that it is not a separate task`);
    }
  }

  private add(model: ModelRow, ordinal: string, issues: string[]): void {
    const row: TableRow = { ...EMPTY_ROW, ordinal, section: this.section, line: model.line, issues: [...issues, ...model.notes] };
    const hasLead = hasText(model, 'lead') || hasText(model, 'both');
    this.open.push({ row, columns: model.columns, parts: [model.cells], hasLead, hasTimeframe: hasText(model, 'timeframe') });
    this.lastSection = null;
    assertTaskCount(this.open.length);
  }
}

// Between two numbered rows of a section, m unnumbered rows and k numbers missing: k of them are
// rows that lost their number (the most row-like ones), the others continue a row cut by a page
// break. Without a numbered row on both sides, the numbering says nothing.
function judgeUnnumbered(rows: readonly ModelRow[], kinds: readonly Kind[]): Verdict[] {
  const verdicts: Verdict[] = new Array<Verdict>(rows.length).fill(null);
  let previous: string | null = null;
  let run: number[] = [];
  kinds.forEach((kind, index) => {
    if (kind.type === 'unnumbered') return void run.push(index);
    // (a run longer than any real page break leaves is not scored: the rows then speak for themselves)
    if (kind.type === 'numbered' && previous !== null && run.length > 0 && run.length <= MAX_JUDGED_RUN) {
      const missing = missingBetween(previous, kind.ordinal);
      if (missing !== null) {
        const score = new Map(run.map((at) => [at, rowLikeness(rows[at])]));
        const byLikeness = [...run].sort((a, b) => (score.get(a) ?? 0) - (score.get(b) ?? 0) || a - b);
        const continuations = new Set(byLikeness.slice(0, Math.max(0, run.length - missing)));
        for (const at of run) verdicts[at] = continuations.has(at) ? 'continuation' : 'row';
      }
    }
    previous = kind.type === 'numbered' ? kind.ordinal : null;
    run = [];
  });
  return verdicts;
}

// How many numbers were skipped from `from` to `to` ("5" → "7": one); null when `to` does not follow.
function missingBetween(from: string, to: string): number | null {
  let ordinal = from;
  for (let missing = 0; missing <= MAX_MISSING_ORDINALS; missing++) {
    ordinal = nextOrdinal({ ordinal });
    if (ordinal === to) return missing;
  }
  return null;
}
const MAX_MISSING_ORDINALS = 20;
const MAX_JUDGED_RUN = 100;

// 0..3: text that starts like a task, an agency that starts like one, a timeframe read on its own.
function rowLikeness(model: ModelRow): number {
  const title = cleanInline(cellOf(model, 'title'));
  const lead = cleanInline(cellOf(model, 'lead')) || splitRoles(cellOf(model, 'both')).lead;
  const timeframe = cleanInline(cellOf(model, 'timeframe'));
  return (
    Number(/^[\p{Lu}\d]/u.test(title)) +
    Number(lead.length > 0 && startsLikeAgency(lead)) +
    Number(timeframe.length > 0 && parseTimeframe(timeframe, 2000).kind !== 'unknown')
  );
}

function hasRoles(model: ModelRow): boolean {
  return (['lead', 'coordinating', 'both', 'timeframe'] as const).some((role) => hasText(model, role));
}

const EMPTY_ROW: TableRow = {
  ordinal: '',
  section: null,
  line: 0,
  title: '',
  lead: '',
  coordinating: '',
  timeframe: '',
  target: null,
  note: null,
  issues: [],
};

function cellOf(model: ModelRow, role: ColumnRole): string {
  return model.cells[model.columns.index[role] ?? -1] ?? '';
}

function hasText(model: ModelRow, role: ColumnRole): boolean {
  return cleanInline(cellOf(model, role)).length > 0;
}

function kindOf(model: ModelRow): Kind {
  const ordinal = cleanInline(cellOf(model, 'ordinal'));
  const section = SECTION_ORDINAL.exec(ordinal);
  if (section && !hasRoles(model)) return { type: 'section', ordinal: section[1], title: section[2] ?? null };
  const numbered = TASK_ORDINAL.exec(ordinal);
  if (numbered) return { type: 'numbered', ordinal: numbered[1] };
  return ordinal.length > 0 ? { type: 'other', ordinal } : { type: 'unnumbered' };
}

/**
 * The fields of a row from its parts: each cell's parts joined by a space (a page break or a wrap
 * cuts text anywhere, "Thường" | "xuyên"), except in agency columns where the part above ends
 * with a whole known agency and the part below starts another: there the cut fell between two
 * names on their own lines, and a line break keeps them apart.
 */
function rowFields(
  parts: readonly string[][],
  columns: TableColumns,
  resolver: AgencyAliasResolver,
): Omit<TableRow, 'ordinal' | 'section' | 'line' | 'issues'> {
  const agencyColumns = new Set([columns.index.lead, columns.index.coordinating, columns.index.both]);
  const joined: string[] = [];
  for (let i = 0; i < columns.width; i++) {
    const pieces = parts.map((cells) => cells[i] ?? '').filter((cell) => cell.trim().length > 0);
    if (!agencyColumns.has(i) || pieces.length < 2) {
      joined.push(pieces.join(' '));
      continue;
    }
    let text = pieces[0];
    for (let k = 1; k < pieces.length; k++) {
      // past the size an agency cell may have, the row is refused anyway: no names to tell apart
      if (text.length > MAX_AGENCY_CELL_CHARS) {
        text += ` ${pieces.slice(k).join(' ')}`;
        break;
      }
      text += namesApart(pieces[k - 1], pieces.slice(k, k + MAX_NAME_PIECES), resolver) ? `\n${pieces[k]}` : ` ${pieces[k]}`;
    }
    joined.push(text);
  }
  return toRow((role) => joined[columns.index[role] ?? -1] ?? '', columns);
}

// The part above ends with a name the registry knows, the parts below start with another known
// name (read across the parts a wrap made of it), and the two read together are not one known
// name ("Ngân hàng Nhà nước" | "Chi nhánh tỉnh Sóc Trăng" is one agency; "Sở Tư pháp" | "Sở Nội vụ" two).
function namesApart(above: string, below: readonly string[], resolver: AgencyAliasResolver): boolean {
  // a separator already ends the part above (most cut lists): nothing to decide
  const tail = trimEndWhere(above, isWhitespace);
  if (tail.length === 0 || ';,'.includes(tail[tail.length - 1])) return false;
  const upper = cleanMultiline(above);
  let start = upper.length;
  while (start > 0 && !'\n;,'.includes(upper[start - 1])) start--;
  const last = upper.slice(start).trim();
  if (last.length === 0 || last.length > MAX_AGENCY_NAME || !resolver.resolve(last).confident) return false;
  const first = firstName(below);
  if (first.length === 0 || last.length + first.length > MAX_AGENCY_NAME) return false;
  if (!startsLikeAgency(first) || !resolver.resolve(first).confident) return false;
  return !resolver.resolve(`${last} ${first}`).confident;
}

// The first name of the text below, up to its first separator, across at most a few parts.
function firstName(parts: readonly string[]): string {
  let name = '';
  for (const part of parts) {
    const text = cleanMultiline(part);
    let end = 0;
    while (end < text.length && !'\n;,'.includes(text[end])) end++;
    name = name ? `${name} ${text.slice(0, end)}` : text.slice(0, end);
    if (end < text.length || name.length > MAX_AGENCY_NAME) break;
  }
  return name.trim();
}
const MAX_NAME_PIECES = 8;
const MAX_AGENCY_NAME = 300;

function toRow(cell: (role: ColumnRole) => string, columns: TableColumns): Omit<TableRow, 'ordinal' | 'section' | 'line' | 'issues'> {
  // A lead column whose cells label both roles is read like a column for both.
  const labelledLead = hasRoleLabels(cell('lead'));
  const roles = splitRoles(labelledLead ? `${cell('lead')}\n${cell('both')}` : cell('both'));
  const title = cleanInline(cell('title'));
  const target = cleanInline(columns.titleIsTarget ? cell('title') : cell('target'));
  const note = cleanInline(cell('note'));
  return {
    title,
    lead: [labelledLead ? '' : cleanMultiline(cell('lead')), roles.lead].filter((text) => text.length > 0).join('\n'),
    coordinating: [cleanMultiline(cell('coordinating')), roles.coordinating].filter((text) => text.length > 0).join('\n'),
    timeframe: cleanInline(cell('timeframe')),
    target: target.length > 0 ? target : null,
    note: note.length > 0 ? note : null,
  };
}

// One column for both roles: "- lead agency: A - coordinating agencies: B, C", in either order.
// Labels are found by their role word alone (a literal, so the search stays linear) and then
// widened backwards over a short prefix ("CQ", "Cơ quan", "Đơn vị"), so no label leaks into a name.
export function splitRoles(cell: string): { lead: string; coordinating: string } {
  const text = cleanMultiline(cell);
  const labels = [...text.matchAll(ROLE_LABEL)].map((match) => ({
    role: lowerNfc(match[1]) === 'chủ trì' ? ('lead' as const) : ('coordinating' as const),
    start: labelStart(text, match.index),
    end: match.index + match[0].length,
  }));
  if (labels.length === 0) return { lead: text, coordinating: '' };
  const parts = { lead: [] as string[], coordinating: [] as string[] };
  const before = tidyRolePart(text.slice(0, labels[0].start));
  if (before.length > 0 && !labels.some((label) => label.role === 'lead')) parts.lead.push(before);
  labels.forEach((label, i) => {
    const part = tidyRolePart(text.slice(label.end, i + 1 < labels.length ? labels[i + 1].start : text.length));
    if (part.length > 0) parts[label.role].push(part);
  });
  return { lead: parts.lead.join('\n'), coordinating: parts.coordinating.join('\n') };
}

const ROLE_LABEL = /(chủ trì|phối hợp)(?:\s+thực hiện)?\s*:/giu;
const LABEL_PREFIX = /(?:cơ quan|cq|đơn vị|đv)\s*$/iu;

/** True when an agency cell labels its roles ("chủ trì: …", "phối hợp: …"). */
export function hasRoleLabels(cell: string): boolean {
  return HAS_ROLE_LABEL.test(cell.normalize('NFC'));
}
const HAS_ROLE_LABEL = new RegExp(ROLE_LABEL.source, 'iu');

// A label's prefix word sits just before the role word; only a few characters are looked at.
function labelStart(text: string, roleAt: number): number {
  const from = Math.max(0, roleAt - 12);
  const prefix = LABEL_PREFIX.exec(text.slice(from, roleAt));
  return prefix ? from + prefix.index : roleAt;
}

function tidyRolePart(part: string): string {
  const isSeparator = (char: string) => '-–•+;,.'.includes(char) || isWhitespace(char);
  const end = trimEndWhere(part, isSeparator);
  let start = 0;
  while (start < end.length && isSeparator(end[start])) start++;
  return end.slice(start);
}

function joinText(a: string, b: string): string {
  if (a.length === 0 || b.length === 0) return a || b;
  return `${a} ${b}`;
}

// "1.2" after "1.1"; the trailing digits are found by a loop ("^(.*?)(\d+)$" is quadratic on a long number).
function nextOrdinal(previous: { ordinal: string } | null): string {
  const ordinal = previous?.ordinal ?? '';
  let start = ordinal.length;
  while (start > 0 && ordinal[start - 1] >= '0' && ordinal[start - 1] <= '9') start--;
  if (start === ordinal.length) return '1';
  return `${ordinal.slice(0, start)}${Number(ordinal.slice(start)) + 1}`;
}
