import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { createServices } from '../services';
import {
  cast,
  expectDomainError,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  TestClock,
  userActor,
} from '../test-support/int-helpers';
import { seedScriptedPlan, type ScriptedPlan } from '../test-support/scripted-plan';
import { AGENCY_HEADERS, APPENDIX_HEADERS, SECTION_HEADERS } from './consolidated-report';
import { ReportExportService, type ReportRequest } from './report-export.service';

const AFTER_THE_YEAR = '2031-01-15T02:00:00Z';

// A sheet's rows as arrays of cell values (column A first): a merged range's value once, in its
// first cell; empty trailing cells dropped.
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  for (let number = 1; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number);
    const values: unknown[] = [];
    for (let column = 1; column <= sheet.columnCount; column += 1) {
      const cell = row.getCell(column);
      values.push(cell.isMerged && cell.master.address !== cell.address ? null : (cell.value ?? null));
    }
    while (values.length > 0 && values.at(-1) === null) values.pop();
    rows.push(values);
  }
  return rows;
}

describe(ReportExportService.name, () => {
  let ds: DataSource;
  let plan: ScriptedPlan;
  let clock: TestClock;
  let reports: ReportExportService;

  beforeAll(async () => {
    ds = await openDataSource();
    plan = await seedScriptedPlan(ds, 'int-report');
  });

  afterAll(async () => ds?.destroy());

  beforeEach(() => {
    clock = new TestClock(AFTER_THE_YEAR);
    reports = createServices({ dataSource: ds, clock }).reportExport;
  });

  const exportAs = (actor: Actor, request: Partial<ReportRequest>) =>
    reports.export(actor, { planId: plan.planId, period: 'H1', format: 'xlsx', ...request });

  describe('the H1 workbook', () => {
    let workbook: ExcelJS.Workbook;
    let file: Awaited<ReturnType<ReportExportService['export']>>;

    beforeAll(async () => {
      reports = createServices({ dataSource: ds, clock: new TestClock(AFTER_THE_YEAR) }).reportExport;
      file = await exportAs(cast(plan).supervisor, { period: 'H1', format: 'xlsx' });
      workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.content as unknown as ExcelJS.Buffer);
    });

    it('does name the file after the plan, year and period and give the cut-off of 14 June (Vietnam) as asOf', () => {
      const number = plan.planId && file.filename.match(/^bao-cao-(.+)-2030-H1\.xlsx$/)?.[1];
      expect(number).toMatch(/^[0-9a-f]+-kh-ubnd$/);
      expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(file.asOf).toEqual(new Date('2030-06-14T16:59:59.999Z'));
    });

    it('does hold the appendix, the agency and the section sheets with Vietnamese titles and headers', () => {
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['Phụ lục', 'Theo cơ quan chủ trì', 'Theo nhóm nhiệm vụ']);
      const rows = rowsOf(workbook.getWorksheet('Phụ lục')!);
      expect(rows.slice(0, 5).map((r) => r[0])).toEqual([
        `ỦY BAN NHÂN DÂN ${plan.province.name.toUpperCase()}`,
        'BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH 6 THÁNG ĐẦU NĂM 2030',
        expect.stringMatching(/^Kế hoạch số [0-9a-f]+\/KH-UBND ngày 15\/01\/2030: Kế hoạch thử nghiệm năm 2030$/),
        'Số liệu từ ngày 15/12/2029 đến ngày 14/06/2030 (Nghị định 09/2019/NĐ-CP); tính đến 23:59 ngày 14/06/2030 (giờ Việt Nam)',
        'Cơ quan theo dõi, tổng hợp: Sở Kế hoạch và Đầu tư',
      ]);
      expect(rows[5]).toEqual(['Phụ lục: Tình hình thực hiện các nhiệm vụ']);
      expect(rows[6]).toEqual([...APPENDIX_HEADERS]);
    });

    it('does give one row per leaf task under its section row, each as it stood at the cut-off', () => {
      const rows = rowsOf(workbook.getWorksheet('Phụ lục')!).slice(7);
      const [justice, ict, tax] = ['Sở Tư pháp', 'Sở Thông tin và Truyền thông', 'Cục Thuế tỉnh'];
      const year = 'Năm 2030';
      expect(rows).toEqual([
        ['I. Cải thiện môi trường kinh doanh'],
        [
          '1',
          'Rà soát thủ tục hành chính',
          justice,
          ict,
          year,
          '05/06/2030',
          'Hoàn thành',
          'Báo cáo ngày 20/05/2030: Đã rà soát 42 thủ tục (số liệu: 42)',
          'Xác nhận hoàn thành (25/05/2030): Đạt yêu cầu',
          'Hoàn thành đúng hạn',
        ],
        [
          '2',
          'Công bố danh mục thủ tục',
          justice,
          ict,
          year,
          '05/06/2030',
          'Hoàn thành',
          'Báo cáo ngày 10/06/2030: Đã công bố 120 thủ tục',
          'Xác nhận hoàn thành (12/06/2030)',
          'Hoàn thành chậm 7 ngày',
        ],
        // its report (20 June) and the rejection (22 June) came after the cut-off
        ['3', 'Cổng dịch vụ công | một cửa', ict, justice, year, '05/06/2030', 'Đang thực hiện', '', '', 'Quá hạn 9 ngày'],
        // reported in time; rejected on 5 July, after the cut-off
        [
          '4',
          'Đánh giá chỉ số PCI',
          justice,
          ict,
          year,
          '05/06/2030',
          'Đã báo cáo, chờ đánh giá',
          'Báo cáo ngày 28/05/2030: PCI tăng 3 bậc',
          '',
          'Trong hạn',
        ],
        ['5.1', 'Đối thoại doanh nghiệp', justice, ict, year, '05/06/2030', 'Chưa triển khai', '', '', 'Quá hạn 9 ngày'],
        ['5.2', 'Đối thoại doanh nghiệp', ict, ict, year, '05/06/2030', 'Chưa triển khai', '', '', 'Quá hạn 9 ngày'],
        ['II. Chuyển đổi số'],
        ['1', 'Số hóa hồ sơ', ict, justice, 'Trước ngày 05/12/2030', '05/12/2030', 'Đang thực hiện', '', '', 'Trong hạn'],
        ['2', 'Hóa đơn điện tử', tax, '', 'Thường xuyên', '05/06/2030', 'Chưa triển khai', '', '', 'Quá hạn 9 ngày'],
        [
          '3',
          'Kê khai thuế điện tử',
          tax,
          '',
          'Thường xuyên',
          '05/12/2030',
          'Đang thực hiện',
          'Báo cáo ngày 30/05/2030: 98% doanh nghiệp kê khai điện tử (số liệu: 98%)',
          'Xác nhận hoàn thành (02/06/2030)',
          'Trong hạn',
        ],
        ['4', 'Chữ ký số', justice, ict, year, '31/07/2030 (gia hạn; kế hoạch: 05/06/2030)', 'Đang thực hiện', '', '', 'Trong hạn'],
        ['5', 'Dữ liệu mở', tax, ict, 'Chưa xác định', 'Không xác định', 'Chưa triển khai', '', '', 'Chưa có thời hạn'],
      ]);
    });

    it('does give the scorecards per lead agency and per section as of the cut-off, with the plan total', () => {
      const agencies = rowsOf(workbook.getWorksheet('Theo cơ quan chủ trì')!);
      expect(agencies[5]).toEqual(['Tổng hợp theo cơ quan chủ trì']);
      expect(agencies.slice(6)).toEqual([
        AGENCY_HEADERS,
        [1, 'Sở Tư pháp', 5, 1, 1, 2, 1, 1, 8],
        [2, 'Sở Thông tin và Truyền thông', 3, 0, 0, 1, 2, 2, 9],
        [3, 'Cục Thuế tỉnh', 3, 0, 0, 2, 1, 1, 9],
        ['', 'Tổng cộng', 11, 1, 1, 5, 4, 4, 8.6],
      ]);
      expect(rowsOf(workbook.getWorksheet('Theo nhóm nhiệm vụ')!).slice(6)).toEqual([
        SECTION_HEADERS,
        ['I', 'Cải thiện môi trường kinh doanh', 6, 1, 1, 1, 3, 3, 8.5],
        ['II', 'Chuyển đổi số', 5, 0, 0, 4, 1, 1, 9],
        ['', 'Tổng cộng', 11, 1, 1, 5, 4, 4, 8.6],
      ]);
    });

    it('does print landscape on A4, fitted to the width, with the header row on every page and wrapped text', () => {
      for (const sheet of workbook.worksheets) {
        expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
        expect(sheet.pageSetup.printTitlesRow).toBe('7:7');
        expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 7 });
      }
      const appendix = workbook.getWorksheet('Phụ lục')!;
      expect(appendix.columns.map((c) => c.width)).toEqual([7, 42, 22, 24, 16, 15, 15, 42, 28, 16]);
      expect(appendix.getCell('B9').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
      expect(appendix.getCell('H9').border?.bottom?.style).toBe('thin');
      expect(appendix.getRow(7).font?.bold).toBe(true);
      expect(appendix.getCell('A8').isMerged).toBe(true); // the section row spans the table
    });
  });

  describe('the YEAR report in Markdown', () => {
    let markdown: string;

    beforeAll(async () => {
      const file = await createServices({ dataSource: ds, clock: new TestClock(AFTER_THE_YEAR) }).reportExport.export(cast(plan).leader, {
        planId: plan.planId,
        period: 'year',
        format: 'MD',
      });
      expect({ filename: file.filename.endsWith('-2030-YEAR.md'), mimeType: file.mimeType }).toEqual({
        filename: true,
        mimeType: 'text/markdown; charset=utf-8',
      });
      markdown = file.content.toString('utf8');
    });

    it('does title the year report with the data window to 14 December', () => {
      expect(markdown.split('\n').slice(0, 4)).toEqual([
        `# ỦY BAN NHÂN DÂN ${plan.province.name.toUpperCase()}`,
        '',
        'BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH NĂM 2030  ',
        expect.stringMatching(/^Kế hoạch số .+\/KH-UBND ngày 15\/01\/2030: Kế hoạch thử nghiệm năm 2030 {2}$/),
      ]);
      expect(markdown).toContain(
        'Số liệu từ ngày 15/12/2029 đến ngày 14/12/2030 (Nghị định 09/2019/NĐ-CP); tính đến 23:59 ngày 14/12/2030',
      );
    });

    it('does write the appendix table with escaped pipes, line breaks and the verdicts given by 14 December', () => {
      const lines = markdown.split('\n');
      const header = lines.indexOf(`| ${APPENDIX_HEADERS.join(' | ')} |`);
      expect(header).toBeGreaterThan(0);
      expect(lines[header + 1]).toBe(`|${APPENDIX_HEADERS.map(() => '---').join('|')}|`);
      expect(lines[header + 2]).toBe('| **I. Cải thiện môi trường kinh doanh** |  |  |  |  |  |  |  |  |  |');
      expect(lines).toContain(
        '| 3 | Cổng dịch vụ công \\| một cửa | Sở Thông tin và Truyền thông | Sở Tư pháp | Năm 2030 | 05/06/2030 | Quá hạn | ' +
          'Báo cáo ngày 20/06/2030: Cổng đã vận hành<br>thử nghiệm | Không chấp nhận (22/06/2030): Chưa có số liệu hồ sơ trực tuyến | Quá hạn 192 ngày |',
      );
      expect(lines).toContain(
        '| 4 | Đánh giá chỉ số PCI | Sở Tư pháp | Sở Thông tin và Truyền thông | Năm 2030 | 05/06/2030 | Quá hạn | ' +
          'Báo cáo ngày 28/05/2030: PCI tăng 3 bậc | Không chấp nhận (05/07/2030): Thiếu báo cáo của Sở \\| ngành | Quá hạn 192 ngày |',
      );
      expect(lines).toContain(
        '| 4 | Chữ ký số | Sở Tư pháp | Sở Thông tin và Truyền thông | Năm 2030 | 31/07/2030 (gia hạn; kế hoạch: 05/06/2030) | Hoàn thành | ' +
          'Báo cáo ngày 10/07/2030: Đã cấp 500 chữ ký số | Xác nhận hoàn thành (20/07/2030) | Hoàn thành đúng hạn |',
      );
    });

    it('does write both scorecards with the plan total, decimals with a comma', () => {
      const lines = markdown.split('\n');
      expect(lines).toContain('## Tổng hợp theo cơ quan chủ trì');
      expect(lines).toContain(`| ${AGENCY_HEADERS.join(' | ')} |`);
      // 14 Dec: justice I.2 late 7 days, I.4 and I.5.1 192 days overdue; ICT I.3, I.5.2 192 days, II.1 9 days
      expect(lines).toContain('| 1 | Sở Tư pháp | 5 | 2 | 1 | 0 | 2 | 2 | 130,33 |');
      expect(lines).toContain('| 2 | Sở Thông tin và Truyền thông | 3 | 0 | 0 | 0 | 3 | 3 | 131 |');
      expect(lines).toContain('| 3 | Cục Thuế tỉnh | 3 | 0 | 0 | 1 | 2 | 3 | 100,5 |');
      expect(lines).toContain('|  | **Tổng cộng** | **11** | **2** | **1** | **1** | **7** | **8** | **123,13** |');
      expect(lines).toContain('| II | Chuyển đổi số | 5 | 1 | 0 | 1 | 3 | 4 | 70 |');
    });
  });

  it('does compute the figures as of now, and say the period still runs, when the cut-off is ahead', async () => {
    clock.set('2030-05-01T02:00:00Z');
    const file = await exportAs(cast(plan).supervisor, { format: 'md' });
    expect(file.asOf).toEqual(new Date('2030-05-01T02:00:00Z'));
    expect(file.content.toString('utf8')).toContain('tính đến 09:00 ngày 01/05/2030 (giờ Việt Nam) (kỳ báo cáo chưa kết thúc)');
  });

  it('does give the same bytes when exported again after later events', async () => {
    const exportBoth = () =>
      Promise.all(['md', 'xlsx'].map((format) => exportAs(NATIONAL_AUDITOR, { period: 'YEAR', format, year: 2030 })));
    const first = await exportBoth();
    await createServices({ dataSource: ds, clock }).transitions.transition(userActor(plan, 'tax', ['OFFICER']), {
      taskId: plan.byOrdinal.get('II.5')!,
      event: 'START',
    });
    const again = await exportBoth();
    expect(again.map((file, i) => file.content.equals(first[i].content))).toEqual([true, true]);
    // the workbook's zip entries carry the cut-off, not the time of writing (DOS times: 2 s steps)
    const zip = await JSZip.loadAsync(again[1].content);
    const stamps = new Set(Object.values(zip.files).map((entry) => Math.floor(entry.date.getTime() / 2000)));
    expect([...stamps]).toEqual([Math.floor(Date.parse('2030-12-14T16:59:59.999Z') / 2000)]);
  });

  it('does refuse with FORBIDDEN an OFFICER and an ADMIN, naming the rule', async () => {
    for (const actor of [cast(plan).lead, NATIONAL_ADMIN]) {
      const error = await expectDomainError(exportAs(actor, {}), 'FORBIDDEN');
      expect(error.message).toContain('report-export-needs-supervisor');
    }
  });

  it('does answer NOT_FOUND to another province, and for a plan that does not exist', async () => {
    const other = await seedScriptedPlan(ds, 'int-report-other', { until: '2030-01-01' });
    await expectDomainError(exportAs(userActor(other, 'monitoring', ['SUPERVISOR']), {}), 'NOT_FOUND');
    await expectDomainError(exportAs(NATIONAL_AUDITOR, { planId: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
  });

  it.each([
    [{ period: 'H2' }, 'period must be H1 (half year) or YEAR, got "H2"'],
    [{ format: 'pdf' }, 'format must be xlsx or md, got "pdf"'],
    [{ planId: 'plan-1' }, 'planId must be a UUID, got "plan-1"'],
    [{ year: 1999 }, 'year must be between 2000 and 2100, got 1999'],
    [{ year: 2032 }, 'The H1 2032 period starts on 2031-12-15: there is nothing to report yet'],
  ])('does refuse %j with BAD_USER_INPUT naming it', async (request, message) => {
    const error = await expectDomainError(exportAs(cast(plan).supervisor, request), 'BAD_USER_INPUT');
    expect(error.message).toBe(message);
  });
});
