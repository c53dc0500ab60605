// Stored snapshots name the machine version that wrote them. Rows written by an older version are
// lifted here, one explicit step per version, before the machine restores them; anything else
// (another machine, a version this code does not know) is refused, never guessed at.
import { contributionsOfPeriod } from './task-context';
import { IncompatibleSnapshotError } from './task.errors';
import { StoredTaskSnapshot, TASK_MACHINE_ID, TASK_MACHINE_VERSION, TaskContext, TaskPeriod } from './task.types';

type UpgradeStep = (stored: StoredTaskSnapshot) => StoredTaskSnapshot;

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

// Keyed by the version a step upgrades from; each step raises the version by exactly one.
const UPGRADES: Readonly<Record<number, UpgradeStep>> = Object.freeze({ 1: upgradeV1ToV2 });

// Returns a snapshot of TASK_MACHINE_VERSION: the stored one itself when already current, else an
// upgraded copy (the input is never mutated). Throws IncompatibleSnapshotError when no path exists.
export function upgradeTaskSnapshot(stored: StoredTaskSnapshot): StoredTaskSnapshot {
  if (stored?.machineId !== TASK_MACHINE_ID || !Number.isInteger(stored.machineVersion)) {
    throw incompatible(stored);
  }
  let current = stored;
  while (current.machineVersion !== TASK_MACHINE_VERSION) {
    const step = Object.prototype.hasOwnProperty.call(UPGRADES, current.machineVersion) ? UPGRADES[current.machineVersion] : undefined;
    if (step === undefined) throw incompatible(stored);
    current = step(current);
  }
  return current;
}

function incompatible(stored: StoredTaskSnapshot): IncompatibleSnapshotError {
  return new IncompatibleSnapshotError(
    `snapshot of ${stored?.machineId}@${stored?.machineVersion} cannot be restored by ${TASK_MACHINE_ID}@${TASK_MACHINE_VERSION}`,
  );
}
