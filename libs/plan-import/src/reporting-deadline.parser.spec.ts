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

  it('does return empty tiers when no deadline is stated', () => {
    expect(tiersOf('Các sở báo cáo định kỳ theo quy định.')).toEqual({ reporting: [], consolidation: [] });
  });
});
