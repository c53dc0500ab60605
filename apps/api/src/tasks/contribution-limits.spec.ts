import { createTaskSnapshot, type Contribution } from '@app/lifecycle';
import { DomainError } from '../common/domain-error';
import { LIMITS } from '../common/validation';
import { checkContributionLimits } from './contribution-limits';

const AT = '2030-03-01T02:00:00.000Z';

function contextWith(contributions: Contribution[], period = 0) {
  const { context } = createTaskSnapshot({ dueAt: '2030-12-31T16:59:59.999Z' });
  return { ...context, period, contributions };
}

const one = (agencyId: string, period = 0, text = 'x'): Contribution => ({ agencyId, at: AT, text, value: null, period });

function refusal(work: () => void): DomainError {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(checkContributionLimits.name, () => {
  it('does allow a contribution when the agency is below every cap', () => {
    const context = contextWith(Array.from({ length: LIMITS.contributionsPerAgencyPeriod - 1 }, () => one('a')));
    expect(() => checkContributionLimits(context, 'a', 'new text')).not.toThrow();
  });

  it('does refuse the agency over its per-period cap, but not another agency or the next period', () => {
    const full = Array.from({ length: LIMITS.contributionsPerAgencyPeriod }, () => one('a'));
    const error = refusal(() => checkContributionLimits(contextWith(full), 'a', 'x'));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { limit: 'contributionsPerAgencyPeriod' } });
    expect(() => checkContributionLimits(contextWith(full), 'b', 'x')).not.toThrow();
    expect(() => checkContributionLimits(contextWith(full, 1), 'a', 'x')).not.toThrow();
  });

  it('does refuse any contribution once the task keeps its total cap', () => {
    const many = Array.from({ length: LIMITS.contributionsPerTask }, (_, i) => one(`agency-${i % 50}`, Math.floor(i / 50)));
    const error = refusal(() => checkContributionLimits(contextWith(many, 99), 'new-agency', 'x'));
    expect(error.message).toContain(`at most ${LIMITS.contributionsPerTask} contributions`);
    expect(error.details).toMatchObject({ limit: 'contributionsPerTask' });
  });

  it('does refuse a contribution that would take the kept text over its cap', () => {
    const big = 'x'.repeat(LIMITS.reportSummary);
    const count = Math.floor(LIMITS.contributionTextPerTask / big.length);
    const kept = Array.from({ length: count }, (_, i) => one(`agency-${i}`, 0, big));
    const error = refusal(() => checkContributionLimits(contextWith(kept), 'new-agency', big));
    expect(error.details).toMatchObject({ limit: 'contributionTextPerTask' });
  });
});
