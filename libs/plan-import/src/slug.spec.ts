import { slugify } from './slug';

describe(slugify.name, () => {
  it.each([
    ['Sở Kế hoạch và Đầu tư', 'so-ke-hoach-va-dau-tu'],
    ['Thái Bình', 'thai-binh'],
    ['Đắk Lắk', 'dak-lak'],
    ['Bà Rịa - Vũng Tàu', 'ba-ria-vung-tau'],
    ['Sở TN&MT', 'so-tn-mt'],
    ['  --Văn phòng UBND tỉnh!! ', 'van-phong-ubnd-tinh'],
    ['Ủy ban nhân dân', 'uy-ban-nhan-dan'],
    ['Uỷ ban nhân dân', 'uy-ban-nhan-dan'],
    ['Quý II/2021', 'quy-ii-2021'],
    ['', ''],
  ])('does fold %j to %j when given Vietnamese text', (name, expected) => {
    expect(slugify(name)).toBe(expected);
  });

  it('does give the same slug when the input is decomposed (NFD)', () => {
    const composed = 'Sở Tài nguyên và Môi trường Đồng Tháp';
    expect(slugify(composed.normalize('NFD'))).toBe(slugify(composed));
    expect(slugify(composed.normalize('NFD'))).toBe('so-tai-nguyen-va-moi-truong-dong-thap');
  });

  it('does return only lower-case ASCII letters, digits and single hyphens when given any text', () => {
    const slug = slugify('  Hồ Chí Minh — “Phố” ĐÔNG  ỨNG  ');
    expect(slug).toBe('ho-chi-minh-pho-dong-ung');
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
