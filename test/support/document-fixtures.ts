import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';

// Plan documents for the import tests: the three real plans, read from the shared folder at test
// time (never copied into the repository), and invented plans in the same shape as plain text,
// .docx and .xlsx, for provinces that exist only in one test run.

export const REAL_PLANS_DIR = resolve(__dirname, '../../../shared/plans');
export const REAL_PLANS = {
  socTrang: 'soc-trang-2022-kh13.txt',
  kienGiang: 'kien-giang-2021-kh31.txt',
  langSon: 'lang-son-2021.txt',
} as const;

export function realPlanText(file: (typeof REAL_PLANS)[keyof typeof REAL_PLANS]): string {
  return readFileSync(resolve(REAL_PLANS_DIR, file), 'utf8');
}

// A province that no other test file writes into, whose name the importer can read back from the
// document: letters only (the header's "<Province>, ngày …" line takes no digits), so
// slug(name) === code.
export function inventedProvince(prefix = 'Thử Nghiệm'): { code: string; name: string } {
  const letters = 'bcdfghklmnpqrstvxz';
  const word = Array.from({ length: 8 }, () => letters[randomInt(letters.length)]).join('');
  const name = `${prefix} ${word[0].toUpperCase()}${word.slice(1)}`;
  return { code: slug(name), name };
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/gu, 'd')
    .replace(/Đ/gu, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '');
}

export const uniquePlanNumber = (): string => `${randomInt(100, 1000)}/KH-UBND`;

export interface SectionRow {
  section: string; // roman numeral
  title: string;
}

export interface TaskRow {
  ordinal: string;
  title: string;
  lead: string[]; // several names: one per line of the cell
  coordinating: string[];
  timeframe: string;
  note?: string;
}

export type AppendixRow = SectionRow | TaskRow;

export const isSection = (row: AppendixRow): row is SectionRow => 'section' in row;

export const APPENDIX_HEADER = ['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện', 'Ghi chú'];

export interface InventedPlan {
  province: { code: string; name: string };
  number: string;
  issuedOn: string; // YYYY-MM-DD
  year: number;
  rows: AppendixRow[];
  /** false: the implementation chapter sets no reporting deadline (and no focal point). */
  withDeadlines?: boolean;
  /** Extra words in the objectives chapter: two documents with the same number and date but different text. */
  variant?: string;
}

// The invented plan most tests use: one section, a task with two coordinating agencies, a recurring
// task, and a task whose lead cell names two agencies (it becomes a parent with one child per lead).
export function inventedPlan(overrides: Partial<InventedPlan> = {}): InventedPlan {
  const year = overrides.year ?? 2030;
  return {
    province: inventedProvince(),
    number: uniquePlanNumber(),
    issuedOn: `${year}-01-15`,
    year,
    rows: [
      { section: 'I', title: 'Nhóm nhiệm vụ thử nghiệm về thủ tục hành chính' },
      {
        ordinal: '1',
        title: 'Rà soát thủ tục thử nghiệm thứ nhất',
        lead: ['Sở Tư pháp'],
        coordinating: ['Sở Nội vụ', 'Sở Tài chính'],
        timeframe: `Quý II năm ${year}`,
      },
      {
        ordinal: '2',
        title: 'Vận hành hệ thống thử nghiệm thứ hai',
        lead: ['Sở Thông tin và Truyền thông'],
        coordinating: ['Văn phòng UBND tỉnh'],
        timeframe: 'Thường xuyên',
      },
      {
        ordinal: '3',
        title: 'Tổng kết mô hình thử nghiệm thứ ba',
        lead: ['Sở Công Thương', 'Sở Xây dựng'],
        coordinating: ['Cục Thuế tỉnh'],
        timeframe: `Năm ${year}`,
        note: 'Ghi chú thử nghiệm',
      },
    ],
    withDeadlines: true,
    ...overrides,
  };
}

const [dayOf, monthOf] = [(date: string) => date.slice(8, 10), (date: string) => date.slice(5, 7)];
const slashDate = (date: string) => `${dayOf(date)}/${monthOf(date)}/${date.slice(0, 4)}`;

function title(plan: InventedPlan): string {
  return `Thực hiện Nghị quyết số 02/NQ-CP ngày 08/01/${plan.year} của Chính phủ về cải thiện môi trường kinh doanh năm ${plan.year} trên địa bàn tỉnh ${plan.province.name}`;
}

