import { setHostTimeZone } from '../test-support/host-time-zone';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../auth/actor';
import {
  AGENCY_CODES,
  cast,
  expectDomainError,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { UpcomingDeadlinesService } from './upcoming-deadlines.service';
import { createServices } from '../services';

// Vietnam day D = 2030-03-10 begins at 2030-03-09T17:00Z; "within 7 days" on D reaches the end of 03-17.
const D_START = '2030-03-09T17:00:00.000Z';
const D_LAST_MS = '2030-03-10T16:59:59.999Z';
const BEFORE_D = '2030-03-09T16:59:59.999Z';
const D_PLUS_1 = '2030-03-10T17:00:00.000Z';

const { justice, ict, tax, monitoring } = AGENCY_CODES;
// ordinal: lead justice, coordinating ict unless said
const TASKS = [
  { dueAt: BEFORE_D }, // 1 due in the last ms before D
  { dueAt: D_START }, // 2 due at the first ms of D
  { dueAt: '2030-03-12T05:00:00.000Z' }, // 3
  { dueAt: '2030-03-17T16:59:59.999Z' }, // 4 last ms of D+7
  { dueAt: '2030-03-17T17:00:00.000Z' }, // 5 first ms of D+8
  { dueAt: '2030-03-12T05:00:00.000Z' }, // 6 REPORTED
  { dueAt: '2030-03-13T05:00:00.000Z' }, // 7 VERIFIED
  { dueAt: '2030-03-14T16:59:59.999Z', coLeadAgencyCodes: [tax] }, // 8 split: 8.1 justice, 8.2 tax
  { dueAt: '2030-01-31T16:59:59.999Z' }, // 9 OVERDUE
  { dueAt: '2030-03-15T16:59:59.999Z', leadAgencyCode: ict, coordinatingAgencyCodes: [justice] }, // 10
  { dueAt: '2030-03-15T16:59:59.999Z', leadAgencyCode: monitoring, coordinatingAgencyCodes: [] }, // 11
  { dueAt: null, timeframe: 'Thường xuyên' }, // 12 no due time
  { dueAt: '2030-02-28T16:59:59.999Z', leadAgencyCode: ict, coordinatingAgencyCodes: [tax] }, // 13 OVERDUE, led by ict
];

describe(UpcomingDeadlinesService.name, () => {
  const savedTz = process.env.TZ;
  let ds: DataSource;
  let clock: TestClock;
  let service: UpcomingDeadlinesService;
  let seeded: SeededPlan;
  let other: SeededPlan;
  let actors: ReturnType<typeof cast>;

  beforeAll(async () => {
    ds = await openDataSource();
    clock = new TestClock(D_START);
    service = createServices({ dataSource: ds, clock: clock }).upcomingDeadlines;
    seeded = await seedPlan(ds, uniqueProvince('int-upcoming'), TASKS);
    other = await seedPlan(ds, uniqueProvince('int-upcoming-other'), [{ dueAt: '2030-03-12T05:00:00.000Z' }]);
    actors = cast(seeded);
    const id = (ordinal: string) => seeded.taskIds[ordinalIndex(ordinal)];
    const transitions = createServices({ dataSource: ds, clock: new TestClock('2030-03-05T00:00:00Z') }).transitions;
    await transitions.transition(actors.lead, { taskId: id('6'), event: 'START' });
    await transitions.transition(actors.lead, { taskId: id('6'), event: 'SUBMIT_REPORT', report: { summary: 'Đã hoàn thành' } });
    await transitions.transition(actors.lead, { taskId: id('7'), event: 'START' });
    await transitions.transition(actors.lead, { taskId: id('7'), event: 'SUBMIT_REPORT', report: { summary: 'Đã hoàn thành' } });
    await transitions.transition(actors.supervisor, { taskId: id('7'), event: 'VERIFY' });
    await transitions.transition(SYSTEM_ACTOR, { taskId: id('9'), event: 'DEADLINE_PASSED' });
    await transitions.transition(SYSTEM_ACTOR, { taskId: id('13'), event: 'DEADLINE_PASSED' });
  });

  afterAll(async () => {
    setHostTimeZone(savedTz);
    await ds?.destroy();
  });

  // seedPlan's task ids are in plan order: 1..7, 8, 8.1, 8.2, 9..13
  const ORDER = ['1', '2', '3', '4', '5', '6', '7', '8', '8.1', '8.2', '9', '10', '11', '12', '13'];
  const ordinalIndex = (ordinal: string) => ORDER.indexOf(ordinal);

  async function upcoming(agency: 'justice' | 'ict' | 'tax' | 'monitoring', asOf: string, withinDays = 7): Promise<string[]> {
    clock.set(asOf);
    const tasks = await service.upcoming(actors.lead, seeded.agencies[agency], withinDays);
    return tasks.map((task) => task.ordinal);
  }

  describe.each(['UTC', 'America/New_York', 'Asia/Ho_Chi_Minh'])('with the host in %s', (zone) => {
    beforeAll(() => {
      setHostTimeZone(zone);
    });

    it('runs in that zone when the process TZ is changed at runtime', () => {
      const offsets = { UTC: 0, 'America/New_York': 300, 'Asia/Ho_Chi_Minh': -420 } as Record<string, number>;
      expect(new Date('2030-01-15T12:00:00Z').getTimezoneOffset()).toBe(offsets[zone]);
    });

    it('reaches the end of the Vietnam day 7 days ahead when asked at the first ms of the day', async () => {
      expect(await upcoming('justice', D_START)).toEqual(['2', '3', '8.1', '10', '4']);
    });

    it('keeps the same window end when asked at the last ms of the day', async () => {
      expect(await upcoming('justice', D_LAST_MS)).toEqual(['3', '8.1', '10', '4']);
    });

    it('takes in the next day when the next Vietnam day has begun', async () => {
      expect(await upcoming('justice', D_PLUS_1)).toEqual(['3', '8.1', '10', '4', '5']);
    });

    it('includes a task due exactly now and stops a day earlier when asked the ms before the day', async () => {
      expect(await upcoming('justice', BEFORE_D)).toEqual(['1', '2', '3', '8.1', '10']);
    });

    it('counts withinDays in Vietnam days when the window is short', async () => {
      expect(await upcoming('justice', '2030-03-10T05:00:00.000Z', 1)).toEqual([]);
      expect(await upcoming('justice', '2030-03-10T05:00:00.000Z', 2)).toEqual(['3']);
      expect(await upcoming('justice', '2030-03-11T16:59:59.999Z', 1)).toEqual(['3']);
    });
  });

  it('lists what a coordinating agency works on next to what it leads when the agency coordinates', async () => {
    // ict leads 10 and coordinates the justice tasks; never REPORTED, VERIFIED, OVERDUE or split parents
    expect(await upcoming('ict', D_START)).toEqual(['2', '3', '8.1', '8.2', '10', '4']);
    expect(await upcoming('tax', D_START)).toEqual(['8.2']);
    expect(await upcoming('monitoring', D_START)).toEqual(['11']);
  });

  it('reaches far tasks when withinDays is large', async () => {
    expect(await upcoming('justice', '2030-03-01T00:00:00Z', 366)).toEqual(['1', '2', '3', '8.1', '10', '4', '5']);
  });

  it('refuses withinDays outside 1..366 and a malformed id with BAD_USER_INPUT', async () => {
    for (const days of [0, -1, 367, 1.5]) {
      await expectDomainError(service.upcoming(actors.lead, seeded.agencies.justice, days), 'BAD_USER_INPUT');
    }
    await expectDomainError(service.upcoming(actors.lead, 'so-tu-phap', 7), 'BAD_USER_INPUT');
    await expectDomainError(service.overdue(actors.lead, 'not-a-uuid'), 'BAD_USER_INPUT');
  });

  it("answers NOT_FOUND for another province's agency, and a national auditor sees it", async () => {
    clock.set(D_START);
    await expectDomainError(service.upcoming(actors.lead, other.agencies.justice, 7), 'NOT_FOUND');
    await expectDomainError(service.overdue(userActor(other, 'justice', ['OFFICER']), seeded.agencies.justice), 'NOT_FOUND');
    await expectDomainError(service.upcoming(actors.lead, '00000000-0000-4000-8000-000000000000', 7), 'NOT_FOUND');
    const theirs = await service.upcoming(NATIONAL_AUDITOR, other.agencies.justice, 7);
    expect(theirs.map((task) => [task.provinceCode, task.ordinal])).toEqual([[other.province.code, '1']]);
  });

  describe('overdue', () => {
    it('lists OVERDUE tasks the agency leads or coordinates by due time', async () => {
      const ordinals = async (agency: 'justice' | 'ict' | 'tax' | 'monitoring') =>
        (await service.overdue(actors.lead, seeded.agencies[agency])).map((task) => [task.ordinal, task.state]);
      expect(await ordinals('justice')).toEqual([['9', 'OVERDUE']]);
      expect(await ordinals('ict')).toEqual([
        ['9', 'OVERDUE'],
        ['13', 'OVERDUE'],
      ]);
      expect(await ordinals('tax')).toEqual([['13', 'OVERDUE']]);
      expect(await ordinals('monitoring')).toEqual([]);
    });
  });
});
