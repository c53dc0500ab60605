import { createTaskSnapshot } from '@app/lifecycle';
import { dataWindow, parseClosePeriod, periodCutoff, periodLabel, taskPeriods } from './reporting-periods';

const HALF_YEARS = [
  { period: 'H1', dueMonthDay: '05-30' },
  { period: 'YEAR', dueMonthDay: '11-30' },
];
const QUARTERS = ['03-10', '06-10', '09-10', '12-10'].map((d, i) => ({ period: `Q${i + 1}`, dueMonthDay: d }));

describe(periodLabel.name, () => {
  it.each([
    ['2022-05-30T16:59:59.999Z', HALF_YEARS, '2022-H1'],
    ['2022-11-30T16:59:59.999Z', HALF_YEARS, '2022-YEAR'],
    ['2022-12-31T16:59:59.999Z', HALF_YEARS, '2022-YEAR'],
    ['2021-06-30T16:59:59.999Z', QUARTERS, '2021-Q3'],
    ['2021-12-31T16:59:59.999Z', [], '2021'],
  ])('does label a due time of %s as %s', (due, deadlines, label) => {
    expect(periodLabel(deadlines, due)).toBe(label);
  });

  const MONTHS_NEXT = Array.from({ length: 12 }, (_, i) => ({
    period: `M${String(i + 1).padStart(2, '0')}`,
    dueMonthDay: `${String(((i + 1) % 12) + 1).padStart(2, '0')}-05`,
  }));

  it("does label a due time on 5 January as the year before's December when reports are due the month after", () => {
    expect(periodLabel(MONTHS_NEXT, '2023-01-05T16:59:59.999Z')).toBe('2022-M12');
    expect(periodLabel(MONTHS_NEXT, '2023-03-05T16:59:59.999Z')).toBe('2023-M02');
  });

  it("does label a due time between deadlines by the next one, December's report due in January included", () => {
    expect(periodLabel(MONTHS_NEXT, '2022-10-31T16:59:59.999Z')).toBe('2022-M10');
    expect(periodLabel(MONTHS_NEXT, '2022-12-20T16:59:59.999Z')).toBe('2022-M12');
  });

  it("does prefer the task's own half-year deadline over a monthly one due the same day", () => {
    const both = [
      { period: 'M06', dueMonthDay: '06-15' },
      ...HALF_YEARS.map((d) => (d.period === 'H1' ? { ...d, dueMonthDay: '06-15' } : d)),
    ];
    expect(periodLabel(both, '2022-06-15T16:59:59.999Z')).toBe('2022-H1');
  });

  it('does use the local (UTC+7) date when the UTC date is the day before', () => {
    // 2022-05-31 00:30 in Vietnam is still 2022-05-30 in UTC
    expect(periodLabel(HALF_YEARS, '2022-05-30T17:30:00.000Z')).toBe('2022-YEAR');
  });
});

describe(taskPeriods.name, () => {
  const dues = ['2022-05-30T16:59:59.999Z', '2022-11-30T16:59:59.999Z'];

  it('does list reached and future periods with their status when a recurring task is new', () => {
    const periods = taskPeriods(createTaskSnapshot({ dueAt: dues[0], periodDueDates: dues }), HALF_YEARS, new Date('2022-07-01T00:00:00Z'));
    expect(periods.map((p) => [p.label, p.status])).toEqual([
      ['2022-H1', 'MISSING'],
      ['2022-YEAR', 'PENDING'],
    ]);
  });

  it('does give one period to a task that is not recurring', () => {
    const periods = taskPeriods(createTaskSnapshot({ dueAt: dues[1] }), HALF_YEARS, new Date('2022-01-01T00:00:00Z'));
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ index: 0, label: '2022-YEAR', status: 'PENDING', reportedAt: null });
  });
});

describe(dataWindow.name, () => {
  it.each([
    ['H1', 2023, '2022-12-14T17:00:00.000Z', '2023-06-14T16:59:59.999Z'],
    ['YEAR', 2023, '2022-12-14T17:00:00.000Z', '2023-12-14T16:59:59.999Z'],
    ['H1', 2024, '2023-12-14T17:00:00.000Z', '2024-06-14T16:59:59.999Z'],
  ] as const)(
    'does give the Decree 09/2019 window of %s %i: 15 Dec of the year before to 14 Jun or 14 Dec (UTC+7)',
    (period, year, from, until) => {
      expect(dataWindow(period, year)).toEqual({ period, year, from: new Date(from), until: new Date(until) });
    },
  );

  it('does refuse a year that is not a calendar year of the plans', () => {
    expect(() => dataWindow('H1', 20230)).toThrow(RangeError);
    expect(() => dataWindow('YEAR', 2023.5)).toThrow(RangeError);
  });
});

describe(parseClosePeriod.name, () => {
  it.each([
    ['2023', { label: '2023', year: 2023, kind: 'YEAR' }],
    ['2023-H1', { label: '2023-H1', year: 2023, kind: 'H1' }],
    ['2023-Q2', { label: '2023-Q2', year: 2023, kind: 'Q2' }],
  ])('does read %s', (text, period) => expect(parseClosePeriod(text)).toEqual(period));

  it.each(['H1', '2023-H2', '2023-Q0', '2023-Q5', '2023-YEAR', '23', '2023-h1', ' 2023', '1900', ''])('does refuse "%s"', (text) =>
    expect(parseClosePeriod(text)).toBeNull(),
  );
});

describe(periodCutoff.name, () => {
  it.each([
    ['YEAR', '2023-12-14T16:59:59.999Z'],
    ['H1', '2023-06-14T16:59:59.999Z'],
    ['Q1', '2023-03-14T16:59:59.999Z'],
    ['Q3', '2023-09-14T16:59:59.999Z'],
  ] as const)("does end %s at the end of the Decree's Vietnam day", (kind, cutoff) =>
    expect(periodCutoff({ year: 2023, kind }, []).toISOString()).toBe(cutoff),
  );

  it("does take the plan's own cut-off for the periods it names, the Decree's for the others", () => {
    const own = [{ period: 'H1', cutoffMonthDay: '06-30' }];
    expect(periodCutoff({ year: 2023, kind: 'H1' }, own).toISOString()).toBe('2023-06-30T16:59:59.999Z');
    expect(periodCutoff({ year: 2023, kind: 'YEAR' }, own).toISOString()).toBe('2023-12-14T16:59:59.999Z');
  });
});
