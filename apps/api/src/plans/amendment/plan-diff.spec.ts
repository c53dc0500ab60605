import type { NewTask } from '../new-plan';
import { diffPlan, fieldChanges, titleKey, type CurrentTask } from './plan-diff';

const END_2021 = '2021-12-31T16:59:59.999Z';
const END_2022 = '2022-12-31T16:59:59.999Z';

const task = (ordinal: string, title: string, patch: Partial<NewTask> = {}): NewTask => ({
  sectionOrdinal: 'I',
  ordinal,
  title,
  leadAgencyCode: 'so-tu-phap',
  coordinatingAgencyCodes: ['so-tai-chinh'],
  timeframe: 'Năm 2021',
  dueAt: END_2021,
  target: null,
  note: null,
  ...patch,
});

const current = (next: NewTask, id = `id-${next.ordinal}`): CurrentTask => ({
  id,
  state: 'ASSIGNED',
  sectionOrdinal: next.sectionOrdinal,
  ordinal: next.ordinal,
  title: next.title,
  leadAgencyCodes: [next.leadAgencyCode, ...(next.coLeadAgencyCodes ?? [])],
  coordinatingAgencyCodes: next.coordinatingAgencyCodes,
  timeframe: next.timeframe,
  target: next.target,
  note: next.note,
  schedule: next.periodDueDates?.length ? next.periodDueDates : next.dueAt ? [next.dueAt] : [],
});

const PLAN = [
  task('1', 'Rà soát thủ tục hành chính về đất đai'),
  task('2', 'Công khai quy hoạch sử dụng đất trên cổng thông tin'),
  task('3', 'Tổ chức đối thoại doanh nghiệp hằng quý'),
  task('4', 'Đào tạo cán bộ một cửa về kỹ năng giao tiếp'),
];

