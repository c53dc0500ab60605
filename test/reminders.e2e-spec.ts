import { vietnamDate } from '../apps/api/src/common/vietnam-time';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, fire } from './support/e2e-helpers';

// Reminders over GraphQL: upcoming deadlines of lead and coordinating agencies, the daily digest an
// ADMIN runs, who reads it, and the gateway marking it delivered. The server runs on real time.
const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const { justice, ict, tax } = AGENCIES;

// ordinal → lead, coordinating, due
const TASKS = [
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [ict.code], dueAt: inDays(2) }, // 1
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [], dueAt: inDays(5) }, // 2
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [], dueAt: inDays(30) }, // 3 beyond 7 days
  { leadAgencyCode: ict.code, coordinatingAgencyCodes: [justice.code], dueAt: inDays(3) }, // 4
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [], dueAt: inDays(-2) }, // 5 becomes OVERDUE
  { leadAgencyCode: tax.code, coordinatingAgencyCodes: [], dueAt: inDays(1) }, // 6
  { leadAgencyCode: justice.code, coordinatingAgencyCodes: [], dueAt: inDays(4) }, // 7 REPORTED
];

const UPCOMING = `query U($agencyId: ID!, $days: Int!) { upcomingDeadlines(agencyId: $agencyId, withinDays: $days) {
  id ordinal state dueAt leadAgency { code } coordinatingAgencies { code } plan { id } availableEvents } }`;
const NOTIFICATIONS = `query N($agencyId: ID, $undeliveredOnly: Boolean, $first: Int) {
  notifications(agencyId: $agencyId, undeliveredOnly: $undeliveredOnly, first: $first) { nodes {
    id kind digestDate createdAt deliveredAt agency { code }
    dueSoon { taskId ordinal title dueAt task { id state } } overdue { ordinal task { state } }
    coordinatingDueSoon { ordinal } coordinatingOverdue { ordinal } } } }`;
const NOTIFICATION_PAGE = `query N($first: Int, $after: String) { notifications(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`;

