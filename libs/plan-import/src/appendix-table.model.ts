import { columnsFromHeader, DEFAULT_COLUMNS, isHeaderRow, type TableColumns } from './table-columns.parser';
import { cleanInline, cleanMultiline } from './text-cleanup.util';

// The appendix as a table before any meaning is read into it: every format (plain text, DOCX
// tables and XLSX sheets, both rendered as one tab-separated line per table row) arrives here as
// lines; the model keeps rows × columns, drops repeated headers and page furniture, and records
// where a page broke so that the row reader can join a row cut by the break.

/** One physical table row: raw cells aligned to the columns of its table. */
export interface ModelRow {
  cells: string[];
  /** 1-based source line. */
  line: number;
  columns: TableColumns;
  /** A repeated header or page furniture (page number, running title) came just before it. */
  afterBreak: boolean;
  /** The table had no header row: columns were assumed. */
  assumedColumns: boolean;
  /** What the reader should check about this physical row (conversion leftovers). */
  notes: string[];
}

export interface AppendixTableModel {
  rows: ModelRow[];
  /** Source lines (1-based) that are page furniture inside a table: not prose, not rows. */
  furnitureLines: Set<number>;
  /** Tables that had no header: the line of their first row. */
  headerlessAt: number[];
}

// A page break leaves a page number, a running title, perhaps a footnote line: a few short lines.
const MAX_FURNITURE_LINES = 4;
const MAX_FURNITURE_CHARS = 160;

/**
 * Reads the tab-separated lines of a text into the table model. Non-tab lines between two rows of
 * one table are page furniture (a page number, a running title): a PDF or Word conversion puts
 * them where a page ended, so they mark a page break just like a repeated header does.
 */
export function readAppendixTable(lines: readonly string[]): AppendixTableModel {
  const rows: ModelRow[] = [];
  const furnitureLines = new Set<number>();
  const headerlessAt: number[] = [];
  let columns: TableColumns | null = null;
  let assumed = false;
  let brokeSince = false;
  let pendingFurniture: number[] = [];
  let lastHeader: string | null = null;
  // The non-tab lines since the last row: a page's furniture when they are few and short.
  const takeFurniture = () => {
    if (pendingFurniture.length > 0 && pendingFurniture.length <= MAX_FURNITURE_LINES && !pendingFurniture.some(Number.isNaN)) {
      for (const furniture of pendingFurniture) furnitureLines.add(furniture);
      brokeSince = true;
    }
    pendingFurniture = [];
  };
  lines.forEach((line, index) => {
    const number = index + 1;
    if (!line.includes('\t')) {
      // Only lines between two rows of a table can be furniture; the rest is the plan's prose.
      // A longer run, or a long line, is prose between two tables.
      if (columns !== null && line.trim().length > 0) {
        pendingFurniture.push(line.length <= MAX_FURNITURE_CHARS ? number : Number.NaN);
      }
      return;
    }
    // A header repeated on every page is the same line: its columns are read once.
    if (columns !== null && line === lastHeader) {
      takeFurniture();
      brokeSince = true;
      return;
    }
    const raw = line.split('\t');
    const flat = raw.map((cell) => (cell.length === 0 ? '' : cleanInline(cell)));
    if (flat.every((cell) => cell.length === 0)) return;
    takeFurniture();
    if (isHeaderRow(flat)) {
      brokeSince ||= columns !== null;
      columns = columnsFromHeader(flat);
      lastHeader = line;
      assumed = false;
      return;
    }
    if (columns === null) {
      headerlessAt.push(number);
      columns = DEFAULT_COLUMNS;
      assumed = true;
    }
    const row: ModelRow = {
      cells: alignCells(raw, columns),
      line: number,
      columns,
      afterBreak: brokeSince,
      assumedColumns: assumed,
      notes: [],
    };
    for (const part of splitRunTogether(row)) rows.push(part);
    brokeSince = false;
  });
  return { rows, furnitureLines, headerlessAt };
}

// A row missing exactly its ordinal cell has its text shifted one column to the left.
function alignCells(rawCells: string[], columns: TableColumns): string[] {
  const shifted = rawCells.length === columns.width - 1 && columns.index.ordinal === 0 && cleanInline(rawCells[0]).length > 20;
  return shifted ? ['', ...rawCells] : rawCells;
}

// A conversion that lost a row boundary leaves two tasks in one row, each cell holding their
// paragraphs (<p>…</p><p>…</p> or <br>). When the ordinal cell holds as many numbers as the text
// cell holds paragraphs, the document clearly has that many tasks: the row is split, cells with
// as many paragraphs giving one to each, other cells shared. Several paragraphs of text under one
// number may be one task or more: the row is kept and a note asks to check it.
function splitRunTogether(row: ModelRow): ModelRow[] {
  const title = row.columns.index.title;
  if (title === undefined || row.cells[title] === undefined) return [row];
  const texts = paragraphsOf(row.cells[title]);
  if (texts.length < 2) return [row];
  const ordinals = paragraphsOf(row.cells[row.columns.index.ordinal ?? -1] ?? '');
  if (ordinals.length !== texts.length || !ordinals.every((ordinal) => ORDINAL.test(ordinal))) {
    const note = `the task text holds ${texts.length} paragraphs run together in one cell; check whether it is more than one task`;
    return [{ ...row, notes: [note] }];
  }
  const cells = row.cells.map(paragraphsOf);
  return texts.map((_, i) => ({
    ...row,
    cells: cells.map((paragraphs, column) => (paragraphs.length === texts.length ? paragraphs[i] : row.cells[column])),
    notes: [`split from one table row that held ${texts.length} tasks (line ${row.line})`],
  }));
}

const ORDINAL = /^\d{1,3}(?:\.\d{1,3})*[.)]?$/u;

function paragraphsOf(cell: string): string[] {
  if (!cell.includes('<')) return cell.trim().length > 0 ? [cell] : [];
  return cleanMultiline(cell)
    .split('\n')
    .filter((paragraph) => paragraph.length > 0);
}

/** The text lines with the table's page furniture blanked, for the prose readers. */
export function withoutFurniture(lines: readonly string[], furniture: ReadonlySet<number>): string[] {
  if (furniture.size === 0) return [...lines];
  return lines.map((line, index) => (furniture.has(index + 1) ? '' : line));
}
