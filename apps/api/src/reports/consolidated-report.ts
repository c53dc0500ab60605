import type { TaskState } from '@app/lifecycle';
import { vietnamDate } from '../common/vietnam-time';
import type { DataWindow } from '../deadlines/reporting-periods';
import type { AmendmentRow } from '../repositories/period-close.repository';
import type { PlanScores, ScoreCounts, TaskAsOfRow } from '../repositories/scorecard.repository';

// The consolidated report the monitoring agency sends up (báo cáo tình hình thực hiện kế hoạch), as
// plain rows of text and numbers: the XLSX and Markdown renderers only lay them out. Pure.

export const STATE_LABELS: Record<TaskState, string> = {
  ASSIGNED: 'Chưa triển khai',
  IN_PROGRESS: 'Đang thực hiện',
  REPORTED: 'Đã báo cáo, chờ đánh giá',
  VERIFIED: 'Hoàn thành',
  OVERDUE: 'Quá hạn',
  WITHDRAWN: 'Đã rút khỏi kế hoạch',
};

export const APPENDIX_HEADERS = [
  'STT',
  'Nhiệm vụ',
  'Cơ quan chủ trì',
  'Cơ quan phối hợp',
  'Thời gian thực hiện',
  'Thời hạn',
  'Tình trạng',
  'Kết quả thực hiện (báo cáo)',
  'Ý kiến đánh giá',
  'Tiến độ',
] as const;

const SCORE_HEADERS = [
  'Hoàn thành đúng hạn',
  'Hoàn thành quá hạn',
  'Chưa hoàn thành, trong hạn',
  'Chưa hoàn thành, quá hạn',
  'Số kỳ báo cáo chưa gửi',
  'Số ngày chậm bình quân',
];
export const AGENCY_HEADERS = ['STT', 'Cơ quan chủ trì', 'Số nhiệm vụ chủ trì', ...SCORE_HEADERS];
export const SECTION_HEADERS = ['STT', 'Nhóm nhiệm vụ', 'Số nhiệm vụ', ...SCORE_HEADERS];

// A report summary or comment may hold 20,000 characters: the document keeps the first CELL_MAX.
export const CELL_MAX = 4000;

export type Cell = string | number | null;

export interface AppendixGroup {
  heading: string | null; // "I. Cải thiện môi trường kinh doanh"; null for tasks under no section
  rows: Cell[][]; // one per leaf task, APPENDIX_HEADERS columns
}

export interface ReportTable {
  title: string;
  headers: readonly string[];
  rows: Cell[][];
  total: Cell[];
}

export interface ConsolidatedReport {
  heading: string[]; // title lines above the tables
  appendixTitle: string;
  appendixHeaders: readonly string[];
  appendix: AppendixGroup[];
  agencies: ReportTable;
  sections: ReportTable;
  // a closed period asked with its amendments: the events after the cut-off (null: not asked)
  amendments: ReportTable | null;
  // tasks the amended plan withdrew by the cut-off: apart from the appendix and its counts (null: none)
  withdrawn: ReportTable | null;
}

export interface ReportSource {
  plan: { number: string; title: string; issuedOn: string | null };
  provinceName: string | null;
  monitoringAgencyName: string | null;
  window: DataWindow;
  asOf: Date; // the cut-off, or now while the period is still running
  tasks: TaskAsOfRow[];
  scores: PlanScores;
  sealed?: { closedAt: Date; hash: string } | null; // the period is closed: its sealed figures
  ownCutoff?: boolean; // the plan sets the cut-off, not Decree 09/2019
  amendments?: AmendmentRow[] | null;
}

