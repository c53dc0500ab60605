// The task lifecycle (CONTRACT.md "Task lifecycle"). Flat states; every transition is declared on
// its source state so the diagram generator can read the whole table off the state nodes.
import { and, assertEvent, assign, setup } from 'xstate';
import {
  initialTaskContext,
  withContribution,
  withCoordinationWaiver,
  withExtension,
  withExtensionRequest,
  withNextPeriod,
  withRejection,
  withReport,
  withAmendment,
  withVerification,
} from './task-context';
import { taskGuards } from './task.guards';
import { TASK_MACHINE_ID, TaskContext, TaskEvent, TaskInput } from './task.types';

// Exported so a later machine version (or a test's) is built from the same guards and actions.
export const taskSetup = setup({
  types: {
    context: {} as TaskContext,
    events: {} as TaskEvent,
    input: {} as TaskInput,
  },
  guards: taskGuards,
  actions: {
    recordReport: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_REPORT');
      return withReport(context, event);
    }),
    recordVerification: assign(({ context, event }) => {
      assertEvent(event, 'VERIFY');
      return withVerification(context, event);
    }),
    openNextPeriod: assign(({ context }) => withNextPeriod(context)),
    recordRejection: assign(({ context }) => withRejection(context)),
    recordContribution: assign(({ context, event }) => {
      assertEvent(event, 'CONTRIBUTE');
      return withContribution(context, event);
    }),
    recordCoordinationWaiver: assign(({ context }) => withCoordinationWaiver(context)),
    recordExtensionRequest: assign(({ event }) => {
      assertEvent(event, 'REQUEST_EXTENSION');
      return withExtensionRequest(event);
    }),
    applyExtension: assign(({ context, event }) => {
      assertEvent(event, 'APPROVE_EXTENSION');
      return withExtension(context, event);
    }),
    clearPendingExtension: assign({ pendingExtension: null }),
    applyAmendment: assign(({ context, event }) => {
      assertEvent(event, 'AMEND');
      return withAmendment(context, event);
    }),
  },
});

const contribute = { actions: 'recordContribution' } as const;

// A LEADER lets the lead report without every coordinating agency's input, once per period.
const waiveCoordination = {
  guard: and(['coordinationNotWaived', 'hasComment']),
  actions: 'recordCoordinationWaiver',
} as const;

const requestExtension = {
  guard: and(['noPendingExtension', 'proposedDueAtInFuture', 'proposedDueAtAfterDueAt']),
  actions: 'recordExtensionRequest',
} as const;

const approveExtension = {
  guard: and(['hasPendingExtension', 'newDueAtValid']),
  actions: 'applyExtension',
} as const;

const denyExtension = {
  guard: and(['hasPendingExtension', 'hasComment']),
  actions: 'clearPendingExtension',
} as const;

const submitReport = { target: 'REPORTED', actions: 'recordReport' } as const;

// The definition of version 2; version 3 (taskMachineConfig) adds ROLL_UP to it.
export const taskMachineConfigV2 = {
  id: TASK_MACHINE_ID,
  context: ({ input }: { input: TaskInput }) => initialTaskContext(input),
  initial: 'ASSIGNED',
  states: {
    // giao nhiệm vụ: assigned by the plan, not started
    ASSIGNED: {
      on: {
        START: { target: 'IN_PROGRESS' },
        DEADLINE_PASSED: { target: 'OVERDUE', guard: 'dueTimePassed' },
        CONTRIBUTE: contribute,
        REQUEST_EXTENSION: requestExtension,
        APPROVE_EXTENSION: approveExtension,
        DENY_EXTENSION: denyExtension,
        WAIVE_COORDINATION: waiveCoordination,
      },
    },
    IN_PROGRESS: {
      on: {
        SUBMIT_REPORT: submitReport,
        DEADLINE_PASSED: { target: 'OVERDUE', guard: 'dueTimePassed' },
        CONTRIBUTE: contribute,
        REQUEST_EXTENSION: requestExtension,
        APPROVE_EXTENSION: approveExtension,
        DENY_EXTENSION: denyExtension,
        WAIVE_COORDINATION: waiveCoordination,
      },
    },
    REPORTED: {
      on: {
        VERIFY: [
          { target: 'IN_PROGRESS', guard: 'hasNextPeriod', actions: ['recordVerification', 'openNextPeriod'] },
          { target: 'VERIFIED', actions: 'recordVerification' },
        ],
        REJECT: [
          { target: 'OVERDUE', guard: and(['hasComment', 'dueTimePassed']), actions: 'recordRejection' },
          { target: 'IN_PROGRESS', guard: 'hasComment', actions: 'recordRejection' },
        ],
        APPROVE_EXTENSION: approveExtension,
        DENY_EXTENSION: denyExtension,
      },
    },
    VERIFIED: { type: 'final' },
    // quá hạn: due time passed without an accepted report
    OVERDUE: {
      on: {
        SUBMIT_REPORT: submitReport,
        CONTRIBUTE: contribute,
        REQUEST_EXTENSION: requestExtension,
        APPROVE_EXTENSION: [
          {
            target: 'IN_PROGRESS',
            guard: and(['hasPendingExtension', 'newDueAtValid', 'newDueAtInFuture']),
            actions: 'applyExtension',
          },
          approveExtension,
        ],
        DENY_EXTENSION: denyExtension,
        WAIVE_COORDINATION: waiveCoordination,
      },
    },
  },
} as const;

