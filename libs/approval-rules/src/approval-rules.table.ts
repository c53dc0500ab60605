import type { ApprovalRule, RuleEventType } from './approval-rules.types';

// Decides when no row matches: everything not explicitly allowed is denied.
export const NO_RULE_ALLOWS = 'no-rule-allows';

type RuleBody = Omit<ApprovalRule, 'event'>;

// One policy, several events: one row per event, same id, so every row names exactly one event.
const forEvents = (events: readonly RuleEventType[], body: RuleBody): ApprovalRule[] => events.map((event) => ({ ...body, event }));

const LEAD_EVENTS = ['START', 'SUBMIT_REPORT', 'REQUEST_EXTENSION'] as const;
const REVIEW_EVENTS = ['VERIFY', 'REJECT'] as const;
const EXTENSION_DECISIONS = ['APPROVE_EXTENSION', 'DENY_EXTENSION'] as const;

// THE table. Evaluated top to bottom; the first row whose event matches and whose conditions
// all hold decides. Order matters: denials that hold for every event come before any rule that
// allows a user action; only the system's DEADLINE_PASSED is settled above the province check.
const RULES: ApprovalRule[] = [
  // First, so that no combination of roles or actor kind ever lets an auditor change a task.
  {
    id: 'auditor-changes-nothing',
    event: '*',
    effect: 'deny',
    conditions: ['has-auditor-role'],
    description: 'Auditors read and replay everything and change nothing.',
  },
  // DEADLINE_PASSED is settled here, before the province check: the sweep works across provinces.
  {
    id: 'deadline-passed-system-only',
    event: 'DEADLINE_PASSED',
    effect: 'deny',
    conditions: ['user-actor'],
    description: 'Only the system (the deadline sweep) may mark a task overdue; users may not.',
  },
  {
    id: 'system-sweep',
    event: 'DEADLINE_PASSED',
    effect: 'allow',
    conditions: ['system-actor'],
    description: 'The deadline sweep marks tasks overdue when their due time has passed.',
  },
  // ROLL_UP likewise: a task split per lead agency follows its children, recorded by the system.
  {
    id: 'roll-up-system-only',
    event: 'ROLL_UP',
    effect: 'deny',
    conditions: ['user-actor'],
    description: "Only the system moves a task split per lead agency to its children's roll-up; users may not.",
  },
  {
    id: 'system-roll-up',
    event: 'ROLL_UP',
    effect: 'allow',
    conditions: ['system-actor'],
    description: "The system records a split task's move to the state its children roll up to, with the child's transition.",
  },
  // WITHDRAW and AMEND likewise: only an amended plan's import withdraws or reschedules a task.
  ...forEvents(['WITHDRAW', 'AMEND'], {
    id: 'amendment-import-only',
    effect: 'deny',
    conditions: ['user-actor'],
    description:
      'Only the import of an amended plan withdraws a task or changes its schedule or text; users may not ' +
      '(an agency asks for more time with REQUEST_EXTENSION).',
  }),
  ...forEvents(['WITHDRAW', 'AMEND'], {
    id: 'system-amendment',
    effect: 'allow',
    conditions: ['system-actor'],
    description: 'The system records what an amended plan changed: a task it no longer holds is withdrawn, a changed one amended.',
  }),
  {
    id: 'system-actor-only-deadline',
    event: '*',
    effect: 'deny',
    conditions: ['system-actor'],
    description: 'The system may fire only DEADLINE_PASSED, ROLL_UP, WITHDRAW and AMEND.',
  },
  {
    id: 'other-province',
    event: '*',
    effect: 'deny',
    conditions: ['outside-task-province'],
    description: "A token changes only tasks of its own province; national ('*') tokens fire no task events.",
  },
  // Above lead-agency-member and with the same actor conditions, so exactly those it would allow are
  // told which rule holds the report back; everyone else still falls through to no-rule-allows.
  {
    id: 'coordinator-input-required',
    event: 'SUBMIT_REPORT',
    effect: 'deny',
    conditions: ['member-of-lead-agency', 'has-staff-role', 'coordinator-input-missing'],
    description:
      'The plan requires coordinating input: the lead agency reports only once every coordinating agency ' +
      'contributed in the current period, or a LEADER waived it.',
  },
  ...forEvents(LEAD_EVENTS, {
    id: 'lead-agency-member',
    effect: 'allow',
    conditions: ['member-of-lead-agency', 'has-staff-role'],
    description: 'Staff of the lead agency (chủ trì) start the task, report on it and ask for more time.',
  }),
  {
    id: 'coordinating-agency-member',
    event: 'CONTRIBUTE',
    effect: 'allow',
    conditions: ['member-of-coordinating-agency', 'has-staff-role'],
    description: 'Staff of a coordinating agency (phối hợp) contribute to the task.',
  },
  // Four eyes: whoever produced or owns the report never reviews it, whatever their roles.
  ...forEvents(REVIEW_EVENTS, {
    id: 'four-eyes-own-report',
    effect: 'deny',
    conditions: ['reporter-or-lead-agency'],
    description: 'A report is not reviewed by its author, its agency or the lead agency (four eyes).',
  }),
  // The monitoring agency cannot review itself, so its own tasks go up to the People's Committee.
  ...forEvents(REVIEW_EVENTS, {
    id: 'monitoring-led-needs-leader',
    effect: 'deny',
    conditions: ['task-led-by-monitoring-agency', 'lacks-leader-role'],
    description: 'A task led by the monitoring agency itself is reviewed only by a LEADER.',
  }),
  ...forEvents(REVIEW_EVENTS, {
    id: 'leader-verifies-monitoring-led',
    effect: 'allow',
    conditions: ['task-led-by-monitoring-agency', 'has-leader-role'],
    description: 'A LEADER of the province reviews tasks led by the monitoring agency.',
  }),
  ...forEvents(REVIEW_EVENTS, {
    id: 'monitoring-supervisor',
    effect: 'allow',
    conditions: ['has-supervisor-role', 'member-of-monitoring-agency', 'task-not-led-by-monitoring-agency'],
    description: "A SUPERVISOR of the plan's monitoring agency reviews reports of other agencies.",
  }),
  // Without a monitoring agency nobody else is placed to review, so the People's Committee does.
  ...forEvents(REVIEW_EVENTS, {
    id: 'leader-verifies-unmonitored-plan',
    effect: 'allow',
    conditions: ['plan-has-no-monitoring-agency', 'has-leader-role'],
    description: 'A LEADER of the province reviews tasks of a plan that names no monitoring agency.',
  }),
  // Four eyes: whoever asked for more time never grants or refuses it, whatever their roles.
  ...forEvents(EXTENSION_DECISIONS, {
    id: 'four-eyes-own-extension',
    effect: 'deny',
    conditions: ['extension-requester'],
    description: 'A request for more time is not decided by the user who made it (four eyes).',
  }),
  ...forEvents(EXTENSION_DECISIONS, {
    id: 'leader-decides-extension',
    effect: 'allow',
    conditions: ['has-leader-role'],
    description: 'A LEADER of the province approves or denies a request for more time.',
  }),
  {
    id: 'leader-waives-coordination',
    event: 'WAIVE_COORDINATION',
    effect: 'allow',
    conditions: ['has-leader-role', 'coordinator-input-missing'],
    description:
      'A LEADER of the province waives the missing coordinating input for the current period, so the lead agency may report without it.',
  },
];

// Frozen so that no caller can reorder or edit the rules at runtime.
export const APPROVAL_RULES: readonly ApprovalRule[] = Object.freeze(
  RULES.map((rule) => Object.freeze({ ...rule, conditions: Object.freeze([...rule.conditions]) })),
);