export function consolidatedReport(source: ReportSource): ConsolidatedReport {
  const { plan, window, asOf, scores } = source;
  const periodName = window.period === 'H1' ? `6 tháng đầu năm ${window.year}` : `năm ${window.year}`;
  const running = asOf.getTime() < window.until.getTime() ? ' (kỳ báo cáo chưa kết thúc)' : '';
  return {
    heading: [
      ...(source.provinceName ? [committeeOf(source.provinceName)] : []),
      `BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH ${periodName.toUpperCase()}`,
      `Kế hoạch số ${plan.number}${plan.issuedOn ? ` ngày ${dayMonthYear(plan.issuedOn)}` : ''}: ${cut(plan.title)}`,
      `Số liệu từ ngày ${localDate(window.from)} đến ngày ${localDate(window.until)} (${source.ownCutoff ? 'thời điểm chốt số liệu của kế hoạch' : 'Nghị định 09/2019/NĐ-CP'}); tính đến ${localDateTime(asOf)}${running}`,
      ...(source.monitoringAgencyName ? [`Cơ quan theo dõi, tổng hợp: ${source.monitoringAgencyName}`] : []),
      ...(source.sealed
        ? [`Số liệu đã chốt ngày ${localDateTime(source.sealed.closedAt)}; mã kiểm chứng (SHA-256): ${source.sealed.hash}`]
        : []),
    ],
    appendixTitle: 'Phụ lục: Tình hình thực hiện các nhiệm vụ',
    appendixHeaders: APPENDIX_HEADERS,
    appendix: appendixGroups(source),
    agencies: {
      title: 'Tổng hợp theo cơ quan chủ trì',
      headers: AGENCY_HEADERS,
      rows: scores.agencies.map((row, i) => [i + 1, row.agencyName, ...scoreCells(row)]),
      total: ['', 'Tổng cộng', ...scoreCells(scores.total)],
    },
    sections: {
      title: 'Tổng hợp theo nhóm nhiệm vụ',
      headers: SECTION_HEADERS,
      rows: scores.sections.map((row) => [row.ordinal ?? '', row.title ? cut(row.title) : 'Nhiệm vụ khác', ...scoreCells(row)]),
      total: ['', 'Tổng cộng', ...scoreCells(scores.total)],
    },
    amendments: source.amendments ? amendmentsTable(source.amendments) : null,
    withdrawn: withdrawnTable(source.tasks),
  };
}

export const WITHDRAWN_HEADERS = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian thực hiện', 'Ngày rút khỏi kế hoạch', 'Lý do'];

// Tasks an amended plan no longer holds: not in the appendix nor in its counts, listed with why and when.
function withdrawnTable(tasks: readonly TaskAsOfRow[]): ReportTable | null {
  const withdrawn = tasks.filter((task) => task.category === 'WITHDRAWN');
  if (withdrawn.length === 0) return null;
  return {
    title: 'Nhiệm vụ đã rút khỏi kế hoạch',
    headers: WITHDRAWN_HEADERS,
    rows: withdrawn.map((task) => [
      task.ordinal,
      cut(task.title),
      task.leadAgencyName,
      cut(task.timeframe),
      task.withdrawal ? localDate(task.withdrawal.at) : '',
      task.withdrawal ? cut(task.withdrawal.reason) : '',
    ]),
    total: ['', `Tổng cộng: ${withdrawn.length} nhiệm vụ`, '', '', '', ''],
  };
}

export const AMENDMENT_HEADERS = [
  'STT',
  'Nhiệm vụ (STT)',
  'Sự kiện',
  'Từ tình trạng',
  'Sang tình trạng',
  'Người thực hiện',
  'Thời điểm',
  'Ghi chú',
];

// Events recorded after the cut-off on the period's tasks: they amend, never rewrite, the sealed figures.
function amendmentsTable(rows: AmendmentRow[]): ReportTable {
  const label = (state: string | null) => (state ? (STATE_LABELS[state as TaskState] ?? state) : '');
  return {
    title: 'Điều chỉnh sau thời điểm chốt số liệu (không thay đổi số liệu đã chốt)',
    headers: AMENDMENT_HEADERS,
    rows: rows.map((row, i) => [
      i + 1,
      row.ordinal,
      row.type,
      label(row.fromState),
      label(row.toState),
      row.actor ?? '',
      localDateTime(row.at),
      row.comment ? cut(row.comment) : '',
    ]),
    total: ['', `Tổng cộng: ${rows.length} sự kiện`, '', '', '', '', '', ''],
  };
}

