import type { TaskContext } from '@app/lifecycle';
import { badInput } from '../common/domain-error';
import { LIMITS } from '../common/validation';

// CONTRIBUTE appends to the task's snapshot, which every later transition (and the deadline sweep)
// rewrites: without caps one coordinating agency could grow it until the task can no longer be
// saved. The lead's own events (reports, extensions) are never held back by these caps.
export function checkContributionLimits(
  context: Pick<TaskContext, 'contributions' | 'period'>,
  agencyId: string | null,
  text: string,
): void {
  const { contributions, period } = context;
  const ofAgency = contributions.filter((c) => c.period === period && c.agencyId === (agencyId ?? '')).length;
  if (ofAgency >= LIMITS.contributionsPerAgencyPeriod) {
    throw limit(
      'contributionsPerAgencyPeriod',
      `at most ${LIMITS.contributionsPerAgencyPeriod} contributions per agency per reporting period: your agency has sent ` +
        `${ofAgency} in this period; add to the report of the lead agency instead`,
    );
  }
  if (contributions.length >= LIMITS.contributionsPerTask) {
    throw limit(
      'contributionsPerTask',
      `at most ${LIMITS.contributionsPerTask} contributions are kept per task, and this task has them all`,
    );
  }
  const kept = contributions.reduce((sum, c) => sum + (c.text?.length ?? 0) + (c.value?.length ?? 0), 0);
  if (kept + text.length > LIMITS.contributionTextPerTask) {
    throw limit(
      'contributionTextPerTask',
      `at most ${LIMITS.contributionTextPerTask} characters of contributions are kept per task; ${kept} are, so this one does not fit`,
    );
  }
}

function limit(name: keyof typeof LIMITS, message: string) {
  return badInput(`Contribution refused (limit ${name}): ${message}`, { limit: name, max: LIMITS[name] });
}
