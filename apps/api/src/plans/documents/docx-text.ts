import JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { documentText, PlanImportError, type SourceBlock, type SourceCell, type SourceRow } from '@app/plan-import';
import { checkedZip } from './zip-limits';

// A .docx read cell by cell from word/document.xml with a streaming XML parser (saxes, the one
// ExcelJS already uses): paragraphs, and tables as rows × cells with what Word keeps only in the
// cells — rows marked to repeat as header on every page (w:tblHeader), cells merged down over
// several rows (w:vMerge restart/continue), cells spanning grid columns (w:gridSpan, w:gridBefore,
// w:gridAfter). The plan-import library's documentText turns that into the plan text the appendix
// table model reads: paragraphs become lines, each table row one tab-separated line whose
// multi-paragraph cells keep their <p> fragments (as converters leave them).
//
// The zip is checked against ZIP_LIMITS before any part is inflated; the XML is fed to the parser
// in slices, and the parser's events only append to the current paragraph: memory is the text read,
// whatever the nesting (a table nested in a cell is read as more paragraphs of that cell, as the
// HTML conversion before it was read). saxes expands no entities beyond XML's five (no DTD is
// read), so the document cannot grow while parsed.

/** Grid columns a table row may have: real appendices have 5–10. */
export const MAX_TABLE_COLUMNS = 64;
const SLICE = 64 * 1024;
/** The values of an on/off property that turn it off (no value turns it on). */
const OFF = new Set(['0', 'false', 'off']);
const MAIN_DOCUMENT = 'word/document.xml';
const NUMBERING = 'word/numbering.xml';

/** Elements whose content is not the document's text: deleted or moved-away runs, tracked property changes, Word 2010+ choices (their fallback is read). */
const SKIPPED = new Set([
  'w:del',
  'w:moveFrom',
  'w:instrText',
  'w:delInstrText',
  'mc:Choice',
  'w:pPrChange',
  'w:rPrChange',
  'w:tblPrChange',
  'w:trPrChange',
  'w:tcPrChange',
  'w:sectPrChange',
  'w:numberingChange',
  'w:tabs',
]);

export async function docxToPlanText(buffer: Buffer): Promise<string> {
  const checked = await checkedZip(buffer, 'DOCX');
  const zip = await JSZip.loadAsync(checked);
  const part = zip.file(await mainDocumentPath(zip)) ?? zip.file(MAIN_DOCUMENT);
  if (!part) throw new PlanImportError(`This is not a readable DOCX file: it has no ${MAIN_DOCUMENT}`);
  const body = readBody(await part.async('string'), await listNumbers(zip));
  // an XLSX or PPTX names its workbook or presentation as main part: not a Word document
  if (body === null) throw new PlanImportError(`This is not a readable DOCX file: its main part ${part.name} is not a Word document`);
  return documentText(body);
}

// The numbering definitions (w:num) a paragraph may refer to: a paragraph numbered by one of them
// is a list item, written "- text" as mammoth's list items were; an undefined number is no list.
async function listNumbers(zip: JSZip): Promise<Set<string>> {
  const ids = new Set<string>();
  const numbering = zip.file(NUMBERING);
  if (!numbering) return ids;
  parse(await numbering.async('string'), {
    open(tag) {
      const id = tag.attributes['w:numId'];
      if (tag.name === 'w:num' && id !== undefined) ids.add(id);
    },
  });
  return ids;
}

