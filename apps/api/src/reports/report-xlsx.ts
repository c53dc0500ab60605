import type { Borders, PageSetup, Workbook, Worksheet } from 'exceljs';
import type { Cell, ConsolidatedReport, ReportTable } from './consolidated-report';

// The consolidated report as a workbook that prints well: A4 landscape, fitted to the page width,
// the header row repeated on every page, text wrapped in fixed column widths.
// ExcelJS is loaded on the first export, not at start-up (it costs memory every instance would carry).

const APPENDIX_WIDTHS = [7, 42, 22, 24, 16, 15, 15, 42, 28, 16];
const TABLE_WIDTHS = [7, 36, 12, 12, 12, 13, 13, 12, 12];
const AMENDMENT_WIDTHS = [7, 14, 20, 18, 18, 22, 24, 42];
const WITHDRAWN_WIDTHS = [7, 42, 22, 16, 16, 48];
const THIN = { style: 'thin' as const };
const BORDER: Partial<Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFD9E1F2' } };
const SECTION_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFF2F2F2' } };

export async function reportXlsx(report: ConsolidatedReport, asOf: Date): Promise<Buffer> {
  const { Workbook } = await import('exceljs');
  const workbook: Workbook = new Workbook();
  // fixed document dates: the same figures give the same file properties
  workbook.creator = 'action-plan-engine';
  workbook.created = asOf;
  workbook.modified = asOf;
  appendixSheet(workbook, report);
  tableSheet(workbook, 'Theo cơ quan chủ trì', report, report.agencies);
  tableSheet(workbook, 'Theo nhóm nhiệm vụ', report, report.sections);
  if (report.withdrawn) tableSheet(workbook, 'Nhiệm vụ đã rút khỏi kế hoạch', report, report.withdrawn, WITHDRAWN_WIDTHS);
  if (report.amendments) tableSheet(workbook, 'Điều chỉnh sau kỳ', report, report.amendments, AMENDMENT_WIDTHS);
  return stampedZip(Buffer.from(await workbook.xlsx.writeBuffer()), asOf);
}

// ExcelJS stamps every zip entry with the time of writing: re-stamped with asOf, the same figures
// give the same bytes whenever the report is run again (a sealed period can be proven later).
async function stampedZip(xlsx: Buffer, asOf: Date): Promise<Buffer> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(xlsx);
  zip.forEach((_path, entry) => {
    entry.date = asOf;
  });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function appendixSheet(workbook: Workbook, report: ConsolidatedReport): void {
  const headerRow = report.heading.length + 2;
  const sheet = workbook.addWorksheet('Phụ lục', sheetOptions(headerRow));
  writeHeading(sheet, report.heading, report.appendixTitle, APPENDIX_WIDTHS.length);
  sheet.columns = APPENDIX_WIDTHS.map((width) => ({ width }));
  writeHeaderRow(sheet, headerRow, report.appendixHeaders);
  for (const group of report.appendix) {
    if (group.heading !== null) {
      const row = sheet.addRow([group.heading]);
      sheet.mergeCells(row.number, 1, row.number, APPENDIX_WIDTHS.length);
      row.font = { bold: true };
      styleRow(row.number, sheet, APPENDIX_WIDTHS.length, SECTION_FILL);
    }
    for (const cells of group.rows) styleRow(sheet.addRow(cells).number, sheet, APPENDIX_WIDTHS.length);
  }
}

function tableSheet(workbook: Workbook, name: string, report: ConsolidatedReport, table: ReportTable, widths = TABLE_WIDTHS): void {
  const headerRow = report.heading.length + 2;
  const sheet = workbook.addWorksheet(name, sheetOptions(headerRow));
  writeHeading(sheet, report.heading, table.title, widths.length);
  sheet.columns = widths.map((width) => ({ width }));
  writeHeaderRow(sheet, headerRow, table.headers);
  for (const cells of table.rows) styleRow(sheet.addRow(cells).number, sheet, widths.length, undefined, true);
  const total = sheet.addRow(table.total);
  total.font = { bold: true };
  styleRow(total.number, sheet, widths.length, undefined, true);
}

function sheetOptions(headerRow: number): { pageSetup: Partial<PageSetup>; views: { state: 'frozen'; ySplit: number }[] } {
  return {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0, // as many pages down as it takes
      printTitlesRow: `${headerRow}:${headerRow}`,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    views: [{ state: 'frozen', ySplit: headerRow }],
  };
}

// Title lines, then the table's own title, each merged across the table's width.
function writeHeading(sheet: Worksheet, heading: string[], title: string, columns: number): void {
  [...heading, title].forEach((text, i) => {
    const row = sheet.getRow(i + 1);
    row.getCell(1).value = text;
    row.font = { bold: i <= 1 || i === heading.length };
    sheet.mergeCells(i + 1, 1, i + 1, columns);
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    row.height = Math.max(18, Math.ceil(text.length / 150) * 16);
  });
  sheet.headerFooter.oddFooter = '&CTrang &P/&N';
}

function writeHeaderRow(sheet: Worksheet, rowNumber: number, headers: readonly string[]): void {
  const row = sheet.getRow(rowNumber);
  headers.forEach((header, i) => (row.getCell(i + 1).value = header));
  row.font = { bold: true };
  styleRow(rowNumber, sheet, headers.length, HEADER_FILL);
  row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
}

function styleRow(rowNumber: number, sheet: Worksheet, columns: number, fill?: typeof HEADER_FILL, numbers = false): void {
  const row = sheet.getRow(rowNumber);
  for (let column = 1; column <= columns; column += 1) {
    const cell = row.getCell(column);
    cell.border = BORDER;
    cell.alignment = { vertical: 'top', wrapText: true, horizontal: numbers && column > 2 ? 'center' : undefined };
    if (fill) cell.fill = fill;
    if (typeof (cell.value as Cell) === 'number' && !Number.isInteger(cell.value)) cell.numFmt = '0.0#';
  }
}
