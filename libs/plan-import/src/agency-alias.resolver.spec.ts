import { AgencyAliasResolver } from './agency-alias.resolver';

const resolver = new AgencyAliasResolver();

// Spellings found in the agency cells and assignments of the three sample plans.
const REAL_SPELLINGS: readonly [string, string][] = [
  ['Các Sở, Ban ngành', 'Các sở, ban, ngành'],
  ['Các Sở, ngành', 'Các sở, ban, ngành'],
  ['Các sở ngành', 'Các sở, ban, ngành'],
  ['Các Sở, ban, ngành liên quan', 'Các sở, ban, ngành'],
  ['Các Sở, ban, ngành khác có liên quan', 'Các sở, ban, ngành'],
  ['Các sở, ban, ngành tỉnh', 'Các sở, ban, ngành'],
  ['các Sở, ban, ngành, đoàn thể tỉnh', 'Các sở, ban, ngành, đoàn thể tỉnh'],
  ['UBND các huyện, thị xã, thành phố', 'UBND các huyện, thị xã, thành phố'],
  ['UBND huyện, thị xã, thành phố', 'UBND các huyện, thị xã, thành phố'],
  ['UBND các huyện, thành phố', 'UBND các huyện, thị xã, thành phố'],
  ['Ủy ban nhân dân các huyện, thành phố', 'UBND các huyện, thị xã, thành phố'],
  ['UBND cấp huyện', 'UBND các huyện, thị xã, thành phố'],
  ['các đơn vị liên quan', 'Các cơ quan, đơn vị liên quan'],
  ['các đơn vị có liên quan', 'Các cơ quan, đơn vị liên quan'],
  ['các cơ quan, đơn vị có liên quan', 'Các cơ quan, đơn vị liên quan'],
  ['cá nhân, doanh nghiệp.', 'Cá nhân, doanh nghiệp'],
  ['Doanh nghiệp trên địa bàn tỉnh', 'Doanh nghiệp trên địa bàn tỉnh'],
  ['Sở Kế hoạch và Đầu tư', 'Sở Kế hoạch và Đầu tư'],
  ['Sở Tư pháp', 'Sở Tư pháp'],
  ['Sở Nội vụ', 'Sở Nội vụ'],
  ['Sở Xây dựng', 'Sở Xây dựng'],
  ['Sở Y tế', 'Sở Y tế'],
  ['Sở Công Thương', 'Sở Công Thương'],
  ['Sở Thông tin và Truyền thông', 'Sở Thông tin và Truyền thông'],
  ['Sở Thông tin và truyền thông', 'Sở Thông tin và Truyền thông'],
  ['Sở Tài nguyên và Môi trường', 'Sở Tài nguyên và Môi trường'],
  ['Sở Tài Nguyên và Môi trường', 'Sở Tài nguyên và Môi trường'],
  ['Sở Khoa học và Công nghệ', 'Sở Khoa học và Công nghệ'],
  ['Sở Khoa học Công nghệ', 'Sở Khoa học và Công nghệ'],
  ['Sở Giáo dục và Đào tạo', 'Sở Giáo dục và Đào tạo'],
  ['Sở Nông nghiệp và Phát triển nông thôn', 'Sở Nông nghiệp và Phát triển nông thôn'],
  ['Sở Lao động, Thương binh và Xã hội', 'Sở Lao động - Thương binh và Xã hội'],
  ['Sở Lao động - Thương binh và Xã hội', 'Sở Lao động - Thương binh và Xã hội'],
  ['Sở Lao động – Thương binh và Xã hội', 'Sở Lao động - Thương binh và Xã hội'],
  ['Sở Lao động Thương binh và Xã hội', 'Sở Lao động - Thương binh và Xã hội'],
  ['Văn phòng UBND tỉnh', 'Văn phòng UBND tỉnh'],
  ['Văn phòng Ủy ban nhân dân tỉnh', 'Văn phòng UBND tỉnh'],
  ['Cục thuế', 'Cục Thuế tỉnh'],
  ['Cục thuế tỉnh', 'Cục Thuế tỉnh'],
  ['Cục Thuế tỉnh', 'Cục Thuế tỉnh'],
  ['Cục Hải quan', 'Cục Hải quan tỉnh'],
  ['Chi cục Hải quan Sóc Trăng', 'Chi cục Hải quan tỉnh'],
  ['Cục Thống kê tỉnh', 'Cục Thống kê tỉnh'],
  ['Cục Quản lý thị trường tỉnh', 'Cục Quản lý thị trường tỉnh'],
  ['Bảo hiểm xã hội tỉnh', 'Bảo hiểm xã hội tỉnh'],
  ['Ngân hàng Nhà nước Chi nhánh tỉnh Sóc Trăng', 'Ngân hàng Nhà nước chi nhánh tỉnh'],
  ['Ngân hàng nhà nước Chi nhánh tỉnh Lạng Sơn', 'Ngân hàng Nhà nước chi nhánh tỉnh'],
  ['Ngân hàng nhà nước Việt Nam Chi nhánh Lạng Sơn', 'Ngân hàng Nhà nước chi nhánh tỉnh'],
  ['Ngân hàng Nhà nước Việt Nam Chi nhánh tỉnh', 'Ngân hàng Nhà nước chi nhánh tỉnh'],
  ['Thanh tra tỉnh', 'Thanh tra tỉnh'],
  ['Công an tỉnh', 'Công an tỉnh'],
  ['Tòa án tỉnh', 'Tòa án nhân dân tỉnh'],
  ['Tòa án nhân dân tỉnh', 'Tòa án nhân dân tỉnh'],
  ['Tòa án nhân dân các huyện, thành phố', 'Tòa án nhân dân cấp huyện'],
  ['Trung tâm Phục vụ hành chính công tỉnh', 'Trung tâm Phục vụ hành chính công tỉnh'],
  ['Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch Kiên Giang', 'Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh'],
  ['Đài Phát thanh - Truyền hình tỉnh Sóc Trăng', 'Đài Phát thanh và Truyền hình tỉnh'],
  ['Đài Phát thanh và Truyền hình Kiên Giang', 'Đài Phát thanh và Truyền hình tỉnh'],
  ['Đài PT&TH', 'Đài Phát thanh và Truyền hình tỉnh'],
  ['Báo Sóc Trăng', 'Báo tỉnh'],
  ['Báo Kiên Giang', 'Báo tỉnh'],
  ['Bưu điện Sóc Trăng', 'Bưu điện tỉnh'],
  ['Công ty Điện lực Sóc Trăng', 'Công ty Điện lực tỉnh'],
  ['Công ty Cổ phần Cấp nước Sóc Trăng', 'Công ty Cổ phần Cấp nước tỉnh'],
  ['Công ty Cổ phần Công trình Đô thị Sóc Trăng', 'Công ty Cổ phần Công trình đô thị tỉnh'],
  ['Các công ty Viễn thông', 'Các công ty viễn thông'],
  ['Các Trường cao đẳng', 'Các trường cao đẳng'],
  ['Các trường đại học, cao đẳng, trung cấp trên địa bàn tỉnh', 'Các trường đại học, cao đẳng, trung cấp'],
  ['Cơ sở giáo dục trên địa bàn tỉnh', 'Các cơ sở giáo dục trên địa bàn tỉnh'],
  ['Hiệp hội Doanh nghiệp tỉnh', 'Hiệp hội Doanh nghiệp tỉnh'],
  ['Hội Doanh nhân trẻ tỉnh', 'Hội Doanh nhân trẻ tỉnh'],
  ['Liên minh Hợp tác xã tỉnh', 'Liên minh Hợp tác xã tỉnh'],
  ['Uỷ Ban MTTQ VN tỉnh', 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh'],
];

describe(AgencyAliasResolver.name, () => {
  it('does cover at least 40 real spellings when checked against the sample plans', () => {
    expect(REAL_SPELLINGS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(REAL_SPELLINGS)('does resolve %j to %j when it is a spelling from a real plan', (raw, canonical) => {
    expect(resolver.resolve(raw)).toMatchObject({ name: canonical, confident: true });
  });

  it.each([
    ['Sở Tài Nguyên và Môi trường', 'Sở Tài nguyên và Môi trường'],
    ['Sở Tài nguyên & Môi trường', 'Sở Tài nguyên và Môi trường'],
    ['Sở TN&MT', 'Sở Tài nguyên và Môi trường'],
    ['Sở TNMT', 'Sở Tài nguyên và Môi trường'],
    ['Cục thuế', 'Cục Thuế tỉnh'],
    ['Sở Lao động TBXH', 'Sở Lao động - Thương binh và Xã hội'],
    ['Sở LĐ-TB&XH', 'Sở Lao động - Thương binh và Xã hội'],
    ['Sở KH&ĐT', 'Sở Kế hoạch và Đầu tư'],
    ['Sở VH,TT&DL', 'Sở Văn hóa, Thể thao và Du lịch'],
    ['Sở Văn hoá, Thể thao và Du lịch', 'Sở Văn hóa, Thể thao và Du lịch'],
  ])('does map the alias %j to %j when it is a known abbreviation or variant', (raw, canonical) => {
    expect(resolver.resolve(raw)).toMatchObject({ name: canonical, confident: true });
  });

  it('does treat UBND and Ủy ban nhân dân, Uỷ and Ủy as the same when resolving', () => {
    const names = ['UBND tỉnh', 'Ủy ban nhân dân tỉnh', 'Uỷ ban nhân dân tỉnh', 'UỶ BAN NHÂN DÂN TỈNH'].map(
      (raw) => resolver.resolve(raw).name,
    );
    expect(new Set(names)).toEqual(new Set(['Ủy ban nhân dân tỉnh']));
  });

  it('does ignore Unicode normalisation, case, spacing and bullets when resolving', () => {
    const variants = [
      'Sở Kế hoạch và Đầu tư'.normalize('NFD'),
      '  sở   kế HOẠCH và đầu TƯ ',
      '- Sở Kế hoạch và Đầu tư;',
      '<p>Sở Kế hoạch\u00a0và Đầu tư</p>',
    ];
    for (const raw of variants) {
      expect(resolver.resolve(raw)).toEqual({
        name: 'Sở Kế hoạch và Đầu tư',
        code: 'so-ke-hoach-va-dau-tu',
        isGroup: false,
        confident: true,
      });
    }
  });

  it('does mark groups when the name stands for several bodies', () => {
    expect(resolver.resolve('Các Sở, Ban ngành').isGroup).toBe(true);
    expect(resolver.resolve('UBND các huyện, thị xã, thành phố')).toMatchObject({ isGroup: true, code: 'ubnd-cac-huyen-thi-xa-thanh-pho' });
    expect(resolver.resolve('các đơn vị liên quan').isGroup).toBe(true);
    expect(resolver.resolve('Sở Tư pháp').isGroup).toBe(false);
  });

  it('does pass an unknown name through as written, not confident, when it is not in the registry', () => {
    expect(resolver.resolve(' Ban Quản lý dự án đầu tư xây dựng  ')).toEqual({
      name: 'Ban Quản lý dự án đầu tư xây dựng',
      code: 'ban-quan-ly-du-an-dau-tu-xay-dung',
      isGroup: false,
      confident: false,
    });
  });

  it('does guess a group when an unknown name starts with "Các" or ends with "liên quan"', () => {
    expect(resolver.resolve('Các hợp tác xã nông nghiệp')).toMatchObject({ isGroup: true, confident: false });
    expect(resolver.resolve('Hội nghề nghiệp liên quan')).toMatchObject({ isGroup: true, confident: false });
  });

  it('does let agencies given to the constructor win over the built-in registry when names collide', () => {
    const custom = new AgencyAliasResolver([
      { name: 'Sở Kế hoạch và Đầu tư Thái Bình', aliases: ['Sở KHĐT', 'SKHĐT TB'] },
      { name: 'Các phòng chuyên môn', aliases: ['Phòng chuyên môn'], isGroup: true },
    ]);
    expect(custom.resolve('Sở KHĐT')).toMatchObject({ name: 'Sở Kế hoạch và Đầu tư Thái Bình', confident: true });
    expect(custom.resolve('SKHĐT TB').code).toBe('so-ke-hoach-va-dau-tu-thai-binh');
    expect(custom.resolve('phòng chuyên môn')).toMatchObject({ name: 'Các phòng chuyên môn', isGroup: true });
    expect(custom.resolve('Sở Tư pháp').confident).toBe(true);
  });

  it('does give code = slug of the canonical name when resolving', () => {
    expect(resolver.resolve('Sở Lao động TBXH').code).toBe('so-lao-dong-thuong-binh-va-xa-hoi');
    expect(resolver.resolve('Cục thuế').code).toBe('cuc-thue-tinh');
  });
});
