import { AgencyAliasResolver } from './agency-alias.resolver';
import { reflowParagraphs } from './paragraph-reflow.util';
import { parseProseTasks } from './prose-task.parser';

const resolver = new AgencyAliasResolver();
const parse = (text: string) => parseProseTasks(reflowParagraphs(text.split('\n')), resolver);

// Invented assignments in the shape of the real plans' task chapters.
const CHAPTER = `1. Cải thiện thủ tục cấp phép

a) Cấp phép xây dựng

Sở Xây dựng chủ trì, phối hợp với các Sở, ban, ngành và UBND các huyện, thành phố:

- Công khai quy trình cấp phép xây dựng trên cổng thông tin của tỉnh.

- Rút ngắn thời gian thẩm định hồ sơ đến hết năm 2023.

b) Sở Tư pháp: tổ chức tập huấn pháp luật cho doanh nghiệp nhỏ và vừa.

2. Hỗ trợ doanh nghiệp

a) Sở Kế hoạch và Đầu tư phối hợp với các đơn vị liên quan:

- Tổ chức hội nghị đối thoại với doanh nghiệp.

+ Tổng hợp kiến nghị của doanh nghiệp sau hội nghị.

b) Về tín dụng

Ngân hàng Nhà nước chi nhánh tỉnh tiếp tục chỉ đạo các ngân hàng đơn giản hóa thủ tục vay vốn.

Đồng thời báo cáo kết quả trước ngày 15 tháng 12 năm 2023.`;

describe(parseProseTasks.name, () => {
  it('does read numbered items as sections when the chapter is prose', () => {
    expect(parse(CHAPTER).sections).toEqual([
      { ordinal: '1', title: 'Cải thiện thủ tục cấp phép' },
      { ordinal: '2', title: 'Hỗ trợ doanh nghiệp' },
    ]);
  });

  it('does give each bullet the agencies of the lead-in above it when the bullet names none', () => {
    const tasks = parse(CHAPTER).tasks;
    expect(tasks.slice(0, 2)).toEqual([
      {
        ordinal: 'a.1',
        section: '1',
        title: 'Công khai quy trình cấp phép xây dựng trên cổng thông tin của tỉnh.',
        lead: ['Sở Xây dựng'],
        coordinating: ['các Sở, ban, ngành', 'UBND các huyện, thành phố'],
        timeframe: '',
        line: 7,
      },
      expect.objectContaining({ ordinal: 'a.2', lead: ['Sở Xây dựng'], timeframe: 'đến hết năm 2023' }),
    ]);
  });

  it('does read an item as one task when the agency and the work share a sentence', () => {
    expect(parse(CHAPTER).tasks[2]).toMatchObject({
      ordinal: 'b',
      section: '1',
      lead: ['Sở Tư pháp'],
      coordinating: [],
      title: 'Tổ chức tập huấn pháp luật cho doanh nghiệp nhỏ và vừa.',
    });
  });

  it('does number "+" items under their bullet and keep its agencies when nested', () => {
    const tasks = parse(CHAPTER).tasks.filter((task) => task.section === '2');
    expect(tasks.map((task) => [task.ordinal, task.lead, task.coordinating])).toEqual([
      ['a.1', ['Sở Kế hoạch và Đầu tư'], ['các đơn vị liên quan']],
      ['a.1.1', ['Sở Kế hoạch và Đầu tư'], ['các đơn vị liên quan']],
      ['b', ['Ngân hàng Nhà nước chi nhánh tỉnh'], []],
    ]);
  });

  it('does append an unmarked paragraph to the task above it and read its deadline when it continues that task', () => {
    const last = parse(CHAPTER).tasks.at(-1);
    expect(last?.title).toBe(
      'Ngân hàng Nhà nước chi nhánh tỉnh tiếp tục chỉ đạo các ngân hàng đơn giản hóa thủ tục vay vốn. Đồng thời báo cáo kết quả trước ngày 15 tháng 12 năm 2023.',
    );
  });

  it('does find no tasks and list the skipped bullets when the prose names no agencies', () => {
    const result = parse('1. Mục tiêu chung\n\n- Nâng cao chỉ số năng lực cạnh tranh.\n\n- Giảm chi phí cho doanh nghiệp.');
    expect(result.tasks).toEqual([]);
    expect(result.skippedLines).toEqual([3, 5]);
  });

  it('does give a sentence item the agencies named at the top of its section when it names none itself', () => {
    const { tasks } = parse(
      '1. Phối hợp giữa các cơ quan\n\nGiám đốc các Sở, ban, ngành, Chủ tịch UBND cấp huyện:\n\na) Chủ động rà soát và báo cáo vướng mắc về đất đai, đầu tư và xây dựng trong quá trình thực hiện.',
    );
    expect(tasks).toEqual([expect.objectContaining({ ordinal: 'a', lead: ['các Sở, ban, ngành', 'UBND cấp huyện'] })]);
  });
});
