import { reflowParagraphs } from './paragraph-reflow.util';
import { deadlinesIn, findReportingDeadlines } from './reporting-deadline.parser';

const tiersOf = (text: string) => findReportingDeadlines(reflowParagraphs(text.split('\n')));

describe(deadlinesIn.name, () => {
  it('does read two dates as the half-year and year reports when one "trước ngày" opens both', () => {
    expect(deadlinesIn('Báo cáo trước ngày 30 tháng 5 và 30 tháng 11 năm 2023 gửi Sở Kế hoạch và Đầu tư.')).toEqual([
      { period: 'H1', dueMonthDay: '05-30' },
      { period: 'YEAR', dueMonthDay: '11-30' },
    ]);
  });

  it('does name each date by the words before it when written "6 tháng (trước …) và báo cáo năm (trước …)"', () => {
    expect(deadlinesIn('báo cáo định kỳ 6 tháng (trước ngày 05 tháng 6) và báo cáo năm (trước ngày 05 tháng 12)')).toEqual([
      { period: 'H1', dueMonthDay: '06-05' },
      { period: 'YEAR', dueMonthDay: '12-05' },
    ]);
  });

  it('does expand into the four quarters when the deadline is "ngày 10 của tháng cuối quý"', () => {
    expect(deadlinesIn('Định kỳ hằng quý, hằng năm (trước ngày 10 của tháng cuối quý và trước ngày 10 tháng 12)')).toEqual([
      { period: 'Q1', dueMonthDay: '03-10' },
      { period: 'Q2', dueMonthDay: '06-10' },
      { period: 'Q3', dueMonthDay: '09-10' },
      { period: 'Q4', dueMonthDay: '12-10' },
      { period: 'YEAR', dueMonthDay: '12-10' },
    ]);
  });

  it('does read slash dates when written "trước ngày 15/6 và 15/12"', () => {
    expect(deadlinesIn('gửi báo cáo trước ngày 15/6 và 15/12 hằng năm')).toEqual([
      { period: 'H1', dueMonthDay: '06-15' },
      { period: 'YEAR', dueMonthDay: '12-15' },
    ]);
  });

  const months = (dueMonthDays: string[]) =>
    dueMonthDays.map((dueMonthDay, i) => ({ period: `M${String(i + 1).padStart(2, '0')}`, dueMonthDay }));
  const sameDay = (day: string) => months(Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, '0')}-${day}`));

  it('does expand into the twelve months when the day is "hằng tháng"', () => {
    expect(deadlinesIn('Các phòng, ban gửi báo cáo kết quả trước ngày 15 hằng tháng về Sở Tư pháp.')).toEqual(sameDay('15'));
    expect(deadlinesIn('gửi báo cáo trước ngày 18 của mỗi tháng')).toEqual(sameDay('18'));
  });

  it('does read a bare day as monthly when the words before it say "định kỳ hằng tháng"', () => {
    expect(deadlinesIn('Định kỳ hằng tháng, trước ngày 20, các xã báo cáo tiến độ về Văn phòng.')).toEqual(sameDay('20'));
  });

  it('does keep a bare day with no period named out of the deadlines', () => {
    expect(deadlinesIn('Các đơn vị gửi ý kiến trước ngày 20, để tổng hợp.')).toEqual([]);
    // one month's report, not every month's
    expect(deadlinesIn('Các đơn vị gửi báo cáo tháng 6 trước ngày 20, để tổng hợp.')).toEqual([]);
  });

  it('does put each month\'s report in the month after when written "trước ngày 5 của tháng sau"', () => {
    const expected = months(['02-05', '03-05', '04-05', '05-05', '06-05', '07-05', '08-05', '09-05', '10-05', '11-05', '12-05', '01-05']);
    expect(deadlinesIn('Báo cáo tháng gửi trước ngày 5 của tháng sau.')).toEqual(expected);
    expect(deadlinesIn('hằng tháng, các đơn vị báo cáo trước ngày 05 tháng tiếp theo')).toEqual(expected);
  });

  it('does read "the month after" as after the quarter when the words before speak of quarters', () => {
    const expected = [
      { period: 'Q1', dueMonthDay: '04-05' },
      { period: 'Q2', dueMonthDay: '07-05' },
      { period: 'Q3', dueMonthDay: '10-05' },
      { period: 'Q4', dueMonthDay: '01-05' },
    ];
    expect(deadlinesIn('Định kỳ hằng quý, các sở báo cáo trước ngày 5 của tháng sau.')).toEqual(expected);
    expect(deadlinesIn('báo cáo quý trước ngày 05 của tháng đầu quý sau')).toEqual(expected);
  });

  it('does read "trước ngày 15 của tháng cuối quý" after "hằng quý" as the four quarters', () => {
    expect(deadlinesIn('Hằng quý, các huyện báo cáo trước ngày 15 của tháng cuối quý.').map((d) => d.dueMonthDay)).toEqual([
      '03-15',
      '06-15',
      '09-15',
      '12-15',
    ]);
  });

  it('does read a monthly day and the half-year and year dates when one sentence states all three in parentheses', () => {
    const deadlines = deadlinesIn(
      'Định kỳ hằng tháng (trước ngày 20), 6 tháng (trước ngày 15 tháng 6) và báo cáo năm (trước ngày 15 tháng 12).',
    );
    expect(deadlines.filter((d) => d.period.startsWith('M'))).toEqual(sameDay('20'));
    expect(deadlines.slice(12)).toEqual([
      { period: 'H1', dueMonthDay: '06-15' },
      { period: 'YEAR', dueMonthDay: '12-15' },
    ]);
  });

  it('does use the last day of a short month when the day does not exist in it (30th → 28 February)', () => {
    const deadlines = deadlinesIn('gửi báo cáo trước ngày 30 hằng tháng');
    expect(deadlines.find((d) => d.period === 'M02')).toEqual({ period: 'M02', dueMonthDay: '02-28' });
    expect(deadlines.find((d) => d.period === 'M04')).toEqual({ period: 'M04', dueMonthDay: '04-30' });
  });

  it('does ignore document dates when they are not after "trước ngày"', () => {
    expect(deadlinesIn('Thực hiện Nghị quyết số 02/NQ-CP ngày 10/01/2023 và Kế hoạch số 5/KH-UBND ngày 20 tháng 01 năm 2023.')).toEqual([]);
  });
});

describe(findReportingDeadlines.name, () => {
  it('does split the tiers by who reports to whom when both are stated', () => {
    const tiers = tiersOf(
      [
        '1. Giao Sở Kế hoạch và Đầu tư chủ trì theo dõi; tổng hợp báo cáo 6 tháng (trước ngày 15 tháng 6) và báo cáo năm (trước ngày 15 tháng 12), trình UBND tỉnh báo cáo Bộ Kế hoạch và Đầu tư.',
        '',
        '2. Các sở, ban, ngành gửi báo cáo về Sở Kế hoạch và Đầu tư định kỳ 6 tháng (trước ngày 05 tháng 6) và báo cáo năm (trước ngày 05 tháng 12).',
      ].join('\n'),
    );
    expect(tiers).toEqual({
      reporting: [
        { period: 'H1', dueMonthDay: '06-05' },
        { period: 'YEAR', dueMonthDay: '12-05' },
      ],
      consolidation: [
        { period: 'H1', dueMonthDay: '06-15' },
        { period: 'YEAR', dueMonthDay: '12-15' },
      ],
    });
  });

  it('does return only the agencies tier when the plan states one', () => {
    const tiers = tiersOf('- Các sở gửi báo cáo trước ngày 20 tháng 6 và 20 tháng 11 về Văn phòng UBND tỉnh để tổng hợp.');
    expect(tiers.reporting.map((d) => d.dueMonthDay)).toEqual(['06-20', '11-20']);
    expect(tiers.consolidation).toEqual([]);
  });

  it('does keep monthly and year deadlines together, months first, when a plan states both', () => {
    const tiers = tiersOf(
      'Các sở, ngành gửi báo cáo về Sở Nội vụ trước ngày 20 hằng tháng; báo cáo 6 tháng trước ngày 15 tháng 6 và báo cáo năm trước ngày 15 tháng 12.',
    );
    expect(tiers.reporting.map((d) => d.period)).toEqual([
      'M01',
      'M02',
      'M03',
      'M04',
      'M05',
      'M06',
      'M07',
      'M08',
      'M09',
      'M10',
      'M11',
      'M12',
      'H1',
      'YEAR',
    ]);
    expect(tiers.reporting.slice(-2)).toEqual([
      { period: 'H1', dueMonthDay: '06-15' },
      { period: 'YEAR', dueMonthDay: '12-15' },
    ]);
  });

  it('does return empty tiers when no deadline is stated', () => {
    expect(tiersOf('Các sở báo cáo định kỳ theo quy định.')).toEqual({ reporting: [], consolidation: [] });
  });
});
