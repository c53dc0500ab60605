// A machine change is a new version, and old histories stay consistent: tasks get events under the
// shipped version 4, then the test registers a version 5 (in ASSIGNED it takes SUBMIT_REPORT straight
// to REPORTED and no longer takes START) and the service records the next events under it. Replay,
// the plan audit and the timeline must all run each event on the machine of its own version.
import { registerTaskMachineVersion, taskMachineConfig, taskSetup, type StoredTaskSnapshot } from '@app/lifecycle';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { systemClock } from '../common/clock';
import { createServices } from '../services';
import { cast, eventRows, MINUTE, openDataSource, seedPlan, taskRow, TestClock, uniqueProvince } from '../test-support/int-helpers';
import type { TransitionService } from '../tasks/transition.service';
import { AuditService } from './audit.service';
import { chainHash } from './hash-chain';

const START_AT = new Date('2030-03-01T02:00:00.000Z');

const { START: _start, ...assignedWithoutStart } = taskMachineConfig.states.ASSIGNED.on;
const taskMachineV5 = taskSetup.createMachine({
  ...taskMachineConfig,
  states: {
    ...taskMachineConfig.states,
    ASSIGNED: { on: { ...assignedWithoutStart, SUBMIT_REPORT: { target: 'REPORTED', actions: 'recordReport' } } },
  },
});

describe(`${AuditService.name} across machine versions`, () => {
  let ds: DataSource;
  let clock: TestClock;
  let transitions: TransitionService;
  let audit: AuditService;
  let actors: ReturnType<typeof cast>;
  let unregister: (() => void) | null = null;
  // 'int-audit-' keeps the run's closing audit (which knows only the shipped versions) off these tasks
  const province = uniqueProvince('int-audit-versions');

  beforeAll(async () => {
    ds = await openDataSource();
    actors = cast(await seedPlan(ds, province, []));
    audit = createServices({ dataSource: ds, clock: systemClock }).audit;
    clock = new TestClock(START_AT);
    transitions = createServices({ dataSource: ds, clock }).transitions;
  });

  afterEach(() => {
    unregister?.();
    unregister = null;
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const fire = async (actor: Actor, taskId: string, event: Parameters<TransitionService['transition']>[1]['event'], extra = {}) => {
    clock.advance(MINUTE);
    await transitions.transition(actor, { taskId, event, ...extra });
    return clock.now();
  };
  const versionsOf = async (taskId: string) => (await eventRows(ds, taskId)).map((event) => event.machineVersion);

  it('does replay, audit and draw the timeline of histories recorded under v4 then v5 as consistent', async () => {
    const plan = await seedPlan(ds, province, [{}, {}, {}]);
    const [started, contributed, untouchedSinceV4] = plan.taskIds;
    const startedAt = await fire(actors.lead, started, 'START');
    await fire(actors.coordinator, contributed, 'CONTRIBUTE', { comment: 'Phối hợp' });
    await fire(actors.lead, untouchedSinceV4, 'START');

    unregister = registerTaskMachineVersion({
      version: 5,
      machine: taskMachineV5,
      upgradeFromPrevious: (stored: StoredTaskSnapshot) => ({ ...stored, machineVersion: 5 }),
    });
    await fire(actors.coordinator, started, 'CONTRIBUTE', { comment: 'Phối hợp' });
    const reportedAt = await fire(actors.lead, started, 'SUBMIT_REPORT', { report: { summary: 'Xong' } });
    const verifiedAt = await fire(actors.supervisor, started, 'VERIFY');
    // v5 only: a report straight from ASSIGNED
    await fire(actors.lead, contributed, 'SUBMIT_REPORT', { report: { summary: 'Xong' } });

    expect(await versionsOf(started)).toEqual([4, 5, 5, 5]);
    expect(await versionsOf(contributed)).toEqual([4, 5]);
    expect((await taskRow(ds, contributed)).state).toBe('REPORTED');
    expect(await audit.replay(actors.auditor, started, null)).toEqual({
      state: 'VERIFIED',
      eventsApplied: 4,
      consistent: true,
      chainValid: true,
    });
    expect(await audit.replay(actors.auditor, contributed, null)).toEqual({
      state: 'REPORTED',
      eventsApplied: 2,
      consistent: true,
      chainValid: true,
    });
    // stored under v4, read back lifted to v5: still what its events replay to
    expect(await audit.replay(actors.auditor, untouchedSinceV4, null)).toMatchObject({ state: 'IN_PROGRESS', consistent: true });
    expect(await audit.replay(actors.auditor, started, new Date(reportedAt.getTime() - 1))).toMatchObject({
      state: 'IN_PROGRESS',
      eventsApplied: 2,
      consistent: true,
    });
    expect(await audit.verifyPlan(actors.auditor, plan.planId)).toMatchObject({ ok: true, tasksChecked: 3, eventsChecked: 7 });
    const timeline = await audit.timeline(actors.auditor, started);
    expect(timeline.map(({ state, enteredAt, leftAt }) => [state, enteredAt, leftAt])).toEqual([
      ['ASSIGNED', expect.any(Date), startedAt],
      ['IN_PROGRESS', startedAt, reportedAt],
      ['REPORTED', reportedAt, verifiedAt],
      ['VERIFIED', verifiedAt, null],
    ]);
  });

  it('does report an event of a machine version the service does not know as a finding, without failing', async () => {
    const plan = await seedPlan(ds, province, [{}, {}]);
    const [tampered, intact] = plan.taskIds;
    await fire(actors.lead, tampered, 'START');
    await fire(actors.lead, intact, 'START');
    const [first] = await eventRows(ds, tampered);
    const extra = {
      ...first,
      seq: 2,
      type: 'CONTRIBUTE' as const,
      fromState: 'IN_PROGRESS' as const,
      toState: 'IN_PROGRESS' as const,
      payload: { text: 'từ phiên bản lạ', value: null, by: { userId: 'x', agencyId: null } },
      machineVersion: 9,
      prevHash: first.hash,
    };
    const hash = chainHash(first.hash, extra);
    await ds.query(
      `INSERT INTO task_events (province_code, task_id, seq, type, from_state, to_state, actor, actor_agency_id, at, payload, idempotency_key, machine_version, prev_hash, hash)
       VALUES ($1, $2, 2, $3, $4, $5, $6, $7, $8, $9, NULL, 9, $10, $11)`,
      [
        province.code,
        tampered,
        extra.type,
        extra.fromState,
        extra.toState,
        extra.actor,
        extra.actorAgencyId,
        extra.at,
        JSON.stringify(extra.payload),
        first.hash,
        hash,
      ],
    );
    await ds.query('UPDATE tasks SET version = 2, last_hash = $2 WHERE id = $1', [tampered, hash]);
    const { ordinal } = await taskRow(ds, tampered);
    expect(await audit.verifyPlan(actors.auditor, plan.planId)).toMatchObject({
      ok: false,
      tasksChecked: 2,
      brokenTaskIds: [tampered],
      brokenTasks: [
        { taskId: tampered, ordinal, problem: 'UNKNOWN_MACHINE_VERSION', seq: 2, detail: expect.stringContaining('machine version 9') },
      ],
    });
    expect(await audit.replay(actors.auditor, tampered, null)).toEqual({
      state: 'IN_PROGRESS',
      eventsApplied: 1,
      consistent: false,
      chainValid: true,
    });
    const timeline = await audit.timeline(actors.auditor, tampered);
    expect(timeline.map((entry) => entry.state)).toEqual(['ASSIGNED', 'IN_PROGRESS']);
  });
});
