import { parsePlanText, type DraftPlan } from '@app/plan-import';
import { REAL_PLANS, realPlanText } from '../../../../../test/support/document-fixtures';
import { docxOfBody, paragraphXml, tableXml, type XmlRow } from '../../../../../test/support/docx-xml-fixtures';
import { docxToPlanText } from './docx-text';

// The shared plans (read at test time) written as Word would hold them — each text line a
// paragraph, each run of tab-separated lines a table whose cells keep their paragraphs — read back
// through the DOCX reader: the same tasks as the text. Then with every run of numbered rows that
// share a lead agency, coordinating agencies or a timeframe written once in a cell merged down.

const tasksOf = (plan: DraftPlan) => ({
  sections: plan.sections,
  tasks: plan.tasks.map((t) => ({
    ordinal: t.ordinal,
    section: t.section,
    title: t.title,
    lead: t.leadAgencies.map((a) => a.name),
    coordinating: t.coordinatingAgencies.map((a) => a.name),
    timeframe: t.timeframe,
    target: t.target,
    note: t.note,
    confidence: t.confidence,
  })),
});

const MERGEABLE_HEADER = /chủ trì|phối hợp|thời gian|thời hạn|tiến độ/iu;
const NUMBERED = /^\d+\.?$/u;
// a cell's paragraphs: "<p>a</p><p>b</p>" and "a<br>b" as a converter leaves them
const paragraphsOf = (cell: string): string =>
  cell
    .split(/<\/p>\s*<p>|<br\s*\/?>/iu)
    .map((part) => part.replace(/<\/?p>/giu, ''))
    .join('\n');

function asDocxBody(text: string, merge: boolean): string {
  const parts: string[] = [];
  let table: string[][] = [];
  const flush = () => {
    if (table.length > 0)
      parts.push(tableXml(merge ? merged(table) : table.map((cells) => ({ cells: cells.map((c) => ({ text: paragraphsOf(c) })) }))));
    table = [];
  };
  for (const line of text.replace(/\r\n?/gu, '\n').split('\n')) {
    if (line.includes('\t')) table.push(line.split('\t'));
    else if (line.trim().length > 0) {
      flush();
      parts.push(paragraphXml(line));
    }
  }
  flush();
  return parts.join('');
}

function merged(table: string[][]): XmlRow[] {
  const header = table.findIndex((cells) => cells.filter((c) => MERGEABLE_HEADER.test(c)).length >= 2);
  const columns = header < 0 ? [] : table[header].flatMap((cell, i) => (MERGEABLE_HEADER.test(cell) ? [i] : []));
  return table.map((cells, r) => ({
    cells: cells.map((cell, c) => {
      const above = table[r - 1];
      const numbered = (row: string[] | undefined) => row !== undefined && NUMBERED.test(row[0].trim());
      const mergeable = r > header && header >= 0 && columns.includes(c) && cell.trim().length > 0 && numbered(cells);
      if (mergeable && r - 1 > header && numbered(above) && above[c] === cell) return { text: '', vMerge: 'continue' as const };
      const below = table[r + 1];
      if (mergeable && numbered(below) && below[c] === cell) return { text: paragraphsOf(cell), vMerge: 'restart' as const };
      return { text: paragraphsOf(cell) };
    }),
  }));
}

describe.each(Object.entries(REAL_PLANS))('the shared plan %s as a DOCX', (name, file) => {
  const text = realPlanText(file);
  const expected = tasksOf(parsePlanText(text));

  it('does import to the same tasks as its text', async () => {
    expect(tasksOf(parsePlanText(await docxToPlanText(await docxOfBody(asDocxBody(text, false)))))).toEqual(expected);
  });

  it('does import to the same tasks with shared agencies and timeframes written once in cells merged down', async () => {
    const body = asDocxBody(text, true);
    // the plans with an appendix table have such runs (Lạng Sơn's tasks are prose)
    const continued = body.split('<w:vMerge/>').length - 1;
    expect(continued > 0).toBe(text.includes('\t'));
    expect(tasksOf(parsePlanText(await docxToPlanText(await docxOfBody(body))))).toEqual(expected);
  });
});
