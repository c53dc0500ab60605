import { startsLikeAgency } from './agency-prefix.matcher';
import { assertTaskCount } from './plan-limits';
import type { DraftSection } from './draft-plan.types';
import { columnsFromHeader, DEFAULT_COLUMNS, isHeaderRow, type ColumnRole, type TableColumns } from './table-columns.parser';
import { cleanInline, cleanMultiline, isWhitespace, trimEndWhere } from './text-cleanup.util';

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
const TASK_ORDINAL = /^(\d+(?:\.\d+)*)[.)]?$/u;

/** Reads the tab-separated task tables of a plan's appendix. */
export function parseTaskTables(lines: readonly string[]): TaskTables {
  const reader = new TableReader();
  lines.forEach((line, index) => {
    if (line.includes('\t')) reader.read(line.split('\t'), index + 1);
  });
  return { sections: reader.sections, rows: reader.rows, warnings: reader.warnings };
}

class TableReader {
  readonly sections: DraftSection[] = [];
  readonly rows: TableRow[] = [];
  readonly warnings: string[] = [];
  private columns: TableColumns | null = null;
  private section: string | null = null;
  /** The agency text last merged into a row: what its cell now ends with, without reading it all. */
  private readonly mergedEnds = new Map<TableRow, { lead: string; coordinating: string }>();

  read(rawCells: string[], line: number): void {
    const flat = rawCells.map(cleanInline);
    if (flat.every((cell) => cell.length === 0)) return;
    if (isHeaderRow(flat)) {
      this.columns = columnsFromHeader(flat);
      return; // repeated headers after page breaks are skipped the same way
    }
    const columns = this.columns ?? this.assumeColumns(line);
    const cells = alignCells(rawCells, columns);
    const cell = (role: ColumnRole) => cells[columns.index[role] ?? -1] ?? '';
    const ordinal = cleanInline(cell('ordinal'));
    if (this.readSection(ordinal, cell)) return;
    const row = toRow(cell, columns, this.section, line);
    const numbered = TASK_ORDINAL.exec(ordinal);
    if (numbered) return this.add({ ...row, ordinal: numbered[1] });
    if (ordinal.length > 0) {
      return this.add({ ...row, ordinal: ordinal.replace(/[.)]$/u, ''), issues: [`ordinal "${ordinal}" is not a number`] });
    }
    this.readUnnumbered(row);
  }

  private assumeColumns(line: number): TableColumns {
    const assumed = 'STT, task, lead, coordinating, timeframe, note';
    this.warnings.push(`table at line ${line}: no header row; columns assumed to be ${assumed}`);
    this.columns = DEFAULT_COLUMNS;
    return DEFAULT_COLUMNS;
  }

  // A roman-numbered row with no agencies or timeframe opens a section.
  private readSection(ordinal: string, cell: (role: ColumnRole) => string): boolean {
    const match = SECTION_ORDINAL.exec(ordinal);
    const roles = [cell('lead'), cell('coordinating'), cell('both'), cell('timeframe')].map(cleanInline);
    if (!match || roles.some((text) => text.length > 0)) return false;
    const title = match[2] ?? cleanInline(cell('title'));
    this.section = match[1];
    this.sections.push({ ordinal: match[1], title: match[2] ? title : title || match[1] });
    return true;
  }

  // An empty ordinal: the rest of the previous row after a page break, or a row whose number was
  // lost (it has its own agencies/timeframe while the previous row is complete).
  private readUnnumbered(row: TableRow): void {
    const previous = this.rows.length > 0 ? this.rows[this.rows.length - 1] : null;
    const sameSection = previous !== null && previous.section === row.section;
    const ownRoles = row.lead.length > 0 || row.timeframe.length > 0;
    const previousComplete = previous !== null && previous.lead.length > 0 && previous.timeframe.length > 0;
    if (previous && sameSection && (!ownRoles || !previousComplete)) {
      const ends = this.mergedEnds.get(previous) ?? { lead: previous.lead, coordinating: previous.coordinating };
      mergeInto(previous, row, ends);
      this.mergedEnds.set(previous, { lead: row.lead || ends.lead, coordinating: row.coordinating || ends.coordinating });
      return;
    }
    const ordinal = nextOrdinal(sameSection ? previous : null);
    this.add({ ...row, ordinal, issues: [`ordinal missing; inferred ${ordinal} from the row before`] });
  }

  private add(row: TableRow): void {
    this.rows.push(row);
    assertTaskCount(this.rows.length);
  }
}

