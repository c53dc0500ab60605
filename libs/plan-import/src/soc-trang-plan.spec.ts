import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DraftTask } from './draft-plan.types';
import { parsePlanText } from './plan-text.parser';
import { parseTimeframe } from './timeframe.parser';

// Real plan, read at test time from the shared folder (never copied into the repository).
const PLAN_PATH = path.resolve(__dirname, '../../../../shared/plans/soc-trang-2022-kh13.txt');
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

const ALL_DEPARTMENTS = 'Các sở, ban, ngành';
const DISTRICTS = 'UBND các huyện, thị xã, thành phố';

describe(`${parsePlanText.name} on Sóc Trăng KH 13/KH-UBND (2022)`, () => {
  it('does read the header when the number and date are only in the appendix line', () => {
    expect(plan).toMatchObject({
      number: '13/KH-UBND',
      issuedOn: '2022-01-20',
      provinceName: 'Sóc Trăng',
      provinceCode: 'soc-trang',
      resolution: { number: '02/NQ-CP', issuedOn: '2022-01-10' },
      year: 2022,
    });
    expect(plan.title).toMatch(/^Thực hiện Nghị quyết số 02\/NQ-CP ngày 10\/01\/2022 .* trên địa bàn tỉnh Sóc Trăng$/u);
  });

  it("does find the monitoring agency and the agencies' deadlines when only that tier is stated", () => {
    expect(plan.monitoringAgency).toEqual({
      raw: 'Sở Kế hoạch và Đầu tư',
      name: 'Sở Kế hoạch và Đầu tư',
      code: 'so-ke-hoach-va-dau-tu',
      isGroup: false,
    });
    expect(plan.reportingDeadlines).toEqual([
      { period: 'H1', dueMonthDay: '05-30' },
      { period: 'YEAR', dueMonthDay: '11-30' },
    ]);
    expect(plan.consolidationDeadlines).toEqual([]);
  });

  it('does read all 39 rows in 10 sections when headers repeat after every page break', () => {
    expect(plan.tasks).toHaveLength(39);
    expect(plan.sections.map((s) => s.ordinal)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X']);
    const perSection = plan.sections.map((s) => plan.tasks.filter((t) => t.section === s.ordinal).length);
    expect(perSection).toEqual([2, 4, 2, 4, 10, 5, 2, 4, 3, 3]);
    expect(plan.tasks.every((t) => !t.fromProse && t.leadAgencies.length > 0)).toBe(true);
  });

  it('does read row I.1 with two group leads and no partner when the coordinating cell is empty', () => {
    expect(fields(task('I', '1'))).toEqual({
      lead: [ALL_DEPARTMENTS, DISTRICTS],
      coordinating: [],
      timeframe: 'Thường xuyên',
      due: { kind: 'recurring', dueDate: null },
      target: null,
    });
    expect(task('I', '1').leadAgencies.every((a) => a.isGroup)).toBe(true);
  });

  it('does read row IV.4 and resolve "Cục thuế tỉnh" when it is spelled in lower case', () => {
    expect(fields(task('IV', '4'))).toEqual({
      lead: ['Sở Tài nguyên và Môi trường'],
      coordinating: ['Cục Thuế tỉnh'],
      timeframe: 'Thường xuyên',
      due: { kind: 'recurring', dueDate: null },
      target: null,
    });
  });

  it('does read row V.2 as recurring until 2025 when its timeframe is "2021-2025"', () => {
    expect(fields(task('V', '2'))).toEqual({
      lead: ['Sở Thông tin và Truyền thông'],
      coordinating: [ALL_DEPARTMENTS, DISTRICTS],
      timeframe: '2021-2025',
      due: { kind: 'recurring', dueDate: '2025-12-31' },
      target: null,
    });
  });

  it("does split row V.10's run-together companies and warn when line breaks were lost", () => {
    expect(fields(task('V', '10'))).toEqual({
      lead: [ALL_DEPARTMENTS, DISTRICTS],
      coordinating: [
        'Công ty Điện lực tỉnh',
        'Công ty Cổ phần Cấp nước tỉnh',
        'Công ty Cổ phần Công trình đô thị tỉnh',
        'Các công ty viễn thông',
        'Bưu điện tỉnh',
      ],
      timeframe: 'Thường xuyên',
      due: { kind: 'recurring', dueDate: null },
      target: null,
    });
    expect(plan.warnings).toEqual([expect.stringMatching(/^row V\.10 \(line 137\): agency names ran together/u)]);
  });

  it('does read rows VIII.2 and IX.1 with fixed 2022 deadlines when timeframes are "2022" and "Năm 2022"', () => {
    expect(fields(task('VIII', '2'))).toEqual({
      lead: ['Cục Thuế tỉnh'],
      coordinating: [DISTRICTS],
      timeframe: '2022',
      due: { kind: 'fixed', dueDate: '2022-12-31' },
      target: null,
    });
    expect(fields(task('IX', '1'))).toEqual({
      lead: ['Sở Kế hoạch và Đầu tư'],
      coordinating: ['Sở Khoa học và Công nghệ', 'Sở Giáo dục và Đào tạo', 'Các trường cao đẳng'],
      timeframe: 'Năm 2022',
      due: { kind: 'fixed', dueDate: '2022-12-31' },
      target: null,
    });
  });

  it('does keep the note of row X.1 and strip the HTML of rows X.2 and X.3 when cells carry <p> tags', () => {
    expect(task('X', '1').note).toMatch(/^Các sở ngành, UBND cấp huyện thực hiện theo nhiệm vụ được phân công/u);
    expect(task('X', '2')).toMatchObject({ timeframe: 'Thường xuyên', sourceLine: 166 });
    expect(task('X', '2').title).not.toMatch(/<\/?p>/u);
    expect(fields(task('X', '3')).coordinating).toEqual(['Báo tỉnh', 'Đài Phát thanh và Truyền hình tỉnh', ALL_DEPARTMENTS, DISTRICTS]);
  });

  it('does keep the raw spelling next to the canonical name when an alias was resolved', () => {
    expect(task('VIII', '2').leadAgencies).toEqual([{ raw: 'Cục thuế', name: 'Cục Thuế tỉnh', code: 'cuc-thue-tinh', isGroup: false }]);
    expect(task('VIII', '1').leadAgencies[0]).toMatchObject({
      raw: 'Sở Lao động, Thương binh và Xã hội',
      name: 'Sở Lao động - Thương binh và Xã hội',
    });
  });
});
