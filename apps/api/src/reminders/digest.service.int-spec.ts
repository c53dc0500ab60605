import { setHostTimeZone } from '../test-support/host-time-zone';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import {
  AGENCY_CODES,
  cast,
  expectDomainError,
  NATIONAL_ADMIN,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  TestClock,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { DigestService } from './digest.service';
import type { DigestPayload } from '../database/entities/notification.entity';
import { encodeNotificationCursor, NotificationsService, type NotificationFilter } from './notifications.service';
import { AGENCIES } from '../../../../test/support/fixtures';
import { createServices } from '../services';
import { systemClock } from '../common/clock';
import { Scope } from '../common/scope';

// Vietnam day D = 2030-03-10 begins at 2030-03-09T17:00Z; the digest of D covers what is due by the end of 03-17.
const D_START = '2030-03-09T17:00:00.000Z';
const D_LAST_MS = '2030-03-10T16:59:59.999Z';
const BEFORE_D = '2030-03-09T16:59:59.999Z';
const D_PLUS_1 = '2030-03-10T17:00:00.000Z';
const GROUP = { code: 'cac-so-ban-nganh', name: 'Các sở, ban, ngành', isGroup: true };

const { justice, ict, tax, monitoring, committee } = AGENCY_CODES;
// lead justice unless said
const TASKS = [
  { dueAt: BEFORE_D }, // 1
  { dueAt: D_START }, // 2
  { dueAt: '2030-03-12T05:00:00.000Z' }, // 3
  { dueAt: '2030-03-17T16:59:59.999Z' }, // 4 last ms of D+7
  { dueAt: '2030-03-17T17:00:00.000Z' }, // 5 first ms of D+8
  { dueAt: '2030-03-12T05:00:00.000Z' }, // 6 REPORTED
  { dueAt: '2030-03-14T16:59:59.999Z', coLeadAgencyCodes: [tax] }, // 7 split: 7.1 justice, 7.2 tax
  { dueAt: '2030-01-31T16:59:59.999Z' }, // 8 OVERDUE
  { dueAt: '2030-03-15T16:59:59.999Z', leadAgencyCode: GROUP.code }, // 9 led by a group
  { dueAt: '2030-02-28T16:59:59.999Z', leadAgencyCode: ict }, // 10 OVERDUE, led by ict
  { dueAt: '2030-06-30T16:59:59.999Z', leadAgencyCode: committee }, // 11 far off
  { dueAt: '2030-03-12T05:00:00.000Z', leadAgencyCode: monitoring }, // 12 VERIFIED
];
const ORDER = ['1', '2', '3', '4', '5', '6', '7', '7.1', '7.2', '8', '9', '10', '11', '12'];

interface DigestRow {
  agency: string;
  date: string;
  dueSoon: string[];
  overdue: string[];
}

// testPlan's agencies plus a group, the task states the comments above give.
async function seed(ds: DataSource, prefix: string): Promise<SeededPlan> {
  const seeded = await seedPlan(ds, uniqueProvince(prefix), TASKS, { agencies: [...Object.values(AGENCIES), GROUP] });
  const actors = cast(seeded);
  const id = (ordinal: string) => seeded.taskIds[ORDER.indexOf(ordinal)];
  const transitions = createServices({ dataSource: ds, clock: new TestClock('2030-03-05T00:00:00Z') }).transitions;
  for (const [ordinal, lead] of [
    ['6', actors.lead],
    ['12', actors.supervisor],
  ] as const) {
    await transitions.transition(lead, { taskId: id(ordinal), event: 'START' });
    await transitions.transition(lead, { taskId: id(ordinal), event: 'SUBMIT_REPORT', report: { summary: 'Đã hoàn thành' } });
  }
  await transitions.transition(actors.leader, { taskId: id('12'), event: 'VERIFY' });
  await transitions.transition(SYSTEM_ACTOR, { taskId: id('8'), event: 'DEADLINE_PASSED' });
  await transitions.transition(SYSTEM_ACTOR, { taskId: id('10'), event: 'DEADLINE_PASSED' });
  return seeded;
}

// The province's digests as agency code, date and the ordinals of both lists.
async function digests(ds: DataSource, provinceCode: string): Promise<DigestRow[]> {
  const rows: { code: string; date: string; payload: DigestPayload }[] = await ds.query(
    `SELECT a.code, n.digest_date::text AS date, n.payload FROM notifications n
     JOIN agencies a ON a.province_code = n.province_code AND a.id = n.agency_id
     WHERE n.province_code = $1 ORDER BY n.digest_date, a.code`,
    [provinceCode],
  );
  return rows.map((row) => ({
    agency: row.code,
    date: row.date,
    dueSoon: row.payload.dueSoon.map((item) => item.ordinal),
    overdue: row.payload.overdue.map((item) => item.ordinal),
  }));
}

describe(DigestService.name, () => {
  const savedTz = process.env.TZ;
  let ds: DataSource;
  let digest: DigestService;

  beforeAll(async () => {
    ds = await openDataSource();
    digest = createServices({ dataSource: ds, clock: systemClock }).digest;
  });

  afterAll(async () => {
    setHostTimeZone(savedTz);
    await ds?.destroy();
  });

  describe.each(['UTC', 'America/New_York', 'Asia/Ho_Chi_Minh'])('with the host in %s', (zone) => {
    let seeded: SeededPlan;

    beforeAll(async () => {
      setHostTimeZone(zone);
      seeded = await seed(ds, 'int-digest');
    });

    afterAll(() => setHostTimeZone(savedTz));

    it('writes one digest per agency for the Vietnam date with the 7-day window ending at local midnight', async () => {
      const { code } = seeded.province;
      // 1 ms apart, on either side of local midnight: two Vietnam dates, two windows
      expect(await digest.runDaily(Scope.province(code), new Date(BEFORE_D))).toBe(3);
      expect(await digest.runDaily(Scope.province(code), new Date(D_START))).toBe(3);
      expect(await digest.runDaily(Scope.province(code), new Date(D_LAST_MS))).toBe(0);
      expect(await digest.runDaily(Scope.province(code), new Date(D_PLUS_1))).toBe(3);
      // no digest for the group (9), for the far-off task (11) or the VERIFIED one (12); 6 is REPORTED
      expect(await digests(ds, code)).toEqual([
        { agency: tax, date: '2030-03-09', dueSoon: ['7.2'], overdue: [] },
        { agency: ict, date: '2030-03-09', dueSoon: [], overdue: ['10'] },
        { agency: justice, date: '2030-03-09', dueSoon: ['1', '2', '3', '7.1'], overdue: ['8'] },
        { agency: tax, date: '2030-03-10', dueSoon: ['7.2'], overdue: [] },
        { agency: ict, date: '2030-03-10', dueSoon: [], overdue: ['10'] },
        { agency: justice, date: '2030-03-10', dueSoon: ['2', '3', '7.1', '4'], overdue: ['8', '1'] },
        { agency: tax, date: '2030-03-11', dueSoon: ['7.2'], overdue: [] },
        { agency: ict, date: '2030-03-11', dueSoon: [], overdue: ['10'] },
        { agency: justice, date: '2030-03-11', dueSoon: ['3', '7.1', '4', '5'], overdue: ['8', '1', '2'] },
      ]);
    });
  });

  describe('once per agency and day', () => {
    let seeded: SeededPlan;
    let code: string;

    beforeAll(async () => {
      seeded = await seed(ds, 'int-digest-once');
      code = seeded.province.code;
    });

    it('writes nothing more when run again later the same day', async () => {
      expect(await digest.runDaily(Scope.province(code), new Date('2030-03-12T01:00:00Z'))).toBe(3);
      const before = await digests(ds, code);
      expect(await digest.runDaily(Scope.province(code), new Date('2030-03-12T01:00:00Z'))).toBe(0);
      expect(await digest.runDaily(Scope.province(code), new Date('2030-03-12T16:59:59.999Z'))).toBe(0);
      expect(await digests(ds, code)).toEqual(before);
    });

    it('stores each task with its id, ordinal, title and due time when the digest is written', async () => {
      const [row] = await ds.query(
        `SELECT payload FROM notifications WHERE province_code = $1 AND agency_id = $2 AND digest_date = '2030-03-12'`,
        [code, seeded.agencies.justice],
      );
      expect(row.payload.dueSoon[0]).toEqual({
        taskId: seeded.taskIds[ORDER.indexOf('3')],
        ordinal: '3',
        title: 'Nhiệm vụ thử nghiệm số 3',
        dueAt: '2030-03-12T05:00:00.000Z',
      });
      expect(row.payload.overdue.map((item: { dueAt: string }) => item.dueAt)).toEqual([
        '2030-01-31T16:59:59.999Z',
        '2030-03-09T16:59:59.999Z',
        '2030-03-09T17:00:00.000Z',
      ]);
    });

    it('writes no digest for a group agency when it leads a task due soon', async () => {
      const [group] = await ds.query('SELECT id FROM agencies WHERE province_code = $1 AND code = $2', [code, GROUP.code]);
      expect(await ds.query('SELECT id FROM notifications WHERE province_code = $1 AND agency_id = $2', [code, group.id])).toEqual([]);
    });

    it('writes each digest once when several instances run the same day at the same moment', async () => {
      const second = await openDataSource();
      try {
        const instances = [
          digest,
          createServices({ dataSource: second, clock: systemClock }).digest,
          createServices({ dataSource: ds, clock: systemClock }).digest,
          createServices({ dataSource: second, clock: systemClock }).digest,
        ];
        for (let day = 14; day <= 20; day += 1) {
          const asOf = new Date(Date.UTC(2030, 2, day - 1, 17)); // local midnight starting 2030-03-<day>
          const written = await Promise.all(instances.map((instance) => instance.runDaily(Scope.province(code), asOf)));
          expect({ day, written: written.reduce((sum, n) => sum + n, 0) }).toEqual({ day, written: 3 });
        }
        const counts: { date: string; rows: number; agencies: number }[] = await ds.query(
          `SELECT digest_date::text AS date, count(*)::int AS rows, count(DISTINCT agency_id)::int AS agencies
           FROM notifications WHERE province_code = $1 AND digest_date >= '2030-03-14' GROUP BY digest_date ORDER BY digest_date`,
          [code],
        );
        expect(counts).toEqual([14, 15, 16, 17, 18, 19, 20].map((day) => ({ date: `2030-03-${day}`, rows: 3, agencies: 3 })));
      } finally {
        await second.destroy();
      }
    });
  });
});

describe(`${DigestService.name} for coordinating agencies`, () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDataSource();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('writes the tasks an agency coordinates in lists of their own, also to agencies that lead nothing due', async () => {
    const seeded = await seedPlan(ds, uniqueProvince('int-digest-coord'), [
      { dueAt: '2030-03-12T05:00:00.000Z', coordinatingAgencyCodes: [tax] }, // 1 due soon
      { dueAt: BEFORE_D, coordinatingAgencyCodes: [tax, ict] }, // 2 due passed, not yet swept
      { dueAt: '2030-03-11T05:00:00.000Z', leadAgencyCode: tax, coordinatingAgencyCodes: [tax] }, // 3 tax leads it
      { dueAt: '2030-03-30T05:00:00.000Z', coordinatingAgencyCodes: [monitoring] }, // 4 beyond 7 days
    ]);
    const { code } = seeded.province;
    expect(await createServices({ dataSource: ds, clock: systemClock }).digest.runDaily(Scope.province(code), new Date(D_START))).toBe(3);
    const rows: { code: string; payload: DigestPayload }[] = await ds.query(
      `SELECT a.code, n.payload FROM notifications n JOIN agencies a ON a.province_code = n.province_code AND a.id = n.agency_id
       WHERE n.province_code = $1 ORDER BY a.code`,
      [code],
    );
    const ordinals = (items: DigestPayload['dueSoon'] | undefined) => (items ?? []).map((item) => item.ordinal);
    // monitoring coordinates only a task beyond the window: no digest
    expect(
      rows.map(({ code: agency, payload }) => ({
        agency,
        dueSoon: ordinals(payload.dueSoon),
        overdue: ordinals(payload.overdue),
        coordinatingDueSoon: ordinals(payload.coordinatingDueSoon),
        coordinatingOverdue: ordinals(payload.coordinatingOverdue),
      })),
    ).toEqual([
      { agency: tax, dueSoon: ['3'], overdue: [], coordinatingDueSoon: ['1'], coordinatingOverdue: ['2'] },
      { agency: ict, dueSoon: [], overdue: [], coordinatingDueSoon: [], coordinatingOverdue: ['2'] },
      { agency: justice, dueSoon: ['1'], overdue: ['2'], coordinatingDueSoon: [], coordinatingOverdue: [] },
    ]);
    expect(rows[0].payload.coordinatingDueSoon?.[0]).toEqual({
      taskId: seeded.taskIds[0],
      ordinal: '1',
      title: 'Nhiệm vụ thử nghiệm số 1',
      dueAt: '2030-03-12T05:00:00.000Z',
    });
  });
});

