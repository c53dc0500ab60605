import { AgencyAliasResolver } from './agency-alias.resolver';
import { parseLeadIn } from './lead-in.parser';

const resolver = new AgencyAliasResolver();

describe(parseLeadIn.name, () => {
  it.each([
    [
      'Sở Xây dựng chủ trì, phối hợp với các Sở, ban, ngành và UBND các huyện, thành phố.',
      { lead: ['Sở Xây dựng'], coordinating: ['các Sở, ban, ngành', 'UBND các huyện, thành phố'], ownText: null },
    ],
    [
      'Tòa án nhân dân tỉnh chủ trì, phối hợp với Tòa án nhân dân các huyện, thành phố và các đơn vị liên quan: xét xử đúng hạn các vụ tranh chấp.',
      {
        lead: ['Tòa án nhân dân tỉnh'],
        coordinating: ['Tòa án nhân dân các huyện, thành phố', 'các đơn vị liên quan'],
        ownText: 'Xét xử đúng hạn các vụ tranh chấp.',
      },
    ],
    [
      'Sở Tư pháp và Ủy ban nhân dân các huyện, thành phố: phổ biến pháp luật cho doanh nghiệp.',
      { lead: ['Sở Tư pháp', 'Ủy ban nhân dân các huyện, thành phố'], coordinating: [], ownText: 'Phổ biến pháp luật cho doanh nghiệp.' },
    ],
    [
      'Sở Thông tin và Truyền thông: chủ trì, phối hợp với các Sở, ban, ngành, cơ quan và đơn vị liên quan xây dựng giải pháp.',
      {
        lead: ['Sở Thông tin và Truyền thông'],
        coordinating: ['các Sở, ban, ngành', 'cơ quan và đơn vị liên quan'],
        ownText: 'Chủ trì, phối hợp với các Sở, ban, ngành, cơ quan và đơn vị liên quan xây dựng giải pháp.',
      },
    ],
    [
      'Cục Thuế tỉnh làm đầu mối theo dõi chỉ số nộp thuế.',
      { lead: ['Cục Thuế tỉnh'], coordinating: [], ownText: 'Cục Thuế tỉnh làm đầu mối theo dõi chỉ số nộp thuế.' },
    ],
  ])('does read %j when a paragraph opens with an assignment', (text, expected) => {
    expect(parseLeadIn(text, resolver)).toEqual(expected);
  });

  it('does read an unknown agency when it is followed by "chủ trì"', () => {
    expect(parseLeadIn('Ban Quản lý dự án tỉnh chủ trì, phối hợp với Sở Xây dựng: hoàn thành hồ sơ.', resolver)).toEqual({
      lead: ['Ban Quản lý dự án tỉnh'],
      coordinating: ['Sở Xây dựng'],
      ownText: 'Hoàn thành hồ sơ.',
    });
  });

  it('does drop the heads of agencies and keep the agencies when the text names the director or chair', () => {
    expect(parseLeadIn('Giám đốc (Thủ trưởng) các Sở, ban, ngành, Chủ tịch UBND cấp huyện:', resolver)).toEqual({
      lead: ['các Sở, ban, ngành', 'UBND cấp huyện'],
      coordinating: [],
      ownText: null,
    });
  });

  it.each(['Đến hết năm 2023, thực hiện đầy đủ các cải cách, gồm: số hóa hồ sơ.', 'Phối hợp với Sở Tài chính bảo đảm kinh phí.'])(
    'does return null for %j when the paragraph does not open with an agency',
    (text) => {
      expect(parseLeadIn(text, resolver)).toBeNull();
    },
  );

  it('does not take a whole sentence before a colon for an agency name when a known agency starts it', () => {
    const text = 'Sở Kế hoạch và Đầu tư tăng cường hướng dẫn doanh nghiệp: (i) đăng ký qua mạng.';
    expect(parseLeadIn(text, resolver)).toEqual({ lead: ['Sở Kế hoạch và Đầu tư'], coordinating: [], ownText: text });
  });
});

describe(`${parseLeadIn.name} with verb-like agency names`, () => {
  it.each(['Thanh tra, kiểm tra việc chấp hành quy định về đất đai.', 'Báo cáo kết quả thực hiện về Sở Kế hoạch và Đầu tư.'])(
    'does not read %j as an assignment when the opening word is a verb that is also an agency name',
    (text) => {
      expect(parseLeadIn(text, resolver)).toBeNull();
    },
  );

  it('does read the inspectorate when it is written with "tỉnh"', () => {
    expect(parseLeadIn('Thanh tra tỉnh chủ trì kiểm tra công vụ.', resolver)?.lead).toEqual(['Thanh tra tỉnh']);
  });
});
