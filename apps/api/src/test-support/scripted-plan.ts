import type { DataSource } from 'typeorm';
import { endOfLocalDayUtc } from '@app/plan-import';
import { createServices } from '../services';
import type { TransitionCommand } from '../tasks/transition.command';
import { cast, seedPlan, TestClock, uniqueProvince, userActor, type SeededPlan } from './int-helpers';

// A plan of one year (2030 unless told) whose history is written by hand, for the scorecard and the
// consolidated report: every event at 09:00 in Vietnam on its date, fired in date order through
// TransitionService. Its figures do not depend on the year (no date falls in February).
const due = (year: number, monthDay: string) => endOfLocalDayUtc(`${year}-${monthDay}`); // 23:59:59.999 in Vietnam

export const SECTIONS = [
  { ordinal: 'I', title: 'Cải thiện môi trường kinh doanh' },
  { ordinal: 'II', title: 'Chuyển đổi số' },
];

const JUSTICE = 'so-tu-phap';
const ICT = 'so-thong-tin-va-truyen-thong';
const TAX = 'cuc-thue-tinh';

// Ordinals are those of the appendix; row 5 has two leads and becomes a parent with 5.1 and 5.2.
export function scriptedTasks(year: number) {
  const [H1_DUE, YEAR_DUE] = [due(year, '06-05'), due(year, '12-05')];
  return [
    { sectionOrdinal: 'I', ordinal: '1', title: 'Rà soát thủ tục hành chính', leadAgencyCode: JUSTICE, dueAt: H1_DUE },
    { sectionOrdinal: 'I', ordinal: '2', title: 'Công bố danh mục thủ tục', leadAgencyCode: JUSTICE, dueAt: H1_DUE },
    {
      sectionOrdinal: 'I',
      ordinal: '3',
      title: 'Cổng dịch vụ công | một cửa',
      leadAgencyCode: ICT,
      coordinatingAgencyCodes: [JUSTICE],
      dueAt: H1_DUE,
    },
    { sectionOrdinal: 'I', ordinal: '4', title: 'Đánh giá chỉ số PCI', leadAgencyCode: JUSTICE, dueAt: H1_DUE },
    {
      sectionOrdinal: 'I',
      ordinal: '5',
      title: 'Đối thoại doanh nghiệp',
      leadAgencyCode: JUSTICE,
      coLeadAgencyCodes: [ICT],
      dueAt: H1_DUE,
    },
    {
      sectionOrdinal: 'II',
      ordinal: '1',
      title: 'Số hóa hồ sơ',
      leadAgencyCode: ICT,
      coordinatingAgencyCodes: [JUSTICE],
      timeframe: `Trước ngày 05/12/${year}`,
      dueAt: YEAR_DUE,
    },
    {
      sectionOrdinal: 'II',
      ordinal: '2',
      title: 'Hóa đơn điện tử',
      leadAgencyCode: TAX,
      coordinatingAgencyCodes: [],
      timeframe: 'Thường xuyên',
      dueAt: H1_DUE,
      periodDueDates: [H1_DUE, YEAR_DUE],
    },
    {
      sectionOrdinal: 'II',
      ordinal: '3',
      title: 'Kê khai thuế điện tử',
      leadAgencyCode: TAX,
      coordinatingAgencyCodes: [],
      timeframe: 'Thường xuyên',
      dueAt: H1_DUE,
      periodDueDates: [H1_DUE, YEAR_DUE],
    },
    { sectionOrdinal: 'II', ordinal: '4', title: 'Chữ ký số', leadAgencyCode: JUSTICE, dueAt: H1_DUE },
    {
      sectionOrdinal: 'II',
      ordinal: '5',
      title: 'Dữ liệu mở',
      leadAgencyCode: TAX,
      coordinatingAgencyCodes: [ICT],
      timeframe: 'Chưa xác định',
      dueAt: null,
    },
  ];
}

type Who = 'justice' | 'ict' | 'tax' | 'supervisor' | 'leader';
type Step = [date: string, who: Who, task: string, command: Omit<TransitionCommand, 'taskId'>];