describe(NotificationsService.name, () => {
  let ds: DataSource;
  let clock: TestClock;
  let service: NotificationsService;
  let seeded: SeededPlan;
  let other: SeededPlan;
  let actors: ReturnType<typeof cast>;

  beforeAll(async () => {
    ds = await openDataSource();
    clock = new TestClock('2030-03-12T01:00:00Z');
    service = createServices({ dataSource: ds, clock: clock }).notifications;
    seeded = await seed(ds, 'int-notify');
    other = await seed(ds, 'int-notify-other');
    actors = cast(seeded);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const list = async (actor: Actor, filter: NotificationFilter) => (await service.page(actor, filter)).notifications;
  const admin = () => userActor(seeded, 'committee', ['ADMIN'], 'province-admin');
  const otherAdmin = () => userActor(other, 'committee', ['ADMIN'], 'other-admin');

  it("runs the digest for the ADMIN's province only, and refuses other roles with FORBIDDEN", async () => {
    await expectDomainError(service.runDigest(actors.lead, null), 'FORBIDDEN');
    await expectDomainError(service.runDigest(actors.auditor, null), 'FORBIDDEN');
    await expectDomainError(service.runDigest(admin(), new Date('nonsense')), 'BAD_USER_INPUT');
    await expectDomainError(service.runDigest(admin(), new Date('1900-01-01T00:00:00Z')), 'BAD_USER_INPUT');
    expect(await service.runDigest(admin(), null)).toBe(3);
    expect(await service.runDigest(admin(), null)).toBe(0);
    expect(await digests(ds, other.province.code)).toEqual([]);
    // a day still to come is refused (its digest would go out early); once the day comes, it runs
    await expectDomainError(service.runDigest(admin(), new Date('2030-03-13T01:00:00Z')), 'BAD_USER_INPUT');
    clock.set('2030-03-13T01:00:00Z');
    expect(await service.runDigest(admin(), null)).toBe(3);
  });

  it("lets staff read their own agency's digests, newest first, and no other agency's", async () => {
    const mine = await list(actors.lead, {});
    expect(mine.map((n) => [n.agencyId, n.digestDate, n.kind])).toEqual([
      [seeded.agencies.justice, '2030-03-13', 'DAILY_DIGEST'],
      [seeded.agencies.justice, '2030-03-12', 'DAILY_DIGEST'],
    ]);
    expect((await list(actors.coordinator, { agencyId: seeded.agencies.ict })).map((n) => n.agencyId)).toEqual([
      seeded.agencies.ict,
      seeded.agencies.ict,
    ]);
    await expectDomainError(list(actors.lead, { agencyId: seeded.agencies.ict }), 'FORBIDDEN');
    await expectDomainError(list(actors.supervisor, { agencyId: seeded.agencies.justice }), 'FORBIDDEN');
  });

  it('lets ADMIN and AUDITOR read every agency in sight, and hides other provinces', async () => {
    expect(await list(admin(), {})).toHaveLength(6);
    expect(await list(admin(), { first: 2 })).toHaveLength(2);
    expect((await list(NATIONAL_AUDITOR, { agencyId: seeded.agencies.tax })).map((n) => n.digestDate)).toEqual([
      '2030-03-13',
      '2030-03-12',
    ]);
    expect(await list(otherAdmin(), {})).toEqual([]);
    await expectDomainError(list(otherAdmin(), { agencyId: seeded.agencies.justice }), 'NOT_FOUND');
    await expectDomainError(list(admin(), { agencyId: 'so-tu-phap' }), 'BAD_USER_INPUT');
    for (const first of [0, 101]) await expectDomainError(list(admin(), { first }), 'BAD_USER_INPUT');
  });

  it('pages through the list with first and after, counting every match, in the order of the whole list', async () => {
    const all = await service.page(admin(), { first: 100 });
    expect(all).toMatchObject({ hasNextPage: false, totalCount: 6 });
    const first = await service.page(admin(), { first: 4 });
    expect(first).toMatchObject({ hasNextPage: true, totalCount: 6 });
    const after = encodeNotificationCursor(first.notifications[3]);
    const second = await service.page(admin(), { first: 4, after });
    expect(second).toMatchObject({ hasNextPage: false, totalCount: 6 });
    expect([...first.notifications, ...second.notifications].map((n) => n.id)).toEqual(all.notifications.map((n) => n.id));
    // the filter holds on later pages; a cursor not from this API is refused
    const own = await service.page(actors.lead, { first: 1 });
    const ownNext = await service.page(actors.lead, { first: 1, after: encodeNotificationCursor(own.notifications[0]) });
    expect(ownNext.notifications.map((n) => n.agencyId)).toEqual([seeded.agencies.justice]);
    expect(ownNext).toMatchObject({ hasNextPage: false, totalCount: 2 });
    for (const bad of ['x', Buffer.from('task:1').toString('base64url'), 'a'.repeat(300)]) {
      await expectDomainError(service.page(admin(), { after: bad }), 'BAD_USER_INPUT');
    }
  });

  it('marks a notification delivered once, keeps the first time, and leaves it out of undeliveredOnly', async () => {
    const [newest] = await list(actors.lead, { first: 1 });
    await expectDomainError(service.markDelivered(actors.lead, newest.id), 'FORBIDDEN');
    await expectDomainError(service.markDelivered(otherAdmin(), newest.id), 'NOT_FOUND');
    await expectDomainError(service.markDelivered(admin(), 'x'), 'BAD_USER_INPUT');
    clock.set('2030-03-13T02:00:00Z');
    expect((await service.markDelivered(admin(), newest.id)).deliveredAt).toEqual(new Date('2030-03-13T02:00:00Z'));
    clock.set('2030-03-13T03:00:00Z');
    expect((await service.markDelivered(NATIONAL_ADMIN, newest.id)).deliveredAt).toEqual(new Date('2030-03-13T02:00:00Z'));
    const undelivered = await list(actors.lead, { undeliveredOnly: true });
    expect(undelivered.map((n) => n.digestDate)).toEqual(['2030-03-12']);
    expect(await list(admin(), { undeliveredOnly: true })).toHaveLength(5);
  });
});
