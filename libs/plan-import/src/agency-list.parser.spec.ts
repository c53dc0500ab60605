import { splitAgencies, splitAgenciesDetailed } from './agency-list.parser';

describe(splitAgencies.name, () => {
  it.each([
    ['Sở Văn hóa, Thể thao và Du lịch', ['Sở Văn hóa, Thể thao và Du lịch']],
    ['Sở Kế hoạch và Đầu tư', ['Sở Kế hoạch và Đầu tư']],
    ['UBND các huyện, thị xã, thành phố', ['UBND các huyện, thị xã, thành phố']],
    ['Các Sở, Ban ngành', ['Các Sở, Ban ngành']],
    ['Sở Lao động, Thương binh và Xã hội', ['Sở Lao động, Thương binh và Xã hội']],
    ['Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch Kiên Giang', ['Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch Kiên Giang']],
  ])('does keep %j whole when the name itself contains commas or "và"', (cell, expected) => {
    expect(splitAgencies(cell)).toEqual(expected);
  });

  it.each([
    ['Sở Tư pháp; Sở Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
    ['Sở Tư pháp, Sở Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
    ['Sở Tư pháp và Sở Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
    ['Sở Tư pháp\nSở Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
    ['Sở Tư pháp<br>Sở Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
    ['- Sở Tư pháp;\n- Sở Nội vụ.', ['Sở Tư pháp', 'Sở Nội vụ']],
  ])('does split %j when agencies are joined by ";", ",", "và" or line breaks', (cell, expected) => {
    expect(splitAgencies(cell)).toEqual(expected);
  });

  it.each([
    ['Các Sở, Ban ngành; UBND các huyện, thị xã, thành phố', ['Các Sở, Ban ngành', 'UBND các huyện, thị xã, thành phố']],
    ['Các Sở, ngành, UBND các huyện, thị xã, thành phố', ['Các Sở, ngành', 'UBND các huyện, thị xã, thành phố']],
    ['Các sở ngành, UBND huyện, thị xã, thành phố', ['Các sở ngành', 'UBND huyện, thị xã, thành phố']],
    [
      'Văn phòng UBND tỉnh và Các Sở, Ban ngành; UBND các huyện, thị xã, thành phố',
      ['Văn phòng UBND tỉnh', 'Các Sở, Ban ngành', 'UBND các huyện, thị xã, thành phố'],
    ],
    [
      'Các Sở, ban, ngành liên quan; UBND các huyện, thành phố và cá nhân, doanh nghiệp.',
      ['Các Sở, ban, ngành liên quan', 'UBND các huyện, thành phố', 'cá nhân, doanh nghiệp'],
    ],
    [
      'Các Sở, ban, ngành liên quan; UBND các huyện, thành phố và các đơn vị liên quan',
      ['Các Sở, ban, ngành liên quan', 'UBND các huyện, thành phố', 'các đơn vị liên quan'],
    ],
    [
      'Báo Sóc Trăng; Đài Phát thanh - Truyền hình tỉnh Sóc Trăng, Các Sở, Ban ngành; UBND các huyện, thị xã, thành phố',
      ['Báo Sóc Trăng', 'Đài Phát thanh - Truyền hình tỉnh Sóc Trăng', 'Các Sở, Ban ngành', 'UBND các huyện, thị xã, thành phố'],
    ],
    [
      'Các Sở, Ban ngành; UBND các huyện, thị xã, thành phố, Doanh nghiệp trên địa bàn tỉnh',
      ['Các Sở, Ban ngành', 'UBND các huyện, thị xã, thành phố', 'Doanh nghiệp trên địa bàn tỉnh'],
    ],
    [
      'Sở Văn hóa, Thể thao và Du lịch, Sở Kế hoạch và Đầu tư và Sở Tài chính',
      ['Sở Văn hóa, Thể thao và Du lịch', 'Sở Kế hoạch và Đầu tư', 'Sở Tài chính'],
    ],
  ])('does split %j into whole names when group names with commas sit among other agencies', (cell, expected) => {
    expect(splitAgencies(cell)).toEqual(expected);
  });

  it('does keep unknown names with lower-case tails whole when the registry does not know them', () => {
    expect(splitAgencies('Ban Quản lý dự án, công trình và Phòng Tài chính - Kế hoạch')).toEqual([
      'Ban Quản lý dự án, công trình',
      'Phòng Tài chính - Kế hoạch',
    ]);
  });

  it('does return no names when the cell is empty or only markup', () => {
    expect(splitAgencies('')).toEqual([]);
    expect(splitAgencies(' <p></p> ')).toEqual([]);
  });
});

describe(splitAgenciesDetailed.name, () => {
  it('does split companies that ran together and say so when line breaks were lost', () => {
    const split = splitAgenciesDetailed(
      'Công ty Điện lực Thái Bình Công ty Cổ phần Cấp nước Thái Bình Các công ty Viễn thông; Bưu điện Thái Bình',
    );
    expect(split).toEqual({
      parts: ['Công ty Điện lực Thái Bình', 'Công ty Cổ phần Cấp nước Thái Bình', 'Các công ty Viễn thông', 'Bưu điện Thái Bình'],
      ranTogether: true,
    });
  });

  it('does not report running together when names are separated', () => {
    expect(splitAgenciesDetailed('Công ty Điện lực tỉnh; Bưu điện tỉnh').ranTogether).toBe(false);
  });
});
