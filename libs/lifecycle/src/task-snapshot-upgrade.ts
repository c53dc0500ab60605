// The steps that lift a stored snapshot from one machine version to the next. machine-versions.ts
// registers each with the version it leads to and walks them (upgradeTaskSnapshot).
import { contributionsOfPeriod } from './task-context';
import { IncompatibleSnapshotError } from './task.errors';
import { StoredTaskSnapshot, TaskContext, TaskPeriod } from './task.types';

type V1Period = Omit<TaskPeriod, 'reliesOn'>;
type V1Context = Omit<TaskContext, 'coordinationWaivedPeriods' | 'periods'> & { periods: V1Period[] };

// v1 → v2: no period was waived yet. reliesOn is derived, not left empty, so an upgraded row equals
// the replay of its events by version 2: a period's report is only ever taken after all of that
// period's contributions (CONTRIBUTE is refused in REPORTED; VERIFY opens the next period; REJECT
// clears the report), so a period with a report rests on exactly the contributions of that period.
export function upgradeV1ToV2(stored: StoredTaskSnapshot): StoredTaskSnapshot {
  const context = stored.context as unknown as V1Context | null;
  if (context === null || typeof context !== 'object' || !Array.isArray(context.periods)) {
    throw new IncompatibleSnapshotError('version 1 snapshot has no context with periods to upgrade');
  }
  const contributions = Array.isArray(context.contributions) ? context.contributions : [];
  const periods: TaskPeriod[] = context.periods.map((period) => ({
    ...period,
    reliesOn: period.report ? contributionsOfPeriod({ contributions }, period.index) : [],
  }));
  return {
    ...stored,
    machineVersion: 2,
    context: { ...context, periods, coordinationWaivedPeriods: [] },
  };
}

// v2 → v3: ROLL_UP is a new event; states and context are the same, so only the version changes.
export function upgradeV2ToV3(stored: StoredTaskSnapshot): StoredTaskSnapshot {
  if (stored?.context === null || typeof stored?.context !== 'object') {
    throw new IncompatibleSnapshotError('version 2 snapshot has no context to upgrade');
  }
  return { ...stored, machineVersion: 3 };
}

// v3 → v4: WITHDRAW, AMEND and the final state WITHDRAWN are new; a version-3 snapshot is in one of
// the old states with the same context, so only the version changes.
export function upgradeV3ToV4(stored: StoredTaskSnapshot): StoredTaskSnapshot {
  if (stored?.context === null || typeof stored?.context !== 'object') {
    throw new IncompatibleSnapshotError('version 3 snapshot has no context to upgrade');
  }
  return { ...stored, machineVersion: 4 };
}
