import { endOfLocalDayUtc } from '@app/plan-import';
import type { NewPlan, NewTask } from './new-plan';

// A small invented plan in the shape of the real documents, loaded into an empty database so a
// fresh install has something to query. Its year follows the clock, so its deadlines stay current.
export function samplePlan(year: number): NewPlan {
  const pad = (n: number) => String(n).padStart(2, '0');
  const due = (month: number, day: number) => endOfLocalDayUtc(`${year}-${pad(month)}-${pad(day)}`);
  const recurring = [due(6, 5), due(12, 5)];
  const task = (t: Omit<NewTask, 'note' | 'target' | 'dueAt'> & Partial<NewTask>): NewTask => ({
    note: null,
    target: null,
    dueAt: t.periodDueDates?.[0] ?? due(12, 31),
    ...t,
  });
  return {
    province: { code: 'thai-binh', name: 'Thái Bình' },
    agencies: [
      { code: 'so-ke-hoach-va-dau-tu', name: 'Sở Kế hoạch và Đầu tư', aliases: ['Sở KH&ĐT'] },
      { code: 'so-tu-phap', name: 'Sở Tư pháp' },
      { code: 'so-thong-tin-va-truyen-thong', name: 'Sở Thông tin và Truyền thông', aliases: ['Sở TT&TT'] },
      { code: 'so-tai-nguyen-va-moi-truong', name: 'Sở Tài nguyên và Môi trường', aliases: ['Sở TN&MT'] },
      { code: 'so-cong-thuong', name: 'Sở Công Thương' },
      { code: 'van-phong-ubnd-tinh', name: 'Văn phòng UBND tỉnh' },
      { code: 'cuc-thue-tinh', name: 'Cục Thuế tỉnh' },
      { code: 'cac-so-ban-nganh', name: 'Các sở, ban, ngành', isGroup: true },
      { code: 'ubnd-cac-huyen-thi-xa-thanh-pho', name: 'UBND các huyện, thị xã, thành phố', isGroup: true },
    ],
    number: `27/KH-UBND`,
    title: `Kế hoạch mẫu cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh tỉnh Thái Bình năm ${year}`,
    issuedOn: `${year}-02-14`,
    year,
    resolution: '02/NQ-CP',
    monitoringAgencyCode: 'so-ke-hoach-va-dau-tu',
    reportingDeadlines: [
      { period: 'H1', dueMonthDay: '06-05' },
      { period: 'YEAR', dueMonthDay: '12-05' },
    ],
    consolidationDeadlines: [
      { period: 'H1', dueMonthDay: '06-15' },
      { period: 'YEAR', dueMonthDay: '12-15' },
    ],
    sections: [
      { ordinal: 'I', title: 'Rút ngắn thời gian giải quyết thủ tục hành chính cho doanh nghiệp' },
      { ordinal: 'II', title: 'Chuyển đổi số trong cung cấp dịch vụ công' },
      { ordinal: 'III', title: 'Đất đai, thuế và hỗ trợ doanh nghiệp' },
    ],
    tasks: [
      task({
        sectionOrdinal: 'I',
        ordinal: '1',
        title: 'Công khai đầy đủ quy trình nội bộ giải quyết thủ tục đăng ký đầu tư',
        leadAgencyCode: 'so-ke-hoach-va-dau-tu',
        coordinatingAgencyCodes: ['van-phong-ubnd-tinh'],
        timeframe: `Quý II/${year}`,
        dueAt: due(6, 30),
      }),
      task({
        sectionOrdinal: 'I',
        ordinal: '2',
        title: 'Rà soát văn bản quy phạm pháp luật của tỉnh có nội dung chồng chéo về điều kiện kinh doanh',
        leadAgencyCode: 'so-tu-phap',
        coordinatingAgencyCodes: ['cac-so-ban-nganh'],
        timeframe: `Năm ${year}`,
      }),
      task({
        sectionOrdinal: 'I',
        ordinal: '3',
        title: 'Theo dõi, đôn đốc giải quyết hồ sơ trễ hạn tại Trung tâm Phục vụ hành chính công',
        leadAgencyCode: 'van-phong-ubnd-tinh',
        coordinatingAgencyCodes: ['cac-so-ban-nganh', 'ubnd-cac-huyen-thi-xa-thanh-pho'],
        timeframe: 'Thường xuyên',
        periodDueDates: recurring,
      }),
      task({
        sectionOrdinal: 'II',
        ordinal: '1',
        title: 'Nâng tỷ lệ hồ sơ trực tuyến toàn trình trên Cổng dịch vụ công của tỉnh',
        leadAgencyCode: 'so-thong-tin-va-truyen-thong',
        coordinatingAgencyCodes: ['van-phong-ubnd-tinh', 'cac-so-ban-nganh'],
        timeframe: `Năm ${year}`,
        target: 'Tối thiểu 60% hồ sơ trực tuyến toàn trình',
      }),
      task({
        sectionOrdinal: 'II',
        ordinal: '2',
        title: 'Duy trì kênh tiếp nhận phản ánh, kiến nghị của doanh nghiệp trên môi trường số',
        leadAgencyCode: 'so-thong-tin-va-truyen-thong',
        coordinatingAgencyCodes: ['so-ke-hoach-va-dau-tu'],
        timeframe: 'Thường xuyên',
        periodDueDates: recurring,
      }),
      task({
        sectionOrdinal: 'III',
        ordinal: '1',
        title: 'Số hóa hồ sơ địa chính và kết nối dữ liệu đất đai với cơ quan thuế',
        leadAgencyCode: 'so-tai-nguyen-va-moi-truong',
        coordinatingAgencyCodes: ['cuc-thue-tinh', 'ubnd-cac-huyen-thi-xa-thanh-pho'],
        timeframe: `${year}-${year + 2}`,
        dueAt: endOfLocalDayUtc(`${year + 2}-12-31`),
      }),
      task({
        sectionOrdinal: 'III',
        ordinal: '2',
        title: 'Đẩy mạnh hoàn thuế điện tử, rút ngắn thời gian nộp thuế của doanh nghiệp',
        leadAgencyCode: 'cuc-thue-tinh',
        coordinatingAgencyCodes: [],
        timeframe: 'Thường xuyên',
        periodDueDates: recurring,
      }),
      task({
        sectionOrdinal: 'III',
        ordinal: '3',
        title: 'Tổ chức hội nghị đối thoại định kỳ giữa lãnh đạo tỉnh và cộng đồng doanh nghiệp',
        leadAgencyCode: 'so-cong-thuong',
        coordinatingAgencyCodes: ['so-ke-hoach-va-dau-tu'],
        timeframe: `Quý III/${year}`,
        dueAt: due(9, 30),
      }),
    ],
  };
}
