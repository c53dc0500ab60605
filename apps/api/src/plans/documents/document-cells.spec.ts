import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import { parsePlanText, PlanImportError, type DraftPlan } from '@app/plan-import';
import {
  APPENDIX_HEADER,
  inventedPlan,
  isSection,
  planText,
  type AppendixRow,
  type InventedPlan,
  type TaskRow,
} from '../../../../../test/support/document-fixtures';
import {
  appendixXmlRows,
  docxOfBody,
  headerRowXml,
  escapeXml,
  paragraphXml,
  planBodyXml,
  planDocxXml,
  tableXml,
  W,
  type XmlCell,
  type XmlRow,
} from '../../../../../test/support/docx-xml-fixtures';
import { docxToPlanText, MAX_TABLE_COLUMNS } from './docx-text';
import { xlsxToPlanText } from './xlsx-text';

// What Word and Excel keep only in the cells: a header row marked to repeat on every page, a value
// written once for several rows (a vertical merge), a cell spanning grid columns. Each document is
// compared with the same plan as plain text with every cell written out.

const tasksOf = (plan: DraftPlan) => ({
  sections: plan.sections,
  tasks: plan.tasks.map((t) => ({
    ordinal: t.ordinal,
    section: t.section,
    title: t.title,
    lead: t.leadAgencies.map((a) => a.name),
    coordinating: t.coordinatingAgencies.map((a) => a.name),
    timeframe: t.timeframe,
    note: t.note,
  })),
});
const fromText = (plan: InventedPlan) => tasksOf(parsePlanText(planText(plan)));
const fromDocx = async (docx: Buffer) => tasksOf(parsePlanText(await docxToPlanText(docx)));
const fromXlsx = async (xlsx: Buffer) => tasksOf(parsePlanText(await xlsxToPlanText(xlsx)));

const COLUMN = { ordinal: 0, title: 1, lead: 2, coordinating: 3, timeframe: 4, note: 5 } as const;
const cellsOf = (row: TaskRow): string[] => [
  row.ordinal,
  row.title,
  row.lead.join('\n'),
  row.coordinating.join('\n'),
  row.timeframe,
  row.note ?? '',
];

// Three tasks sharing their lead agency and timeframe, which the document writes once.
const year = 2030;
const shared = inventedPlan({
  rows: [
    { section: 'I', title: 'Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính' },
    ...[1, 2, 3].map((n) => ({
      ordinal: String(n),
      title: `Rà soát thủ tục thử nghiệm số ${n}`,
      lead: ['Sở Tư pháp'],
      coordinating: n === 2 ? ['Sở Tài chính'] : ['Sở Nội vụ'],
      timeframe: `Quý II năm ${year}`,
    })),
    { section: 'II', title: 'Nhóm nhiệm vụ thử nghiệm về đầu tư' },
    {
      ordinal: '4',
      title: 'Công khai quy hoạch thử nghiệm',
      lead: ['Sở Xây dựng'],
      coordinating: ['Sở Nội vụ'],
      timeframe: 'Thường xuyên',
    },
  ],
});
const plan1 = inventedPlan();
const sharedTasks = shared.rows.filter((row): row is TaskRow => !isSection(row));

/** Appendix rows of `shared` with the lead and timeframe of tasks 1–3 merged down from task 1. */
function mergedDownRows(): XmlRow[] {
  return appendixXmlRows(shared).map((row, index) => {
    if (index < 1 || index > 3) return row;
    const cells: XmlCell[] = row.cells.map((cell, column) =>
      column === COLUMN.lead || column === COLUMN.timeframe ? { ...cell, vMerge: index === 1 ? 'restart' : 'continue' } : cell,
    );
    return { cells };
  });
}

