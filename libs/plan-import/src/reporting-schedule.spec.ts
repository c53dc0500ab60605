import type { ReportingDeadline } from './draft-plan.types';
import { deadlineDate, nextReportingDue, taskPeriodDueInstants } from './reporting-schedule';

const halfYearAndYear: ReportingDeadline[] = [
  { period: 'H1', dueMonthDay: '05-30' },
  { period: 'YEAR', dueMonthDay: '11-30' },
];

describe(nextReportingDue.name, () => {
  it('does return the next deadline this year when one is still ahead', () => {
    expect(nextReportingDue(halfYearAndYear, '2022-03-01T00:00:00.000Z')).toBe('2022-05-30T16:59:59.999Z');
    expect(nextReportingDue(halfYearAndYear, '2022-06-01T00:00:00.000Z')).toBe('2022-11-30T16:59:59.999Z');
  });

  it('does roll over to next year when every deadline of this year has passed', () => {
    expect(nextReportingDue(halfYearAndYear, '2022-12-15T00:00:00.000Z')).toBe('2023-05-30T16:59:59.999Z');
  });

  it('does skip a deadline when the instant is exactly its end (strictly after)', () => {
    expect(nextReportingDue(halfYearAndYear, '2022-05-30T16:59:59.999Z')).toBe('2022-11-30T16:59:59.999Z');
  });

  it('does count a deadline as still open when the instant is late that day in UTC but before local midnight', () => {
    expect(nextReportingDue(halfYearAndYear, '2022-05-30T16:00:00.000Z')).toBe('2022-05-30T16:59:59.999Z');
  });

  it('does use the local year when the UTC instant is still the previous year', () => {
    // 2022-12-31T18:00Z is already 1 January 2023 in Vietnam.
    const quarterly: ReportingDeadline[] = [{ period: 'Q1', dueMonthDay: '03-10' }];
    expect(nextReportingDue(quarterly, '2022-12-31T18:00:00.000Z')).toBe('2023-03-10T16:59:59.999Z');
  });

  it('does accept deadlines in any order when choosing the earliest', () => {
    const quarters: ReportingDeadline[] = ['12-10', '03-10', '09-10', '06-10'].map((dueMonthDay, i) => ({
      period: `Q${i + 1}`,
      dueMonthDay,
    }));
    expect(nextReportingDue(quarters, '2021-04-01T00:00:00.000Z')).toBe('2021-06-10T16:59:59.999Z');
  });

  it('does move 29 February to the 28th when the year is not a leap year', () => {
    expect(nextReportingDue([{ period: 'YEAR', dueMonthDay: '02-29' }], '2023-01-01T00:00:00.000Z')).toBe('2023-02-28T16:59:59.999Z');
  });

  it('does return null when there are no deadlines', () => {
    expect(nextReportingDue([], '2022-01-01T00:00:00.000Z')).toBeNull();
  });

  it('does throw a RangeError when the instant is not ISO', () => {
    expect(() => nextReportingDue(halfYearAndYear, 'yesterday')).toThrow(RangeError);
  });
});

const monthlyNextMonth: ReportingDeadline[] = Array.from({ length: 12 }, (_, i) => ({
  period: `M${String(i + 1).padStart(2, '0')}`,
  dueMonthDay: `${String(((i + 1) % 12) + 1).padStart(2, '0')}-05`,
}));

describe(deadlineDate.name, () => {
  it('does put a deadline of the month after the period in the next year when the period ends the year', () => {
    expect(deadlineDate({ period: 'M12', dueMonthDay: '01-05' }, 2022)).toBe('2023-01-05');
    expect(deadlineDate({ period: 'Q4', dueMonthDay: '01-05' }, 2022)).toBe('2023-01-05');
    expect(deadlineDate({ period: 'M11', dueMonthDay: '12-05' }, 2022)).toBe('2022-12-05');
  });

  it('does keep a deadline before its period ends in the period year (H1 due 30 May)', () => {
    expect(deadlineDate({ period: 'H1', dueMonthDay: '05-30' }, 2022)).toBe('2022-05-30');
    expect(deadlineDate({ period: 'YEAR', dueMonthDay: '12-05' }, 2022)).toBe('2022-12-05');
  });

  it('does return null for an unreadable month-day', () => {
    expect(deadlineDate({ period: 'M01', dueMonthDay: '13-05' }, 2022)).toBeNull();
    expect(deadlineDate({ period: 'M01', dueMonthDay: '1-5' }, 2022)).toBeNull();
  });
});

describe(taskPeriodDueInstants.name, () => {
  const monthlyAndHalfYears = [...monthlyNextMonth, ...halfYearAndYear];

  it('does schedule a recurring task on the coarser deadlines when the plan also states monthly ones', () => {
    expect(taskPeriodDueInstants(monthlyAndHalfYears, 2022, 2022)).toEqual(['2022-05-30T16:59:59.999Z', '2022-11-30T16:59:59.999Z']);
  });

  it('does schedule monthly, December in the next January, when the plan states only monthly deadlines', () => {
    const instants = taskPeriodDueInstants(monthlyNextMonth, 2022, 2022);
    expect(instants).toHaveLength(12);
    expect(instants[0]).toBe('2022-02-05T16:59:59.999Z');
    expect(instants[11]).toBe('2023-01-05T16:59:59.999Z');
  });
});

describe(`${nextReportingDue.name} with deadlines in the month after`, () => {
  it("does find last December's report due on 5 January", () => {
    expect(nextReportingDue(monthlyNextMonth, '2023-01-02T00:00:00.000Z')).toBe('2023-01-05T16:59:59.999Z');
  });
});
