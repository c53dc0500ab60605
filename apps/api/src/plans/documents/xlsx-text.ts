import ExcelJS from 'exceljs';

// The first sheet of a workbook as tab-separated lines, one per row; line breaks inside a cell
// become <br> (the plan parser treats them as line breaks within the cell).
export async function xlsxToPlanText(buffer: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return '';
  const lines: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) cells.push(cellText(row.getCell(column)));
    lines.push(cells.join('\t'));
  });
  return lines.join('\n');
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.text ?? '';
  return value.replace(/\t/g, ' ').replace(/\r?\n/g, '<br>').trim();
}
