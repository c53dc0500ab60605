import { RULE_EVENT_TYPES } from '@app/approval-rules';
import { TASK_EVENT_TYPES } from '@app/lifecycle';

// The two pure libraries stay independent of each other; the service joins them, so their event
// vocabularies must be the same.
describe('event vocabularies', () => {
  it('does give the approval rules exactly the machine events', () => {
    expect([...RULE_EVENT_TYPES].sort()).toEqual([...TASK_EVENT_TYPES].sort());
  });
});