describe('DOCX cells', () => {
  it('does give a lead agency and a timeframe merged down over three numbered rows to each of them (w:vMerge)', async () => {
    const tasks = await fromDocx(await planDocxXml(shared, mergedDownRows()));
    expect(tasks).toEqual(fromText(shared));
    expect(tasks.tasks.map((t) => [t.ordinal, t.lead, t.timeframe])).toEqual([
      ['1', ['Sở Tư pháp'], `Quý II năm ${year}`],
      ['2', ['Sở Tư pháp'], `Quý II năm ${year}`],
      ['3', ['Sở Tư pháp'], `Quý II năm ${year}`],
      ['4', ['Sở Xây dựng'], 'Thường xuyên'],
    ]);
  });

  it('does not copy a merged-down cell into the title or note column, nor into an unnumbered row', async () => {
    const text = await docxToPlanText(
      await docxOfBody(
        tableXml([
          headerRowXml(),
          {
            cells: cellsOf(sharedTasks[0]).map((text, c) => ({
              text,
              vMerge: c === COLUMN.title || c === COLUMN.note || c === COLUMN.lead ? 'restart' : undefined,
            })),
          },
          {
            cells: cellsOf(sharedTasks[1]).map((text, c) => ({
              text,
              vMerge: c === COLUMN.title || c === COLUMN.note || c === COLUMN.lead ? 'continue' : undefined,
            })),
          },
          {
            cells: ['', 'phần tiếp theo', '', '', '', ''].map((text, c) => ({ text, vMerge: c === COLUMN.lead ? 'continue' : undefined })),
          },
        ]),
      ),
    );
    expect(text.split('\n').slice(1)).toEqual([
      cellsOf(sharedTasks[0]).join('\t'),
      ['2', '', 'Sở Tư pháp', 'Sở Tài chính', `Quý II năm ${year}`, ''].join('\t'),
      ['', 'phần tiếp theo', '', '', '', ''].join('\t'),
    ]);
  });

  it('does drop a two-row header marked as repeating (w:tblHeader) where Word repeats it, also when its rows do not name columns', async () => {
    // the second header row numbers the columns, "(1)" … "(6)": no header words, only the mark says it is a header
    const numbers: XmlRow = { cells: APPENDIX_HEADER.map((_, i) => ({ text: `(${i + 1})` })), header: true };
    const rows = appendixXmlRows(shared);
    const repeated = [headerRowXml(true), numbers];
    const docx = await planDocxXml(shared, [rows[0], rows[1], ...repeated, rows[2], rows[3], ...repeated, ...rows.slice(4)], repeated);
    expect(await docxToPlanText(docx)).not.toContain('(2)');
    expect(await fromDocx(docx)).toEqual(fromText(shared));
    // w:val="0" (or "false", "off") turns the mark off: the numbering row is then a row like any other
    const body = planBodyXml(shared, rows, [headerRowXml(true), numbers]);
    const marked =
      '<w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:tcW w:w="1500" w:type="dxa"/></w:tcPr><w:p><w:r><w:t xml:space="preserve">(1)';
    expect(body).toContain(marked);
    expect(await docxToPlanText(await docxOfBody(body))).not.toContain('(1)\t(2)');
    const off = await docxOfBody(body.replace(marked, marked.replace('<w:tblHeader/>', '<w:tblHeader w:val="off"/>')));
    expect(await docxToPlanText(off)).toContain('(1)\t(2)');
  });

  it('does join a task row cut across a page break, its continuation after the repeated header (marked) and starting one grid column in (w:gridBefore)', async () => {
    const [section, , ...rest] = appendixXmlRows(shared);
    const task = sharedTasks[0];
    const top: XmlRow = { cells: cellsOf({ ...task, title: 'Rà soát thủ tục', timeframe: 'Quý II' }).map((text) => ({ text })) };
    // the continuation has no ordinal cell at all: the row starts at the second grid column
    const continuation: XmlRow = {
      gridBefore: 1,
      cells: ['thử nghiệm số 1', '', '', `năm ${year}`, ''].map((text) => ({ text })),
    };
    const docx = await planDocxXml(shared, [section, top, headerRowXml(true), continuation, ...rest]);
    expect(await fromDocx(docx)).toEqual(fromText(shared));
  });

  it('does keep cells on the table grid when a header and its rows span two grid columns (w:gridSpan)', async () => {
    const spanTitle = (row: XmlRow): XmlRow => ({
      ...row,
      cells: row.cells.map((cell, c) => (c === COLUMN.title ? { ...cell, span: 2 } : cell)),
    });
    const sections = appendixXmlRows(shared).map((row) =>
      row.cells.length === 1 ? { cells: [{ ...row.cells[0], span: 7 }] } : spanTitle(row),
    );
    const docx = await planDocxXml(shared, sections, [spanTitle(headerRowXml(true))]);
    expect(await fromDocx(docx)).toEqual(fromText(shared));
  });

  it('does read a header whose agency cell spans "Chủ trì" and "Phối hợp" in the row below', async () => {
    const header: XmlRow = {
      cells: [
        { text: 'STT', vMerge: 'restart' },
        { text: 'Nhiệm vụ', vMerge: 'restart' },
        { text: 'Cơ quan thực hiện', span: 2 },
        { text: 'Thời gian thực hiện', vMerge: 'restart' },
        { text: 'Ghi chú', vMerge: 'restart' },
      ],
    };
    const below: XmlRow = {
      cells: [
        { text: '', vMerge: 'continue' },
        { text: '', vMerge: 'continue' },
        { text: 'Chủ trì' },
        { text: 'Phối hợp' },
        { text: '', vMerge: 'continue' },
        { text: '', vMerge: 'continue' },
      ],
    };
    const docx = await planDocxXml(shared, appendixXmlRows(shared), [header, below]);
    expect(await fromDocx(docx)).toEqual(fromText(shared));
  });

  it('does keep paragraphs, list items and tables of a body as the plan text had them', async () => {
    const numbering =
      '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>chưa đánh số</w:t></w:r></w:p>';
    const box = (text: string) => `<w:txbxContent>${paragraphXml(text)}</w:txbxContent>`;
    const textBox = `<w:p><w:r><w:t>neo</w:t><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>${box('hộp chữ')}</w:drawing></mc:Choice><mc:Fallback><w:pict>${box('hộp chữ')}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`;
    const text = await docxToPlanText(
      await docxOfBody(
        `${textBox}${paragraphXml('Đoạn  một\tcó tab')}<w:p><w:r><w:t>dòng</w:t><w:br/><w:t>ngắt</w:t></w:r><w:r><w:delText>đã xóa</w:delText></w:r></w:p>` +
          `<w:p/>${numbering}${numbering.replace('7', '3').replace('chưa đánh số', 'mục')}${tableXml([{ cells: [{ text: 'a' }, { text: 'b\nc' }] }]).replace('<w:t xml:space="preserve">a</w:t>', '<w:t>a</w:t><w:br/><w:t>d</w:t>')}`,
        'DEFLATE',
        { 'word/numbering.xml': `<w:numbering xmlns:w="${W}"><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>` },
      ),
    );
    // a numbering that numbering.xml defines is a list item, one it does not define is none (as mammoth read them)
    expect(text).toBe('hộp chữ\nneo\nĐoạn một có tab\ndòng ngắt\nchưa đánh số\n- mục\na<br>d\t<p>b</p><p>c</p>');
  });

  it('does read agency names a cell separates with line breaks (Shift+Enter) as separate agencies', async () => {
    // task 1's coordinating cell holds two paragraphs; here one paragraph with a line break
    const twoParagraphs = `${escapeXml('Sở Nội vụ')}</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">${escapeXml('Sở Tài chính')}`;
    const body = planBodyXml(plan1).replace(twoParagraphs, 'Sở Nội vụ</w:t><w:br/><w:t>Sở Tài chính');
    expect(body).not.toBe(planBodyXml(plan1));
    const tasks = await fromDocx(await docxOfBody(body));
    expect(tasks.tasks[0].coordinating).toEqual(['Sở Nội vụ', 'Sở Tài chính']);
    expect(tasks).toEqual(fromText(plan1));
  });

  it('does refuse a broken XML part and a table row wider than any appendix, naming what is wrong', async () => {
    const broken = await docxOfBody('<w:p><w:r><w:t>x</w:t></w:r>');
    await expect(docxToPlanText(broken)).rejects.toThrow(/not a readable DOCX file: its XML is broken/);
    // an entity of the document's own DTD is not expanded (no "billion laughs"): the XML is refused
    const entities = await docxWithDtd();
    await expect(docxToPlanText(entities)).rejects.toThrow(/its XML is broken \(.*undefined entity/);
    const wide = await docxOfBody(`<w:tbl><w:tr>${'<w:tc/>'.repeat(MAX_TABLE_COLUMNS + 1)}</w:tr></w:tbl>`);
    await expect(docxToPlanText(wide)).rejects.toThrow(
      new PlanImportError(
        `This DOCX file is refused: a table row has more than ${MAX_TABLE_COLUMNS} columns; a plan's appendix has about ten.`,
      ),
    );
  });
});

async function docxWithDtd(): Promise<Buffer> {
  const docx = await JSZip.loadAsync(await docxOfBody(''));
  const lol = `<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>`;
  docx.file(
    'word/document.xml',
    `<?xml version="1.0"?>${lol}<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>`,
  );
  return docx.generateAsync({ type: 'nodebuffer' });
}

/** The invented plan as an .xlsx; `merge` lists vertical merges [column, first row index, last row index] over plan.rows. */
async function planXlsxMerged(
  plan: InventedPlan,
  merges: readonly [number, number, number][],
  headersBefore: ReadonlySet<number> = new Set(),
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Phụ lục');
  sheet.addRow(['PHỤ LỤC']);
  sheet.addRow([`(Ban hành kèm theo Kế hoạch số ${plan.number} ngày 15/01/${plan.year} của UBND tỉnh ${plan.province.name})`]);
  sheet.addRow(APPENDIX_HEADER);
  const sheetRow: number[] = [];
  plan.rows.forEach((row, index) => {
    if (headersBefore.has(index)) sheet.addRow(APPENDIX_HEADER);
    if (isSection(row)) {
      const added = sheet.addRow([`${row.section}. ${row.title}`]);
      sheet.mergeCells(added.number, 1, added.number, APPENDIX_HEADER.length);
    } else {
      const cells = cellsOf(row);
      const added = sheet.addRow(
        cells.map((cell, column) => (merges.some(([c, from, to]) => c === column && index > from && index <= to) ? null : cell)),
      );
      added.eachCell((cell) => (cell.alignment = { wrapText: true }));
    }
    sheetRow[index] = sheet.lastRow?.number ?? 0;
  });
  for (const [column, from, to] of merges) sheet.mergeCells(sheetRow[from], column + 1, sheetRow[to], column + 1);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('XLSX merged cells', () => {
  it('does give a merged-down lead agency and timeframe to each numbered row they cover, as a DOCX vertical merge', async () => {
    const xlsx = await planXlsxMerged(shared, [
      [COLUMN.lead, 1, 3],
      [COLUMN.timeframe, 1, 3],
    ]);
    const tasks = await fromXlsx(xlsx);
    expect(tasks).toEqual(fromText(shared));
    expect(tasks.tasks.map((t) => t.lead)).toEqual([['Sở Tư pháp'], ['Sở Tư pháp'], ['Sở Tư pháp'], ['Sở Xây dựng']]);
  });
});

// --- the same plan, however its cells are merged and its header repeated ---------------------------

const SEED = 20261203;
const RUNS = 100;
const LEADS = [['Sở Tư pháp'], ['Sở Nội vụ'], ['Sở Công Thương', 'Sở Xây dựng']];
const COORDINATING = [['Sở Tài chính'], ['Văn phòng UBND tỉnh', 'Cục Thuế tỉnh']];
const TIMEFRAMES = ['Thường xuyên', `Năm ${year}`, `Quý II năm ${year}`];
const ROMAN = ['I', 'II', 'III', 'IV'];

interface Layout {
  plan: InventedPlan;
  /** Per appendix row: a repeated header before it. */
  headerBefore: boolean[];
  /** Per appendix row and merged column: continue the cell above when it holds the same value. */
  mergeUp: boolean[][];
}

const layouts: fc.Arbitrary<Layout> = fc
  .array(
    fc.record({
      newSection: fc.boolean(),
      lead: fc.nat(LEADS.length - 1),
      coordinating: fc.nat(COORDINATING.length - 1),
      timeframe: fc.nat(TIMEFRAMES.length - 1),
    }),
    { minLength: 2, maxLength: 10 },
  )
  .chain((picks) => {
    const rows: AppendixRow[] = [];
    let sections = 0;
    picks.forEach((pick, n) => {
      if ((n === 0 || pick.newSection) && sections < ROMAN.length) {
        rows.push({ section: ROMAN[sections], title: `Nhóm nhiệm vụ thử nghiệm thứ ${sections + 1}` });
        sections++;
      }
      rows.push({
        ordinal: String(n + 1),
        title: `Thực hiện nhiệm vụ thử nghiệm số ${n + 1}`,
        lead: LEADS[pick.lead],
        coordinating: COORDINATING[pick.coordinating],
        timeframe: TIMEFRAMES[pick.timeframe],
      });
    });
    return fc.record({
      plan: fc.constant(inventedPlan({ rows })),
      headerBefore: fc.array(fc.boolean(), { minLength: rows.length, maxLength: rows.length }),
      mergeUp: fc.array(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), { minLength: rows.length, maxLength: rows.length }),
    });
  });

const MERGED_COLUMNS = [COLUMN.lead, COLUMN.coordinating, COLUMN.timeframe] as const;

/** Runs [column, from, to] of task rows merged down, never across a section or a repeated header. */
function mergeRuns({ plan, headerBefore, mergeUp }: Layout): [number, number, number][] {
  const runs: [number, number, number][] = [];
  MERGED_COLUMNS.forEach((column, k) => {
    let from = -1;
    plan.rows.forEach((row, index) => {
      const previous = plan.rows[index - 1];
      const joins =
        from >= 0 &&
        !isSection(row) &&
        previous !== undefined &&
        !isSection(previous) &&
        !headerBefore[index] &&
        mergeUp[index][k] &&
        cellsOf(row)[column] === cellsOf(previous)[column];
      if (joins) {
        runs[runs.length - 1][2] = index;
        return;
      }
      from = isSection(row) ? -1 : index;
      if (from >= 0) runs.push([column, index, index]);
    });
  });
  return runs.filter(([, from, to]) => to > from);
}

function layoutXmlRows(layout: Layout): XmlRow[] {
  const runs = mergeRuns(layout);
  const xmlRows: XmlRow[] = [];
  appendixXmlRows(layout.plan).forEach((row, index) => {
    if (layout.headerBefore[index]) xmlRows.push(headerRowXml(true));
    const cells = row.cells.map((cell, column): XmlCell => {
      const run = runs.find(([c, from, to]) => c === column && index >= from && index <= to);
      if (!run) return cell;
      return { ...cell, vMerge: index === run[1] ? 'restart' : 'continue' };
    });
    xmlRows.push({ cells });
  });
  return xmlRows;
}

describe('one plan, any merges and repeated headers (metamorphic, fast-check)', () => {
  it(`does import a DOCX to the same tasks whatever cells are merged down and wherever the marked header repeats (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(layouts, async (layout) => {
        expect(await fromDocx(await planDocxXml(layout.plan, layoutXmlRows(layout)))).toEqual(fromText(layout.plan));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`does import an XLSX to the same tasks whatever ranges are merged down and wherever the header repeats (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(layouts, async (layout) => {
        const headers = new Set(layout.headerBefore.flatMap((before, index) => (before ? [index] : [])));
        expect(await fromXlsx(await planXlsxMerged(layout.plan, mergeRuns(layout), headers))).toEqual(fromText(layout.plan));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// --- hostile documents: ~1 MB, stored uncompressed so that no ratio check refuses them first --------

const outcome = async (docx: Buffer): Promise<{ ms: number; result: string }> => {
  const started = performance.now();
  const result = await docxToPlanText(docx)
    .then((text) => {
      const plan = parsePlanText(text);
      return `imported ${plan.tasks.length} tasks`;
    })
    .catch((error: unknown) => {
      if (error instanceof PlanImportError) return `refused: ${error.message}`;
      throw error;
    });
  return { ms: performance.now() - started, result };
};

describe('hostile DOCX (1 MB)', () => {
  const MB = 1024 * 1024;
  const LIMIT_MS = 2000;
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    [
      'tables nested 25,000 deep',
      () => docxOfBody(`${'<w:tbl><w:tr><w:tc>'.repeat(25_000)}${paragraphXml('x')}${'</w:tc></w:tr></w:tbl>'.repeat(25_000)}`, 'STORE'),
      /^refused: No tasks found/,
    ],
    [
      'one cell of 110,000 words',
      () =>
        docxOfBody(
          tableXml([headerRowXml(), { cells: [{ text: '1' }, { text: Array.from({ length: 110_000 }, (_, i) => `từ${i}`).join(' ') }] }]),
          'STORE',
        ),
      /^refused: No tasks found|^imported 1 tasks$/,
    ],
    [
      '3,200 numbered task rows',
      () => {
        const cellOf = (text: string) => `<w:tc><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:tc>`;
        const rowOf = (n: number) => `<w:tr>${[String(n), 'Việc', 'Sở Tư pháp', '', 'Năm 2030', ''].map(cellOf).join('')}</w:tr>`;
        return docxOfBody(
          `<w:tbl>${tableXml([headerRowXml()]).slice(7, -8)}${Array.from({ length: 3_200 }, (_, i) => rowOf(i + 1)).join('')}</w:tbl>`,
          'STORE',
        );
      },
      /^refused: The document has more than 1000 tasks/,
    ],
    [
      '2,200 rows of 60 empty cells',
      () => docxOfBody(`<w:tbl>${'<w:tr>'.concat('<w:tc/>'.repeat(60), '</w:tr>').repeat(2_200)}</w:tbl>`, 'STORE'),
      /^refused: The plan text is empty/,
    ],
    [
      'one row of 140,000 empty cells',
      () => docxOfBody(`<w:tbl><w:tr>${'<w:tc/>'.repeat(140_000)}</w:tr></w:tbl>`, 'STORE'),
      /^refused: This DOCX file is refused: a table row has more than 64 columns/,
    ],
  ];
  it.each(cases)('does refuse or import %s within 2 s, saying which', async (_name, build, expected) => {
    const docx = await build();
    expect(docx.length).toBeGreaterThan(0.9 * MB);
    expect(docx.length).toBeLessThan(1.2 * MB);
    const { ms, result } = await outcome(docx);
    expect(result).toMatch(expected);
    expect(ms).toBeLessThan(LIMIT_MS);
  });
});
