import type { DraftAgencyRef, DraftPlan, DraftTask } from '@app/plan-import';
import { draftToPlan } from './draft-to-plan';

// A draft into a plan to write: due times at the end of the local day in Asia/Ho_Chi_Minh (UTC+7),
// recurring tasks due at every reporting deadline, several leads kept as co-leads, the agency list
// deduplicated with the raw spellings kept as aliases, and a warning for everything it could not use.

const PROVINCE = { code: 'thu-nghiem', name: 'Thử Nghiệm' };
const HASH = '0123456789abcdef'.repeat(4);

const ref = (name: string, code: string, raw = name, isGroup = false): DraftAgencyRef => ({ raw, name, code, isGroup });
const PLANNING = ref('Sở Kế hoạch và Đầu tư', 'so-ke-hoach-va-dau-tu');
const JUSTICE = ref('Sở Tư pháp', 'so-tu-phap');
const ICT = ref('Sở Thông tin và Truyền thông', 'so-thong-tin-va-truyen-thong');
const TAX = ref('Cục Thuế tỉnh', 'cuc-thue-tinh');
const DEPARTMENTS = ref('Các sở, ban, ngành', 'cac-so-ban-nganh', 'Các Sở, Ban ngành', true);

function draftTask(overrides: Partial<DraftTask> = {}): DraftTask {
  return {
    ordinal: '1',
    section: 'I',
    title: 'Nhiệm vụ thử nghiệm',
    leadAgencies: [JUSTICE],
    coordinatingAgencies: [ICT],
    timeframe: 'Năm 2030',
    target: null,
    note: null,
    sourceLine: 10,
    fromProse: false,
    confidence: 1,
    warnings: [],
    ...overrides,
  };
}

function draft(tasks: Partial<DraftTask>[], overrides: Partial<DraftPlan> = {}): DraftPlan {
  return {
    number: '47/KH-UBND',
    issuedOn: '2030-01-15',
    provinceName: PROVINCE.name,
    provinceCode: PROVINCE.code,
    title: 'Kế hoạch thử nghiệm năm 2030',
    resolution: { number: '02/NQ-CP', issuedOn: '2030-01-08' },
    year: 2030,
    monitoringAgency: PLANNING,
    reportingDeadlines: [
      { period: 'H1', dueMonthDay: '06-15' },
      { period: 'YEAR', dueMonthDay: '12-15' },
    ],
    consolidationDeadlines: [{ period: 'YEAR', dueMonthDay: '12-20' }],
    sections: [{ ordinal: 'I', title: 'Nhóm thử nghiệm' }],
    tasks: tasks.map((task, i) => draftTask({ ordinal: String(i + 1), sourceLine: 10 + i, ...task })),
    warnings: [],
    ...overrides,
  };
}

const convert = (d: DraftPlan) => draftToPlan(d, PROVINCE, HASH);
const only = (d: DraftPlan) => {
  const { plan, warnings } = convert(d);
  expect(plan.tasks).toHaveLength(1);
  return { task: plan.tasks[0], warnings };
};

