import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePlanText } from './plan-text.parser';
import { applyVariation, dataRows, planReading, variationOf, type Variation } from './plan-variations.spec-helper';

// Metamorphic properties: the same plan, as different conversions leave it, reads the same.
// 1,000 seeded cases per plan (fixed seed: a failure reproduces; fast-check prints the case).
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const SEED = 20261202;

const sharedPlan = (file: string) => readFileSync(path.resolve(__dirname, '../../../../shared/plans', file), 'utf8');

// Invented plans (not taken from any real plan) in the shapes the issue names: sections, a
// labelled both-roles column, a targets column, <p> fragments in cells.
const row = (...cells: string[]) => cells.join('\t');
const HEADER = `Số: 41/KH-UBND

Hà Giang, ngày 09 tháng 3 năm 2024

KẾ HOẠCH

Triển khai Nghị quyết số 02/NQ-CP ngày 05/02/2024 của Chính phủ về cải thiện môi trường kinh doanh năm 2024 trên địa bàn tỉnh Hà Giang

III. TỔ CHỨC THỰC HIỆN

1. Sở Kế hoạch và Đầu tư làm đầu mối theo dõi, tổng hợp việc thực hiện Kế hoạch.

2. Các sở, ban, ngành gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 10 tháng 6 và 10 tháng 12.

PHỤ LỤC`;

const SECTIONED_SAMPLE = [
  HEADER,
  row('STT', 'Nhiệm vụ, giải pháp', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện', 'Ghi chú'),
  row('I. Đơn giản hóa điều kiện kinh doanh và thủ tục hành chính liên quan đến đầu tư', '', '', '', '', ''),
  row(
    '1',
    'Rà soát, kiến nghị bãi bỏ điều kiện kinh doanh không cần thiết trong lĩnh vực công thương',
    'Sở Công Thương',
    'Sở Tư pháp; Văn phòng UBND tỉnh',
    'Thường xuyên',
    '',
  ),
  row(
    '2',
    'Công bố danh mục thủ tục hành chính được cắt giảm thời gian giải quyết',
    'Văn phòng UBND tỉnh',
    'Các sở, ban, ngành',
    'Quý II/2024',
    'Công khai trên cổng',
  ),
  row(
    '3',
    'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại bộ phận một cửa các cấp',
    'Văn phòng UBND tỉnh',
    'UBND các huyện, thành phố',
    'Năm 2024',
    '',
  ),
  row('II', 'Hỗ trợ doanh nghiệp nhỏ và vừa', '', '', '', ''),
  row(
    '1',
    'Tổ chức hội nghị đối thoại giữa chính quyền và doanh nghiệp về khó khăn, vướng mắc',
    'Sở Kế hoạch và Đầu tư',
    'Hiệp hội Doanh nghiệp tỉnh; các cơ quan, đơn vị liên quan',
    'Hằng năm',
    '',
  ),
  row(
    '2',
    '<p>Hỗ trợ doanh nghiệp chuyển đổi số trong quản trị và bán hàng</p>',
    '<p>Sở Thông tin và Truyền thông</p>',
    '<p>Sở Công Thương; Sở Tài chính</p>',
    '<p>2024-2025</p>',
    '',
  ),
  row(
    '3',
    'Đào tạo kỹ năng quản trị cho chủ doanh nghiệp khởi nghiệp',
    'Sở Kế hoạch và Đầu tư',
    'Sở Lao động - Thương binh và Xã hội',
    'Tháng 9/2024',
    '',
  ),
  '',
  'Nơi nhận:',
].join('\n');

const BOTH_ROLES_SAMPLE = [
  HEADER,
  row('TT', 'Mục tiêu cụ thể', 'Cơ quan thực hiện', 'Thời hạn'),
  row(
    '1',
    'Giảm 20% thời gian giải quyết thủ tục cấp phép xây dựng',
    '- CQ chủ trì: Sở Xây dựng - CQ phối hợp: UBND các huyện, thành phố',
    'Quý III/2024',
  ),
  row(
    '2',
    'Trên 70% hồ sơ thủ tục hành chính được tiếp nhận trực tuyến',
    '- CQ chủ trì: Văn phòng UBND tỉnh - CQ phối hợp: Sở Thông tin và Truyền thông, các đơn vị liên quan',
    'Năm 2024',
  ),
  row(
    '3',
    'Thu hút ít nhất 12 dự án đầu tư mới vào các khu công nghiệp',
    'Chủ trì: Ban Quản lý các khu công nghiệp tỉnh; Phối hợp: Sở Kế hoạch và Đầu tư',
    '6 tháng cuối năm 2024',
  ),
  row(
    '4',
    'Duy trì đường dây nóng tiếp nhận phản ánh của doanh nghiệp',
    '- CQ chủ trì: Sở Kế hoạch và Đầu tư - CQ phối hợp: Các sở, ban, ngành',
    'Thường xuyên',
  ),
  '',
].join('\n');

const PLANS: [string, () => string][] = [
  ['Kiên Giang KH 31 (shared)', () => sharedPlan('kien-giang-2021-kh31.txt')],
  ['Lạng Sơn 2021 (shared, prose only)', () => sharedPlan('lang-son-2021.txt')],
  ['Sóc Trăng KH 13 (shared)', () => sharedPlan('soc-trang-2022-kh13.txt')],
  ['an invented plan with sections', () => SECTIONED_SAMPLE],
  ['an invented plan with one labelled column for both roles', () => BOTH_ROLES_SAMPLE],
];

describe('plan import under conversion variations (metamorphic)', () => {
  describe.each(PLANS)('%s', (_name, load) => {
    const text = load().replace(/\r\n?/g, '\n');
    const original = planReading(parsePlanText(text));

    it('does read the same tasks, agencies, timeframes, targets and due dates when the text is re-paginated, wrapped and re-encoded', () => {
      fc.assert(
        fc.property(variationOf(dataRows(text).length), (variation: Variation) => {
          expect(planReading(parsePlanText(applyVariation(text, variation)))).toEqual(original);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  });

  it('does change the reading when a row is really dropped (the property can fail)', () => {
    const rows = dataRows(SECTIONED_SAMPLE);
    const lines = SECTIONED_SAMPLE.split('\n');
    const dropped = lines.filter((_, at) => at !== rows[1].at).join('\n');
    expect(planReading(parsePlanText(dropped))).not.toEqual(planReading(parsePlanText(SECTIONED_SAMPLE)));
  });
});
