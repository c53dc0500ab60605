import { endOfLocalDayUtc, formatDate, lastDayOfMonth } from './local-date.util';

describe(endOfLocalDayUtc.name, () => {
  it('does return 16:59:59.999Z when given a date, because Vietnam is UTC+7 all year', () => {
    expect(endOfLocalDayUtc('2022-05-30')).toBe('2022-05-30T16:59:59.999Z');
    expect(endOfLocalDayUtc('2021-12-31')).toBe('2021-12-31T16:59:59.999Z');
  });

  it('does handle the leap day when the year has one', () => {
    expect(endOfLocalDayUtc('2024-02-29')).toBe('2024-02-29T16:59:59.999Z');
  });

  it('does not depend on the host time zone when TZ is changed', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(endOfLocalDayUtc('2022-03-13')).toBe('2022-03-13T16:59:59.999Z');
    } finally {
      process.env.TZ = saved;
    }
  });

  it.each(['2023-02-29', '2022-13-01', '2022-5-30', 'tomorrow', ''])('does throw a RangeError when given %j', (date) => {
    expect(() => endOfLocalDayUtc(date)).toThrow(RangeError);
  });
});

describe(lastDayOfMonth.name, () => {
  it.each([
    [2022, 1, 31],
    [2022, 2, 28],
    [2024, 2, 29],
    [2022, 4, 30],
    [2022, 12, 31],
  ])('does return the last day when given %i-%i', (year, month, day) => {
    expect(lastDayOfMonth(year, month)).toBe(day);
  });
});

describe(formatDate.name, () => {
  it('does pad month and day when they are single digits', () => {
    expect(formatDate(2022, 1, 5)).toBe('2022-01-05');
  });

  it('does return null when the parts are not a calendar date', () => {
    expect(formatDate(2022, 2, 30)).toBeNull();
    expect(formatDate(2022, 0, 1)).toBeNull();
  });
});
