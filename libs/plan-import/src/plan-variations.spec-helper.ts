import fc from 'fast-check';
import type { DraftPlan } from './draft-plan.types';
import { isHeaderRow } from './table-columns.parser';
import { cleanInline } from './text-cleanup.util';
import { parseTimeframe } from './timeframe.parser';

// Metamorphic variations of a plan text: what PDF/Word conversion does to the same document
// (page breaks that repeat the table header, rows cut by a break, cell text wrapped at another
// width, page numbers and running titles, no-break spaces, NFD, CRLF). The plan read from a
// variation must equal the plan read from the original.

export interface PageBreak {
  /** Index into the table's data rows; the break comes after that row, or inside it. */
  row: number;
  inside: boolean;
  /** Where inside each cell the cut falls (0..1 of its length, moved to the nearest space). */
  cut: number;
  pageNumber: boolean;
  runningTitle: boolean;
  /** The repeated header has lost its "STT" (as converters often leave it). */
  headerWithoutOrdinal: boolean;
}

export interface Variation {
  breaks: PageBreak[];
  /** Every table row's cells wrapped over several lines at this width; null: not wrapped. */
  wrapWidth: number | null;
  /** Page numbers put on lines of their own between prose lines (0..1 of the way through the text). */
  prosePageNumbers: number[];
  /**
   * Page breaks in the prose after the first chapter heading, inside paragraphs too: a page number
   * ("7" or "- 7 -") and, on every page, a running title (0..1 of the way through the prose lines).
   */
  prosePages: { at: number[]; dashed: boolean; runningTitle: boolean } | null;
  /** Every n-th space becomes a no-break space; 0: none. */
  nbspEvery: number;
  form: 'NFC' | 'NFD';
  crlf: boolean;
}

const RUNNING_TITLE = 'Phụ lục nhiệm vụ kèm theo kế hoạch';
const PROSE_RUNNING_TITLE = 'Kế hoạch cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh';

interface DataRow {
  at: number;
  header: string;
  /** Another table row follows it (a break after the last row is no break inside the table). */
  followed: boolean;
}

/** The data rows of the text's tables (tab-separated lines that are not header rows). */
export function dataRows(text: string): DataRow[] {
  const lines = text.split('\n');
  const rows: DataRow[] = [];
  let header = '';
  lines.forEach((line, at) => {
    if (!line.includes('\t')) return;
    const cells = line.split('\t').map(cleanInline);
    if (cells.every((cell) => cell.length === 0)) return;
    if (isHeaderRow(cells)) {
      header = line;
      return;
    }
    if (rows.length > 0) rows[rows.length - 1].followed = true;
    rows.push({ at, header, followed: false });
  });
  return rows;
}

export function variationOf(rowCount: number): fc.Arbitrary<Variation> {
  const pageBreak = fc.record({
    row: fc.nat({ max: Math.max(0, rowCount - 1) }),
    inside: fc.boolean(),
    cut: fc.double({ min: 0, max: 1, noNaN: true }),
    pageNumber: fc.boolean(),
    runningTitle: fc.boolean(),
    headerWithoutOrdinal: fc.boolean(),
  });
  return fc.record({
    breaks: rowCount === 0 ? fc.constant([]) : fc.array(pageBreak, { maxLength: 6 }),
    wrapWidth: fc.option(fc.integer({ min: 12, max: 90 }), { freq: 3 }),
    prosePageNumbers: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
    prosePages: fc.option(
      fc.record({
        // a running title is on every page: at least two of them
        at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 5 }),
        dashed: fc.boolean(),
        runningTitle: fc.boolean(),
      }),
      { freq: 2 },
    ),
    nbspEvery: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
    form: fc.constantFrom('NFC' as const, 'NFD' as const),
    crlf: fc.boolean(),
  });
}

