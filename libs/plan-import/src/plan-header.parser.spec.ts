import { reflowParagraphs } from './paragraph-reflow.util';
import { parsePlanHeader } from './plan-header.parser';

const header = (text: string) => {
  const lines = text.split('\n');
  return parsePlanHeader(lines, reflowParagraphs(lines), text);
};

describe(parsePlanHeader.name, () => {
  it('does read number, date, province, title, resolution and year when the header is complete', () => {
    const text = [
      'ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH',
      'Số: 39 /KHHD-UBND',
      'Thái Bình, ngày 14 tháng 02 năm 2023',
      'KẾ HOẠCH',
      'Hành động thực hiện Nghị quyết số 01/NQ-CP ngày 06 tháng 01 năm 2023 của Chính phủ về cải thiện môi trường kinh doanh năm 2023 trên địa bàn tỉnh Thái Bình',
      'Căn cứ Nghị quyết số 02/NQ-CP ngày 10/01/2022 của Chính phủ.',
    ].join('\n');
    expect(header(text)).toEqual({
      number: '39/KHHD-UBND',
      issuedOn: '2023-02-14',
      provinceName: 'Thái Bình',
      title:
        'Hành động thực hiện Nghị quyết số 01/NQ-CP ngày 06 tháng 01 năm 2023 của Chính phủ về cải thiện môi trường kinh doanh năm 2023 trên địa bàn tỉnh Thái Bình',
      resolution: { number: '01/NQ-CP', issuedOn: '2023-01-06' },
      year: 2023,
    });
  });

  it('does accept the date as dd/mm/yyyy when the place line uses slashes', () => {
    expect(header('Số: 5/KH-UBND\nĐắk Lắk, ngày 03/3/2023\nKẾ HOẠCH\nCải thiện môi trường kinh doanh năm 2023').issuedOn).toBe(
      '2023-03-03',
    );
  });

  it('does take number and date from the appendix line when the header lacks them', () => {
    const text =
      'KẾ HOẠCH\nThực hiện Nghị quyết số 02/NQ-CP ngày 10/01/2022 năm 2022 trên địa bàn tỉnh Hậu Giang\n(Ban hành kèm theo Kế hoạch số: 8 /KH-UBND ngày 21 / 01 /2022 của UBND tỉnh Hậu Giang)';
    expect(header(text)).toMatchObject({ number: '8/KH-UBND', issuedOn: '2022-01-21', provinceName: 'Hậu Giang', year: 2022 });
  });

  it('does leave number and date null when the text never states them', () => {
    const result = header('KẾ HOẠCH\nThực hiện Nghị quyết số 02/NQ-CP của Chính phủ năm 2021 trên địa bàn tỉnh Lạng Sơn');
    expect(result).toMatchObject({
      number: null,
      issuedOn: null,
      provinceName: 'Lạng Sơn',
      resolution: { number: '02/NQ-CP', issuedOn: null },
      year: 2021,
    });
  });

  it('does reject an impossible issue date when the header has one', () => {
    expect(header('Thái Bình, ngày 31 tháng 02 năm 2023\nKẾ HOẠCH\nCải thiện môi trường kinh doanh').issuedOn).toBeNull();
  });
});
