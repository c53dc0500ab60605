import { isPageNumber, proseFurnitureLines } from './page-furniture.util';

const furniture = (lines: string[]) => [...proseFurnitureLines(lines)].sort((a, b) => a - b);
const RUNNING = 'Kế hoạch hành động về chuyển đổi số năm 2025';

describe(isPageNumber.name, () => {
  it.each(['3', '- 3 -', '– 12 –', 'Trang 4', 'trang 4/9', '4/9', ' 27 '])('does read %j as a page number', (line) => {
    expect(isPageNumber(line)).toBe(true);
  });

  it.each(['- Sở Tư pháp', '2025', '1. Mục tiêu', '3 nhiệm vụ', 'Trang thông tin điện tử'])('does not read %j as a page number', (line) => {
    expect(isPageNumber(line)).toBe(false);
  });
});

describe(proseFurnitureLines.name, () => {
  it('does find a running title repeated at page tops, and the page numbers, when they cut paragraphs', () => {
    const lines = [
      'Các sở, ngành rà soát thủ tục hành chính và công bố',
      '',
      '- 2 -',
      RUNNING,
      'kết quả trên cổng thông tin của tỉnh.',
      'Sở Nội vụ hướng dẫn các đơn vị',
      '- 3 -',
      '',
      RUNNING,
      'triển khai thực hiện.',
    ];
    expect(furniture(lines)).toEqual([3, 4, 7, 9]);
  });

  it('does keep a line that appears once, a sentence that repeats, and a continuation that repeats', () => {
    const lines = [
      RUNNING,
      'Sở Tư pháp phối hợp thực hiện.',
      'các đơn vị có liên quan khác',
      'Sở Tư pháp phối hợp thực hiện.',
      'các đơn vị có liên quan khác',
    ];
    expect(furniture(lines)).toEqual([]);
  });

  it('does keep a line doubled by a converter with nothing between (a signature)', () => {
    expect(furniture(['TM. ỦY BAN NHÂN DÂN', 'Nguyễn Văn Thử Nghiệm', '', 'Nguyễn Văn Thử Nghiệm'])).toEqual([]);
  });

  it('does keep the plan title after the "KẾ HOẠCH" heading when the running title repeats it', () => {
    const lines = ['KẾ HOẠCH', '', RUNNING, 'I. MỤC TIÊU', 'Nâng cao chất lượng', '2', RUNNING, 'phục vụ', '3', RUNNING, 'người dân.'];
    expect(furniture(lines)).toEqual([6, 7, 9, 10]);
  });

  it('does keep the number and place-and-date lines when the appendix repeats the header block', () => {
    const block = ['ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM', 'Số: 27/KH-UBND', 'Thử Nghiệm, ngày 14 tháng 02 năm 2023'];
    expect(furniture([...block, 'Nội dung kế hoạch.', ...block])).toEqual([1, 5]);
    // above the "KẾ HOẠCH" heading, nothing is furniture: the block's lines are once below it
    expect(furniture([...block, 'KẾ HOẠCH', 'Nội dung kế hoạch.', ...block])).toEqual([]);
  });

  it('does leave table lines to the table model', () => {
    expect(furniture([`${RUNNING}\t`, 'Một đoạn văn bản', `${RUNNING}\t`])).toEqual([]);
  });
});
