import type { DataSource } from 'typeorm';
import { REAL_PLANS, realPlanText } from '../../../../../test/support/document-fixtures';
import type { Actor } from '../../auth/actor';
import { DomainError } from '../../common/domain-error';
import { NATIONAL_ADMIN, NATIONAL_AUDITOR, openDataSource, TestClock, uniqueProvince } from '../../test-support/int-helpers';
import { createServices } from '../../services';
import type { ImportOutcome } from '../plan-import.service';

// An amended copy of a shared plan (Kiên Giang, KH 31/2021), written here at test time from the
// shared text: a later date, one task rescheduled, one retitled, one with other coordinating
// agencies, one removed, one added. Imported over the original, it is a diff: the unchanged tasks'
// rows and histories stay byte for byte, the removed one is withdrawn, the changed ones amended.

const ORIGINAL = () => realPlanText(REAL_PLANS.kienGiang);

// The appendix rows are tab-separated and start with their ordinal.
function editRow(text: string, ordinal: string, edit: (cells: string[]) => string[] | null): string {
  let found = false;
  const lines = text.split('\n').flatMap((line) => {
    if (!line.startsWith(`${ordinal}\t`)) return [line];
    found = true;
    const cells = edit(line.split('\t'));
    return cells === null ? [] : [cells.join('\t')];
  });
  if (!found) throw new Error(`the shared plan has no appendix row ${ordinal}`);
  return lines.join('\n');
}

function redate(text: string, day: string): string {
  const dated = text.replace(/ngày \d{1,2} tháng \d{1,2} năm 2021/u, `ngày ${day} năm 2021`);
  if (dated === text) throw new Error('the shared plan has no issue date line');
  return dated;
}

const ADDED_TITLE = 'Thí điểm một cửa liên thông điện tử cho hồ sơ đầu tư (nhiệm vụ bổ sung của bản sửa đổi)';

function amendedCopy(text: string): string {
  let amended = redate(text, '15 tháng 6');
  amended = editRow(amended, '5', (cells) => [...cells.slice(0, -1), cells[cells.length - 1].replace('2022', '2023')]);
  amended = editRow(amended, '8', (cells) => [cells[0], `Cập nhật: ${cells[1]}`, ...cells.slice(2)]);
  amended = editRow(amended, '12', (cells) => [...cells.slice(0, 3), 'Các Sở, ban, ngành liên quan', ...cells.slice(4)]);
  amended = editRow(amended, '13', () => null);
  const lines = amended.replace(/\n+$/u, '').split('\n');
  lines.push(['14', ADDED_TITLE, 'Sở Kế hoạch và Đầu tư', 'Văn phòng UBND tỉnh', 'Năm 2021'].join('\t'));
  return `${lines.join('\n')}\n`;
}