// task: "<section>.<ordinal>"; dates are month-day
export function script(year: number): Step[] {
  const [EXTENDED_DUE, H1_EXTENDED_DUE] = [new Date(due(year, '07-31')), new Date(due(year, '06-30'))];
  const steps: Step[] = [
    ...['I.1', 'I.2', 'I.3', 'I.4', 'II.1', 'II.3', 'II.4'].map((task): Step => [
      '03-01',
      task === 'I.3' || task === 'II.1' ? 'ict' : task === 'II.3' ? 'tax' : 'justice',
      task,
      { event: 'START' },
    ]),
    // an extension of a recurring task's first period does not carry over to its second
    ['04-01', 'tax', 'II.3', { event: 'REQUEST_EXTENSION', comment: 'Chờ nâng cấp phần mềm', newDueAt: H1_EXTENDED_DUE }],
    [
      '04-02',
      'leader',
      'II.3',
      { event: 'APPROVE_EXTENSION', comment: `Công văn 61/UBND-TH ngày 02/4/${year}`, newDueAt: H1_EXTENDED_DUE },
    ],
    ['05-15', 'justice', 'II.4', { event: 'REQUEST_EXTENSION', comment: 'Chờ hạ tầng chữ ký số', newDueAt: EXTENDED_DUE }],
    ['05-16', 'leader', 'II.4', { event: 'APPROVE_EXTENSION', comment: `Công văn 88/UBND-TH ngày 16/5/${year}`, newDueAt: EXTENDED_DUE }],
    ['05-20', 'justice', 'I.1', { event: 'SUBMIT_REPORT', report: { summary: 'Đã rà soát 42 thủ tục', value: '42' } }],
    ['05-25', 'supervisor', 'I.1', { event: 'VERIFY', comment: 'Đạt yêu cầu' }],
    ['05-28', 'justice', 'I.4', { event: 'SUBMIT_REPORT', report: { summary: 'PCI tăng 3 bậc' } }],
    ['05-30', 'tax', 'II.3', { event: 'SUBMIT_REPORT', report: { summary: '98% doanh nghiệp kê khai điện tử', value: '98%' } }],
    ['06-02', 'supervisor', 'II.3', { event: 'VERIFY' }],
    ['06-10', 'justice', 'I.2', { event: 'SUBMIT_REPORT', report: { summary: 'Đã công bố 120 thủ tục' } }],
    ['06-12', 'supervisor', 'I.2', { event: 'VERIFY' }],
    ['06-20', 'ict', 'I.3', { event: 'SUBMIT_REPORT', report: { summary: 'Cổng đã vận hành\nthử nghiệm' } }],
    ['06-22', 'supervisor', 'I.3', { event: 'REJECT', comment: 'Chưa có số liệu hồ sơ trực tuyến' }],
    ['07-05', 'supervisor', 'I.4', { event: 'REJECT', comment: 'Thiếu báo cáo của Sở | ngành' }],
    ['07-10', 'justice', 'II.4', { event: 'SUBMIT_REPORT', report: { summary: 'Đã cấp 500 chữ ký số' } }],
    ['07-20', 'supervisor', 'II.4', { event: 'VERIFY' }],
  ];
  return steps.map(([monthDay, who, task, command]) => [`${year}-${monthDay}`, who, task, command]);
}

export interface ScriptedPlan extends SeededPlan {
  byOrdinal: Map<string, string>; // "I.1", "I.5.1" … → task id
}

// Seeds the plan in a province of its own and fires its script; `until` (a date) leaves out the later steps.
export async function seedScriptedPlan(
  dataSource: DataSource,
  prefix: string,
  { year = 2030, until = '9999-12-31' }: { year?: number; until?: string } = {},
): Promise<ScriptedPlan> {
  const seeded = await seedPlan(dataSource, uniqueProvince(prefix), scriptedTasks(year), { sections: SECTIONS, year });
  const rows: { id: string; ordinal: string; section: string }[] = await dataSource.query(
    'SELECT t.id, t.ordinal, s.ordinal AS section FROM tasks t JOIN sections s ON s.id = t.section_id WHERE t.plan_id = $1',
    [seeded.planId],
  );
  const byOrdinal = new Map(rows.map((row) => [`${row.section}.${row.ordinal}`, row.id]));
  const clock = new TestClock(`${year}-01-01T00:00:00Z`);
  const { transitions } = createServices({ dataSource, clock });
  const actors = cast(seeded);
  const who: Record<Who, ReturnType<typeof userActor>> = {
    justice: actors.lead,
    ict: userActor(seeded, 'ict', ['OFFICER'], 'ict-officer'),
    tax: userActor(seeded, 'tax', ['OFFICER'], 'tax-officer'),
    supervisor: actors.supervisor,
    leader: actors.leader,
  };
  for (const [date, actor, task, command] of script(year).filter(([date]) => date <= until)) {
    clock.set(`${date}T09:00:00+07:00`);
    await transitions.transition(who[actor], { ...command, taskId: byOrdinal.get(task)! });
  }
  return { ...seeded, byOrdinal };
}
