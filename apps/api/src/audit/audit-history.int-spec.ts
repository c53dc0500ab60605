import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import { createServices } from '../services';
import type { TransitionService } from '../tasks/transition.service';
import {
  cast,
  expectDomainError,
  NATIONAL_AUDITOR,
  openDataSource,
  seedPlan,
  taskRow,
  TestClock,
  uniqueProvince,
  type SeededPlan,
} from '../test-support/int-helpers';
import { AuditService } from './audit.service';

const HOUR = 3_600_000;
// The plan's tasks are due at the end of 2030 (Vietnam time).
const SCRIPT: { at: string; event: Parameters<TransitionService['transition']>[1]['event']; who: Role; extra?: object }[] = [
  { at: '2030-03-01T02:00:00.000Z', event: 'START', who: 'lead' },
  { at: '2030-06-01T02:00:00.000Z', event: 'CONTRIBUTE', who: 'coordinator', extra: { comment: 'Số liệu phối hợp' } },
  { at: '2031-01-05T02:00:00.000Z', event: 'DEADLINE_PASSED', who: 'system' },
  { at: '2031-01-10T02:00:00.000Z', event: 'SUBMIT_REPORT', who: 'lead', extra: { report: { summary: 'Lần 1' } } },
  { at: '2031-01-15T02:00:00.000Z', event: 'REJECT', who: 'supervisor', extra: { comment: 'Thiếu số liệu quý IV' } },
  { at: '2031-01-20T02:00:00.000Z', event: 'SUBMIT_REPORT', who: 'lead', extra: { report: { summary: 'Lần 2', value: '100%' } } },
  { at: '2031-01-25T02:00:00.000Z', event: 'VERIFY', who: 'supervisor' },
];
type Role = 'lead' | 'coordinator' | 'supervisor' | 'system';

// A task's history scripted by hand, event by event at fixed times; replayTask(asOf) and
// taskTimeline read it back.
describe(`${AuditService.name} history`, () => {
  let ds: DataSource;
  let audit: AuditService;
  let seeded: SeededPlan;
  let taskId: string;
  let actors: ReturnType<typeof cast>;

  beforeAll(async () => {
    ds = await openDataSource();
    seeded = await seedPlan(ds, uniqueProvince('int-history'), [{}, {}]);
    actors = cast(seeded);
    taskId = seeded.taskIds[0];
    const clock = new TestClock(SCRIPT[0].at);
    const { transitions } = createServices({ dataSource: ds, clock });
    audit = createServices({ dataSource: ds, clock }).audit;
    const who: Record<Role, Actor> = {
      lead: actors.lead,
      coordinator: actors.coordinator,
      supervisor: actors.supervisor,
      system: SYSTEM_ACTOR,
    };
    for (const step of SCRIPT) {
      clock.set(step.at);
      await transitions.transition(who[step.who], { taskId, event: step.event, ...step.extra });
    }
  });

  afterAll(async () => ds?.destroy());

  const at = (i: number, offsetMs = 0) => new Date(new Date(SCRIPT[i].at).getTime() + offsetMs);

  it('does return the state the task was in at each of five points of its history', async () => {
    const points: [Date, string, number][] = [
      [at(0, -HOUR), 'ASSIGNED', 0],
      [at(1, HOUR), 'IN_PROGRESS', 2], // the contribution leaves the state alone
      [at(2), 'OVERDUE', 3], // an event counts from its own instant on
      [at(3, HOUR), 'REPORTED', 4],
      [at(6, HOUR), 'VERIFIED', 7],
    ];
    for (const [asOf, state, eventsApplied] of points) {
      expect({ asOf, ...(await audit.replay(actors.auditor, taskId, asOf)) }).toEqual({
        asOf,
        state,
        eventsApplied,
        consistent: true,
        chainValid: true,
      });
    }
  });

  it('does give the state after a rejection when asOf falls between the rejection and the next report', async () => {
    expect(await audit.replay(actors.lead, taskId, at(4, HOUR))).toMatchObject({ state: 'OVERDUE', eventsApplied: 5 });
  });

  it('does list every state with when it was entered and left and who moved the task there', async () => {
    const created = (await taskRow(ds, taskId)).createdAt;
    expect(await audit.timeline(actors.supervisor, taskId)).toEqual([
      { state: 'ASSIGNED', enteredAt: created, leftAt: at(0), by: null },
      { state: 'IN_PROGRESS', enteredAt: at(0), leftAt: at(2), by: actors.lead.userId },
      { state: 'OVERDUE', enteredAt: at(2), leftAt: at(3), by: SYSTEM_ACTOR.userId },
      { state: 'REPORTED', enteredAt: at(3), leftAt: at(4), by: actors.lead.userId },
      { state: 'OVERDUE', enteredAt: at(4), leftAt: at(5), by: actors.supervisor.userId },
      { state: 'REPORTED', enteredAt: at(5), leftAt: at(6), by: actors.lead.userId },
      { state: 'VERIFIED', enteredAt: at(6), leftAt: null, by: actors.supervisor.userId },
    ]);
  });

  it('does list the one open state of a task without events', async () => {
    const untouched = seeded.taskIds[1];
    const created = (await taskRow(ds, untouched)).createdAt;
    expect(await audit.timeline(NATIONAL_AUDITOR, untouched)).toEqual([{ state: 'ASSIGNED', enteredAt: created, leftAt: null, by: null }]);
  });

  it('answers NOT_FOUND for a task of another province or none, BAD_USER_INPUT for a malformed id', async () => {
    const stranger = { ...actors.lead, provinceCode: uniqueProvince('int-history-x').code };
    const notFound = await expectDomainError(audit.timeline(stranger, taskId), 'NOT_FOUND');
    expect(notFound.message).toContain(taskId);
    await expectDomainError(audit.timeline(actors.auditor, randomUUID()), 'NOT_FOUND');
    const malformed = await expectDomainError(audit.timeline(actors.auditor, 'task-1'), 'BAD_USER_INPUT');
    expect(malformed.message).toContain('taskId');
  });
});
