// Built-in registry of agencies that provincial plans commonly name. Names are province-neutral
// ("… of the province"); a province name written after an agency is ignored when matching. Aliases only need
// listing when they differ from the name by more than case, accents, punctuation or "UBND".

export interface KnownAgency {
  name: string;
  aliases?: string[];
  isGroup?: boolean;
}

/** A group written in too many ways to list: matched on the agency key (see agency-key.ts). */
export interface AgencyKeyPattern {
  pattern: RegExp;
  name: string;
  isGroup: boolean;
}

export const BUILT_IN_AGENCIES: readonly KnownAgency[] = [
  { name: 'Sở Kế hoạch và Đầu tư', aliases: ['Sở KH&ĐT', 'Sở KHĐT', 'Sở KH và ĐT', 'Sở Kế hoạch - Đầu tư', 'SKHĐT'] },
  { name: 'Sở Tài chính', aliases: ['Sở TC'] },
  { name: 'Sở Tư pháp' },
  { name: 'Sở Nội vụ' },
  { name: 'Sở Công Thương', aliases: ['Sở Công nghiệp và Thương mại'] },
  { name: 'Sở Xây dựng' },
  { name: 'Sở Giao thông vận tải', aliases: ['Sở GTVT', 'Sở Giao thông và Vận tải'] },
  { name: 'Sở Tài nguyên và Môi trường', aliases: ['Sở TN&MT', 'Sở TNMT', 'Sở Tài nguyên - Môi trường'] },
  {
    name: 'Sở Nông nghiệp và Phát triển nông thôn',
    aliases: ['Sở NN&PTNT', 'Sở NNPTNT', 'Sở Nông nghiệp và PTNT', 'Sở Nông nghiệp - Phát triển nông thôn'],
  },
  { name: 'Sở Khoa học và Công nghệ', aliases: ['Sở KH&CN', 'Sở KHCN', 'Sở Khoa học Công nghệ'] },
  { name: 'Sở Thông tin và Truyền thông', aliases: ['Sở TT&TT', 'Sở TTTT', 'Sở Thông tin - Truyền thông'] },
  {
    name: 'Sở Lao động - Thương binh và Xã hội',
    aliases: ['Sở LĐ-TB&XH', 'Sở LĐTBXH', 'Sở LĐ-TBXH', 'Sở Lao động TBXH', 'Sở Lao động TB&XH'],
  },
  { name: 'Sở Giáo dục và Đào tạo', aliases: ['Sở GD&ĐT', 'Sở GDĐT', 'Sở Giáo dục - Đào tạo'] },
  { name: 'Sở Y tế' },
  { name: 'Sở Văn hóa, Thể thao và Du lịch', aliases: ['Sở VH,TT&DL', 'Sở VHTTDL', 'Sở VH-TT&DL', 'Sở VHTT&DL'] },
  { name: 'Sở Văn hóa và Thể thao' },
  { name: 'Sở Du lịch' },
  { name: 'Sở Ngoại vụ' },
  { name: 'Thanh tra tỉnh' },
  { name: 'Ủy ban nhân dân tỉnh', aliases: ['UBND tỉnh'] },
  { name: 'Văn phòng UBND tỉnh', aliases: ['VP UBND tỉnh', 'VPUBND tỉnh', 'Văn phòng UBND'] },
  { name: 'Ban Dân tộc tỉnh' },
  { name: 'Ban Quản lý Khu kinh tế tỉnh', aliases: ['BQL Khu kinh tế'] },
  { name: 'Ban Quản lý các khu công nghiệp tỉnh', aliases: ['BQL các KCN'] },
  { name: 'Cục Thuế tỉnh' },
  { name: 'Cục Hải quan tỉnh' },
  { name: 'Chi cục Hải quan tỉnh' },
  { name: 'Cục Thống kê tỉnh' },
  { name: 'Cục Quản lý thị trường tỉnh', aliases: ['Cục QLTT tỉnh'] },
  { name: 'Cục Thi hành án dân sự tỉnh', aliases: ['Cục THADS tỉnh'] },
  { name: 'Kho bạc Nhà nước tỉnh', aliases: ['KBNN tỉnh'] },
  {
    name: 'Ngân hàng Nhà nước chi nhánh tỉnh',
    aliases: [
      'Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh',
      'NHNN chi nhánh tỉnh',
      'NH NN chi nhánh tỉnh',
      'NHNN tỉnh',
      'Ngân hàng Nhà nước tỉnh',
    ],
  },
  { name: 'Bảo hiểm xã hội tỉnh', aliases: ['BHXH tỉnh'] },
  { name: 'Công an tỉnh' },
  { name: 'Tòa án nhân dân tỉnh', aliases: ['Tòa án tỉnh', 'TAND tỉnh'] },
  { name: 'Viện Kiểm sát nhân dân tỉnh', aliases: ['VKSND tỉnh'] },
  { name: 'Trung tâm Phục vụ hành chính công tỉnh', aliases: ['Trung tâm PVHCC tỉnh'] },
  { name: 'Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh' },
  {
    name: 'Đài Phát thanh và Truyền hình tỉnh',
    aliases: ['Đài Phát thanh - Truyền hình tỉnh', 'Đài PT&TH tỉnh', 'Đài PTTH tỉnh', 'Đài PT-TH tỉnh'],
  },
  { name: 'Báo tỉnh' },
  { name: 'Bưu điện tỉnh' },
  { name: 'Công ty Điện lực tỉnh', aliases: ['Điện lực tỉnh'] },
  { name: 'Công ty Cổ phần Cấp nước tỉnh', aliases: ['Công ty Cấp nước tỉnh'] },
  { name: 'Công ty Cổ phần Công trình đô thị tỉnh', aliases: ['Công ty Công trình đô thị tỉnh'] },
  { name: 'Hiệp hội Doanh nghiệp tỉnh' },
  { name: 'Hội Doanh nhân trẻ tỉnh' },
  { name: 'Liên minh Hợp tác xã tỉnh', aliases: ['Liên minh HTX tỉnh'] },
  { name: 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', aliases: ['Ủy ban MTTQ Việt Nam tỉnh', 'Ủy ban MTTQ VN tỉnh', 'UBMTTQ tỉnh'] },
  {
    name: 'Tòa án nhân dân cấp huyện',
    aliases: ['Tòa án nhân dân các huyện, thành phố', 'Tòa án nhân dân các huyện, thị xã, thành phố', 'TAND cấp huyện'],
    isGroup: true,
  },
  { name: 'Các tổ chức tín dụng', aliases: ['Các TCTD'], isGroup: true },
  { name: 'Các công ty viễn thông', aliases: ['Các Cty Viễn thông', 'Các doanh nghiệp viễn thông'], isGroup: true },
  {
    name: 'Các trường đại học, cao đẳng, trung cấp',
    aliases: ['Các trường đại học, cao đẳng, trung cấp trên địa bàn tỉnh'],
    isGroup: true,
  },
  { name: 'Các trường cao đẳng', aliases: ['Các trường cao đẳng trên địa bàn tỉnh'], isGroup: true },
  { name: 'Các cơ sở giáo dục trên địa bàn tỉnh', aliases: ['Cơ sở giáo dục trên địa bàn tỉnh', 'Các cơ sở giáo dục'], isGroup: true },
  {
    name: 'Doanh nghiệp trên địa bàn tỉnh',
    aliases: ['Các doanh nghiệp trên địa bàn tỉnh', 'Doanh nghiệp', 'Các doanh nghiệp'],
    isGroup: true,
  },
  { name: 'Cá nhân, doanh nghiệp', aliases: ['Cá nhân và doanh nghiệp'], isGroup: true },
];

// Keys are slugs with "People's Committee" shortened to "ubnd" (see agency-key.util.ts).
export const BUILT_IN_PATTERNS: readonly AgencyKeyPattern[] = [
  // All departments, with or without commas, "provincial", "(other) concerned".
  { pattern: /^(cac-)?so-(ban-)?nganh(-tinh)?(-(khac-)?(co-)?lien-quan)?$/, name: 'Các sở, ban, ngành', isGroup: true },
  { pattern: /^(cac-)?so-ban-nganh-doan-the(-cap)?(-tinh)?$/, name: 'Các sở, ban, ngành, đoàn thể tỉnh', isGroup: true },
  // District-level People's Committees, however the district kinds are listed.
  {
    pattern: /^ubnd-(cac-)?(cap-huyen|huyen(-thi-xa)?(-thanh-pho)?|huyen-thanh-pho-thi-xa)$/,
    name: 'UBND các huyện, thị xã, thành phố',
    isGroup: true,
  },
  { pattern: /^ubnd-(cac-)?(cap-xa|xa(-phuong)?(-thi-tran)?)$/, name: 'UBND các xã, phường, thị trấn', isGroup: true },
  // "the agencies/units concerned" in its several wordings.
  { pattern: /^(cac-)?(co-quan|don-vi)(-(va-)?(co-quan|don-vi))?(-co)?-lien-quan$/, name: 'Các cơ quan, đơn vị liên quan', isGroup: true },
];