// A row missing exactly its ordinal cell has its text shifted one column to the left.
function alignCells(rawCells: string[], columns: TableColumns): string[] {
  const shifted = rawCells.length === columns.width - 1 && columns.index.ordinal === 0 && cleanInline(rawCells[0]).length > 20;
  return shifted ? ['', ...rawCells] : rawCells;
}

function toRow(cell: (role: ColumnRole) => string, columns: TableColumns, section: string | null, line: number): TableRow {
  const roles = splitRoles(cell('both'));
  const title = cleanInline(cell('title'));
  const target = cleanInline(columns.titleIsTarget ? cell('title') : cell('target'));
  const note = cleanInline(cell('note'));
  return {
    ordinal: '',
    section,
    line,
    title,
    lead: [cleanMultiline(cell('lead')), roles.lead].filter((text) => text.length > 0).join('\n'),
    coordinating: [cleanMultiline(cell('coordinating')), roles.coordinating].filter((text) => text.length > 0).join('\n'),
    timeframe: cleanInline(cell('timeframe')),
    target: target.length > 0 ? target : null,
    note: note.length > 0 ? note : null,
    issues: [],
  };
}

// One column for both roles: "- lead agency: A - coordinating agencies: B, C".
export function splitRoles(cell: string): { lead: string; coordinating: string } {
  const text = cleanMultiline(cell);
  const lead = /chủ trì\s*:\s*/iu.exec(text);
  const coordinating = /(?:^|[\s-])(?:(?:CQ|cơ quan|đơn vị|ĐV)\s*)?phối hợp\s*:\s*/iu.exec(text);
  if (!lead && !coordinating) return { lead: text, coordinating: '' };
  const part = (from: RegExpExecArray | null, other: RegExpExecArray | null) => {
    if (!from) return '';
    const end = other && other.index > from.index ? other.index : text.length;
    return trimEndWhere(text.slice(from.index + from[0].length, end), (char) => '-;,'.includes(char) || isWhitespace(char)).trim();
  };
  return { lead: part(lead, coordinating), coordinating: part(coordinating, lead) };
}

// Only appends: a row continued over thousands of lines must not be re-read for each of them.
function mergeInto(previous: TableRow, continuation: TableRow, ends: { lead: string; coordinating: string }): void {
  previous.title = joinText(previous.title, continuation.title);
  previous.lead = joinAgencies(previous.lead, ends.lead, continuation.lead);
  previous.coordinating = joinAgencies(previous.coordinating, ends.coordinating, continuation.coordinating);
  previous.timeframe = joinText(previous.timeframe, continuation.timeframe);
  previous.target = joinText(previous.target ?? '', continuation.target ?? '') || null;
  previous.note = joinText(previous.note ?? '', continuation.note ?? '') || null;
  previous.issues.push(`text continued on line ${continuation.line} (after a page break) was merged into it`);
}

function joinText(a: string, b: string): string {
  if (a.length === 0 || b.length === 0) return a || b;
  return `${a} ${b}`;
}

// A name cut by the page break continues with a space; a new name starts a new line. `aEnd` is
// the last text appended to `a` (so `a` itself is not read).
function joinAgencies(a: string, aEnd: string, b: string): string {
  if (a.length === 0 || b.length === 0) return a || b;
  return /[,;]$/u.test(aEnd.slice(-1)) || startsLikeAgency(b) ? `${a}\n${b}` : `${a} ${b}`;
}

// "1.2" after "1.1"; the trailing digits are found by a loop ("^(.*?)(\d+)$" is quadratic on a long number).
function nextOrdinal(previous: TableRow | null): string {
  const ordinal = previous?.ordinal ?? '';
  let start = ordinal.length;
  while (start > 0 && ordinal[start - 1] >= '0' && ordinal[start - 1] <= '9') start--;
  if (start === ordinal.length) return '1';
  return `${ordinal.slice(0, start)}${Number(ordinal.slice(start)) + 1}`;
}
