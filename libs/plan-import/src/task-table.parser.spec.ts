import { parseTaskTables, splitRoles } from './task-table.parser';

// Invented rows in the shape of the real appendices (tab-separated, one row per line).
const HEADER = ['STT', 'Nhiệm vụ, giải pháp', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện', 'Ghi chú'];
const lines = (...rows: string[][]) => rows.map((cells) => cells.join('\t'));

describe(parseTaskTables.name, () => {
  it('does read sections and numbered rows when the table has a standard header', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['I. Rút ngắn thời gian cấp phép', '', '', '', '', ''],
        ['1', 'Công bố quy trình cấp phép mới', 'Sở Xây dựng', 'Sở Tư pháp', 'Quý II/2023', ''],
        ['2', 'Số hóa hồ sơ cấp phép', 'Sở Xây dựng', '', 'Năm 2023', 'Ưu tiên'],
        ['II. Hỗ trợ doanh nghiệp', '', '', '', '', ''],
        ['1', 'Tổ chức đối thoại doanh nghiệp', 'Sở Kế hoạch và Đầu tư', 'Hiệp hội Doanh nghiệp tỉnh', 'Thường xuyên', ''],
      ),
    );
    expect(result.sections).toEqual([
      { ordinal: 'I', title: 'Rút ngắn thời gian cấp phép' },
      { ordinal: 'II', title: 'Hỗ trợ doanh nghiệp' },
    ]);
    expect(result.rows.map((row) => [row.section, row.ordinal, row.title, row.lead, row.coordinating, row.timeframe, row.note])).toEqual([
      ['I', '1', 'Công bố quy trình cấp phép mới', 'Sở Xây dựng', 'Sở Tư pháp', 'Quý II/2023', null],
      ['I', '2', 'Số hóa hồ sơ cấp phép', 'Sở Xây dựng', '', 'Năm 2023', 'Ưu tiên'],
      ['II', '1', 'Tổ chức đối thoại doanh nghiệp', 'Sở Kế hoạch và Đầu tư', 'Hiệp hội Doanh nghiệp tỉnh', 'Thường xuyên', null],
    ]);
    expect(result.rows.map((row) => row.line)).toEqual([3, 4, 6]);
    expect(result.warnings).toEqual([]);
  });

  it('does skip the header when it is repeated after a page break, even without its STT', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['1', 'Rà soát thủ tục đất đai', 'Sở Tài nguyên và Môi trường', '', 'Năm 2023', ''],
        ['', ...HEADER.slice(1)],
        ['2', 'Công khai bảng giá đất', 'Sở Tài nguyên và Môi trường', '', 'Quý I/2023', ''],
      ),
    );
    expect(result.rows.map((row) => row.ordinal)).toEqual(['1', '2']);
  });

  it('does merge a row with an empty ordinal into the previous row when it only continues its text', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['1', 'Xây dựng cơ sở dữ liệu doanh nghiệp và', 'Sở Kế hoạch và Đầu tư', 'Sở Tài chính', 'Năm 2023', ''],
        HEADER,
        ['', 'kết nối với cổng dịch vụ công của tỉnh', '', '', '', ''],
        ['2', 'Đào tạo cán bộ một cửa', 'Sở Nội vụ', '', 'Quý III/2023', ''],
      ),
    );
    expect(result.rows).toHaveLength(2);
    expect(result.rows[0]).toMatchObject({
      ordinal: '1',
      title: 'Xây dựng cơ sở dữ liệu doanh nghiệp và kết nối với cổng dịch vụ công của tỉnh',
      lead: 'Sở Kế hoạch và Đầu tư',
      timeframe: 'Năm 2023',
      issues: ['text continued on line 4 (after a page break) was merged into it'],
    });
  });

  it('does merge the continuation when the row was cut before its agencies and timeframe', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['1', 'Triển khai thanh toán không dùng tiền mặt tại', '', '', '', ''],
        ['', 'các bệnh viện công lập', 'Sở Y tế', 'Ngân hàng Nhà nước chi nhánh tỉnh', 'Năm 2023', ''],
      ),
    );
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      title: 'Triển khai thanh toán không dùng tiền mặt tại các bệnh viện công lập',
      lead: 'Sở Y tế',
      coordinating: 'Ngân hàng Nhà nước chi nhánh tỉnh',
      timeframe: 'Năm 2023',
    });
  });

  it('does join every cell of a row cut by a page break, a word cut in two included, when the next row is numbered in sequence', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['1', 'Đối thoại định kỳ với doanh nghiệp', 'Sở Kế hoạch', 'Hiệp hội Doanh nghiệp tỉnh;', 'Thường', ''],
        ['', ...HEADER.slice(1)],
        ['', 'về thủ tục đầu tư', 'và Đầu tư', 'Sở Tư pháp', 'xuyên', 'Ưu tiên'],
        ['2', 'Đào tạo cán bộ một cửa', 'Sở Nội vụ', '', 'Quý III/2023', ''],
      ),
    );
    expect(result.rows.map((row) => [row.ordinal, row.title, row.lead, row.coordinating, row.timeframe, row.note])).toEqual([
      [
        '1',
        'Đối thoại định kỳ với doanh nghiệp về thủ tục đầu tư',
        'Sở Kế hoạch và Đầu tư',
        'Hiệp hội Doanh nghiệp tỉnh; Sở Tư pháp',
        'Thường xuyên',
        'Ưu tiên',
      ],
      ['2', 'Đào tạo cán bộ một cửa', 'Sở Nội vụ', '', 'Quý III/2023', null],
    ]);
  });

  it('does tell a cut row from a row that lost its ordinal by the numbering when both follow page breaks', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['5', 'Thành lập mới 900 doanh nghiệp và thu hút', 'Sở Kế hoạch và Đầu tư', '', 'Năm 2023', ''],
        HEADER,
        ['', 'thêm 10 dự án đầu tư', '', '', '', ''],
        HEADER,
        ['', 'Rút ngắn thời gian cấp điện', 'Công ty Điện lực tỉnh', 'Sở Công Thương', 'Năm 2023', ''],
        ['7', 'Tập huấn hóa đơn điện tử', 'Cục Thuế tỉnh', '', 'Quý II/2023', ''],
      ),
    );
    expect(result.rows.map((row) => [row.ordinal, row.title])).toEqual([
      ['5', 'Thành lập mới 900 doanh nghiệp và thu hút thêm 10 dự án đầu tư'],
      ['6', 'Rút ngắn thời gian cấp điện'],
      ['7', 'Tập huấn hóa đơn điện tử'],
    ]);
    expect(result.rows[1].issues).toEqual(['ordinal missing; inferred 6 from the row before']);
  });

  it('does join the wrapped rest of a section heading to the heading when it has no agencies', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['I. Đẩy mạnh cải cách thủ tục hành chính', '', '', '', '', ''],
        ['trong lĩnh vực đất đai', '', '', '', '', ''],
        ['1', 'Rà soát thủ tục đất đai', 'Sở Tài nguyên và Môi trường', '', 'Năm 2023', ''],
      ),
    );
    expect(result.sections).toEqual([{ ordinal: 'I', title: 'Đẩy mạnh cải cách thủ tục hành chính trong lĩnh vực đất đai' }]);
    expect(result.rows.map((row) => [row.section, row.ordinal])).toEqual([['I', '1']]);
  });

  it('does keep a complete row that lost its ordinal and infer the next number when the previous row is complete', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['4', 'Công bố chỉ số hài lòng', 'Sở Nội vụ', '', 'Quý IV/2023', ''],
        ['', 'Rút ngắn thời gian cấp điện', 'Công ty Điện lực tỉnh', 'Sở Công Thương', 'Năm 2023', ''],
        ['6', 'Tập huấn hóa đơn điện tử', 'Cục Thuế tỉnh', '', 'Quý II/2023', ''],
      ),
    );
    expect(result.rows.map((row) => row.ordinal)).toEqual(['4', '5', '6']);
    expect(result.rows[1]).toMatchObject({
      title: 'Rút ngắn thời gian cấp điện',
      issues: ['ordinal missing; inferred 5 from the row before'],
    });
  });

  it('does realign a row when its ordinal cell is missing altogether', () => {
    const result = parseTaskTables(
      lines(
        HEADER,
        ['1', 'Rà soát điều kiện kinh doanh', 'Sở Tư pháp', '', 'Năm 2023', ''],
        ['Công khai danh mục thủ tục hành chính', 'Văn phòng UBND tỉnh', '', 'Quý I/2023', ''],
      ),
    );
    expect(result.rows[1]).toMatchObject({
      ordinal: '2',
      title: 'Công khai danh mục thủ tục hành chính',
      lead: 'Văn phòng UBND tỉnh',
      timeframe: 'Quý I/2023',
    });
  });

  it('does strip HTML fragments and keep <br> as a line break between agencies when cells carry markup', () => {
    const result = parseTaskTables(
      lines(HEADER, [
        '1',
        '<p>Nâng cấp cổng thông tin</p>',
        '<p>Sở Thông tin và Truyền thông</p>',
        '<p>Sở Nội vụ<br>Văn phòng UBND tỉnh</p>',
        '<p>Năm 2023</p>',
        '<p></p>',
      ]),
    );
    expect(result.rows[0]).toMatchObject({
      title: 'Nâng cấp cổng thông tin',
      lead: 'Sở Thông tin và Truyền thông',
      coordinating: 'Sở Nội vụ\nVăn phòng UBND tỉnh',
      timeframe: 'Năm 2023',
      note: null,
    });
  });

  it('does split one column holding both roles when cells read "- CQ chủ trì: … - CQ phối hợp: …"', () => {
    const result = parseTaskTables(
      lines(
        ['STT', 'Nội dung', 'Cơ quan chủ trì, phối hợp', 'Thời hạn'],
        ['1', 'Đơn giản hóa thủ tục đầu tư', '- CQ chủ trì: Sở Kế hoạch và Đầu tư - CQ phối hợp: Sở Tư pháp, Sở Tài chính', 'Quý II/2023'],
      ),
    );
    expect(result.rows[0]).toMatchObject({
      lead: 'Sở Kế hoạch và Đầu tư',
      coordinating: 'Sở Tư pháp, Sở Tài chính',
      timeframe: 'Quý II/2023',
    });
  });

  it('does split a lead column whose cells label both roles, without the labels in the names', () => {
    const result = parseTaskTables(
      lines(
        ['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời gian'],
        ['1', 'Rà soát quy hoạch', '- CQ chủ trì: Sở Xây dựng - CQ phối hợp: Sở Tài chính, các đơn vị liên quan', 'Năm 2024'],
      ),
    );
    expect(result.rows[0]).toMatchObject({ lead: 'Sở Xây dựng', coordinating: 'Sở Tài chính, các đơn vị liên quan' });
  });

  it('does split one row into two tasks when a conversion left two numbers and two task texts in its cells', () => {
    const result = parseTaskTables(
      lines(HEADER, [
        '<p>3</p><p>4</p>',
        '<p>Công khai thủ tục đầu tư</p><p>Tập huấn cán bộ một cửa</p>',
        'Sở Kế hoạch và Đầu tư',
        '',
        '<p>Quý I/2024</p><p>Thường xuyên</p>',
        '',
      ]),
    );
    expect(result.rows.map((row) => [row.ordinal, row.title, row.lead, row.timeframe])).toEqual([
      ['3', 'Công khai thủ tục đầu tư', 'Sở Kế hoạch và Đầu tư', 'Quý I/2024'],
      ['4', 'Tập huấn cán bộ một cửa', 'Sở Kế hoạch và Đầu tư', 'Thường xuyên'],
    ]);
    expect(result.rows[1].issues).toEqual(['split from one table row that held 2 tasks (line 2)']);
  });

  it('does keep a row whose one number heads two paragraphs of text and ask to check it', () => {
    const result = parseTaskTables(
      lines(HEADER, ['5', '<p>Rà soát thủ tục đất đai</p><p>Công khai kết quả rà soát</p>', 'Sở Tư pháp', '', 'Năm 2024', '']),
    );
    expect(result.rows.map((row) => [row.ordinal, row.title])).toEqual([['5', 'Rà soát thủ tục đất đai Công khai kết quả rà soát']]);
    expect(result.rows[0].issues).toEqual([
      'the task text holds 2 paragraphs run together in one cell; check whether it is more than one task',
    ]);
  });

  it('does read the target when the table has an extra "Mục tiêu phấn đấu" column', () => {
    const result = parseTaskTables(
      lines(
        ['STT', 'Nhiệm vụ', 'Mục tiêu phấn đấu', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian'],
        ['1', 'Đẩy mạnh dịch vụ công trực tuyến', 'Trên 60% hồ sơ trực tuyến', 'Văn phòng UBND tỉnh', 'Các sở, ban, ngành', 'Năm 2023'],
      ),
    );
    expect(result.rows[0]).toMatchObject({
      title: 'Đẩy mạnh dịch vụ công trực tuyến',
      target: 'Trên 60% hồ sơ trực tuyến',
      lead: 'Văn phòng UBND tỉnh',
    });
  });

  it('does find each column by its header words when the columns come in another order', () => {
    const result = parseTaskTables(
      lines(
        ['TT', 'Cơ quan chủ trì', 'Thời hạn hoàn thành', 'Nội dung công việc', 'Ghi chú', 'Cơ quan phối hợp'],
        ['1', 'Sở Công Thương', 'Tháng 6/2023', 'Phát triển sàn thương mại điện tử', 'Mới', 'Sở Thông tin và Truyền thông'],
      ),
    );
    expect(result.rows[0]).toMatchObject({
      ordinal: '1',
      title: 'Phát triển sàn thương mại điện tử',
      lead: 'Sở Công Thương',
      coordinating: 'Sở Thông tin và Truyền thông',
      timeframe: 'Tháng 6/2023',
      note: 'Mới',
    });
  });

  it('does use the target column as the title too when targets are the only text column', () => {
    const result = parseTaskTables(
      lines(
        ['STT', 'Mục tiêu cụ thể', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian thực hiện'],
        ['1', 'Thành lập mới 900 doanh nghiệp', 'Sở Kế hoạch và Đầu tư', 'Các sở, ban, ngành', 'Năm 2023'],
      ),
    );
    expect(result.rows[0]).toMatchObject({ title: 'Thành lập mới 900 doanh nghiệp', target: 'Thành lập mới 900 doanh nghiệp' });
  });

  it('does read a section when its ordinal and title sit in separate cells', () => {
    const result = parseTaskTables(
      lines(HEADER, ['III', 'Chuyển đổi số', '', '', '', ''], ['1', 'Triển khai ký số', 'Sở Nội vụ', '', 'Năm 2023', '']),
    );
    expect(result.sections).toEqual([{ ordinal: 'III', title: 'Chuyển đổi số' }]);
    expect(result.rows[0].section).toBe('III');
  });

  it('does assume the usual columns and warn when the table has no header row', () => {
    const result = parseTaskTables(lines(['1', 'Rà soát quy hoạch', 'Sở Xây dựng', '', 'Năm 2023', '']));
    expect(result.rows[0]).toMatchObject({ ordinal: '1', title: 'Rà soát quy hoạch', lead: 'Sở Xây dựng', timeframe: 'Năm 2023' });
    expect(result.warnings).toEqual([
      'table at line 1: no header row; columns assumed to be STT, task, lead, coordinating, timeframe, note',
    ]);
  });

  it('does return nothing when the text has no tab-separated lines', () => {
    expect(parseTaskTables(['Không có bảng', ''])).toEqual({ sections: [], rows: [], warnings: [] });
  });
});