describe('reminders', () => {
  const province = uniqueProvince('reminders');
  const other = uniqueProvince('reminders-other');
  let server: ApiServer;
  let planId: string;
  let ids: Record<string, string>; // agency code → id
  let otherJustice: string;
  let officer: string; // justice
  let ictOfficer: string;
  let admin: string;
  let otherAdmin: string;

  beforeAll(async () => {
    ({ planId } = await seedPlan(testPlan(province, TASKS)));
    await seedPlan(testPlan(other, [{ dueAt: inDays(2) }]));
    server = await startApiServer();
    officer = await token(province.code, justice.code, ['OFFICER'], 'officer-reminders');
    ictOfficer = await token(province.code, ict.code, ['OFFICER'], 'ict-reminders');
    admin = await token(province.code, 'admin', ['ADMIN'], 'admin-reminders');
    otherAdmin = await token(other.code, 'admin', ['ADMIN'], 'admin-reminders-other');
    ids = await agencyIds(admin, province.code);
    otherJustice = (await agencyIds(otherAdmin, other.code))[justice.code];
    const taskIds = await planTaskIds();
    await fire(server, officer, { taskId: taskIds[6], event: 'START' });
    await fire(server, officer, { taskId: taskIds[6], event: 'SUBMIT_REPORT', report: { summary: 'Đã hoàn thành' } });
  });

  afterAll(async () => server?.stop());

  async function agencyIds(tok: string, code: string): Promise<Record<string, string>> {
    const result = await gql(server, tok, 'query A($p: String!) { agencies(provinceCode: $p) { id code } }', { p: code });
    return Object.fromEntries(result.data!.agencies.map((a: { id: string; code: string }) => [a.code, a.id]));
  }

  async function planTaskIds(): Promise<string[]> {
    const result = await gql(server, admin, 'query P($id: ID!) { plan(id: $id) { tasks(first: 20) { edges { node { id } } } } }', {
      id: planId,
    });
    return result.data!.plan.tasks.edges.map((e: { node: { id: string } }) => e.node.id);
  }

  async function upcoming(tok: string, agencyId: string, days: number): Promise<string[]> {
    const result = await gql(server, tok, UPCOMING, { agencyId, days });
    expect(result.errors).toBeUndefined();
    return result.data!.upcomingDeadlines.map((task: { ordinal: string }) => task.ordinal);
  }

  describe('upcomingDeadlines', () => {
    it('lists the tasks an agency leads or coordinates due within the window, by due time', async () => {
      expect(await upcoming(officer, ids[justice.code], 7)).toEqual(['1', '4', '2']);
      expect(await upcoming(officer, ids[justice.code], 60)).toEqual(['1', '4', '2', '3']);
      expect(await upcoming(officer, ids[tax.code], 1)).toEqual(['6']);
    });

    it('lists a coordinating agency its share when the agency coordinates', async () => {
      expect(await upcoming(ictOfficer, ids[ict.code], 7)).toEqual(['1', '4']);
    });

    it('answers with full Task objects when fields of Task are asked', async () => {
      const result = await gql(server, officer, UPCOMING, { agencyId: ids[justice.code], days: 2 });
      expect(result.errors).toBeUndefined();
      expect(result.data!.upcomingDeadlines).toEqual([
        {
          id: expect.any(String),
          ordinal: '1',
          state: 'ASSIGNED',
          dueAt: TASKS[0].dueAt,
          leadAgency: { code: justice.code },
          coordinatingAgencies: [{ code: ict.code }],
          plan: { id: planId },
          availableEvents: expect.arrayContaining(['START']),
        },
      ]);
    });

    it('answers BAD_USER_INPUT when withinDays is outside 1..366 or the id is malformed', async () => {
      for (const days of [0, 367, -5])
        expectError(await gql(server, officer, UPCOMING, { agencyId: ids[justice.code], days }), 'BAD_USER_INPUT');
      expectError(await gql(server, officer, UPCOMING, { agencyId: 'so-tu-phap', days: 7 }), 'BAD_USER_INPUT');
      expectError(await gql(server, officer, 'query { overdueTasks(agencyId: "1") { id } }'), 'BAD_USER_INPUT');
    });

    it("answers NOT_FOUND for another province's agency", async () => {
      expectError(await gql(server, officer, UPCOMING, { agencyId: otherJustice, days: 7 }), 'NOT_FOUND');
      const national = await token('*', 'kiem-toan', ['AUDITOR'], 'auditor-reminders');
      expect(await upcoming(national, otherJustice, 7)).toEqual(['1']);
    });
  });

  describe('overdueTasks', () => {
    it('lists the tasks that became OVERDUE when the sweep has run', async () => {
      const query = 'query O($a: ID!) { overdueTasks(agencyId: $a) { ordinal state } }';
      expect((await gql(server, officer, query, { a: ids[justice.code] })).data!.overdueTasks).toEqual([]);
      const sweep = await gql(server, admin, 'mutation { runDeadlineSweep }');
      expect(sweep.data!.runDeadlineSweep).toBe(1);
      expect((await gql(server, officer, query, { a: ids[justice.code] })).data!.overdueTasks).toEqual([
        { ordinal: '5', state: 'OVERDUE' },
      ]);
      expect(await upcoming(officer, ids[justice.code], 7)).toEqual(['1', '4', '2']);
    });
  });

  describe('daily digest', () => {
    let justiceDigestId: string;

    it('answers FORBIDDEN when an OFFICER runs the digest', async () => {
      expectError(await gql(server, officer, 'mutation { runDailyDigest }'), 'FORBIDDEN');
    });

    it('answers BAD_USER_INPUT and writes nothing when runDailyDigest is asked for a future day (its digest would be sent early and the real one skipped)', async () => {
      const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
      const result = await gql(server, admin, 'mutation M($at: DateTime) { runDailyDigest(asOf: $at) }', { at: tomorrow });
      expectError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].extensions?.field).toBe('asOf');
      expect((await gql(server, admin, NOTIFICATIONS, {})).data!.notifications.nodes).toEqual([]);
    });

    it("writes one digest per agency of the ADMIN's province, once, when runDailyDigest is run twice", async () => {
      const today = vietnamDate(new Date());
      const first = await gql(server, admin, 'mutation { runDailyDigest }');
      expect(first.errors).toBeUndefined();
      expect(first.data!.runDailyDigest).toBe(3); // justice, ict, tax
      expect((await gql(server, admin, 'mutation { runDailyDigest }')).data!.runDailyDigest).toBe(0);
      const listed = await gql(server, admin, NOTIFICATIONS, {});
      expect(listed.errors).toBeUndefined();
      const byAgency = Object.fromEntries(listed.data!.notifications.nodes.map((n: { agency: { code: string } }) => [n.agency.code, n]));
      expect(Object.keys(byAgency).sort()).toEqual([tax.code, ict.code, justice.code].sort());
      const digest = byAgency[justice.code];
      expect([today, vietnamDate(new Date())]).toContain(digest.digestDate);
      expect(digest).toMatchObject({ kind: 'DAILY_DIGEST', deliveredAt: null, overdue: [{ ordinal: '5', task: { state: 'OVERDUE' } }] });
      expect(digest.dueSoon.map((item: { ordinal: string }) => item.ordinal)).toEqual(['1', '2']);
      expect(digest.dueSoon[0]).toEqual({
        taskId: digest.dueSoon[0].task.id,
        ordinal: '1',
        title: 'Nhiệm vụ thử nghiệm số 1',
        dueAt: TASKS[0].dueAt,
        task: { id: digest.dueSoon[0].task.id, state: 'ASSIGNED' },
      });
      expect(byAgency[ict.code].dueSoon.map((item: { ordinal: string }) => item.ordinal)).toEqual(['4']);
      // phối hợp: each agency also hears of the tasks it coordinates
      expect(byAgency[ict.code].coordinatingDueSoon).toEqual([{ ordinal: '1' }]);
      expect(digest.coordinatingDueSoon).toEqual([{ ordinal: '4' }]);
      expect(digest.coordinatingOverdue).toEqual([]);
      justiceDigestId = digest.id;
    });

    it('pages the digests as a connection: edges with cursors, pageInfo and totalCount', async () => {
      const first = await gql(server, admin, NOTIFICATION_PAGE, { first: 2 });
      expect(first.errors).toBeUndefined();
      const page1 = first.data!.notifications;
      expect(page1).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
      expect(page1.edges).toHaveLength(2);
      expect(page1.pageInfo.endCursor).toBe(page1.edges[1].cursor);
      const page2 = (await gql(server, admin, NOTIFICATION_PAGE, { first: 2, after: page1.pageInfo.endCursor })).data!.notifications;
      expect(page2).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false } });
      const ids = [...page1.edges, ...page2.edges].map((edge: { node: { id: string } }) => edge.node.id);
      expect(new Set(ids).size).toBe(3);
      expectError(await gql(server, admin, NOTIFICATION_PAGE, { after: 'not-a-cursor' }), 'BAD_USER_INPUT');
    });

    it("shows staff their own agency's digests and refuses another agency's with FORBIDDEN", async () => {
      const own = await gql(server, officer, NOTIFICATIONS, {});
      expect(own.data!.notifications.nodes.map((n: { id: string }) => n.id)).toEqual([justiceDigestId]);
      expectError(await gql(server, officer, NOTIFICATIONS, { agencyId: ids[ict.code] }), 'FORBIDDEN');
      expectError(await gql(server, otherAdmin, NOTIFICATIONS, { agencyId: ids[justice.code] }), 'NOT_FOUND');
      expect((await gql(server, otherAdmin, NOTIFICATIONS, {})).data!.notifications.nodes).toEqual([]);
      expectError(await gql(server, admin, NOTIFICATIONS, { first: 500 }), 'BAD_USER_INPUT');
    });

    it('marks a digest delivered for the gateway and leaves it out of undeliveredOnly', async () => {
      const mark = 'mutation M($id: ID!) { markNotificationDelivered(id: $id) { id deliveredAt agency { code } } }';
      expectError(await gql(server, officer, mark, { id: justiceDigestId }), 'FORBIDDEN');
      expectError(await gql(server, otherAdmin, mark, { id: justiceDigestId }), 'NOT_FOUND');
      const marked = await gql(server, admin, mark, { id: justiceDigestId });
      expect(marked.errors).toBeUndefined();
      expect(marked.data!.markNotificationDelivered).toEqual({
        id: justiceDigestId,
        deliveredAt: expect.any(String),
        agency: { code: justice.code },
      });
      const again = await gql(server, admin, mark, { id: justiceDigestId });
      expect(again.data!.markNotificationDelivered.deliveredAt).toBe(marked.data!.markNotificationDelivered.deliveredAt);
      const undelivered = await gql(server, admin, NOTIFICATIONS, { undeliveredOnly: true });
      expect(undelivered.data!.notifications.nodes.map((n: { agency: { code: string } }) => n.agency.code).sort()).toEqual(
        [tax.code, ict.code].sort(),
      );
    });
  });
});
