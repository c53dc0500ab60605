import { readAppendixTable, withoutFurniture } from './appendix-table.model';

// Invented table lines in the shape of converted appendices.
const row = (...cells: string[]) => cells.join('\t');
const HEADER = row('STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện', 'Ghi chú');

describe(readAppendixTable.name, () => {
  it('does drop a repeated header and mark the next row as after a page break', () => {
    const model = readAppendixTable([
      HEADER,
      row('1', 'Rà soát thủ tục', 'Sở Tư pháp', '', 'Năm 2024', ''),
      '',
      row('', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện', 'Ghi chú'),
      row('2', 'Công khai thủ tục', 'Sở Nội vụ', '', 'Quý I/2024', ''),
      row('3', 'Số hóa hồ sơ', 'Sở Nội vụ', '', 'Quý II/2024', ''),
    ]);
    expect(model.rows.map((r) => [r.line, r.cells[0], r.afterBreak])).toEqual([
      [2, '1', false],
      [5, '2', true],
      [6, '3', false],
    ]);
    expect(model.headerlessAt).toEqual([]);
  });

  it('does record page numbers and a running title between two rows as furniture and mark the break', () => {
    const lines = [
      HEADER,
      row('1', 'Rà soát thủ tục', 'Sở Tư pháp', '', 'Năm 2024', ''),
      '- 7 -',
      'Phụ lục nhiệm vụ kèm theo kế hoạch',
      row('2', 'Công khai thủ tục', 'Sở Nội vụ', '', 'Quý I/2024', ''),
    ];
    const model = readAppendixTable(lines);
    expect([...model.furnitureLines]).toEqual([3, 4]);
    expect(model.rows.map((r) => r.afterBreak)).toEqual([false, true]);
    expect(withoutFurniture(lines, model.furnitureLines)).toEqual([lines[0], lines[1], '', '', lines[4]]);
  });

  it('does not take the prose between two tables for furniture when it is longer than a page break leaves', () => {
    const prose = ['III. TỔ CHỨC THỰC HIỆN', '1. Các sở chủ động triển khai.', '2. Báo cáo định kỳ.', '3. Tổng hợp.', '4. Kiểm tra.'];
    const model = readAppendixTable([
      HEADER,
      row('1', 'Rà soát', 'Sở Tư pháp', '', '2024', ''),
      ...prose,
      row('2', 'Công khai', 'Sở Nội vụ', '', '2024', ''),
    ]);
    expect(model.furnitureLines.size).toBe(0);
    expect(model.rows[1].afterBreak).toBe(false);
  });

  it('does assume the columns and note where when a table has no header', () => {
    const model = readAppendixTable(['Phụ lục', row('1', 'Rà soát', 'Sở Tư pháp', '', '2024', '')]);
    expect(model.headerlessAt).toEqual([2]);
    expect(model.rows[0].assumedColumns).toBe(true);
  });
});
