// A task split per lead agency: its stored state follows its children, each move recorded as a
// ROLL_UP event on the parent in the same transaction as the child's write (machine version 3 and later).
import { TASK_MACHINE_VERSION, type TaskState } from '@app/lifecycle';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { TASK_CHANGED_CHANNEL } from '../repositories/task-change-feed';
import { AGENCIES } from '../../../../test/support/fixtures';
import type { Actor } from '../auth/actor';
import { Scope } from '../common/scope';
import { createServices, type Services } from '../services';
import {
  DAY,
  eventRows,
  MINUTE,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  userActor,
  expectDomainError,
  cast,
  type SeededPlan,
} from '../test-support/int-helpers';
import { rollUpState } from './task-rollup';
import { ROLL_UP_ACTOR_ID } from './transition.service';

const START_AT = new Date('2030-03-01T02:00:00.000Z');
const AFTER_DUE = new Date('2031-01-10T02:00:00.000Z');

async function childrenOf(ds: DataSource, parentId: string): Promise<{ id: string; ordinal: string; state: TaskState }[]> {
  return ds.query('SELECT id, ordinal, state FROM tasks WHERE parent_id = $1 ORDER BY sort_key', [parentId]);
}

describe('roll-up of a split task', () => {
  let ds: DataSource;
  let clock: TestClock;
  let services: Services;

  beforeAll(async () => {
    ds = await openDataSource();
    clock = new TestClock(START_AT);
    services = createServices({ dataSource: ds, clock });
  });

  afterAll(async () => ds?.destroy());

  describe('a scripted history of three children', () => {
    let seeded: SeededPlan;
    let parentId: string;
    let kids: Record<'justice' | 'ict' | 'tax', string>;
    let leads: Record<'justice' | 'ict' | 'tax', Actor>;
    let supervisor: Actor;
    let auditor: Actor;
    // the parent's state after each step, with the instant it was reached (replayed below)
    const reached: { at: Date; state: TaskState }[] = [];

    beforeAll(async () => {
      seeded = await seedPlan(ds, uniqueProvince('int-rollup'), [
        { coLeadAgencyCodes: [AGENCIES.ict.code, AGENCIES.tax.code], coordinatingAgencyCodes: [] },
        {},
      ]);
      parentId = seeded.taskIds[0];
      const children = await childrenOf(ds, parentId);
      kids = { justice: children[0].id, ict: children[1].id, tax: children[2].id };
      leads = {
        justice: userActor(seeded, 'justice', ['OFFICER']),
        ict: userActor(seeded, 'ict', ['OFFICER']),
        tax: userActor(seeded, 'tax', ['OFFICER']),
      };
      ({ supervisor, auditor } = cast(seeded));
    });

    const fire = async (actor: Actor, taskId: string, event: Parameters<Services['transitions']['transition']>[1]['event'], extra = {}) => {
      clock.advance(MINUTE);
      await services.transitions.transition(actor, { taskId, event, ...extra });
    };

    // After each step: the parent's stored state is its children's roll-up, and its events are
    // exactly the expected ROLL_UPs, each naming the child whose change caused it.
    async function expectParent(state: TaskState, rollUps: [TaskState, keyof typeof kids][]) {
      const parent = await taskRow(ds, parentId);
      const children = await childrenOf(ds, parentId);
      expect(parent.state).toBe(rollUpState(children.map((c) => c.state)));
      expect(parent.state).toBe(state);
      const events = await eventRows(ds, parentId);
      expect(events.map((e) => [e.toState, e.payload.childTaskId])).toEqual(rollUps.map(([to, kid]) => [to, kids[kid]]));
      events.forEach((e, i) => {
        expect(e).toMatchObject({
          seq: i + 1,
          type: 'ROLL_UP',
          fromState: i === 0 ? 'ASSIGNED' : events[i - 1].toState,
          machineVersion: TASK_MACHINE_VERSION,
          actor: ROLL_UP_ACTOR_ID,
          actorAgencyId: null,
          payload: { state: e.toState, by: null },
          prevHash: i === 0 ? expect.any(String) : events[i - 1].hash,
        });
      });
      expect(parent.version).toBe(events.length);
      expect(parent.lastHash).toBe(events.at(-1)?.hash ?? null);
      expect(parent.snapshot).toMatchObject({ state, machineVersion: TASK_MACHINE_VERSION });
      if (reached.at(-1)?.state !== state) reached.push({ at: clock.now(), state });
    }

    it('does start ASSIGNED with no event, as the import left it', async () => {
      await expectParent('ASSIGNED', []);
      expect((await taskRow(ds, parentId)).version).toBe(0);
    });

    it('does follow its children step by step, one ROLL_UP per move of the roll-up', async () => {
      await fire(leads.justice, kids.justice, 'START');
      await expectParent('IN_PROGRESS', [['IN_PROGRESS', 'justice']]);

      // no move of the roll-up, no event
      await fire(leads.justice, kids.justice, 'SUBMIT_REPORT', { report: { summary: 'Báo cáo Sở Tư pháp' } });
      await fire(leads.ict, kids.ict, 'REQUEST_EXTENSION', { comment: 'Cần thêm thời gian', newDueAt: new Date('2031-03-31T00:00:00Z') });
      await expectParent('IN_PROGRESS', [['IN_PROGRESS', 'justice']]);

      for (const kid of ['ict', 'tax'] as const) {
        await fire(leads[kid], kids[kid], 'START');
        await fire(leads[kid], kids[kid], 'SUBMIT_REPORT', { report: { summary: `Báo cáo ${kid}` } });
      }
      await expectParent('REPORTED', [
        ['IN_PROGRESS', 'justice'],
        ['REPORTED', 'tax'],
      ]);

      await fire(supervisor, kids.justice, 'VERIFY');
      await fire(supervisor, kids.ict, 'REJECT', { comment: 'Thiếu số liệu' });
      await expectParent('IN_PROGRESS', [
        ['IN_PROGRESS', 'justice'],
        ['REPORTED', 'tax'],
        ['IN_PROGRESS', 'ict'],
      ]);
    });

    it('does count the parent in tasks(state:) and its counts', async () => {
      const page = await services.taskQueries.page(auditor, { planId: seeded.planId, state: 'IN_PROGRESS', first: 10 });
      expect(page.tasks.map((t) => t.id).sort()).toEqual([parentId, kids.ict].sort());
      expect(page.totalCount).toBe(2);
      const reported = await services.taskQueries.page(auditor, { planId: seeded.planId, state: 'REPORTED', first: 10 });
      expect(reported.tasks.map((t) => t.id)).toEqual([kids.tax]);
    });

    it('does roll up to OVERDUE when the deadline sweep marks a child overdue, in the same write', async () => {
      clock.set(AFTER_DUE);
      const fired = await services.sweeper.sweep(Scope.province(seeded.province.code), AFTER_DUE);
      // the ict child (IN_PROGRESS, its extension still pending) and the plain task 2
      expect(fired).toBe(2);
      expect((await taskRow(ds, kids.ict)).state).toBe('OVERDUE');
      await expectParent('OVERDUE', [
        ['IN_PROGRESS', 'justice'],
        ['REPORTED', 'tax'],
        ['IN_PROGRESS', 'ict'],
        ['OVERDUE', 'ict'],
      ]);
      const rollUp = (await eventRows(ds, parentId)).at(-1)!;
      const deadline = (await eventRows(ds, kids.ict)).at(-1)!;
      expect(rollUp.at).toEqual(deadline.at);
    });

    it('does leave OVERDUE when an extension approval moves the child back, and ends VERIFIED with the last child', async () => {
      const { leader } = cast(seeded);
      await fire(leader, kids.ict, 'APPROVE_EXTENSION', {
        comment: 'Đồng ý theo văn bản 12/UBND-TH ngày 05/01/2031',
        newDueAt: new Date('2031-03-31T00:00:00Z'),
      });
      expect((await taskRow(ds, kids.ict)).state).toBe('IN_PROGRESS');
      await expectParent('IN_PROGRESS', [
        ['IN_PROGRESS', 'justice'],
        ['REPORTED', 'tax'],
        ['IN_PROGRESS', 'ict'],
        ['OVERDUE', 'ict'],
        ['IN_PROGRESS', 'ict'],
      ]);
      await fire(leads.ict, kids.ict, 'SUBMIT_REPORT', { report: { summary: 'Báo cáo bổ sung' } });
      await fire(supervisor, kids.ict, 'VERIFY');
      await fire(supervisor, kids.tax, 'VERIFY');
      await expectParent('VERIFIED', [
        ['IN_PROGRESS', 'justice'],
        ['REPORTED', 'tax'],
        ['IN_PROGRESS', 'ict'],
        ['OVERDUE', 'ict'],
        ['IN_PROGRESS', 'ict'],
        ['REPORTED', 'ict'],
        ['VERIFIED', 'tax'],
      ]);
    });

    it('does refuse every event a user sends to the parent, ROLL_UP included, and ROLL_UP on a child', async () => {
      const before = await taskRow(ds, parentId);
      await expectDomainError(services.transitions.transition(leads.justice, { taskId: parentId, event: 'START' }), 'INVALID_TRANSITION');
      await expectDomainError(services.transitions.transition(leads.justice, { taskId: parentId, event: 'ROLL_UP' }), 'INVALID_TRANSITION');
      const other = seeded.taskIds[1];
      const error = await expectDomainError(
        services.transitions.transition(cast(seeded).leader, { taskId: other, event: 'ROLL_UP' }),
        'FORBIDDEN',
      );
      expect(error.message).toContain('roll-up-system-only');
      expect(await taskRow(ds, parentId)).toEqual(before);
    });

    it('does replay the parent to the state it had at each point, and verifies the plan', async () => {
      expect(reached.map((r) => r.state)).toEqual([
        'ASSIGNED',
        'IN_PROGRESS',
        'REPORTED',
        'IN_PROGRESS',
        'OVERDUE',
        'IN_PROGRESS',
        'VERIFIED',
      ]);
      for (const { at, state } of reached) {
        expect(await services.audit.replay(auditor, parentId, at)).toMatchObject({ state, consistent: true, chainValid: true });
      }
      expect(await services.audit.replay(auditor, parentId, null)).toEqual({
        state: 'VERIFIED',
        eventsApplied: 7,
        consistent: true,
        chainValid: true,
      });
      expect(await services.audit.verifyPlan(auditor, seeded.planId)).toMatchObject({ ok: true, tasksChecked: 5, brokenTaskCount: 0 });
    });
  });

  it('does notify task_changed for the parent with the child, at commit', async () => {
    clock.set(START_AT);
    const seeded = await seedPlan(ds, uniqueProvince('int-rollup-notify'), [{ coLeadAgencyCodes: [AGENCIES.ict.code] }]);
    const [parentId, childId] = seeded.taskIds;
    const listener = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await listener.connect();
    try {
      const heard: { task: string; v: number }[] = [];
      const both = new Promise<void>((resolve) =>
        listener.on('notification', (message) => {
          const change = JSON.parse(message.payload ?? '{}') as { p: string; task: string; v: number };
          if (change.p !== seeded.province.code) return;
          heard.push({ task: change.task, v: change.v });
          if (heard.length === 2) resolve();
        }),
      );
      await listener.query(`LISTEN ${TASK_CHANGED_CHANNEL}`);
      await services.transitions.transition(cast(seeded).lead, { taskId: childId, event: 'START' });
      await both;
      expect(heard.sort((a, b) => a.task.localeCompare(b.task))).toEqual(
        [
          { task: parentId, v: 1 },
          { task: childId, v: 1 },
        ].sort((a, b) => a.task.localeCompare(b.task)),
      );
    } finally {
      await listener.end();
    }
  });

  // its own plan: 'int-audit-' keeps the run's closing audit off the task edited on purpose
  it('does catch an edited ROLL_UP of a parent', async () => {
    clock.set(START_AT);
    const seeded = await seedPlan(ds, uniqueProvince('int-audit-rollup'), [{ coLeadAgencyCodes: [AGENCIES.ict.code] }]);
    const [parentId, childId] = seeded.taskIds;
    const { lead, auditor } = cast(seeded);
    await services.transitions.transition(lead, { taskId: childId, event: 'START' });
    expect(await services.audit.verifyPlan(auditor, seeded.planId)).toMatchObject({ ok: true, tasksChecked: 3, eventsChecked: 2 });
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET session_replication_role = replica');
      await runner.query(`UPDATE task_events SET payload = jsonb_set(payload, '{state}', '"OVERDUE"') WHERE task_id = $1 AND seq = 1`, [
        parentId,
      ]);
    } finally {
      await runner.query('RESET session_replication_role');
      await runner.release();
    }
    const verdict = await services.audit.verifyPlan(auditor, seeded.planId);
    expect(verdict).toMatchObject({ ok: false, brokenTaskCount: 1, brokenTaskIds: [parentId] });
    expect(await services.audit.replay(auditor, parentId, null)).toMatchObject({ chainValid: false });
  });

  describe('siblings moving at once', () => {
    const COUNT = 24;
    let seeded: SeededPlan;
    let parentId: string;
    let children: { id: string; actor: Actor }[];

    beforeAll(async () => {
      clock.set(START_AT);
      const extra = Array.from({ length: COUNT - 1 }, (_, i) => ({ code: `so-thu-nghiem-${i + 1}`, name: `Sở thử nghiệm ${i + 1}` }));
      seeded = await seedPlan(
        ds,
        uniqueProvince('int-rollup-race'),
        [{ coLeadAgencyCodes: extra.map((a) => a.code), coordinatingAgencyCodes: [] }],
        { agencies: [...Object.values(AGENCIES), ...extra] },
      );
      parentId = seeded.taskIds[0];
      const rows: { id: string; lead_agency_id: string }[] = await ds.query(
        'SELECT id, lead_agency_id FROM tasks WHERE parent_id = $1 ORDER BY sort_key',
        [parentId],
      );
      expect(rows).toHaveLength(COUNT);
      children = rows.map((row, i) => ({
        id: row.id,
        actor: { ...userActor(seeded, 'justice', ['OFFICER'], `race-${i}`), agencyId: row.lead_agency_id },
      }));
    });

    async function expectCoherent(expected: TaskState) {
      const parent = await taskRow(ds, parentId);
      const states = (await childrenOf(ds, parentId)).map((c) => c.state);
      expect(parent.state).toBe(rollUpState(states));
      expect(parent.state).toBe(expected);
      const events = await eventRows(ds, parentId);
      // no lost update: one event per version, chained, each from the state the one before left
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(parent.version).toBe(events.length);
      events.forEach((e, i) => i > 0 && expect([e.fromState, e.prevHash]).toEqual([events[i - 1].toState, events[i - 1].hash]));
      expect(events.every((e) => e.fromState !== e.toState)).toBe(true);
      return events;
    }

    it(`does write ${COUNT} sibling transitions in parallel without deadlock or lost update, the parent ending at the roll-up`, async () => {
      const started = await Promise.allSettled(
        children.map((c) => services.transitions.transition(c.actor, { taskId: c.id, event: 'START' })),
      );
      expect(started.filter((r) => r.status === 'rejected')).toEqual([]);
      // the first START moves the roll-up; the other 23 leave it IN_PROGRESS
      expect(await expectCoherent('IN_PROGRESS')).toHaveLength(1);

      // reports and a contribution at once: the roll-up reaches REPORTED with the last report only
      const reported = await Promise.allSettled(
        children.map((c) =>
          services.transitions.transition(c.actor, { taskId: c.id, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } }),
        ),
      );
      expect(reported.filter((r) => r.status === 'rejected')).toEqual([]);
      const events = await expectCoherent('REPORTED');
      expect(events).toHaveLength(2);
      for (const c of children) expect((await taskRow(ds, c.id)).state).toBe('REPORTED');

      // verifications and rejections interleaved: whatever order they commit in, the last state is the roll-up
      const { supervisor } = cast(seeded);
      const reviewed = await Promise.allSettled(
        children.map((c, i) =>
          i % 3 === 0
            ? services.transitions.transition(supervisor, { taskId: c.id, event: 'REJECT', comment: 'Bổ sung' })
            : services.transitions.transition(supervisor, { taskId: c.id, event: 'VERIFY' }),
        ),
      );
      expect(reviewed.filter((r) => r.status === 'rejected')).toEqual([]);
      await expectCoherent('IN_PROGRESS');
      expect(await services.audit.verifyPlan(cast(seeded).auditor, seeded.planId)).toMatchObject({ ok: true, tasksChecked: COUNT + 1 });
    });

    it('does sweep the overdue children and roll the parent up once per batch', async () => {
      const fired = await services.sweeper.sweep(Scope.province(seeded.province.code), new Date(AFTER_DUE.getTime() + DAY), 5);
      // the rejected children (every third) are IN_PROGRESS, so due
      expect(fired).toBe(Math.ceil(COUNT / 3));
      await expectCoherent('OVERDUE');
      expect(await services.audit.verifyPlan(cast(seeded).auditor, seeded.planId)).toMatchObject({ ok: true });
    });
  });
});