describe('amending an imported plan (sửa đổi, bổ sung)', () => {
  let ds: DataSource;
  let services: ReturnType<typeof createServices>;
  const clock = new TestClock('2021-04-01T02:00:00.000Z');
  const province = uniqueProvince('amend');

  beforeAll(async () => {
    ds = await openDataSource();
    services = createServices({ dataSource: ds, clock });
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const importText = (content: string, dryRun = false) =>
    services.planImport.import(NATIONAL_ADMIN, { format: 'PLAN_TEXT', content, provinceCode: province.code, dryRun });

  async function tasksOf(planId: string) {
    return (await ds.query(
      `SELECT t.ordinal, t.id, t.state, a.code AS lead FROM tasks t JOIN agencies a ON a.province_code = t.province_code AND a.id = t.lead_agency_id
       WHERE t.province_code = $1 AND t.plan_id = $2 ORDER BY t.sort_key`,
      [province.code, planId],
    )) as { ordinal: string; id: string; state: string; lead: string }[];
  }

  // Everything stored about a task: its row, its coordinators and its events, as PostgreSQL returns them.
  async function footprint(taskId: string): Promise<string> {
    const [task] = await ds.query(`SELECT to_jsonb(t) AS row FROM tasks t WHERE t.province_code = $1 AND t.id = $2`, [
      province.code,
      taskId,
    ]);
    const coordinators = await ds.query(
      `SELECT to_jsonb(c) AS row FROM task_coordinators c WHERE c.province_code = $1 AND c.task_id = $2 ORDER BY c.position`,
      [province.code, taskId],
    );
    const events = await ds.query(
      `SELECT to_jsonb(e) AS row FROM task_events e WHERE e.province_code = $1 AND e.task_id = $2 ORDER BY e.seq`,
      [province.code, taskId],
    );
    return JSON.stringify({ task, coordinators, events });
  }

  async function eventsOf(taskId: string) {
    return (await ds.query(
      `SELECT seq, type, from_state, to_state, actor, payload, machine_version FROM task_events WHERE province_code = $1 AND task_id = $2 ORDER BY seq`,
      [province.code, taskId],
    )) as {
      seq: number;
      type: string;
      from_state: string;
      to_state: string;
      actor: string;
      payload: Record<string, unknown>;
      machine_version: number;
    }[];
  }

  async function counts() {
    const [row] = await ds.query(
      `SELECT (SELECT count(*)::int FROM plans WHERE province_code = $1) AS plans, (SELECT count(*)::int FROM tasks WHERE province_code = $1) AS tasks,
        (SELECT count(*)::int FROM task_events WHERE province_code = $1) AS events, (SELECT count(*)::int FROM plan_versions WHERE province_code = $1) AS versions,
        (SELECT count(*)::int FROM task_coordinators WHERE province_code = $1) AS coordinators`,
      [province.code],
    );
    return row as Record<string, number>;
  }

  const leadActor = async (taskId: string): Promise<Actor> => {
    const [row] = await ds.query(
      `SELECT a.id, a.code FROM tasks t JOIN agencies a ON a.province_code = t.province_code AND a.id = t.lead_agency_id WHERE t.province_code = $1 AND t.id = $2`,
      [province.code, taskId],
    );
    return {
      kind: 'user',
      userId: `officer-${row.code}`,
      provinceCode: province.code,
      agencyCode: row.code,
      agencyId: row.id,
      roles: ['OFFICER'],
    };
  };

  let original: ImportOutcome;
  let before: Map<string, string>;
  let byOrdinal: Map<string, string>;

  it('does import the original and record it as version 1', async () => {
    original = await importText(ORIGINAL());
    expect(original.status).toBe('CREATED');
    const versions = await ds.query('SELECT version, source_hash FROM plan_versions WHERE province_code = $1 AND plan_id = $2', [
      province.code,
      original.plan!.id,
    ]);
    expect(versions).toEqual([{ version: 1, source_hash: original.plan!.sourceHash }]);
    const tasks = await tasksOf(original.plan!.id);
    byOrdinal = new Map(tasks.map((t) => [t.ordinal, t.id]));
    expect(byOrdinal.size).toBe(13);
    // some history before the amendment: started, reported
    for (const ordinal of ['2', '5', '8', '13']) {
      const taskId = byOrdinal.get(ordinal)!;
      await services.transitions.transition(await leadActor(taskId), { taskId, event: 'START' });
    }
    const eight = byOrdinal.get('8')!;
    await services.transitions.transition(await leadActor(eight), {
      taskId: eight,
      event: 'SUBMIT_REPORT',
      report: { summary: 'Đã triển khai' },
    });
    before = new Map();
    for (const [, id] of byOrdinal) before.set(id, await footprint(id));
  });

  it('does show the diff on a dry run and write nothing', async () => {
    const counted = await counts();
    const outcome = await importText(amendedCopy(ORIGINAL()), true);
    expect(outcome.status).toBe('DRY_RUN');
    expect(outcome.plan).toBeNull();
    const amendment = outcome.amendment!;
    expect(amendment).toMatchObject({ fromVersion: 1, toVersion: 2, unchanged: 9 });
    expect(amendment.added.map((t) => [t.ordinal, t.title])).toEqual([['14', ADDED_TITLE]]);
    expect(amendment.removed.map((t) => [t.ordinal, t.taskId])).toEqual([['13', byOrdinal.get('13')]]);
    const changed = Object.fromEntries(amendment.changed.map((t) => [t.ordinal, t.changes.map((c) => c.field)]));
    // this plan's appendix is a table of targets: a task's target is its text, so both change
    expect(changed).toEqual({ '5': ['timeframe', 'schedule'], '8': ['title', 'target'], '12': ['coordinatingAgencies'] });
    const eight = amendment.changed.find((t) => t.ordinal === '8')!;
    expect(eight.changes[0]).toMatchObject({ field: 'title', to: expect.stringMatching(/^Cập nhật: /u) });
    expect(await counts()).toEqual(counted);
    for (const [id, stored] of before) expect(await footprint(id)).toBe(stored);
  });

  it('does apply the diff: unchanged tasks byte-identical, the removed one withdrawn, the changed ones amended, one added', async () => {
    clock.set('2021-06-20T02:00:00.000Z');
    const outcome = await importText(amendedCopy(ORIGINAL()));
    expect(outcome.status).toBe('AMENDED');
    expect(outcome.plan!.id).toBe(original.plan!.id);
    expect(outcome.plan!.issuedOn).toBe('2021-06-15');
    expect(outcome.amendment).toMatchObject({ fromVersion: 1, toVersion: 2, tasksWithdrawn: 1, tasksChanged: 3 });
    expect(outcome.tasksCreated).toBe(1);

    const changedOrRemoved = new Set(['5', '8', '12', '13'].map((o) => byOrdinal.get(o)!));
    for (const [id, stored] of before) {
      if (!changedOrRemoved.has(id)) expect(await footprint(id)).toBe(stored);
    }

    // removed: withdrawn with an event that names the amendment; its earlier events untouched
    const withdrawn = await eventsOf(byOrdinal.get('13')!);
    expect(withdrawn.map((e) => e.type)).toEqual(['START', 'WITHDRAW']);
    expect(withdrawn[1]).toMatchObject({ from_state: 'IN_PROGRESS', to_state: 'WITHDRAWN', actor: 'system:amendment', machine_version: 4 });
    expect(withdrawn[1].payload).toMatchObject({ reason: expect.stringContaining('sửa đổi, bổ sung'), amendment: { version: 2 } });

    // rescheduled: the plan's date moved to the end of 2023 (Vietnam time); the old one is in the event
    const five = await eventsOf(byOrdinal.get('5')!);
    expect(five.map((e) => e.type)).toEqual(['START', 'AMEND']);
    expect(five[1].payload.changes).toEqual([
      { field: 'timeframe', from: 'Năm 2022', to: 'Năm 2023' },
      { field: 'schedule', from: '2022-12-31T16:59:59.999Z', to: '2023-12-31T16:59:59.999Z' },
    ]);
    const [fiveRow] = await ds.query('SELECT timeframe, state, due_at, original_due_at FROM tasks WHERE province_code = $1 AND id = $2', [
      province.code,
      byOrdinal.get('5'),
    ]);
    expect(fiveRow).toMatchObject({ timeframe: 'Năm 2023', state: 'IN_PROGRESS' });
    expect(fiveRow.due_at.toISOString()).toBe('2023-12-31T16:59:59.999Z');
    expect(fiveRow.original_due_at.toISOString()).toBe('2023-12-31T16:59:59.999Z');

    // retitled while its report waits for review: still REPORTED, the report kept
    const eight = await eventsOf(byOrdinal.get('8')!);
    expect(eight.map((e) => `${e.type}:${e.to_state}`)).toEqual(['START:IN_PROGRESS', 'SUBMIT_REPORT:REPORTED', 'AMEND:REPORTED']);
    const [eightRow] = await ds.query('SELECT title FROM tasks WHERE province_code = $1 AND id = $2', [province.code, byOrdinal.get('8')]);
    expect(eightRow.title).toMatch(/^Cập nhật: /u);

    // other coordinating agencies
    const twelve = await eventsOf(byOrdinal.get('12')!);
    expect(twelve.map((e) => e.type)).toEqual(['AMEND']);
    expect((twelve[0].payload.changes as { field: string }[]).map((c) => c.field)).toEqual(['coordinatingAgencies']);

    // added
    const tasks = await tasksOf(original.plan!.id);
    expect(tasks.find((t) => t.ordinal === '14')).toMatchObject({ state: 'ASSIGNED' });
    expect(tasks).toHaveLength(14);

    const versions = await ds.query(
      'SELECT version, issued_on::text AS issued_on, summary FROM plan_versions WHERE province_code = $1 AND plan_id = $2 ORDER BY version',
      [province.code, original.plan!.id],
    );
    expect(versions.map((v: { version: number; issued_on: string }) => [v.version, v.issued_on])).toEqual([
      [1, '2021-02-22'],
      [2, '2021-06-15'],
    ]);
    expect(versions[1].summary).toMatchObject({ added: 1, removed: 1, changed: 3, unchanged: 9 });
  });

  it('does keep every chain intact and every replay equal to the stored task after the amendment', async () => {
    const verdict = await services.audit.verifyPlan(NATIONAL_AUDITOR, original.plan!.id);
    expect(verdict).toMatchObject({ ok: true, tasksChecked: 14, brokenTaskCount: 0 });
    const replayed = await services.audit.replay(NATIONAL_AUDITOR, byOrdinal.get('5')!, null);
    expect(replayed).toMatchObject({ consistent: true });
  });

  it('does answer ALREADY_IMPORTED, naming the version, for the amended text again or the original', async () => {
    const counted = await counts();
    const again = await importText(amendedCopy(ORIGINAL()));
    expect(again.status).toBe('ALREADY_IMPORTED');
    const old = await importText(ORIGINAL());
    expect(old.status).toBe('ALREADY_IMPORTED');
    expect(old.warnings[0]).toMatch(/version 1 of plan .* at version 2 now; nothing was changed/u);
    expect(await counts()).toEqual(counted);
  });

  it('does refuse, changing nothing, a different text dated before the current version or on its date', async () => {
    const counted = await counts();
    const older = redate(amendedCopy(ORIGINAL()), '01 tháng 3').replace(ADDED_TITLE, `${ADDED_TITLE} khác`);
    const refused = await importText(older).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('older than the imported version of 2021-06-15'),
    });
    const sameDay = amendedCopy(ORIGINAL()).replace(ADDED_TITLE, `${ADDED_TITLE} khác`);
    await expect(importText(sameDay)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await counts()).toEqual(counted);
  });

  it('does apply one amendment once when it is imported three times at once', async () => {
    clock.set('2021-09-20T02:00:00.000Z');
    const third = redate(amendedCopy(ORIGINAL()), '10 tháng 9').replace(ADDED_TITLE, `${ADDED_TITLE} lần hai`);
    const outcomes = await Promise.all([1, 2, 3].map(() => importText(third)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['ALREADY_IMPORTED', 'ALREADY_IMPORTED', 'AMENDED']);
    const amended = outcomes.find((o) => o.status === 'AMENDED')!;
    expect(amended.amendment).toMatchObject({ fromVersion: 2, toVersion: 3, unchanged: 12, added: [], removed: [] });
    expect(amended.amendment!.changed.map((t) => t.ordinal)).toEqual(['14']);
    const [{ versions }] = await ds.query('SELECT count(*)::int AS versions FROM plan_versions WHERE province_code = $1', [province.code]);
    expect(versions).toBe(3);
  });
});
