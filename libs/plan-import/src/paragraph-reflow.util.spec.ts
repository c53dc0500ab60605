import { reflowParagraphs } from './paragraph-reflow.util';

describe(reflowParagraphs.name, () => {
  it('does join wrapped lines when the PDF text puts blank lines between them', () => {
    const lines = [
      '1. Tiếp tục cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh',
      '',
      'cấp tỉnh trong năm',
      '',
      'a) Về cấp phép xây dựng',
      '',
      'Sở Xây dựng rút ngắn thời gian cấp phép xây dựng và công khai quy trình trên',
      '',
      'cổng thông tin điện tử của tỉnh.',
    ];
    expect(reflowParagraphs(lines)).toEqual([
      {
        kind: 'number',
        label: '1',
        text: 'Tiếp tục cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh cấp tỉnh trong năm',
        line: 1,
      },
      { kind: 'letter', label: 'a', text: 'Về cấp phép xây dựng', line: 5 },
      {
        kind: 'plain',
        label: null,
        text: 'Sở Xây dựng rút ngắn thời gian cấp phép xây dựng và công khai quy trình trên cổng thông tin điện tử của tỉnh.',
        line: 7,
      },
    ]);
  });

  it('does end a paragraph at a closing "**" and drop markdown emphasis when titles are bold', () => {
    const paragraphs = reflowParagraphs([
      '**Thực hiện Nghị quyết số 02/NQ-CP ngày 06/01/2023 của Chính phủ về',
      'cải thiện môi trường kinh doanh**',
      'Thực hiện chỉ đạo của Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch.',
    ]);
    expect(paragraphs.map((p) => p.text)).toEqual([
      'Thực hiện Nghị quyết số 02/NQ-CP ngày 06/01/2023 của Chính phủ về cải thiện môi trường kinh doanh',
      'Thực hiện chỉ đạo của Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch.',
    ]);
  });

  it('does recognise list markers when lines start with I., 1., a), - or +', () => {
    const kinds = reflowParagraphs(['II. NHIỆM VỤ', '2. Nhóm giải pháp', 'đ) Đất đai', '- Rà soát hồ sơ.', '+ Số hóa hồ sơ.']).map((p) => [
      p.kind,
      p.label,
    ]);
    expect(kinds).toEqual([
      ['roman', 'II'],
      ['number', '2'],
      ['letter', 'đ'],
      ['dash', null],
      ['plus', null],
    ]);
  });

  it('does rejoin a word broken at a hyphen and skip URLs and page numbers when they interrupt the text', () => {
    const paragraphs = reflowParagraphs([
      '- Thực hiện Quyết định số 1234/QĐ-',
      'https://example.org/van-ban',
      '12',
      'TTg của Thủ tướng Chính phủ.',
    ]);
    expect(paragraphs).toEqual([
      { kind: 'dash', label: null, text: 'Thực hiện Quyết định số 1234/QĐ-TTg của Thủ tướng Chính phủ.', line: 1 },
    ]);
  });

  it('does leave tab-separated table lines out when reflowing prose', () => {
    expect(reflowParagraphs(['Phụ lục', 'STT\tNhiệm vụ\tChủ trì', '1\tRà soát\tSở Tư pháp']).map((p) => p.text)).toEqual(['Phụ lục']);
  });
});