function appendixGroups(source: ReportSource): AppendixGroup[] {
  const headings = new Map(source.scores.sections.map((s) => [s.sectionId, s.ordinal ? `${s.ordinal}. ${s.title ?? ''}` : s.title]));
  const groups: AppendixGroup[] = [];
  for (const task of source.tasks) {
    if (task.category === 'WITHDRAWN') continue; // in a table of its own
    let group = groups.at(-1);
    const heading = task.sectionId === null ? null : cut(headings.get(task.sectionId) ?? '');
    if (!group || group.heading !== heading) {
      group = { heading, rows: [] };
      groups.push(group);
    }
    group.rows.push(appendixRow(task));
  }
  return groups;
}

function appendixRow(task: TaskAsOfRow): Cell[] {
  return [
    task.ordinal,
    cut(task.title),
    task.leadAgencyName,
    cut(task.coordinatingAgencyNames.join('; ')),
    cut(task.timeframe),
    dueText(task),
    STATE_LABELS[task.state],
    task.report
      ? cut(
          `Báo cáo ngày ${localDate(task.report.at)}: ${task.report.summary}${task.report.value ? ` (số liệu: ${task.report.value})` : ''}`,
        )
      : '',
    verdictText(task),
    progressText(task),
  ];
}

function dueText(task: TaskAsOfRow): string {
  if (!task.dueAt) return 'Không xác định';
  const due = localDate(task.dueAt);
  const planned = task.scheduledDueAt ? localDate(task.scheduledDueAt) : null;
  return planned && planned !== due ? `${due} (gia hạn; kế hoạch: ${planned})` : due;
}

function verdictText(task: TaskAsOfRow): string {
  const { verdict } = task;
  if (!verdict) return '';
  const what = verdict.type === 'VERIFY' ? 'Xác nhận hoàn thành' : 'Không chấp nhận';
  return cut(`${what} (${localDate(verdict.at)})${verdict.comment ? `: ${verdict.comment}` : ''}`);
}

function progressText(task: TaskAsOfRow): string {
  const days = task.daysLate ?? 0;
  switch (task.category) {
    case 'VERIFIED_ON_TIME':
      return 'Hoàn thành đúng hạn';
    case 'VERIFIED_LATE':
      return `Hoàn thành chậm ${days} ngày`;
    case 'OVERDUE':
      return task.state === 'REPORTED' ? `Báo cáo chậm ${days} ngày` : `Quá hạn ${days} ngày`;
    case 'PENDING_WITHIN_DEADLINE':
      return task.dueAt ? 'Trong hạn' : 'Chưa có thời hạn';
    case 'WITHDRAWN':
      return STATE_LABELS.WITHDRAWN;
  }
}

function scoreCells(row: ScoreCounts): Cell[] {
  return [row.total, row.verifiedOnTime, row.verifiedLate, row.pendingWithinDeadline, row.overdue, row.reportsMissing, row.averageDaysLate];
}

// The People's Committee that issues the report: "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH".
function committeeOf(provinceName: string): string {
  const name = provinceName.trim();
  const kind = /^(tỉnh|thành phố)\s/iu.test(name) ? '' : CENTRAL_CITIES.has(name) ? 'THÀNH PHỐ ' : 'TỈNH ';
  return `ỦY BAN NHÂN DÂN ${kind}${name.toUpperCase()}`;
}

const CENTRAL_CITIES = new Set(['Hà Nội', 'Hồ Chí Minh', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'Huế']);

export function cut(text: string): string {
  const chars = [...text];
  return chars.length <= CELL_MAX ? text : `${chars.slice(0, CELL_MAX - 1).join('')}…`;
}

export function localDate(instant: Date): string {
  return dayMonthYear(vietnamDate(instant));
}

function dayMonthYear(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

function localDateTime(instant: Date): string {
  const local = new Date(instant.getTime() + 7 * 3600_000).toISOString();
  return `${local.slice(11, 16)} ngày ${localDate(instant)} (giờ Việt Nam)`;
}
