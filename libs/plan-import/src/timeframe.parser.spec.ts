import { parseTimeframe, refersElsewhere } from './timeframe.parser';

describe(parseTimeframe.name, () => {
  it.each([
    ['Năm 2022', '2022-12-31'],
    ['2022', '2022-12-31'],
    ['Hết năm 2022', '2022-12-31'],
    ['Trong năm 2022', '2022-12-31'],
    ['Đến hết năm 2021', '2021-12-31'],
    ['Quý I/2022', '2022-03-31'],
    ['Quý II/2021', '2021-06-30'],
    ['Quý III năm 2021', '2021-09-30'],
    ['Quý IV/2021', '2021-12-31'],
    ['Quý 3/2022', '2022-09-30'],
    ['Quý II, III/2022', '2022-09-30'],
    ['Tháng 6/2022', '2022-06-30'],
    ['10/2022', '2022-10-31'],
    ['Trước 10/2022', '2022-10-31'],
    ['02 / 2024', '2024-02-29'],
    ['tháng 10/2022', '2022-10-31'],
    ['Tháng 10 năm 2022', '2022-10-31'],
    ['30/6/2022', '2022-06-30'],
    ['Năm 2022 (theo Quyết định số 10/2021)', '2022-12-31'],
    ['Năm 2023, QĐ 92/2021', '2023-12-31'],
    ['Tháng 2 năm 2024', '2024-02-29'],
    ['Tháng 2/2023', '2023-02-28'],
    ['6 tháng đầu năm 2022', '2022-06-30'],
    ['Trước ngày 15/8/2022', '2022-08-15'],
    ['trước ngày 10 tháng 12 năm 2021', '2021-12-10'],
    ['<p>Năm 2022</p>', '2022-12-31'],
  ])('does read %j as a fixed date when it names a year, quarter, month or day', (timeframe, dueDate) => {
    expect(parseTimeframe(timeframe, 2021)).toEqual({ kind: 'fixed', dueDate });
  });

  it.each([
    ['Quý II', '2021-06-30'],
    ['Tháng 9', '2021-09-30'],
  ])('does take the plan year when %j gives no year', (timeframe, dueDate) => {
    expect(parseTimeframe(timeframe, 2021)).toEqual({ kind: 'fixed', dueDate });
  });

  it.each(['2021-2025', '2021 - 2025', 'Giai đoạn 2021-2025', 'Giai đoạn 2021 – 2025'])(
    'does read %j as recurring with its last year as the final date when it spans years',
    (timeframe) => {
      expect(parseTimeframe(timeframe, 2022)).toEqual({ kind: 'recurring', dueDate: '2025-12-31' });
    },
  );

  it.each(['Thường xuyên', 'thường xuyên', 'Hàng năm', 'Hằng năm', '6 tháng/lần', 'Định kỳ hằng quý', 'THƯỜNG XUYÊN'])(
    'does read %j as recurring without a due date when it has no end',
    (timeframe) => {
      expect(parseTimeframe(timeframe, 2022)).toEqual({ kind: 'recurring', dueDate: null });
    },
  );

  it('does treat decomposed (NFD) input like composed input when matching words', () => {
    expect(parseTimeframe('Thường xuyên'.normalize('NFD'), 2022)).toEqual({ kind: 'recurring', dueDate: null });
    expect(parseTimeframe('Quý II/2022'.normalize('NFD'), null)).toEqual({ kind: 'fixed', dueDate: '2022-06-30' });
  });

  it.each(['', 'Theo tiến độ dự án', 'Khi có yêu cầu', 'Tháng 13/2022', '13/2022', '00/2022'])(
    'does fall back to the end of the plan year when %j cannot be read',
    (timeframe) => {
      expect(parseTimeframe(timeframe, 2022)).toEqual({ kind: 'unknown', dueDate: '2022-12-31' });
    },
  );

  it.each([
    ['Trước 30/6', '2022-06-30'],
    ['30/9 năm 2023', '2023-09-30'],
    ['Cuối năm', '2022-12-31'],
    ['Trong năm', '2022-12-31'],
  ])('does read %j as a fixed date when the day or the year is left to the plan', (timeframe, dueDate) => {
    expect(parseTimeframe(timeframe, 2022)).toEqual({ kind: 'fixed', dueDate });
  });

  it("does not take another document's date for the due date when the timeframe defers to that document", () => {
    const timeframe = 'Theo tiến độ của Kế hoạch số 12/KH-UBND ngày 20/01/2022';
    expect(parseTimeframe(timeframe, 2022)).toEqual({ kind: 'unknown', dueDate: '2022-12-31' });
    expect(refersElsewhere(timeframe)).toBe(true);
    expect(refersElsewhere('Quý II/2022')).toBe(false);
  });

  it('does not read an impossible day and month such as 31/2 as a date', () => {
    expect(parseTimeframe('Trước 31/2', 2022)).toEqual({ kind: 'unknown', dueDate: '2022-12-31' });
  });

  it('does give no due date when the timeframe is unreadable and the plan year is unknown', () => {
    expect(parseTimeframe('Khi có yêu cầu', null)).toEqual({ kind: 'unknown', dueDate: null });
    expect(parseTimeframe('Quý II', null)).toEqual({ kind: 'unknown', dueDate: null });
  });
});