// The main part named by the package relationships (word/document.xml in every Word file).
async function mainDocumentPath(zip: JSZip): Promise<string> {
  const rels = zip.file('_rels/.rels');
  if (!rels) return MAIN_DOCUMENT;
  let target: string | null = null;
  parse(await rels.async('string'), {
    open(tag) {
      const type = tag.attributes.Type ?? '';
      if (tag.name === 'Relationship' && type.endsWith('/officeDocument') && target === null) target = tag.attributes.Target ?? null;
    },
  });
  return target === null ? MAIN_DOCUMENT : (target as string).replace(/^\//u, '');
}

interface Handlers {
  open?: (tag: SaxesTagPlain) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
}

function parse(xml: string, handlers: Handlers): void {
  const parser = new SaxesParser();
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  if (handlers.open) parser.on('opentag', handlers.open);
  if (handlers.close) parser.on('closetag', (tag) => handlers.close?.(tag.name));
  if (handlers.text) parser.on('text', handlers.text);
  for (let at = 0; at < xml.length && failure === null; at += SLICE) parser.write(xml.slice(at, at + SLICE));
  if (failure === null) parser.close();
  if (failure !== null) throw new PlanImportError(`This is not a readable DOCX file: its XML is broken (${(failure as Error).message})`);
}

interface OpenParagraph {
  parts: string[];
  numId?: string;
}

interface OpenCell {
  paragraphs: string[];
  span: number;
  continuesAbove: boolean;
  /** A legacy horizontal merge continues the cell on its left: no text of its own. */
  continuesLeft: boolean;
}

interface OpenRow {
  cells: SourceCell[];
  /** Grid columns its cells cover so far. */
  width: number;
  header: boolean;
  deleted: boolean;
  gridAfter: number;
}

/** The body of word/document.xml as paragraphs and tables of cells; null when its root is no w:document. */
function readBody(xml: string, lists: ReadonlySet<string>): SourceBlock[] | null {
  const blocks: SourceBlock[] = [];
  let root: string | null = null;
  const paragraphs: OpenParagraph[] = [];
  let skipped = 0;
  let inText = 0;
  let tables = 0; // open w:tbl elements: only the outermost table has rows; nested ones are cell text
  let rows: SourceRow[] = [];
  let row: OpenRow | null = null;
  let cell: OpenCell | null = null;
  let inRowProperties = false;
  let inCellProperties = false;
  let inNumbering = false;

  const emit = (text: string, numbered: boolean) => {
    if (cell) {
      if (text) cell.paragraphs.push(text);
    } else if (text) blocks.push({ kind: 'paragraph', text: numbered ? `- ${text}` : text });
  };
  const addCell = (target: OpenRow, added: SourceCell) => {
    target.cells.push(added);
    target.width += added.span;
    if (target.width > MAX_TABLE_COLUMNS) {
      throw new PlanImportError(
        `This DOCX file is refused: a table row has more than ${MAX_TABLE_COLUMNS} columns; a plan's appendix has about ten.`,
      );
    }
  };
  const addCells = (count: number) => {
    if (row && count > 0) addCell(row, { text: '', span: count, continuesAbove: false });
  };
  const val = (tag: SaxesTagPlain) => tag.attributes['w:val'];
  const count = (tag: SaxesTagPlain) => Math.max(0, Math.min(MAX_TABLE_COLUMNS + 1, Number.parseInt(val(tag) ?? '1', 10) || 0));

  parse(xml, {
    open(tag) {
      const name = tag.name;
      root ??= name;
      if (skipped > 0 || SKIPPED.has(name)) {
        if (name === 'w:del' && inRowProperties && row) row.deleted = true;
        skipped++; // saxes reports a close for self-closing tags too
        return;
      }
      switch (name) {
        case 'w:p':
          paragraphs.push({ parts: [] });
          return;
        case 'w:t':
          inText++;
          return;
        case 'w:tab':
          // a tab stop inside a paragraph (not the tab definitions of w:tabs in its properties)
          if (paragraphs.length > 0) paragraphs[paragraphs.length - 1].parts.push(' ');
          return;
        case 'w:br':
        case 'w:cr':
          if (paragraphs.length > 0 && (val(tag) ?? tag.attributes['w:type'] ?? 'textWrapping') === 'textWrapping') {
            // A line break in a cell separates lines as in an XLSX cell and the plan text (<br>: one
            // agency per line); mammoth's HTML read it as a space, running two names into one.
            // Elsewhere it reads as a space.
            paragraphs[paragraphs.length - 1].parts.push(cell ? '<br>' : ' ');
          }
          return;
        case 'w:noBreakHyphen':
          if (paragraphs.length > 0) paragraphs[paragraphs.length - 1].parts.push('\u2011');
          return;
        case 'w:numPr':
          inNumbering = true;
          return;
        case 'w:numId':
          if (inNumbering && paragraphs.length > 0) paragraphs[paragraphs.length - 1].numId = val(tag);
          return;
        case 'w:tbl':
          tables++;
          return;
        case 'w:tr':
          if (tables === 1) row = { cells: [], width: 0, header: false, deleted: false, gridAfter: 0 };
          return;
        case 'w:trPr':
          inRowProperties = tables === 1;
          return;
        case 'w:tblHeader':
          if (inRowProperties && row) row.header = !OFF.has(val(tag) ?? 'true');
          return;
        case 'w:gridBefore':
          if (inRowProperties && row && row.cells.length === 0) addCells(count(tag));
          return;
        case 'w:gridAfter':
          if (inRowProperties && row) row.gridAfter = count(tag);
          return;
        case 'w:tc':
          if (tables === 1 && row) cell = { paragraphs: [], span: 1, continuesAbove: false, continuesLeft: false };
          return;
        case 'w:tcPr':
          inCellProperties = tables === 1;
          return;
        case 'w:gridSpan':
          if (inCellProperties && cell) cell.span = Math.max(1, count(tag));
          return;
        case 'w:hMerge':
        case 'w:vMerge': {
          // no value is "continue"; a horizontal continue is one more grid column of the cell before
          const continues = (val(tag) ?? 'continue') === 'continue';
          if (inCellProperties && cell && name === 'w:vMerge') cell.continuesAbove = continues;
          if (inCellProperties && cell && name === 'w:hMerge') cell.continuesLeft = continues;
          return;
        }
        default:
          return;
      }
    },
    close(name) {
      if (skipped > 0) {
        skipped--;
        return;
      }
      switch (name) {
        case 'w:t':
          inText = Math.max(0, inText - 1);
          return;
        case 'w:numPr':
          inNumbering = false;
          return;
        case 'w:p': {
          const paragraph = paragraphs.pop();
          if (!paragraph) return;
          const text = paragraph.parts.join('');
          const numbered = paragraph.numId !== undefined && lists.has(paragraph.numId);
          emit(spaced(text), numbered);
          return;
        }
        case 'w:trPr':
          inRowProperties = false;
          return;
        case 'w:tcPr':
          inCellProperties = false;
          return;
        case 'w:tc':
          if (tables === 1 && row && cell) {
            const text = cell.continuesLeft ? '' : cellText(cell.paragraphs);
            addCell(row, { text, span: cell.span, continuesAbove: cell.continuesAbove });
            cell = null;
          }
          return;
        case 'w:tr':
          if (tables === 1 && row) {
            addCells(row.gridAfter);
            if (!row.deleted) rows.push({ cells: row.cells, header: row.header });
            row = null;
          }
          return;
        case 'w:tbl':
          tables--;
          if (tables === 0) {
            blocks.push({ kind: 'table', rows });
            rows = [];
          }
          return;
        default:
          return;
      }
    },
    text(text) {
      if (inText > 0 && skipped === 0 && paragraphs.length > 0) paragraphs[paragraphs.length - 1].parts.push(text);
    },
  });
  return root === 'w:document' ? blocks : null;
}

// One paragraph: its own text; several: each as <p>…</p>, as converters leave a cell.
function cellText(paragraphs: readonly string[]): string {
  if (paragraphs.length <= 1) return paragraphs[0] ?? '';
  return paragraphs.map((p) => `<p>${p}</p>`).join('');
}

// Tabs and line ends as spaces, runs of white space as one, no space at either end.
function spaced(text: string): string {
  return text
    .replace(/[\t\r\n]+/gu, ' ')
    .replace(/\s{2,}/gu, ' ')
    .trim();
}