describe(draftToPlan.name, () => {
  describe('plan fields', () => {
    it('does carry number, date, year, resolution, monitoring agency, both deadline tiers and sections when the draft has them', () => {
      const { plan, warnings } = convert(draft([{}]));
      expect(warnings).toEqual([]);
      expect(plan).toMatchObject({
        province: PROVINCE,
        number: '47/KH-UBND',
        title: 'Kế hoạch thử nghiệm năm 2030',
        issuedOn: '2030-01-15',
        year: 2030,
        resolution: '02/NQ-CP',
        monitoringAgencyCode: PLANNING.code,
        reportingDeadlines: [
          { period: 'H1', dueMonthDay: '06-15' },
          { period: 'YEAR', dueMonthDay: '12-15' },
        ],
        consolidationDeadlines: [{ period: 'YEAR', dueMonthDay: '12-20' }],
        sections: [{ ordinal: 'I', title: 'Nhóm thử nghiệm' }],
        sourceHash: HASH,
      });
    });

    it('does give a fallback number naming the document hash when the draft has no number', () => {
      const { plan } = convert(draft([{}], { number: null, issuedOn: null }));
      expect(plan.number).toBe('chưa rõ số (01234567)');
      expect(plan.issuedOn).toBeNull();
    });

    it('does take the year from the issue date when the draft has no year', () => {
      const { plan, warnings } = convert(draft([{ timeframe: 'Quý II' }], { year: null, issuedOn: '2031-03-01' }));
      expect(plan.year).toBe(2031);
      expect(plan.tasks[0].dueAt).toBe('2031-06-30T16:59:59.999Z');
      expect(warnings).toEqual([]);
    });

    it('does leave the monitoring agency and resolution null when the draft found none', () => {
      const { plan } = convert(draft([{}], { monitoringAgency: null, resolution: null }));
      expect(plan.monitoringAgencyCode).toBeNull();
      expect(plan.resolution).toBeNull();
      expect(plan.agencies.map((a) => a.code)).toEqual([JUSTICE.code, ICT.code]);
    });
  });

  describe('timeframes', () => {
    const fixed: [string, string][] = [
      ['Năm 2030', '2030-12-31T16:59:59.999Z'],
      ['2031', '2031-12-31T16:59:59.999Z'],
      ['Quý II năm 2030', '2030-06-30T16:59:59.999Z'],
      ['Quý IV', '2030-12-31T16:59:59.999Z'],
      ['Tháng 3/2030', '2030-03-31T16:59:59.999Z'],
      ['Tháng 2 năm 2032', '2032-02-29T16:59:59.999Z'], // leap year
      ['6 tháng đầu năm 2030', '2030-06-30T16:59:59.999Z'],
      ['trước ngày 10 tháng 12 năm 2030', '2030-12-10T16:59:59.999Z'],
      ['15/8/2030', '2030-08-15T16:59:59.999Z'],
    ];
    it.each(fixed)('does make "%s" due at %s (end of the local day, UTC+7) with no periods', (timeframe, dueAt) => {
      const { task, warnings } = only(draft([{ timeframe }]));
      expect({ dueAt: task.dueAt, periodDueDates: task.periodDueDates, timeframe: task.timeframe }).toEqual({
        dueAt,
        periodDueDates: undefined,
        timeframe,
      });
      expect(warnings).toEqual([]);
    });

    it('does make "Thường xuyên" due at each reporting deadline of the plan year, the first one first', () => {
      const { task, warnings } = only(draft([{ timeframe: 'Thường xuyên' }]));
      expect(task.periodDueDates).toEqual(['2030-06-15T16:59:59.999Z', '2030-12-15T16:59:59.999Z']);
      expect(task.dueAt).toBe('2030-06-15T16:59:59.999Z');
      expect(warnings).toEqual([]);
    });

    it('does make "Hàng quý" due at the quarterly deadlines, merging a year-end deadline on the same day', () => {
      const quarterly = [
        { period: 'Q1', dueMonthDay: '03-10' },
        { period: 'Q2', dueMonthDay: '06-10' },
        { period: 'Q3', dueMonthDay: '09-10' },
        { period: 'Q4', dueMonthDay: '12-10' },
        { period: 'YEAR', dueMonthDay: '12-10' },
      ];
      const { task } = only(draft([{ timeframe: 'Hàng quý' }], { reportingDeadlines: quarterly }));
      expect(task.periodDueDates).toEqual([
        '2030-03-10T16:59:59.999Z',
        '2030-06-10T16:59:59.999Z',
        '2030-09-10T16:59:59.999Z',
        '2030-12-10T16:59:59.999Z',
      ]);
    });

    const monthly = (dueMonthDay: (month: number) => string) =>
      Array.from({ length: 12 }, (_, i) => ({ period: `M${String(i + 1).padStart(2, '0')}`, dueMonthDay: dueMonthDay(i + 1) }));

    it('does keep "Thường xuyên" on the half-year and year deadlines when the plan also states monthly ones', () => {
      const deadlines = [...monthly((m) => `${String(m).padStart(2, '0')}-20`), ...draft([]).reportingDeadlines];
      const { plan } = convert(draft([{ timeframe: 'Thường xuyên' }], { reportingDeadlines: deadlines }));
      expect(plan.tasks[0].periodDueDates).toEqual(['2030-06-15T16:59:59.999Z', '2030-12-15T16:59:59.999Z']);
      expect(plan.reportingDeadlines).toHaveLength(14);
    });

    it('does make "Thường xuyên" due monthly, December\'s on 5 January, when the plan states only "trước ngày 5 của tháng sau"', () => {
      const { task } = only(
        draft([{ timeframe: 'Thường xuyên' }], { reportingDeadlines: monthly((m) => `${String((m % 12) + 1).padStart(2, '0')}-05`) }),
      );
      expect(task.periodDueDates).toHaveLength(12);
      expect(task.periodDueDates?.slice(-2)).toEqual(['2030-12-05T16:59:59.999Z', '2031-01-05T16:59:59.999Z']);
    });

    it('does give a range "2021-2025" a period for every reporting deadline of every year from the plan year through 2025', () => {
      const { task, warnings } = only(draft([{ timeframe: '2021-2025' }], { year: 2022, issuedOn: '2022-01-20' }));
      expect(task.periodDueDates).toEqual([
        '2022-06-15T16:59:59.999Z',
        '2022-12-15T16:59:59.999Z',
        '2023-06-15T16:59:59.999Z',
        '2023-12-15T16:59:59.999Z',
        '2024-06-15T16:59:59.999Z',
        '2024-12-15T16:59:59.999Z',
        '2025-06-15T16:59:59.999Z',
        '2025-12-15T16:59:59.999Z',
      ]);
      expect(task.dueAt).toBe('2022-06-15T16:59:59.999Z');
      expect(warnings).toEqual([]);
    });

    it('does warn and make a recurring task due at the end of the plan year when the plan states no reporting deadlines', () => {
      const { task, warnings } = only(
        draft([{ section: 'II', ordinal: '4', sourceLine: 77, timeframe: 'Thường xuyên' }], { reportingDeadlines: [] }),
      );
      expect({ dueAt: task.dueAt, periodDueDates: task.periodDueDates }).toEqual({
        dueAt: '2030-12-31T16:59:59.999Z',
        periodDueDates: undefined,
      });
      expect(warnings).toEqual(['task II.4 (line 77): recurring task but the plan states no reporting deadlines; due at the end of 2030']);
    });

    it('does warn and make a range due at the end of its last year when the plan states no reporting deadlines', () => {
      const { task, warnings } = only(draft([{ timeframe: '2030-2032' }], { reportingDeadlines: [] }));
      expect(task.dueAt).toBe('2032-12-31T16:59:59.999Z');
      expect(warnings).toEqual([
        expect.stringMatching(
          /^task I\.1 \(line 10\): recurring task but the plan states no reporting deadlines; due at the end of 2032$/u,
        ),
      ]);
    });

    it('does warn and make the task due at the end of the plan year when its timeframe is not understood', () => {
      const { task, warnings } = only(draft([{ timeframe: 'Khi có hướng dẫn của Bộ' }]));
      expect(task.dueAt).toBe('2030-12-31T16:59:59.999Z');
      expect(task.timeframe).toBe('Khi có hướng dẫn của Bộ');
      expect(warnings).toEqual([
        'task I.1 (line 10): timeframe "Khi có hướng dẫn của Bộ" was not understood; due at the end of the plan year',
      ]);
    });

    it('does warn about an impossible month and make the task due at the end of the plan year', () => {
      const { task, warnings } = only(draft([{ timeframe: 'Tháng 13/2030' }]));
      expect(task.dueAt).toBe('2030-12-31T16:59:59.999Z');
      expect(warnings).toHaveLength(1);
    });

    it('does not warn again about an empty timeframe (the parser already did) and makes it due at the end of the plan year', () => {
      const { task, warnings } = only(draft([{ timeframe: '' }]));
      expect(task.dueAt).toBe('2030-12-31T16:59:59.999Z');
      expect(warnings).toEqual([]);
    });

    it('does leave dueAt null when neither the timeframe nor the plan gives a year', () => {
      const { task } = only(draft([{ timeframe: 'Quý II' }], { year: null, issuedOn: null }));
      expect(task.dueAt).toBeNull();
    });

    it('does name a task without a section by its ordinal only in warnings', () => {
      const { warnings } = only(draft([{ section: null, ordinal: '6', sourceLine: 284, timeframe: 'Khi cần' }], { sections: [] }));
      expect(warnings).toEqual(['task 6 (line 284): timeframe "Khi cần" was not understood; due at the end of the plan year']);
    });
  });

  describe('agencies', () => {
    it('does keep the first lead as lead and the others as co-leads when a row names several leads', () => {
      const { task } = only(
        draft([
          {
            leadAgencies: [
              DEPARTMENTS,
              ref('UBND các huyện, thị xã, thành phố', 'ubnd-cac-huyen-thi-xa-thanh-pho', 'UBND các huyện', true),
              TAX,
            ],
            coordinatingAgencies: [],
          },
        ]),
      );
      expect({ lead: task.leadAgencyCode, coLeads: task.coLeadAgencyCodes }).toEqual({
        lead: DEPARTMENTS.code,
        coLeads: ['ubnd-cac-huyen-thi-xa-thanh-pho', TAX.code],
      });
    });

    it('does give a single-lead task no co-leads', () => {
      const { task } = only(draft([{}]));
      expect({ lead: task.leadAgencyCode, coLeads: task.coLeadAgencyCodes, coordinating: task.coordinatingAgencyCodes }).toEqual({
        lead: JUSTICE.code,
        coLeads: [],
        coordinating: [ICT.code],
      });
    });

    it('does drop a coordinating agency that is also a lead or a co-lead of the same task', () => {
      const { task } = only(
        draft([{ leadAgencies: [JUSTICE, TAX], coordinatingAgencies: [ref('Sở Tư pháp', JUSTICE.code, 'Sở Tư Pháp'), ICT, TAX] }]),
      );
      expect(task.coordinatingAgencyCodes).toEqual([ICT.code]);
    });

    it('does list each agency once, with every raw spelling that differs from its name as an alias, when tasks spell it differently', () => {
      const { plan } = convert(
        draft([
          {
            leadAgencies: [ref('Sở Thông tin và Truyền thông', ICT.code, 'Sở TT&TT')],
            coordinatingAgencies: [ref('Sở Kế hoạch và Đầu tư', PLANNING.code, 'Sở KH&ĐT')],
          },
          {
            leadAgencies: [ICT],
            coordinatingAgencies: [
              ref('Sở Kế hoạch và Đầu tư', PLANNING.code, 'Sở KHĐT'),
              ref('Sở Kế hoạch và Đầu tư', PLANNING.code, 'Sở KH&ĐT'),
            ],
          },
          {
            leadAgencies: [ref('Sở Thông tin và Truyền thông', ICT.code, '  Sở Thông tin - Truyền thông ')],
            coordinatingAgencies: [DEPARTMENTS],
          },
        ]),
      );
      expect(plan.agencies).toEqual([
        { code: PLANNING.code, name: PLANNING.name, isGroup: false, aliases: ['Sở KH&ĐT', 'Sở KHĐT'] },
        { code: ICT.code, name: ICT.name, isGroup: false, aliases: ['Sở TT&TT', 'Sở Thông tin - Truyền thông'] },
        { code: DEPARTMENTS.code, name: DEPARTMENTS.name, isGroup: true, aliases: ['Các Sở, Ban ngành'] },
      ]);
      expect(new Set(plan.agencies.map((a) => a.code)).size).toBe(plan.agencies.length);
    });

    it('does list the monitoring agency even when no task names it', () => {
      const { plan } = convert(draft([{ leadAgencies: [JUSTICE], coordinatingAgencies: [] }]));
      expect(plan.agencies.map((a) => a.code)).toEqual([PLANNING.code, JUSTICE.code]);
      expect(plan.monitoringAgencyCode).toBe(PLANNING.code);
    });

    it('does warn and skip a task without a lead agency, and does not list agencies only it named', () => {
      const { plan, warnings } = convert(
        draft([
          { ordinal: '1', leadAgencies: [JUSTICE], coordinatingAgencies: [] },
          { ordinal: '2', section: 'II', sourceLine: 55, leadAgencies: [], coordinatingAgencies: [TAX] },
          { ordinal: '3', leadAgencies: [ICT], coordinatingAgencies: [] },
        ]),
      );
      expect(plan.tasks.map((t) => t.ordinal)).toEqual(['1', '3']);
      expect(warnings).toEqual(['task II.2 (line 55): no lead agency (chủ trì) could be read; the task was not imported']);
      expect(plan.agencies.map((a) => a.code)).not.toContain(TAX.code);
    });

    it('does keep title, section, ordinal, target and note of each task as read', () => {
      const { task } = only(draft([{ section: 'III', ordinal: '2', title: 'Việc cần làm', target: '80% hồ sơ', note: 'Ghi chú' }]));
      expect(task).toMatchObject({ sectionOrdinal: 'III', ordinal: '2', title: 'Việc cần làm', target: '80% hồ sơ', note: 'Ghi chú' });
    });
  });
});
