import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DraftTask } from './draft-plan.types';
import { parsePlanText } from './plan-text.parser';
import { parseTimeframe } from './timeframe.parser';

// Real plan, read at test time from the shared folder (never copied into the repository).
const PLAN_PATH = path.resolve(__dirname, '../../../../shared/plans/lang-son-2021.txt');
const plan = parsePlanText(readFileSync(PLAN_PATH, 'utf8'));

const task = (section: string, ordinal: string): DraftTask => {
  const found = plan.tasks.find((t) => t.section === section && t.ordinal === ordinal);
  if (!found) throw new Error(`no task ${section}.${ordinal}`);
  return found;
};
const fields = (t: DraftTask) => ({
  lead: t.leadAgencies.map((a) => a.name),
  coordinating: t.coordinatingAgencies.map((a) => a.name),
  timeframe: t.timeframe,
  due: parseTimeframe(t.timeframe, plan.year),
  target: t.target,
});

const END_OF_PLAN_YEAR = { kind: 'unknown', dueDate: '2021-12-31' };
const DEPARTMENTS = 'Các sở, ban, ngành';
const DISTRICTS = 'UBND các huyện, thị xã, thành phố';

describe(`${parsePlanText.name} on Lạng Sơn (2021, no table)`, () => {
  it('does read province, resolution and year and leave number and date null when the text omits them', () => {
    expect(plan).toMatchObject({
      number: null,
      issuedOn: null,
      provinceName: 'Lạng Sơn',
      provinceCode: 'lang-son',
      resolution: { number: '02/NQ-CP', issuedOn: '2021-01-01' },
      year: 2021,
    });
    expect(plan.title).toMatch(/^Thực hiện Nghị quyết số 02\/NQ-CP .* năm 2021 trên địa bàn tỉnh Lạng Sơn$/u);
  });

  it("does read quarterly and yearly deadlines and no consolidation tier when the plan states only the agencies' tier", () => {
    expect(plan.monitoringAgency).toMatchObject({ name: 'Sở Kế hoạch và Đầu tư', code: 'so-ke-hoach-va-dau-tu' });
    expect(plan.reportingDeadlines).toEqual([
      { period: 'Q1', dueMonthDay: '03-10' },
      { period: 'Q2', dueMonthDay: '06-10' },
      { period: 'Q3', dueMonthDay: '09-10' },
      { period: 'Q4', dueMonthDay: '12-10' },
      { period: 'YEAR', dueMonthDay: '12-10' },
    ]);
    expect(plan.consolidationDeadlines).toEqual([]);
  });

  it('does read 56 prose tasks in 6 sections with one warning each when tasks are assigned in prose', () => {
    expect(plan.sections.map((s) => s.ordinal)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(plan.tasks).toHaveLength(56);
    const perSection = plan.sections.map((s) => plan.tasks.filter((t) => t.section === s.ordinal).length);
    expect(perSection).toEqual([12, 12, 2, 9, 14, 7]);
    expect(plan.tasks.every((t) => t.fromProse && t.leadAgencies.length > 0)).toBe(true);
    const proseWarnings = plan.warnings.filter((w) => /^prose task .*: read from prose, not from a table/u.test(w));
    expect(proseWarnings).toHaveLength(56);
    expect(plan.warnings).toHaveLength(58); // plus: number and issue date not found
  });

  it('does read task 1.a.1 when a bullet names its agency as "làm đầu mối theo dõi"', () => {
    expect(task('1', 'a.1')).toMatchObject({
      sourceLine: 117,
      title: 'Sở Kế hoạch và Đầu tư làm đầu mối theo dõi chỉ số Khởi sự kinh doanh.',
    });
    expect(fields(task('1', 'a.1'))).toEqual({
      lead: ['Sở Kế hoạch và Đầu tư'],
      coordinating: [],
      timeframe: '',
      due: END_OF_PLAN_YEAR,
      target: null,
    });
  });

  it('does resolve the spellings of task 1.a.4 and 1.b.5 when the text abbreviates or mis-cases them', () => {
    expect(fields(task('1', 'a.4')).lead).toEqual(['Ngân hàng Nhà nước chi nhánh tỉnh']);
    expect(fields(task('1', 'b.5')).lead).toEqual(['Sở Khoa học và Công nghệ']);
    expect(fields(task('1', 'a.7')).lead).toEqual(['Sở Tài nguyên và Môi trường']);
  });

  it('does read task 2.d.1 with its partners when the bullet says "chủ trì phối hợp các đơn vị có liên quan"', () => {
    expect(fields(task('2', 'd.1'))).toEqual({
      lead: ['Sở Tài nguyên và Môi trường'],
      coordinating: ['Các cơ quan, đơn vị liên quan'],
      timeframe: '',
      due: END_OF_PLAN_YEAR,
      target: null,
    });
  });

  it('does read task 2.đ with two leads when the topic heading is followed by "Sở Tư pháp và Ủy ban nhân dân …:"', () => {
    expect(task('2', 'đ').title).toMatch(/^Đẩy mạnh công tác phổ biến, giáo dục pháp luật/u);
    expect(fields(task('2', 'đ'))).toMatchObject({ lead: ['Sở Tư pháp', DISTRICTS], coordinating: [] });
  });

  it('does date task 4.a.2 to the end of 2021 when the bullet says "Đến hết năm 2021"', () => {
    expect(fields(task('4', 'a.2'))).toEqual({
      lead: [DEPARTMENTS, DISTRICTS],
      coordinating: [],
      timeframe: 'Đến hết năm 2021',
      due: { kind: 'fixed', dueDate: '2021-12-31' },
      target: null,
    });
  });

  it('does date task 4.e to 10 December 2021 when it must report "trước ngày 10 tháng 12 năm 2021"', () => {
    expect(fields(task('4', 'e'))).toEqual({
      lead: ['Thanh tra tỉnh'],
      coordinating: [],
      timeframe: 'trước ngày 10 tháng 12 năm 2021',
      due: { kind: 'fixed', dueDate: '2021-12-10' },
      target: null,
    });
  });

  it('does read task 5.b\'s partners after the colon when written "Sở …: chủ trì, phối hợp với …"', () => {
    expect(fields(task('5', 'b'))).toMatchObject({
      lead: ['Sở Thông tin và Truyền thông'],
      coordinating: [DEPARTMENTS, 'Các cơ quan, đơn vị liên quan'],
    });
  });

  it('does give the five bullets of 6.a the agencies of their lead-in when it ends with a colon', () => {
    const bullets = ['a.1', 'a.2', 'a.3', 'a.4', 'a.5'].map((ordinal) => fields(task('6', ordinal)));
    expect(new Set(bullets.map((b) => JSON.stringify([b.lead, b.coordinating])))).toEqual(
      new Set([JSON.stringify([['Sở Khoa học và Công nghệ'], ['Các cơ quan, đơn vị liên quan']])]),
    );
  });

  it('does read Unicode-decomposed words when the source mixes NFD into the text', () => {
    // The deadline sentence is partly decomposed in the source; it is still read above.
    expect(plan.reportingDeadlines).toHaveLength(5);
  });
});
