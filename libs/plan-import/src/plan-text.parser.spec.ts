import { PlanImportError } from './plan-import.error';
import { parsePlanText } from './plan-text.parser';

// Invented plans in the shape of the real ones: header, chapters, appendix table or prose.
const HEADER = `Số: 27 /KH-UBND

Thái Bình, ngày 14 tháng 02 năm 2023

KẾ HOẠCH

Thực hiện Nghị quyết số 02/NQ-CP ngày 06/01/2023 của Chính phủ về cải thiện môi trường kinh doanh năm 2023 trên địa bàn tỉnh Thái Bình

I. MỤC TIÊU

Nâng cao chất lượng phục vụ người dân và doanh nghiệp.`;

const IMPLEMENTATION = `III. TỔ CHỨC THỰC HIỆN

1. Sở Kế hoạch và Đầu tư làm đầu mối theo dõi, tổng hợp việc thực hiện Kế hoạch; tổng hợp báo cáo 6 tháng (trước ngày 15 tháng 6) và báo cáo năm (trước ngày 15 tháng 12), trình UBND tỉnh.

2. Các sở, ban, ngành gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 05 tháng 6 và 05 tháng 12.

Nơi nhận:
- Như trên;`;

const row = (...cells: string[]) => cells.join('\t');
const TABLE = [
  'PHỤ LỤC',
  row('STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện', 'Ghi chú'),
  row('I. Thủ tục hành chính', '', '', '', '', ''),
  row('1', 'Công khai quy trình giải quyết thủ tục đầu tư', 'Sở KH&ĐT', 'Sở Tư pháp; Văn phòng UBND tỉnh', 'Quý II/2023', ''),
  row('2', 'Số hóa hồ sơ đất đai', 'Sở TN&MT', 'UBND các huyện, thành phố', '2023-2025', ''),
  '',
  row('', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện', 'Ghi chú'),
  row('', 'và kết nối với cơ quan thuế', '', '', '', ''),
  row('', 'Rút ngắn thời gian đăng ký doanh nghiệp', 'Sở Kế hoạch và Đầu tư', '', 'Năm 2023', ''),
  row('II. Hỗ trợ doanh nghiệp', '', '', '', '', ''),
  row('1', 'Tổ chức đối thoại doanh nghiệp', 'Ban Xúc tiến đầu tư Thái Bình', 'Hiệp hội Doanh nghiệp tỉnh', 'Khi có yêu cầu', ''),
].join('\n');

const TABLE_PLAN = `${HEADER}\n\nII. NHIỆM VỤ, GIẢI PHÁP\n\n1. Nhóm giải pháp về thủ tục hành chính.\n\n${IMPLEMENTATION}\n\n${TABLE}\n`;

const PROSE_PLAN = `${HEADER}

II. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU

1. Cải thiện cấp phép xây dựng

a) Sở Xây dựng chủ trì, phối hợp với UBND các huyện, thành phố:

- Công khai quy trình cấp phép trên cổng dịch vụ công.

- Rút ngắn thời gian cấp phép đến hết năm 2023.

b) Sở Công Thương: phát triển thương mại điện tử cho doanh nghiệp nhỏ.

${IMPLEMENTATION}
`;

describe(parsePlanText.name, () => {
  it('does read the header, monitoring agency and both reporting tiers when the plan states them', () => {
    const plan = parsePlanText(TABLE_PLAN);
    expect(plan).toMatchObject({
      number: '27/KH-UBND',
      issuedOn: '2023-02-14',
      provinceName: 'Thái Bình',
      provinceCode: 'thai-binh',
      resolution: { number: '02/NQ-CP', issuedOn: '2023-01-06' },
      year: 2023,
      monitoringAgency: { raw: 'Sở Kế hoạch và Đầu tư', name: 'Sở Kế hoạch và Đầu tư', code: 'so-ke-hoach-va-dau-tu', isGroup: false },
      reportingDeadlines: [
        { period: 'H1', dueMonthDay: '06-05' },
        { period: 'YEAR', dueMonthDay: '12-05' },
      ],
      consolidationDeadlines: [
        { period: 'H1', dueMonthDay: '06-15' },
        { period: 'YEAR', dueMonthDay: '12-15' },
      ],
    });
    expect(plan.title).toMatch(/^Thực hiện Nghị quyết số 02\/NQ-CP/u);
  });

  it('does build tasks with resolved agencies when the plan has an appendix table', () => {
    const plan = parsePlanText(TABLE_PLAN);
    expect(plan.sections).toEqual([
      { ordinal: 'I', title: 'Thủ tục hành chính' },
      { ordinal: 'II', title: 'Hỗ trợ doanh nghiệp' },
    ]);
    expect(plan.tasks.map((task) => [task.section, task.ordinal, task.fromProse])).toEqual([
      ['I', '1', false],
      ['I', '2', false],
      ['I', '3', false],
      ['II', '1', false],
    ]);
    expect(plan.tasks[0]).toEqual({
      ordinal: '1',
      section: 'I',
      title: 'Công khai quy trình giải quyết thủ tục đầu tư',
      leadAgencies: [{ raw: 'Sở KH&ĐT', name: 'Sở Kế hoạch và Đầu tư', code: 'so-ke-hoach-va-dau-tu', isGroup: false }],
      coordinatingAgencies: [
        { raw: 'Sở Tư pháp', name: 'Sở Tư pháp', code: 'so-tu-phap', isGroup: false },
        { raw: 'Văn phòng UBND tỉnh', name: 'Văn phòng UBND tỉnh', code: 'van-phong-ubnd-tinh', isGroup: false },
      ],
      timeframe: 'Quý II/2023',
      target: null,
      note: null,
      sourceLine: 29,
      fromProse: false,
      confidence: 1,
      warnings: [],
    });
    expect(plan.tasks[1]).toMatchObject({
      title: 'Số hóa hồ sơ đất đai và kết nối với cơ quan thuế',
      leadAgencies: [expect.objectContaining({ name: 'Sở Tài nguyên và Môi trường' })],
      coordinatingAgencies: [expect.objectContaining({ name: 'UBND các huyện, thị xã, thành phố', isGroup: true })],
    });
  });

  it("does attach each warning to its task and lower that task's confidence when a row was doubtful", () => {
    const plan = parsePlanText(TABLE_PLAN);
    expect(plan.tasks.map((task) => [task.ordinal, task.confidence, task.warnings.length])).toEqual([
      ['1', 1, 0],
      ['2', 0.95, 1],
      ['3', 0.7, 1],
      ['1', 0.6, 2],
    ]);
    expect(plan.tasks[3].warnings).toEqual([
      'row II.1 (line 36): agency "Ban Xúc tiến đầu tư Thái Bình" is not in the registry; kept as written',
      'row II.1 (line 36): timeframe "Khi có yêu cầu" not understood; due at the end of 2023',
    ]);
    const prose = parsePlanText(PROSE_PLAN);
    expect(prose.tasks.every((task) => task.confidence <= 0.7 && task.warnings.length > 0)).toBe(true);
  });

  it('does name the row in a warning when a row or agency could not be read with confidence', () => {
    expect(parsePlanText(TABLE_PLAN).warnings).toEqual([
      'row I.2 (line 30): text continued on line 33 (after a page break) was merged into it',
      'row I.3 (line 34): ordinal missing; inferred 3 from the row before',
      'row II.1 (line 36): agency "Ban Xúc tiến đầu tư Thái Bình" is not in the registry; kept as written',
      'row II.1 (line 36): timeframe "Khi có yêu cầu" not understood; due at the end of 2023',
    ]);
  });

  it('does read prose assignments as tasks with one warning each when the plan has no table', () => {
    const plan = parsePlanText(PROSE_PLAN);
    expect(
      plan.tasks.map((task) => [
        task.section,
        task.ordinal,
        task.leadAgencies.map((a) => a.name),
        task.coordinatingAgencies.map((a) => a.code),
        task.timeframe,
        task.fromProse,
      ]),
    ).toEqual([
      ['1', 'a.1', ['Sở Xây dựng'], ['ubnd-cac-huyen-thi-xa-thanh-pho'], '', true],
      ['1', 'a.2', ['Sở Xây dựng'], ['ubnd-cac-huyen-thi-xa-thanh-pho'], 'đến hết năm 2023', true],
      ['1', 'b', ['Sở Công Thương'], [], '', true],
    ]);
    expect(plan.tasks[2].title).toBe('Phát triển thương mại điện tử cho doanh nghiệp nhỏ.');
    expect(plan.sections).toEqual([{ ordinal: '1', title: 'Cải thiện cấp phép xây dựng' }]);
    expect(plan.warnings).toEqual([
      'prose task 1.a.1 (line 19): read from prose, not from a table; check its agencies and no timeframe given (due 2023-12-31)',
      'prose task 1.a.2 (line 21): read from prose, not from a table; check its agencies and timeframe "đến hết năm 2023"',
      'prose task 1.b (line 23): read from prose, not from a table; check its agencies and no timeframe given (due 2023-12-31)',
    ]);
  });

  it('does note prose assignments it left out when the plan also has a table', () => {
    const plan = parsePlanText(`${PROSE_PLAN}\n${TABLE}`);
    expect(plan.tasks.every((task) => !task.fromProse)).toBe(true);
    expect(plan.warnings).toContain('the text also assigns 3 tasks in prose; only the appendix table was imported');
  });

  describe('page furniture in the prose', () => {
    const RUNNING = 'Kế hoạch cải thiện môi trường kinh doanh tỉnh Thái Bình năm 2023';
    const pageBreak = (page: number, dashed: boolean) => ['', dashed ? `- ${page} -` : String(page), '', RUNNING, ''];
    // The same prose plan with page breaks inside two paragraphs, each with a page number and the running title.
    const broken = (dashed: boolean) =>
      PROSE_PLAN.replace('- Rút ngắn thời gian cấp phép', ['- Rút ngắn thời gian cấp phép', ...pageBreak(2, dashed)].join('\n')).replace(
        'b) Sở Công Thương: phát triển',
        ['b) Sở Công Thương: phát triển', ...pageBreak(3, dashed)].join('\n'),
      );
    const reading = (text: string) => {
      const plan = parsePlanText(text);
      return {
        tasks: plan.tasks.map((t) => [t.ordinal, t.title, t.timeframe, t.leadAgencies.map((a) => a.code)]),
        sections: plan.sections,
      };
    };

    it.each([
      ['"- 2 -"', true],
      ['"2"', false],
    ])('does read the same tasks when page numbers %s and a running title break paragraphs', (_form, dashed) => {
      const text = broken(dashed);
      expect(text).toContain(RUNNING);
      expect(reading(text)).toEqual(reading(PROSE_PLAN));
    });

    it('does keep the plan title when the running title repeats it', () => {
      const title =
        'Thực hiện Nghị quyết số 02/NQ-CP ngày 06/01/2023 của Chính phủ về cải thiện môi trường kinh doanh năm 2023 trên địa bàn tỉnh Thái Bình';
      const text = PROSE_PLAN.replace(
        '- Rút ngắn thời gian cấp phép',
        ['- Rút ngắn thời gian cấp phép', '', '- 2 -', title, ''].join('\n'),
      ).replace('b) Sở Công Thương: phát triển', ['b) Sở Công Thương: phát triển', '', '- 3 -', title, ''].join('\n'));
      const plan = parsePlanText(text);
      expect(plan.title).toBe(title);
      expect(reading(text)).toEqual(reading(PROSE_PLAN));
    });
  });

  describe('the title of an appendix-only sheet', () => {
    // As xlsxToPlanText renders a sheet: rows above the table are paragraphs, table rows tab-separated.
    const SHEET_ROWS = [
      row('STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'),
      row('1', 'Công khai quy trình giải quyết thủ tục đầu tư', 'Sở Tư pháp', 'Văn phòng UBND tỉnh', 'Quý II/2023'),
      row('2', 'Số hóa hồ sơ đất đai', 'Sở Xây dựng', '', 'Năm 2023'),
    ];
    const NOT_FOUND = /^plan title not found/u;

    it.each([
      ['the header row', SHEET_ROWS],
      ['a lone ordinal', ['I', ...SHEET_ROWS]],
      ['"PHỤ LỤC" alone', ['PHỤ LỤC', ...SHEET_ROWS]],
      ['the header words without tabs', ['STT Nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp', ...SHEET_ROWS]],
    ])('does warn "title not found" and take no row for the title when the first row is %s', (_what, lines) => {
      const plan = parsePlanText([...lines, '', 'Ghi chú: các đơn vị báo cáo kết quả về Sở Kế hoạch và Đầu tư'].join('\n'));
      expect(plan.warnings.filter((w) => NOT_FOUND.test(w))).toHaveLength(1);
      expect(plan.title).toBe('Kế hoạch');
      expect(plan.tasks).toHaveLength(2);
    });

    it('does take the first title-like row above the table, and warn about nothing, when the sheet has one', () => {
      const title = 'Phân công nhiệm vụ thực hiện Kế hoạch cải thiện môi trường kinh doanh năm 2023';
      const plan = parsePlanText(
        ['PHỤ LỤC', title, '(Kèm theo Kế hoạch số 27/KH-UBND ngày 14/02/2023 của UBND tỉnh)', '', ...SHEET_ROWS].join('\n'),
      );
      expect(plan.title).toBe(title);
      expect(plan.warnings.filter((w) => NOT_FOUND.test(w))).toEqual([]);
    });
  });

  describe('two tasks run together in one cell with no tags or ordinals', () => {
    const withTitle = (title: string) => TABLE_PLAN.replace('Số hóa hồ sơ đất đai', title);
    const RUN_TOGETHER = /reads like 2 tasks run together/u;

    it('does warn, lower the confidence and keep one task when two sentences each start with a task verb', () => {
      const title = 'Tiếp tục số hóa hồ sơ đất đai trên toàn tỉnh. Đẩy mạnh thanh toán trực tuyến phí, lệ phí đất đai';
      const plan = parsePlanText(withTitle(title));
      const task = plan.tasks.find((t) => t.title.startsWith(title));
      expect(task).toBeDefined();
      expect(task!.warnings.filter((w) => RUN_TOGETHER.test(w))).toHaveLength(1);
      expect(task!.confidence).toBeLessThanOrEqual(0.65);
      expect(plan.tasks).toHaveLength(parsePlanText(TABLE_PLAN).tasks.length);
      expect(plan.warnings.some((w) => RUN_TOGETHER.test(w))).toBe(true);
    });

    it.each([
      ['one sentence', 'Tiếp tục số hóa hồ sơ đất đai, đẩy mạnh thanh toán trực tuyến'],
      ['a second sentence that is not a task', 'Rà soát hồ sơ đất đai. Kết quả công khai trên cổng thông tin'],
      ['a verb after an abbreviation, not a full stop', 'Số hóa hồ sơ đất đai tại TP. Thực hiện theo lộ trình'],
    ])('does not warn when the cell holds %s', (_what, title) => {
      const task = parsePlanText(withTitle(title)).tasks.find((t) => t.title.startsWith(title));
      expect(task!.warnings.filter((w) => RUN_TOGETHER.test(w))).toEqual([]);
    });
  });

  it('does read the same plan when it arrives decomposed (NFD) with Windows line endings', () => {
    const plan = parsePlanText(TABLE_PLAN.normalize('NFD').replace(/\n/gu, '\r\n'));
    expect(plan.provinceName).toBe('Thái Bình');
    expect(plan.tasks).toHaveLength(4);
    expect(plan.tasks[0].leadAgencies[0].name).toBe('Sở Kế hoạch và Đầu tư');
  });

  it('does warn about each header field when the plan does not state it', () => {
    const plan = parsePlanText(
      'KẾ HOẠCH\n\nCải thiện môi trường kinh doanh\n\nPHỤ LỤC\nSTT\tNhiệm vụ\tCơ quan chủ trì\tThời gian thực hiện\n1\tRà soát thủ tục\tSở Tư pháp\tNăm 2023',
    );
    expect(plan.warnings).toEqual([
      'plan number not found (e.g. "Số: 13/KH-UBND")',
      'issue date not found (e.g. "Sóc Trăng, ngày 20 tháng 01 năm 2022")',
      'province not found (e.g. "trên địa bàn tỉnh Sóc Trăng")',
      'implemented resolution not found (e.g. "Nghị quyết số 02/NQ-CP")',
      'plan year not found; timeframes without a year cannot be dated',
      'monitoring agency not found (e.g. "Sở … làm đầu mối theo dõi" or "gửi về Sở … để tổng hợp")',
      'no reporting deadlines found for the agencies (e.g. "trước ngày 30 tháng 5 và 30 tháng 11")',
    ]);
    expect(plan.tasks).toHaveLength(1);
  });

  describe('bad input', () => {
    const rejects = (text: string, message: RegExp) => {
      expect(() => parsePlanText(text)).toThrow(PlanImportError);
      expect(() => parsePlanText(text)).toThrow(message);
    };

    it('does throw a PlanImportError when the text is empty or blank', () => {
      rejects('', /empty/u);
      rejects(' \n\t\n ', /empty/u);
    });

    it('does throw a PlanImportError when the file is binary with NUL bytes', () => {
      rejects(`%PDF-1.7\u0000\u0000\u0001binary`, /binary \(it contains NUL bytes\)/u);
    });

    it('does throw a PlanImportError when the text is not readable UTF-8', () => {
      rejects('\ufffd\ufffd\ufffd K\ufffd ho\ufffdch \ufffd\ufffd', /not readable text/u);
    });

    it('does throw a PlanImportError when the text is larger than 2 MB', () => {
      rejects('Kế hoạch '.repeat(250_000), /too large \(3\.1 MB\).*at most 2 MB/u);
    });

    it('does throw a PlanImportError when there is neither a task table nor prose tasks', () => {
      rejects(`${HEADER}\n\nII. NHIỆM VỤ\n\n- Nâng cao năng lực cạnh tranh.\n`, /No tasks found/u);
    });

    it('does accept a plan just under the size limit when the limit is counted in UTF-8 bytes', () => {
      const padding = 'x'.repeat(2 * 1024 * 1024 - new TextEncoder().encode(TABLE_PLAN).length - 1);
      expect(parsePlanText(`${TABLE_PLAN}\n${padding}`).tasks).toHaveLength(4);
    });
  });
});