export const taskMachineV2 = taskSetup.createMachine(taskMachineConfigV2);

// ROLL_UP (version 3): a task split per lead agency follows its children. The system moves it to the
// state its children roll up to (the event names it), from any state but the final one; one
// transition per target, each guarded by the target the event names, none to the state it is in
// (a roll-up that changes nothing is refused). The context is left as it is: the parent's own
// data (due time, periods) stays what the plan gave it.
const ROLL_UP_TARGETS = {
  ASSIGNED: 'rollUpToAssigned',
  IN_PROGRESS: 'rollUpToInProgress',
  REPORTED: 'rollUpToReported',
  VERIFIED: 'rollUpToVerified',
  OVERDUE: 'rollUpToOverdue',
} as const;

type RollUpTransition = { target: keyof typeof ROLL_UP_TARGETS; guard: (typeof ROLL_UP_TARGETS)[keyof typeof ROLL_UP_TARGETS] };

function withRollUp<N extends { on: object }>(
  state: keyof typeof ROLL_UP_TARGETS,
  node: N,
): N & { on: N['on'] & { ROLL_UP: RollUpTransition[] } } {
  const rollUp = (Object.keys(ROLL_UP_TARGETS) as (keyof typeof ROLL_UP_TARGETS)[])
    .filter((target) => target !== state)
    .map((target) => ({ target, guard: ROLL_UP_TARGETS[target] }));
  return { ...node, on: { ...node.on, ROLL_UP: rollUp } };
}

// The definition of version 3; version 4 (taskMachineConfig) adds WITHDRAW, AMEND and WITHDRAWN.
export const taskMachineConfigV3 = {
  ...taskMachineConfigV2,
  states: {
    ASSIGNED: withRollUp('ASSIGNED', taskMachineConfigV2.states.ASSIGNED),
    IN_PROGRESS: withRollUp('IN_PROGRESS', taskMachineConfigV2.states.IN_PROGRESS),
    REPORTED: withRollUp('REPORTED', taskMachineConfigV2.states.REPORTED),
    VERIFIED: taskMachineConfigV2.states.VERIFIED,
    OVERDUE: withRollUp('OVERDUE', taskMachineConfigV2.states.OVERDUE),
  },
} as const;

export const taskMachineV3 = taskSetup.createMachine(taskMachineConfigV3);

// WITHDRAW and AMEND (version 4): what an amended plan ("sửa đổi, bổ sung") does to a task it
// already holds. Only the system sends them (the amendment import); the approval rules deny users.
// WITHDRAW: the amended plan no longer holds the task; it ends in WITHDRAWN, a final state, from
// any state but VERIFIED (a verified task's history is complete; the import leaves it and says so).
const withdraw = { target: 'WITHDRAWN', guard: 'hasReason', actions: 'clearPendingExtension' } as const;
// AMEND: a reschedule or a recorded change of text; the state stays, except that an overdue task
// whose amended due time lies ahead is back in progress.
const amend = { guard: 'amendmentValid', actions: 'applyAmendment' } as const;

function withAmendments<N extends { on: object }, A>(
  node: N,
  amendTransition: A,
): N & { on: N['on'] & { WITHDRAW: typeof withdraw; AMEND: A } } {
  return { ...node, on: { ...node.on, WITHDRAW: withdraw, AMEND: amendTransition } };
}

// The definition of the current version (TASK_MACHINE_VERSION); machine-versions.ts registers it.
export const taskMachineConfig = {
  ...taskMachineConfigV3,
  states: {
    ASSIGNED: withAmendments(taskMachineConfigV3.states.ASSIGNED, amend),
    IN_PROGRESS: withAmendments(taskMachineConfigV3.states.IN_PROGRESS, amend),
    REPORTED: withAmendments(taskMachineConfigV3.states.REPORTED, amend),
    VERIFIED: taskMachineConfigV3.states.VERIFIED,
    OVERDUE: withAmendments(taskMachineConfigV3.states.OVERDUE, [
      { target: 'IN_PROGRESS', guard: and(['amendmentValid', 'amendedDueInFuture']), actions: 'applyAmendment' },
      amend,
    ] as const),
    // rút khỏi kế hoạch: the amended plan no longer holds the task
    WITHDRAWN: { type: 'final' },
  },
} as const;

export const taskMachine = taskSetup.createMachine(taskMachineConfig);

export type TaskMachine = typeof taskMachine;

// Version 1 was this machine without WAIVE_COORDINATION (the only change to its states and
// transitions in 15684d1; its context lacked reliesOn and coordinationWaivedPeriods, which
// upgradeV1ToV2 derives). Built from version 2's definition, not copied, so events recorded
// under version 1 replay on the rules that accepted them.
export const taskMachineV1 = taskSetup.createMachine({
  ...taskMachineConfigV2,
  states: Object.fromEntries(
    Object.entries(taskMachineConfigV2.states).map(([state, node]) => [state, withoutEvent(node, 'WAIVE_COORDINATION')]),
  ) as unknown as typeof taskMachineConfigV2.states,
});

function withoutEvent(node: object, type: string): object {
  const on = (node as { on?: Record<string, unknown> }).on;
  if (!on) return node;
  return { ...node, on: Object.fromEntries(Object.entries(on).filter(([event]) => event !== type)) };
}