describe(splitRoles.name, () => {
  it.each([
    ['- CQ chủ trì: Sở Y tế - CQ phối hợp: Sở Tài chính', { lead: 'Sở Y tế', coordinating: 'Sở Tài chính' }],
    [
      'Chủ trì: Sở Lao động - Thương binh và Xã hội\nPhối hợp: Sở Nội vụ',
      { lead: 'Sở Lao động - Thương binh và Xã hội', coordinating: 'Sở Nội vụ' },
    ],
    ['Đơn vị phối hợp: Sở Nội vụ; Chủ trì: Sở Tư pháp', { lead: 'Sở Tư pháp', coordinating: 'Sở Nội vụ' }],
    ['Chủ trì: Sở Tư pháp - Phối hợp: các cơ quan, đơn vị', { lead: 'Sở Tư pháp', coordinating: 'các cơ quan, đơn vị' }],
    ['Sở Xây dựng', { lead: 'Sở Xây dựng', coordinating: '' }],
    ['Cơ quan phối hợp: Sở Nội vụ - Cơ quan chủ trì: Sở Tư pháp', { lead: 'Sở Tư pháp', coordinating: 'Sở Nội vụ' }],
    [
      '- CQ chủ trì: Sở Xây dựng\n- CQ phối hợp: Sở Tài chính, các đơn vị liên quan',
      { lead: 'Sở Xây dựng', coordinating: 'Sở Tài chính, các đơn vị liên quan' },
    ],
    ['+ Đơn vị chủ trì thực hiện: Sở Y tế; + Đơn vị phối hợp: Sở Tài chính.', { lead: 'Sở Y tế', coordinating: 'Sở Tài chính' }],
  ])('does separate %j into lead and coordinating when the roles are labelled', (cell, expected) => {
    expect(splitRoles(cell)).toEqual(expected);
  });
});
