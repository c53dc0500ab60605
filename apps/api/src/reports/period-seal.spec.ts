import type { ScoreCounts } from '../repositories/scorecard.repository';
import { recomputable, revivedTasks, type SealedFigures, type SealedTask } from './period-seal';

// Seals made before plan amendments existed hold no withdrawn count and no withdrawal: verifying
// them against figures recomputed now (withdrawn 0, withdrawal null) must not find a difference.
const counts = (extra: Partial<ScoreCounts> = {}) =>
  ({
    total: 1,
    verifiedOnTime: 0,
    verifiedLate: 0,
    pendingWithinDeadline: 1,
    overdue: 0,
    reportsMissing: 0,
    averageDaysLate: null,
    ...extra,
  }) as ScoreCounts;

const task = (extra: Partial<SealedTask> = {}): SealedTask => ({
  taskId: 't1',
  sectionId: null,
  ordinal: '1',
  title: 'Nhiệm vụ',
  timeframe: 'Năm 2030',
  leadAgencyName: 'Sở Tư pháp',
  coordinatingAgencyNames: [],
  state: 'IN_PROGRESS',
  period: 0,
  dueAt: '2030-12-31T16:59:59.999Z',
  scheduledDueAt: '2030-12-31T16:59:59.999Z',
  category: 'PENDING_WITHIN_DEADLINE',
  daysLate: null,
  reportsMissing: 0,
  report: null,
  verdict: null,
  ...extra,
});

function figures(scores: ScoreCounts, tasks: SealedTask[]): SealedFigures {
  return {
    planId: 'p',
    period: '2030-H1',
    cutoff: '2030-06-14T16:59:59.999Z',
    scores: { agencies: [{ agencyId: 'a', agencyName: 'Sở Tư pháp', ...scores }], sections: [], total: scores },
    tasks,
  };
}

describe('period seals and withdrawn tasks', () => {
  it('does read a seal made before withdrawals existed as the same figures as one with none withdrawn', () => {
    const old = figures(counts(), [task()]);
    const now = figures(counts({ withdrawn: 0 }), [task({ withdrawal: null })]);
    expect(recomputable(old)).toBe(recomputable(now));
    expect(revivedTasks(old)[0].withdrawal).toBeNull();
  });

  it('does tell figures with a withdrawn task from those without', () => {
    const none = figures(counts({ withdrawn: 0 }), [task({ withdrawal: null })]);
    const withdrawn = figures(counts({ total: 0, pendingWithinDeadline: 0, withdrawn: 1 }), [
      task({ state: 'WITHDRAWN', category: 'WITHDRAWN', withdrawal: { at: '2030-04-10T02:00:00.000Z', reason: 'Rút' } }),
    ]);
    expect(recomputable(none)).not.toBe(recomputable(withdrawn));
    expect(revivedTasks(withdrawn)[0].withdrawal).toEqual({ at: new Date('2030-04-10T02:00:00.000Z'), reason: 'Rút' });
  });
});
