import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DraftTask } from './draft-plan.types';
import { parsePlanText } from './plan-text.parser';
import { parseTimeframe } from './timeframe.parser';

// Real plan, read at test time from the shared folder (never copied into the repository).
const PLAN_PATH = path.resolve(__dirname, '../../../../shared/plans/kien-giang-2021-kh31.txt');
const plan = parsePlanText(readFileSync(PLAN_PATH, 'utf8'));

const task = (ordinal: string): DraftTask => {
  const found = plan.tasks.find((t) => t.ordinal === ordinal);
  if (!found) throw new Error(`no task ${ordinal}`);
  return found;
};
const fields = (t: DraftTask) => ({
  lead: t.leadAgencies.map((a) => a.name),
  coordinating: t.coordinatingAgencies.map((a) => a.name),
  timeframe: t.timeframe,
  due: parseTimeframe(t.timeframe, plan.year),
  target: t.target,
});

const DEPARTMENTS = 'Các sở, ban, ngành';
const DISTRICTS = 'UBND các huyện, thị xã, thành phố';
const WITH_RELATED_UNITS = [DEPARTMENTS, DISTRICTS, 'Các cơ quan, đơn vị liên quan'];
const WITH_PEOPLE_AND_FIRMS = [DEPARTMENTS, DISTRICTS, 'Cá nhân, doanh nghiệp'];

describe(`${parsePlanText.name} on Kiên Giang KH 31/KH-UBND (2021)`, () => {
  it('does read the header when the number is written "Số: 31 /KH-UBND"', () => {
    expect(plan).toMatchObject({
      number: '31/KH-UBND',
      issuedOn: '2021-02-22',
      provinceName: 'Kiên Giang',
      provinceCode: 'kien-giang',
      resolution: { number: '02/NQ-CP', issuedOn: '2021-01-01' },
      year: 2021,
    });
  });

  it('does separate both reporting tiers when agencies report on the 5th and the department consolidates by the 10th', () => {
    expect(plan.monitoringAgency).toMatchObject({ name: 'Sở Kế hoạch và Đầu tư', code: 'so-ke-hoach-va-dau-tu' });
    expect(plan.reportingDeadlines).toEqual([
      { period: 'H1', dueMonthDay: '06-05' },
      { period: 'YEAR', dueMonthDay: '12-05' },
    ]);
    expect(plan.consolidationDeadlines).toEqual([
      { period: 'H1', dueMonthDay: '06-10' },
      { period: 'YEAR', dueMonthDay: '12-10' },
    ]);
  });

  it('does import the 13 rows of the appendix when targets are the only text column', () => {
    expect(plan.tasks.map((t) => t.ordinal)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13']);
    expect(plan.sections).toEqual([]);
    expect(plan.tasks.every((t) => t.section === null && !t.fromProse && t.target === t.title)).toBe(true);
  });

  it('does read row 1 as recurring when its timeframe is "Hàng năm"', () => {
    expect(fields(task('1'))).toEqual({
      lead: ['Văn phòng UBND tỉnh'],
      coordinating: WITH_RELATED_UNITS,
      timeframe: 'Hàng năm',
      due: { kind: 'recurring', dueDate: null },
      target:
        'Đơn giản hóa, bãi bỏ các thủ tục hành chính không còn phù hợp, hàng năm cắt giảm tối thiểu 10% chi phí tuân thủ thủ tục hành chính.',
    });
  });

  it('does keep row 5 whole before the page break and date it to 2022 when its timeframe says "Năm 2022"', () => {
    expect(fields(task('5'))).toEqual({
      lead: ['Sở Kế hoạch và Đầu tư'],
      coordinating: WITH_PEOPLE_AND_FIRMS,
      timeframe: 'Năm 2022',
      due: { kind: 'fixed', dueDate: '2022-12-31' },
      target: 'Thành lập mới 1.460 doanh nghiệp; thu hút 15 dự án đầu tư mới.',
    });
    expect(task('5').sourceLine).toBe(279);
  });

  it('does keep the row after the page break that lost its ordinal as task 6 and warn, when it has its own agencies', () => {
    expect(task('6')).toMatchObject({ sourceLine: 284, fromProse: false });
    expect(fields(task('6'))).toEqual({
      lead: ['Sở Thông tin và Truyền thông'],
      coordinating: WITH_PEOPLE_AND_FIRMS,
      timeframe: 'Năm 2021',
      due: { kind: 'fixed', dueDate: '2021-12-31' },
      target: '65% doanh nghiệp ứng dụng công nghệ thông tin trong hoạt động sản xuất, kinh doanh.',
    });
    expect(plan.warnings).toContain('row 6 (line 284): ordinal missing; inferred 6 from the row before');
  });

  it('does read rows 7, 11 and 13 field by field when they follow the page break', () => {
    expect(fields(task('7'))).toEqual({
      lead: ['Sở Thông tin và Truyền thông'],
      coordinating: WITH_RELATED_UNITS,
      timeframe: 'Năm 2021',
      due: { kind: 'fixed', dueDate: '2021-12-31' },
      target: '65% doanh nghiệp cung cấp dịch vụ tiếp cận và tham gia vào các hoạt động giao dịch điện tử trên môi trường mạng.',
    });
    expect(fields(task('11'))).toMatchObject({
      lead: ['Sở Xây dựng'],
      coordinating: WITH_PEOPLE_AND_FIRMS,
      due: { kind: 'fixed', dueDate: '2021-12-31' },
    });
    expect(fields(task('13'))).toMatchObject({
      lead: ['Bảo hiểm xã hội tỉnh'],
      coordinating: WITH_PEOPLE_AND_FIRMS,
      timeframe: 'Năm 2021',
    });
    expect(task('13').target).toMatch(/^Đẩy mạnh thanh toán điện tử, phần đầu đến hết năm 2021 đạt 50%/u);
  });

  it('does warn only about the lost ordinal and the prose it did not import when everything else reads cleanly', () => {
    expect(plan.warnings).toHaveLength(2);
    expect(plan.warnings[0]).toMatch(/^the text also assigns \d+ tasks in prose; only the appendix table was imported$/u);
  });
});
