import { setHostTimeZone } from '../test-support/host-time-zone';
import { endOfVietnamDayAfter, vietnamDate } from './vietnam-time';

describe('vietnam-time', () => {
  // zone → Date#getTimezoneOffset in January, to prove the zone took effect
  const zones: [string, number][] = [
    ['UTC', 0],
    ['America/New_York', 300],
    ['Asia/Ho_Chi_Minh', -420],
    ['Pacific/Kiritimati', -840],
  ];
  const saved = process.env.TZ;
  afterAll(() => {
    setHostTimeZone(saved);
  });

  it.each(zones)('gives the Vietnam date and day ends whatever the host TZ when TZ=%s', (zone, offset) => {
    setHostTimeZone(zone);
    expect(new Date('2030-01-15T12:00:00Z').getTimezoneOffset()).toBe(offset);
    // local midnight of 2030-03-10 in Vietnam is 17:00 UTC the day before
    expect(vietnamDate(new Date('2030-03-09T16:59:59.999Z'))).toBe('2030-03-09');
    expect(vietnamDate(new Date('2030-03-09T17:00:00.000Z'))).toBe('2030-03-10');
    expect(vietnamDate(new Date('2030-03-10T16:59:59.999Z'))).toBe('2030-03-10');
    for (const asOf of ['2030-03-09T17:00:00.000Z', '2030-03-10T05:00:00.000Z', '2030-03-10T16:59:59.999Z']) {
      expect(endOfVietnamDayAfter(new Date(asOf), 7).toISOString()).toBe('2030-03-17T16:59:59.999Z');
      expect(endOfVietnamDayAfter(new Date(asOf), 0).toISOString()).toBe('2030-03-10T16:59:59.999Z');
    }
    expect(endOfVietnamDayAfter(new Date('2030-03-10T17:00:00.000Z'), 7).toISOString()).toBe('2030-03-18T16:59:59.999Z');
  });

  it('crosses month and leap-day ends when the window spans them', () => {
    expect(endOfVietnamDayAfter(new Date('2028-02-25T03:00:00Z'), 7).toISOString()).toBe('2028-03-03T16:59:59.999Z');
    expect(endOfVietnamDayAfter(new Date('2030-12-31T18:00:00Z'), 1).toISOString()).toBe('2031-01-02T16:59:59.999Z');
    expect(vietnamDate(new Date('2030-12-31T17:00:00Z'))).toBe('2031-01-01');
  });
});
