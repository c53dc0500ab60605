import { columnRole, columnsFromHeader, DEFAULT_COLUMNS, isHeaderRow, type ColumnRole } from './table-columns.parser';
import { cleanInline } from './text-cleanup.util';

// A DOCX body or an XLSX sheet read cell by cell, before any meaning is read into it: paragraphs,
// and tables as rows × cells on the table's grid. What only the cells know — a header row marked
// to repeat on every page, a cell merged down over several rows, a cell spanning columns — is
// resolved here, and the result is the plain text the appendix table model reads (one
// tab-separated line per table row), so that the three formats share one table model.

/** One cell as its reader found it. */
export interface SourceCell {
  /** The cell's text as the plan text carries it (several paragraphs as <p>…</p> or <br>). */
  text: string;
  /** Grid columns the cell covers (gridSpan, a horizontal merge): at least 1. */
  span: number;
  /** The cell continues a vertical merge from the row above (vMerge continue, an XLSX merged range). */
  continuesAbove: boolean;
}

export interface SourceRow {
  cells: SourceCell[];
  /** Marked as a header row repeated on every page (DOCX w:tblHeader). */
  header: boolean;
}

export type SourceBlock = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: SourceRow[] };

/** Columns whose merged-down value belongs to every numbered task row it covers. */
const FILLED_ROLES: readonly ColumnRole[] = ['lead', 'coordinating', 'both', 'timeframe', 'target'];
/** Grid columns one cell may cover (the DOCX reader refuses rows wider than 64). */
const MAX_SPAN = 1000;
const TASK_ORDINAL = /^\d{1,4}(?:\.\d{1,4}){0,4}[.)]?$/u;

/** The blocks as plan text: paragraphs on their own lines, each table row one tab-separated line. */
export function documentText(blocks: readonly SourceBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'paragraph') lines.push(block.text);
    else for (const line of tableLines(block.rows)) lines.push(line);
  }
  return lines.join('\n');
}

/** A table's rows on its grid: spanned columns empty, merged-down cells marked. */
interface GridRow {
  texts: string[];
  continues: boolean[];
  header: boolean;
  /** The row's cells as flat text, to recognise a header row repeated without its mark. */
  key: string;
}

function onGrid(row: SourceRow): GridRow {
  const texts: string[] = [];
  const continues: boolean[] = [];
  for (const cell of row.cells) {
    for (let i = 0; i < Math.min(MAX_SPAN, Math.max(1, cell.span)); i++) {
      texts.push(i === 0 && !cell.continuesAbove ? cell.text : '');
      continues.push(cell.continuesAbove);
    }
  }
  return { texts, continues, header: row.header, key: texts.map(flat).join('\t') };
}

const flat = (text: string): string => (text.length === 0 ? '' : cleanInline(text));

/**
 * The table's lines: its header rows (marked, or the first row naming the columns, with a second
 * row naming the columns it splits) become one header line; a header repeated further down (marked
 * and naming or numbering columns, or the same cells again) becomes that same header line, which the table model reads as a page
 * break; in numbered task rows a cell merged down from above takes the merged value in the agency,
 * timeframe and target columns; rows with no text are left out.
 */
function tableLines(source: readonly SourceRow[]): string[] {
  const rows = source.map(onGrid);
  const header = headerOf(rows);
  const columns = header ? columnsFromHeader(header.cells.map(flat)) : DEFAULT_COLUMNS;
  const headerLine = header?.cells.join('\t') ?? null;
  const headerKeys = new Set(
    header
      ? rows
          .slice(header.from, header.to)
          .filter(hasText)
          .map((row) => row.key)
      : [],
  );
  const filled = new Set(FILLED_ROLES.map((role) => columns.index[role]).filter((index) => index !== undefined));
  const above: string[] = [];
  const lines: string[] = [];
  let inRepeatedHeader = false;
  rows.forEach((row, index) => {
    if (header && index >= header.from && index < header.to) {
      if (index === header.from && headerLine !== null) lines.push(headerLine);
      return;
    }
    if (headerLine !== null && ((row.header && looksLikeHeader(row)) || headerKeys.has(row.key))) {
      // a repeated header (one line however many rows it has) marks a page break for the model
      if (!inRepeatedHeader) lines.push(headerLine);
      inRepeatedHeader = true;
      return;
    }
    inRepeatedHeader = false;
    const numbered = TASK_ORDINAL.test(flat(row.texts[columns.index.ordinal ?? 0] ?? ''));
    const texts = row.texts.map((text, column) => {
      if (!row.continues[column]) {
        above[column] = text;
        return text;
      }
      return numbered && filled.has(column) ? (above[column] ?? '') : '';
    });
    if (texts.some((text) => flat(text).length > 0)) lines.push(texts.join('\t'));
  });
  return lines;
}

interface Header {
  /** Rows [from, to) of the header. */
  from: number;
  to: number;
  /** One text per grid column: the column's names from the header rows, top to bottom. */
  cells: string[];
}

// The header: the rows marked as repeating header at the top of the table when they name the
// columns, otherwise the first row that names at least three columns. A header row with a cell
// spanning columns ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp") is followed by a row that
// only names columns: the two are read as one header.
function headerOf(rows: readonly GridRow[]): Header | null {
  let marked = 0;
  while (marked < rows.length && rows[marked].header && looksLikeHeader(rows[marked])) marked++;
  if (marked > 1) {
    const cells = combined(rows.slice(0, marked));
    if (isHeaderRow(cells)) return { from: 0, to: marked, cells };
  }
  const first = rows.findIndex((row) => isHeaderRow(row.texts.map(flat)));
  if (first < 0) return null;
  const next = rows[first + 1];
  if (next && onlyNamesColumns(next)) return { from: first, to: first + 2, cells: combined([rows[first], next]) };
  return { from: first, to: first + 1, cells: rows[first].texts };
}

// The mark alone is not trusted: some converters mark every row of a table as header. A marked
// row is a header when it names columns, or only names and numbers them ("(1)", "(2)" …).
function looksLikeHeader(row: GridRow): boolean {
  const texts = row.texts.map(flat);
  if (isHeaderRow(texts)) return true;
  const named = texts.filter((text) => text.length > 0);
  return named.length >= 2 && named.every((text) => columnRole(text) !== null || COLUMN_NUMBER.test(text));
}

const COLUMN_NUMBER = /^\(?\d{1,2}\)?$/u;
const hasText = (row: GridRow): boolean => row.texts.some((text) => flat(text).length > 0);

// A row whose every cell with text is a column name, at least two of them ("Chủ trì", "Phối hợp").
function onlyNamesColumns(row: GridRow): boolean {
  const named = row.texts.map(flat).filter((text) => text.length > 0);
  return named.length >= 2 && named.every((text) => columnRole(text) !== null);
}

// Each grid column's names from the header rows that name columns, top to bottom, each name
// once; a row numbering the columns ("(1)", "(2)" …) names none.
function combined(rows: readonly GridRow[]): string[] {
  const width = Math.max(...rows.map((row) => row.texts.length));
  const naming = rows.filter((row) => row.texts.some((text) => columnRole(flat(text)) !== null));
  return Array.from({ length: width }, (_, column) => {
    const names: string[] = [];
    for (const row of naming) {
      const text = flat(row.texts[column] ?? '');
      if (text.length > 0 && !names.includes(text)) names.push(text);
    }
    return names.join(' ');
  });
}