/** The paragraphs before the appendix: number, place and date, title, chapters, recipients. */
export function headerParagraphs(plan: InventedPlan): string[] {
  const { issuedOn } = plan;
  const implementation =
    plan.withDeadlines === false
      ? ['1. Các sở, ban, ngành tỉnh tổ chức thực hiện các nhiệm vụ được giao tại Phụ lục kèm theo.']
      : [
          `1. Các sở, ban, ngành tỉnh thực hiện chế độ báo cáo định kỳ, trước ngày 15 tháng 6 và 15 tháng 12 hằng năm gửi Sở Kế hoạch và Đầu tư.`,
          `2. Sở Kế hoạch và Đầu tư làm đầu mối theo dõi, tổng hợp tình hình thực hiện Kế hoạch này, báo cáo Ủy ban nhân dân tỉnh trước ngày 20 tháng 6 và 20 tháng 12 hằng năm.`,
        ];
  return [
    `Số: ${plan.number}`,
    `${plan.province.name}, ngày ${dayOf(issuedOn)} tháng ${monthOf(issuedOn)} năm ${issuedOn.slice(0, 4)}`,
    'KẾ HOẠCH',
    title(plan),
    'I. MỤC TIÊU',
    `Nâng cao chất lượng phục vụ người dân và doanh nghiệp trong năm ${plan.year}.${plan.variant ? ` ${plan.variant}` : ''}`,
    'II. NHIỆM VỤ, GIẢI PHÁP',
    'Các nhiệm vụ cụ thể được phân công tại Phụ lục kèm theo.',
    'III. TỔ CHỨC THỰC HIỆN',
    ...implementation,
    'Nơi nhận:',
    '- Như trên;',
    '- Lưu: VT.',
    'PHỤ LỤC',
    `(Ban hành kèm theo Kế hoạch số ${plan.number} ngày ${slashDate(issuedOn)} của UBND tỉnh ${plan.province.name})`,
  ];
}

/** The cells of each appendix row; a cell naming several agencies has one name per line. */
export function appendixCells(plan: InventedPlan): string[][] {
  return [
    APPENDIX_HEADER,
    ...plan.rows.map((row) =>
      isSection(row)
        ? [`${row.section}. ${row.title}`, '', '', '', '', '']
        : [row.ordinal, row.title, row.lead.join('\n'), row.coordinating.join('\n'), row.timeframe, row.note ?? ''],
    ),
  ];
}

/** PLAN_TEXT as converters leave it: paragraphs on their own lines, table rows tab-separated, line breaks in cells as <br>. */
export function planText(plan: InventedPlan): string {
  const table = appendixCells(plan).map((cells) => cells.map((cell) => cell.replace(/\n/g, '<br>')).join('\t'));
  return `${headerParagraphs(plan).join('\n\n')}\n\n${table.join('\n')}\n`;
}

/**
 * A .docx: the header paragraphs, then the appendix as a real table (a multi-name cell holds one
 * paragraph per name). mergedSectionRows: a section row is one cell spanning the whole table, as
 * Word users usually make it.
 */
export async function planDocx(plan: InventedPlan, options: { mergedSectionRows?: boolean } = {}): Promise<Buffer> {
  const paragraphs = headerParagraphs(plan).map((text) => new Paragraph({ children: [new TextRun(text)] }));
  const cellOf = (text: string, columnSpan?: number) =>
    new TableCell({
      width: { size: 1500 * (columnSpan ?? 1), type: WidthType.DXA },
      ...(columnSpan ? { columnSpan } : {}),
      children: (text === '' ? [''] : text.split('\n')).map((line) => new Paragraph({ children: [new TextRun(line)] })),
    });
  const rows = appendixCells(plan).map((cells) => {
    const sectionRow = cells.slice(1).every((cell) => cell === '');
    if (options.mergedSectionRows && sectionRow) return new TableRow({ children: [cellOf(cells[0], cells.length)] });
    return new TableRow({ children: cells.map((cell) => cellOf(cell)) });
  });
  const document = new Document({ sections: [{ children: [...paragraphs, new Table({ rows })] }] });
  return Packer.toBuffer(document);
}

/**
 * An .xlsx whose first sheet holds title rows, then the appendix table (multi-name cells with line
 * breaks); a second sheet is noise. mergedSectionRows: a section row is merged across the table
 * (and the title rows too), as spreadsheet users usually make them.
 */
export async function planXlsx(plan: InventedPlan, options: { mergedSectionRows?: boolean } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Phụ lục');
  const width = APPENDIX_HEADER.length;
  const merged = (row: ExcelJS.Row) => {
    if (options.mergedSectionRows) sheet.mergeCells(row.number, 1, row.number, width);
  };
  merged(sheet.addRow(['PHỤ LỤC']));
  merged(sheet.addRow([`PHÂN CÔNG NHIỆM VỤ THỰC HIỆN KẾ HOẠCH NĂM ${plan.year}`]));
  merged(
    sheet.addRow([`(Ban hành kèm theo Kế hoạch số ${plan.number} ngày ${slashDate(plan.issuedOn)} của UBND tỉnh ${plan.province.name})`]),
  );
  sheet.addRow([]);
  for (const cells of appendixCells(plan)) {
    const sectionRow = cells.slice(1).every((cell) => cell === '');
    const row = sheet.addRow(options.mergedSectionRows && sectionRow ? [cells[0]] : cells);
    if (sectionRow) merged(row);
    row.eachCell((cell) => (cell.alignment = { wrapText: true }));
  }
  const other = workbook.addWorksheet('Ghi chú');
  other.addRow(['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện']);
  other.addRow(['1', 'Không phải nhiệm vụ của kế hoạch', 'Sở Y tế', '', 'Năm 2030']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Bytes that are no document at all. */
export const randomBase64 = (bytes = 4096): string => randomBytes(bytes).toString('base64');