describe(diffPlan.name, () => {
  it('does find nothing to do when the amended plan is the same', () => {
    const diff = diffPlan(
      PLAN.map((t) => current(t)),
      PLAN,
    );
    expect(diff.unchanged.map((u) => u.current.id)).toEqual(['id-1', 'id-2', 'id-3', 'id-4']);
    expect([diff.changed, diff.added, diff.removed]).toEqual([[], [], []]);
  });

  it('does pair titles whatever the spacing, case or Unicode form, recording the new spelling', () => {
    const same = PLAN.map((t) => ({ ...t, title: `  ${t.title.normalize('NFD').toUpperCase()}.` }));
    const diff = diffPlan(
      PLAN.map((t) => current(t)),
      same,
    );
    expect(diff.changed.map((c) => [c.current.id, c.changes.map((ch) => ch.field)])).toEqual(
      ['id-1', 'id-2', 'id-3', 'id-4'].map((id) => [id, ['title']]),
    );
    // the exact text is what is stored: a different spelling is a change of the title only
    expect(fieldChanges(current(PLAN[0]), same[0])).toEqual([{ field: 'title', from: PLAN[0].title, to: same[0].title }]);
  });

  it('does pair renumbered tasks by title when one is removed and one added', () => {
    const next = [PLAN[0], { ...PLAN[2], ordinal: '2' }, { ...PLAN[3], ordinal: '3' }, task('4', 'Số hóa hồ sơ đăng ký doanh nghiệp')];
    const diff = diffPlan(
      PLAN.map((t) => current(t)),
      next,
    );
    expect(diff.removed.map((t) => t.id)).toEqual(['id-2']);
    expect(diff.added.map((t) => t.title)).toEqual(['Số hóa hồ sơ đăng ký doanh nghiệp']);
    expect(diff.changed.map((c) => [c.current.id, c.changes])).toEqual([
      ['id-3', [{ field: 'ordinal', from: '3', to: '2' }]],
      ['id-4', [{ field: 'ordinal', from: '4', to: '3' }]],
    ]);
    expect(diff.unchanged.map((u) => u.current.id)).toEqual(['id-1']);
  });

  it('does pair a reworded task by similar wording in its section before any by number', () => {
    const next = [
      { ...PLAN[0], title: 'Rà soát, đơn giản hóa thủ tục hành chính về đất đai' },
      PLAN[1],
      { ...PLAN[3], ordinal: '3', title: 'Đào tạo cán bộ bộ phận một cửa về kỹ năng giao tiếp' },
    ];
    const diff = diffPlan(
      PLAN.map((t) => current(t)),
      next,
    );
    expect(diff.changed.map((c) => [c.current.id, c.changes.map((ch) => ch.field)])).toEqual([
      ['id-1', ['title']],
      ['id-4', ['ordinal', 'title']],
    ]);
    expect(diff.removed.map((t) => t.id)).toEqual(['id-3']);
    expect(diff.added).toEqual([]);
  });

  it('does not pair dissimilar tasks of different sections', () => {
    const next = [{ ...task('1', 'Một việc hoàn toàn khác'), sectionOrdinal: 'II' }];
    const diff = diffPlan([current(PLAN[0])], next);
    expect(diff.removed).toHaveLength(1);
    expect(diff.added).toHaveLength(1);
  });

  it('does name each changed field once, in a fixed order, with the schedule as instants', () => {
    const next = task('1', PLAN[0].title, {
      leadAgencyCode: 'so-xay-dung',
      coordinatingAgencyCodes: ['so-tai-chinh', 'so-noi-vu', 'so-noi-vu'],
      timeframe: 'Năm 2022',
      dueAt: END_2022,
      target: '100%',
    });
    expect(fieldChanges(current(PLAN[0]), next)).toEqual([
      { field: 'leadAgencies', from: 'so-tu-phap', to: 'so-xay-dung' },
      { field: 'coordinatingAgencies', from: 'so-tai-chinh', to: 'so-noi-vu; so-tai-chinh' },
      { field: 'timeframe', from: 'Năm 2021', to: 'Năm 2022' },
      { field: 'target', from: null, to: '100%' },
      { field: 'schedule', from: END_2021, to: END_2022 },
    ]);
    // the same instant written otherwise is no change
    expect(fieldChanges(current(PLAN[0]), { ...PLAN[0], dueAt: '2022-01-01T00:59:59.999+08:00' })).toEqual([]);
    // coordinating agencies in another order are the same list
    const two = task('1', PLAN[0].title, { coordinatingAgencyCodes: ['a', 'b'] });
    expect(fieldChanges(current(two), { ...two, coordinatingAgencyCodes: ['b', 'a'] })).toEqual([]);
  });

  it('does mark a change of dates as a reschedule, and a recurring schedule by its periods', () => {
    const recurring = task('3', PLAN[2].title, {
      timeframe: 'Hằng quý',
      periodDueDates: ['2021-03-31T16:59:59.999Z', '2021-06-30T16:59:59.999Z'],
    });
    const moved = {
      ...recurring,
      periodDueDates: ['2021-04-30T16:59:59.999Z', '2021-07-31T16:59:59.999Z'],
      dueAt: '2021-04-30T16:59:59.999Z',
    };
    const [change] = diffPlan([current(recurring)], [moved]).changed;
    expect(change.rescheduled).toBe(true);
    expect(change.changes).toEqual([
      { field: 'schedule', from: recurring.periodDueDates!.join('; '), to: moved.periodDueDates.join('; ') },
    ]);
  });

  it('does diff 1,000 tasks against 1,000 reworded ones', () => {
    const many = Array.from({ length: 1000 }, (_, i) => task(String(i + 1), `Nhiệm vụ số ${i + 1} về cải cách thủ tục nhóm ${i % 37}`));
    const reworded = many.map((t, i) => (i % 10 === 0 ? { ...t, ordinal: String(i + 2), title: `${t.title} (bổ sung)` } : t));
    const diff = diffPlan(
      many.map((t) => current(t)),
      reworded,
    );
    expect(diff.unchanged.length + diff.changed.length + diff.removed.length).toBe(1000);
    expect(diff.changed).toHaveLength(100);
    expect(titleKey('  A  b. ')).toBe('a b');
  });
});