/** The text as a converter might have produced it under `variation`. */
export function applyVariation(text: string, variation: Variation): string {
  const lines = text.split('\n');
  const rows = dataRows(text);
  const byLine = new Map(rows.map((row, index) => [row.at, { row, index }]));
  const out: string[] = [];
  let page = 1;
  lines.forEach((line, at) => {
    const data = byLine.get(at);
    if (!data) return void out.push(line);
    const breaks = variation.breaks.filter((b) => b.row === data.index);
    const inside = breaks.find((b) => b.inside);
    const pageBreak = (b: PageBreak) => {
      page += 1;
      out.push('');
      if (b.pageNumber) out.push(String(page));
      if (b.runningTitle) out.push(RUNNING_TITLE);
      out.push('');
      const header = data.row.header.split('\t');
      out.push((b.headerWithoutOrdinal ? ['', ...header.slice(1)] : header).join('\t'));
    };
    const cells = line.split('\t');
    if (inside) {
      const [first, rest] = cutRow(cells, inside.cut);
      out.push(...wrapRow(first, variation.wrapWidth));
      pageBreak(inside);
      out.push(...wrapRow(rest, variation.wrapWidth));
    } else {
      out.push(...wrapRow(cells, variation.wrapWidth));
    }
    if (data.row.followed) breaks.filter((b) => !b.inside).forEach(pageBreak);
  });
  // A page number between two prose lines (never inside the table: there it is a page break).
  for (const at of variation.prosePageNumbers) {
    const index = Math.round(at * out.length);
    if (!(out[index - 1] ?? '').includes('\t') && !(out[index] ?? '').includes('\t')) {
      page += 1;
      out.splice(index, 0, '', String(page), '');
    }
  }
  if (variation.prosePages) page = addProsePages(out, variation.prosePages, page);
  let result = out.join('\n');
  if (variation.nbspEvery > 0) {
    let count = 0;
    result = result.replace(/ /g, () => (++count % variation.nbspEvery === 0 ? '\u00a0' : ' '));
  }
  result = result.normalize(variation.form);
  return variation.crlf ? result.replace(/\n/g, '\r\n') : result;
}

// Page breaks between two prose lines after the first chapter heading ("I. …"), wherever they
// fall in a paragraph: the header and title of page 1 come before any break.
function addProsePages(out: string[], pages: NonNullable<Variation['prosePages']>, firstPage: number): number {
  const chapter = out.findIndex((line) => /^\s*I\.\s/u.test(line));
  const slots: number[] = [];
  for (let index = Math.max(chapter + 1, 1); index < out.length; index++) {
    if (!out[index - 1].includes('\t') && !out[index].includes('\t')) slots.push(index);
  }
  if (chapter < 0 || slots.length === 0) return firstPage;
  let page = firstPage;
  const chosen = pages.at.map((at) => slots[Math.min(slots.length - 1, Math.floor(at * slots.length))]);
  // from the end, so that earlier slots keep their place
  for (const index of chosen.sort((a, b) => b - a)) {
    page += 1;
    const furniture = ['', pages.dashed ? `- ${page} -` : String(page), ...(pages.runningTitle ? [PROSE_RUNNING_TITLE] : []), ''];
    out.splice(index, 0, ...furniture);
  }
  return page;
}

// A row cut by a page break: the ordinal stays above; every other cell is cut at a space near
// the same fraction of its text (or not at all), and the rest goes below with an empty ordinal.
function cutRow(cells: string[], fraction: number): [string[], string[]] {
  const first: string[] = [];
  const rest: string[] = [];
  cells.forEach((cell, index) => {
    if (index === 0) {
      first.push(cell);
      rest.push('');
      return;
    }
    const at = nearestSpace(cell, Math.round(cell.length * fraction));
    first.push(at < 0 ? cell : cell.slice(0, at));
    rest.push(at < 0 ? '' : cell.slice(at + 1));
  });
  return [first, rest];
}

function nearestSpace(cell: string, target: number): number {
  for (let distance = 0; distance <= cell.length; distance++) {
    if (cell[target - distance] === ' ') return target - distance;
    if (cell[target + distance] === ' ') return target + distance;
  }
  return -1;
}

// Each cell wrapped at `width` (at spaces), top-aligned: line k holds the k-th piece of every cell.
function wrapRow(cells: string[], width: number | null): string[] {
  if (width === null) return [cells.join('\t')];
  const pieces = cells.map((cell, index) => (index === 0 ? [cell] : wrap(cell, width)));
  const height = Math.max(...pieces.map((p) => p.length));
  const lines: string[] = [];
  for (let k = 0; k < height; k++) lines.push(pieces.map((p) => p[k] ?? '').join('\t'));
  return lines.filter((line) => line.split('\t').some((cell) => cell.trim().length > 0));
}

function wrap(cell: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of cell.split(' ')) {
    if (current.length > 0 && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current.length > 0 ? `${current} ${word}` : word;
  }
  lines.push(current);
  return lines;
}

/** What must not change: the plan's reading, without source lines and warnings (lines move). */
export function planReading(plan: DraftPlan) {
  return {
    header: [plan.number, plan.issuedOn, plan.provinceName, plan.title, plan.resolution, plan.year],
    monitoringAgency: plan.monitoringAgency,
    reportingDeadlines: plan.reportingDeadlines,
    consolidationDeadlines: plan.consolidationDeadlines,
    sections: plan.sections,
    tasks: plan.tasks.map((task) => ({
      ordinal: task.ordinal,
      section: task.section,
      title: task.title,
      lead: task.leadAgencies,
      coordinating: task.coordinatingAgencies,
      timeframe: task.timeframe,
      due: parseTimeframe(task.timeframe, plan.year),
      target: task.target,
      note: task.note,
      fromProse: task.fromProse,
    })),
  };
}
