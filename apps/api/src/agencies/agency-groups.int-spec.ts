import type { DataSource } from 'typeorm';
import { AgenciesService } from './agencies.service';
import { TransitionService } from '../tasks/transition.service';
import type { Actor } from '../auth/actor';
import {
  NATIONAL_ADMIN,
  TestClock,
  expectDomainError,
  openDataSource,
  seedPlan,
  uniqueProvince,
  userActor,
  type SeededPlan,
} from '../test-support/int-helpers';
import { createServices } from '../services';
import { systemClock } from '../common/clock';
import { Scope } from '../common/scope';
import { createRepositories } from '../repositories/repositories';

// "UBND các huyện, thị xã, thành phố" leads or coordinates many tasks: the staff of its registered
// members act for it.
describe('agency groups', () => {
  let ds: DataSource;
  let agencies: AgenciesService;
  let transitions: TransitionService;
  let seeded: SeededPlan;
  let groupId: string;
  let districtId: string;
  let outsiderDistrictId: string;
  const clock = new TestClock('2030-03-01T02:00:00Z');
  const district = (agencyId: string, userId: string): Actor => ({
    kind: 'user',
    userId,
    provinceCode: seeded.province.code,
    agencyCode: 'x',
    agencyId,
    roles: ['OFFICER'],
  });

  beforeAll(async () => {
    ds = await openDataSource();
    agencies = createServices({ dataSource: ds, clock: systemClock }).agencies;
    transitions = createServices({ dataSource: ds, clock: clock }).transitions;
    const groupCode = 'ubnd-cac-huyen-thi-xa-thanh-pho';
    seeded = await seedPlan(ds, uniqueProvince('int-groups'), [{ leadAgencyCode: groupCode, coordinatingAgencyCodes: [groupCode] }, {}], {
      agencies: [
        { code: 'so-ke-hoach-va-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
        { code: 'so-tu-phap', name: 'Sở Tư pháp' },
        { code: 'so-thong-tin-va-truyen-thong', name: 'Sở Thông tin và Truyền thông' },
        { code: groupCode, name: 'UBND các huyện, thị xã, thành phố', isGroup: true },
      ],
    });
    groupId = (await createRepositories(ds).agencies.findByCode(seeded.province.code, groupCode))!.id;
    districtId = (await agencies.create(NATIONAL_ADMIN, seeded.province.code, 'UBND huyện Mỹ Xuyên', false, ['UBND H. Mỹ Xuyên'])).id;
    outsiderDistrictId = (await agencies.create(NATIONAL_ADMIN, seeded.province.code, 'UBND huyện Kế Sách', false, [])).id;
    await agencies.setGroupMembers(NATIONAL_ADMIN, groupId, [districtId]);
  });

  afterAll(async () => ds.destroy());

  it('does list the members of a group when they are set', async () => {
    expect((await createRepositories(ds).agencies.membersOf(Scope.national(), [groupId])).get(groupId)).toEqual([districtId]);
  });

  it('does let a member district start a task its group leads', async () => {
    const task = await transitions.transition(district(districtId, 'my-xuyen'), { taskId: seeded.taskIds[0], event: 'START' });
    expect(task.state).toBe('IN_PROGRESS');
  });

  it('does let a member district contribute to a task its group coordinates', async () => {
    const task = await transitions.transition(district(districtId, 'my-xuyen'), {
      taskId: seeded.taskIds[0],
      event: 'CONTRIBUTE',
      comment: 'Đã rà soát',
    });
    expect(task.snapshot.context.contributions.at(-1)?.agencyId).toBe(districtId);
  });

  it('refuses with FORBIDDEN when a district outside the group fires for it', async () => {
    await expectDomainError(
      transitions.transition(district(outsiderDistrictId, 'ke-sach'), { taskId: seeded.taskIds[0], event: 'CONTRIBUTE', comment: 'x' }),
      'FORBIDDEN',
    );
  });

  it('refuses a group as member (BAD_USER_INPUT) and an unknown agency (NOT_FOUND)', async () => {
    await expectDomainError(agencies.setGroupMembers(NATIONAL_ADMIN, groupId, [groupId]), 'BAD_USER_INPUT');
    await expectDomainError(agencies.setGroupMembers(NATIONAL_ADMIN, groupId, ['00000000-0000-4000-8000-000000000000']), 'NOT_FOUND');
    expect((await createRepositories(ds).agencies.membersOf(Scope.national(), [groupId])).get(groupId)).toEqual([districtId]);
  });

  it('refuses with BAD_USER_INPUT when members are set on an agency that is no group', async () => {
    await expectDomainError(agencies.setGroupMembers(NATIONAL_ADMIN, districtId, [outsiderDistrictId]), 'BAD_USER_INPUT');
  });

  it('refuses with FORBIDDEN when an officer manages the registry', async () => {
    const officer = userActor(seeded, 'justice', ['OFFICER']);
    await expectDomainError(agencies.setGroupMembers(officer, groupId, []), 'FORBIDDEN');
    await expectDomainError(agencies.create(officer, seeded.province.code, 'Sở mới', false, []), 'FORBIDDEN');
  });

  it('does list a group-led task among the tasks and upcoming deadlines of a member district', async () => {
    const page = await createServices({ dataSource: ds, clock: systemClock }).taskQueries.page(NATIONAL_ADMIN, {
      agencyId: districtId,
      planId: seeded.planId,
    });
    expect(page.tasks.map((t) => t.id)).toEqual([seeded.taskIds[0]]);
    const upcoming = await createServices({ dataSource: ds, clock: clock }).upcomingDeadlines.upcoming(NATIONAL_ADMIN, districtId, 366);
    expect(upcoming.map((t) => t.id)).toEqual([seeded.taskIds[0]]);
    const outside = await createServices({ dataSource: ds, clock: systemClock }).taskQueries.page(NATIONAL_ADMIN, {
      agencyId: outsiderDistrictId,
      planId: seeded.planId,
    });
    expect(outside.tasks).toEqual([]);
  });

  it('does write the daily digest of a group-led overdue task to its member districts, not to the group', async () => {
    await createServices({ dataSource: ds, clock: systemClock }).digest.runDaily(
      Scope.province(seeded.province.code),
      new Date('2031-01-02T02:00:00Z'),
    );
    const rows: { agency_id: string; payload: { overdue: { taskId: string }[] } }[] = await ds.query(
      `SELECT agency_id, payload FROM notifications WHERE province_code = $1`,
      [seeded.province.code],
    );
    const byAgency = new Map(rows.map((r) => [r.agency_id, r.payload.overdue.map((i) => i.taskId)]));
    expect(byAgency.get(districtId)).toEqual([seeded.taskIds[0]]);
    expect(byAgency.has(groupId)).toBe(false);
    expect(byAgency.has(outsiderDistrictId)).toBe(false);
  });

  it('refuses with CONFLICT when an agency of that name exists', async () => {
    await expectDomainError(agencies.create(NATIONAL_ADMIN, seeded.province.code, 'UBND huyện Mỹ Xuyên', false, []), 'CONFLICT');
  });
});
