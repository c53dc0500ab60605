import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Role } from '@app/approval-rules';
import { testPlan, uniqueProvince } from '../../../../test/support/fixtures';
import { PROVINCIAL_COMMITTEE_CODE } from '../repositories/agency.repository';
import { TaskEventEntity } from '../database/entities/task-event.entity';
import type { Actor } from '../auth/actor';
import type { Clock } from '../common/clock';
import { DomainError, type ErrorCode } from '../common/domain-error';
import { createDataSource } from '../database/data-source';
import type { NewPlan, NewTask } from '../plans/new-plan';
import { TaskEntity } from '../database/entities/task.entity';
import { createServices } from '../services';
import { systemClock } from '../common/clock';

// Shared pieces of the int tier: a movable clock, seeding, hand-built actors, error and row checks.

export { uniqueProvince };

export async function openDataSource(): Promise<DataSource> {
  const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
  await dataSource.initialize();
  return dataSource;
}

// A Clock the test moves by hand; never reads the wall clock.
export class TestClock implements Clock {
  private current: Date;

  constructor(start: Date | string) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

// The agencies testPlan writes, plus the People's Committee every province has.
export type AgencyKey = 'committee' | 'monitoring' | 'justice' | 'ict' | 'tax';
export const AGENCY_CODES: Record<AgencyKey, string> = {
  committee: PROVINCIAL_COMMITTEE_CODE,
  monitoring: 'so-ke-hoach-va-dau-tu',
  justice: 'so-tu-phap',
  ict: 'so-thong-tin-va-truyen-thong',
  tax: 'cuc-thue-tinh',
};

export interface SeededPlan {
  province: { code: string; name: string };
  planId: string;
  taskIds: string[]; // in plan order
  agencies: Record<AgencyKey, string>; // agency ids of the province
}

// Writes a plan with a unique number (testPlan's random number may collide within one province).
export async function seedPlan(
  dataSource: DataSource,
  province: { code: string; name: string },
  tasks: Partial<NewTask>[],
  overrides: Partial<NewPlan> & { year?: number } = {},
): Promise<SeededPlan> {
  const { year, ...rest } = overrides;
  const plan: NewPlan = { ...testPlan(province, tasks, year), number: `${randomUUID().slice(0, 8)}/KH-UBND`, ...rest };
  const written = await createServices({ dataSource: dataSource, clock: systemClock }).planWriter.write(plan);
  const rows: { id: string }[] = await dataSource.query(
    'SELECT id FROM tasks WHERE province_code = $1 AND plan_id = $2 ORDER BY sort_key',
    [province.code, written.id],
  );
  return { province, planId: written.id, taskIds: rows.map((row) => row.id), agencies: await agencyIds(dataSource, province.code) };
}

export async function agencyIds(dataSource: DataSource, provinceCode: string): Promise<Record<AgencyKey, string>> {
  const rows: { code: string; id: string }[] = await dataSource.query('SELECT code, id FROM agencies WHERE province_code = $1', [
    provinceCode,
  ]);
  const byCode = new Map(rows.map((row) => [row.code, row.id]));
  // a plan with its own agency list may lack some of them: those keys are left out
  const entries = (Object.keys(AGENCY_CODES) as AgencyKey[]).flatMap((key) => {
    const id = byCode.get(AGENCY_CODES[key]);
    return id ? [[key, id] as const] : [];
  });
  return Object.fromEntries(entries) as Record<AgencyKey, string>;
}

// A user of one of the province's agencies, built by hand as ActorResolver would.
export function userActor(seeded: Pick<SeededPlan, 'province' | 'agencies'>, agency: AgencyKey, roles: Role[], userId?: string): Actor {
  return {
    kind: 'user',
    userId: userId ?? `${agency}-${roles.join('-').toLowerCase()}`,
    provinceCode: seeded.province.code,
    agencyCode: AGENCY_CODES[agency],
    agencyId: seeded.agencies[agency],
    roles,
  };
}

// The usual cast of a testPlan task: lead = justice, coordinating = ict, monitoring = planning dept.
export function cast(seeded: Pick<SeededPlan, 'province' | 'agencies'>) {
  return {
    lead: userActor(seeded, 'justice', ['OFFICER'], 'lead-officer'),
    coordinator: userActor(seeded, 'ict', ['OFFICER'], 'ict-officer'),
    outsider: userActor(seeded, 'tax', ['OFFICER'], 'tax-officer'),
    supervisor: userActor(seeded, 'monitoring', ['SUPERVISOR'], 'monitoring-supervisor'),
    leader: userActor(seeded, 'committee', ['LEADER'], 'committee-leader'),
    auditor: { ...userActor(seeded, 'committee', ['AUDITOR'], 'auditor'), provinceCode: '*', agencyId: null } as Actor,
  };
}

export const NATIONAL_ADMIN: Actor = {
  kind: 'user',
  userId: 'national-admin',
  provinceCode: '*',
  agencyCode: 'bo-noi-vu',
  agencyId: null,
  roles: ['ADMIN'],
};
export const NATIONAL_AUDITOR: Actor = {
  kind: 'user',
  userId: 'national-auditor',
  provinceCode: '*',
  agencyCode: 'kiem-toan',
  agencyId: null,
  roles: ['AUDITOR'],
};

// Awaits a promise that must reject with a DomainError of this code; returns the error.
export async function expectDomainError(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  let caught: unknown = undefined;
  let resolved = false;
  try {
    await promise;
    resolved = true;
  } catch (error) {
    caught = error;
  }
  if (resolved) throw new Error(`expected a DomainError ${code}, but the call succeeded`);
  if (!(caught instanceof DomainError)) {
    throw new Error(`expected a DomainError ${code}, got ${(caught as Error)?.constructor?.name}: ${(caught as Error)?.message}`);
  }
  expect({ code: caught.code, message: caught.message }).toEqual({ code, message: expect.any(String) });
  return caught;
}

export function taskRow(dataSource: DataSource, taskId: string): Promise<TaskEntity> {
  return dataSource.getRepository(TaskEntity).findOneOrFail({ where: { id: taskId } });
}

export function eventRows(dataSource: DataSource, taskId: string): Promise<TaskEventEntity[]> {
  return dataSource.getRepository(TaskEventEntity).find({ where: { taskId }, order: { seq: 'ASC' } });
}

// Everything a rejected request must leave alone: the task's whole row, its events, and the row counts.
export async function footprint(dataSource: DataSource, provinceCode: string, taskId: string) {
  const [task] = await dataSource.query('SELECT row_to_json(t)::text AS row FROM tasks t WHERE t.id = $1', [taskId]);
  const [events] = await dataSource.query(
    'SELECT count(*)::int AS n, coalesce(max(seq), 0)::int AS last FROM task_events WHERE task_id = $1',
    [taskId],
  );
  const [counts] = await dataSource.query(
    `SELECT (SELECT count(*)::int FROM tasks WHERE province_code = $1) AS tasks,
            (SELECT count(*)::int FROM task_events WHERE province_code = $1) AS events`,
    [provinceCode],
  );
  return { task: task?.row as string | undefined, events, counts };
}
