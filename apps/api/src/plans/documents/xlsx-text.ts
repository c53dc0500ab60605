import ExcelJS from 'exceljs';
import { checkedZip } from './zip-limits';

// The first sheet of a workbook as tab-separated lines, one per row; line breaks inside a cell
// become <br> (the plan parser treats them as line breaks within the cell). The zip is checked
// against ZIP_LIMITS before ExcelJS inflates any of it.
export async function xlsxToPlanText(buffer: Buffer): Promise<string> {
  const checked = await checkedZip(buffer, 'XLSX');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(checked as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return '';
  const lines: string[] = [];
  let inTable = false;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) cells.push(cellText(row.getCell(column)));
    // Title rows above the table are paragraphs; from the header row on, every row is a table row.
    inTable ||= cells.filter(Boolean).length >= 3;
    lines.push(inTable ? cells.join('\t') : cells.filter(Boolean).join(' '));
  });
  return lines.join('\n');
}

function cellText(cell: ExcelJS.Cell): string {
  // a merged range repeats its master's text in every cell it covers: keep it once
  if (cell.isMerged && cell.master.address !== cell.address) return '';
  const value = cell.text ?? '';
  return value.replace(/\t/g, ' ').replace(/\r?\n/g, '<br>').trim();
}
