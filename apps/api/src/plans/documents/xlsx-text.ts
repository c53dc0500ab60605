import ExcelJS from 'exceljs';
import { documentText, type SourceBlock, type SourceRow } from '@app/plan-import';
import { checkedZip } from './zip-limits';

// The first sheet of a workbook read cell by cell: title rows above the table are paragraphs, from
// the header row on every row is a table row; line breaks inside a cell become <br> (the plan parser
// treats them as line breaks within the cell). A merged range has its text in its top-left cell:
// the cells to its right are empty, the cells below continue it — the plan-import library's
// documentText gives that value to each numbered task row it covers in the agency, timeframe and
// target columns, as for a Word cell merged down. The zip is checked against ZIP_LIMITS before
// ExcelJS inflates any of it.
export async function xlsxToPlanText(buffer: Buffer): Promise<string> {
  const checked = await checkedZip(buffer, 'XLSX');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(checked as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return '';
  const blocks: SourceBlock[] = [];
  const table: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: ExcelJS.Cell[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) cells.push(row.getCell(column));
    // Title rows above the table are paragraphs; from the header row on, every row is a table row.
    if (table.length === 0 && cells.map(ownText).filter(Boolean).length < 3) {
      blocks.push({ kind: 'paragraph', text: cells.map(ownText).filter(Boolean).join(' ') });
      return;
    }
    table.push({
      header: false,
      cells: cells.map((cell) => ({ text: ownText(cell), span: 1, continuesAbove: continuesAbove(cell) })),
    });
  });
  if (table.length > 0) blocks.push({ kind: 'table', rows: table });
  return documentText(blocks);
}

// A merged range repeats its master's text in every cell it covers: only the master has it.
function ownText(cell: ExcelJS.Cell): string {
  if (cell.isMerged && cell.master.address !== cell.address) return '';
  const value = cell.text ?? '';
  return value.replace(/\t/g, ' ').replace(/\r?\n/g, '<br>').trim();
}

// Below the master of a merged range, in its column: the merged value continues down.
function continuesAbove(cell: ExcelJS.Cell): boolean {
  if (!cell.isMerged) return false;
  const master = cell.master;
  return master.address !== cell.address && Number(master.col) === Number(cell.col) && Number(master.row) < Number(cell.row);
}
