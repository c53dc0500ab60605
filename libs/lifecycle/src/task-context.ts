// Pure context reducers wrapped by the machine's named `assign` actions. Each returns a new
// object and never mutates, so a stored snapshot can be reused as input safely.
import { isAfter, isValidInstant, parseInstant } from './iso-time';
import { InvalidTaskInputError } from './task.errors';
import { ReliedContribution, TaskContext, TaskEventOf, TaskInput, TaskPeriod } from './task.types';

export function assertValidTaskInput(input: TaskInput): void {
  const { dueAt, periodDueDates = [] } = input ?? ({} as TaskInput);
  if (dueAt !== null && !isValidInstant(dueAt)) {
    throw new InvalidTaskInputError(`dueAt must be an ISO instant with a zone or null, got ${String(dueAt)}`);
  }
  if (periodDueDates.length === 0) return;
  if (!periodDueDates.every((d) => isValidInstant(d))) {
    throw new InvalidTaskInputError('periodDueDates must all be ISO instants with a zone');
  }
  if (parseInstant(periodDueDates[0]) !== parseInstant(dueAt)) {
    throw new InvalidTaskInputError('periodDueDates[0] must be the same instant as dueAt');
  }
  if (periodDueDates.some((d, i) => i > 0 && !isAfter(d, periodDueDates[i - 1]))) {
    throw new InvalidTaskInputError('periodDueDates must be strictly ascending');
  }
}

export function initialTaskContext(input: TaskInput): TaskContext {
  const dueAt = input.dueAt ?? null;
  const dates = input.periodDueDates?.length ? [...input.periodDueDates] : dueAt ? [dueAt] : [];
  return {
    dueAt,
    originalDueAt: dueAt,
    periodDueDates: dates,
    period: 0,
    periods: [newPeriod(0, dueAt)],
    late: false,
    pendingExtension: null,
    contributions: [],
    reportedByAgencyId: null,
    reportedByUserId: null,
    coordinationWaivedPeriods: [],
  };
}

function newPeriod(index: number, dueAt: string | null): TaskPeriod {
  return { index, dueAt, reportedAt: null, verifiedAt: null, late: false, report: null, rejections: 0, reliesOn: [] };
}

function updateCurrentPeriod(context: TaskContext, patch: Partial<TaskPeriod>): TaskPeriod[] {
  const last = context.periods.length - 1;
  return context.periods.map((p, i) => (i === last ? { ...p, ...patch } : p));
}

function currentPeriod(context: TaskContext): TaskPeriod {
  return context.periods[context.periods.length - 1];
}

// The contributions of one period, in the order they arrived: what a report of that period rests on.
export function contributionsOfPeriod(context: Pick<TaskContext, 'contributions'>, period: number): ReliedContribution[] {
  return context.contributions.filter((c) => c.period === period).map(({ agencyId, at }) => ({ agencyId, at }));
}

export function isCoordinationWaived(context: TaskContext): boolean {
  return (context.coordinationWaivedPeriods ?? []).includes(context.period);
}

// Coordinating agencies with no contribution in the current period, in the order given; none when
// a LEADER waived the period. Pure: the plan's coordinatorInputRequired setting is the caller's.
export function missingCoordinators(context: TaskContext, coordinatingAgencyIds: readonly string[]): string[] {
  if (isCoordinationWaived(context)) return [];
  const contributed = new Set(contributionsOfPeriod(context, context.period).map((c) => c.agencyId));
  return [...new Set(coordinatingAgencyIds)].filter((id) => !contributed.has(id));
}

// A step after the due time marks the period late, and the task late for good.
function isLateStep(context: TaskContext, at: string): boolean {
  return context.dueAt !== null && isAfter(at, context.dueAt);
}

export function withReport(context: TaskContext, event: TaskEventOf<'SUBMIT_REPORT'>): Partial<TaskContext> {
  const late = isLateStep(context, event.at);
  // Normalised so a malformed stored event can neither crash replay nor store `undefined`.
  const report = { summary: event.report?.summary ?? '', value: event.report?.value ?? null };
  return {
    periods: updateCurrentPeriod(context, {
      reportedAt: event.at,
      report,
      late: currentPeriod(context).late || late,
      reliesOn: contributionsOfPeriod(context, context.period),
    }),
    late: context.late || late,
    reportedByAgencyId: event.by?.agencyId ?? null,
    reportedByUserId: event.by?.userId ?? null,
  };
}

export function withVerification(context: TaskContext, event: TaskEventOf<'VERIFY'>): Partial<TaskContext> {
  const late = isLateStep(context, event.at);
  return {
    periods: updateCurrentPeriod(context, {
      verifiedAt: event.at,
      late: currentPeriod(context).late || late,
    }),
    late: context.late || late,
  };
}

// Recurring task: the verified period closes and the next one opens with the plan's own date.
export function withNextPeriod(context: TaskContext): Partial<TaskContext> {
  const period = context.period + 1;
  const dueAt = context.periodDueDates[period] ?? null;
  return {
    period,
    dueAt,
    originalDueAt: dueAt,
    periods: [...context.periods, newPeriod(period, dueAt)],
    pendingExtension: null,
    reportedByAgencyId: null,
    reportedByUserId: null,
  };
}

// A rejected report counts as not submitted.
export function withRejection(context: TaskContext): Partial<TaskContext> {
  const period = currentPeriod(context);
  return {
    periods: updateCurrentPeriod(context, {
      rejections: period.rejections + 1,
      reportedAt: null,
      report: null,
      reliesOn: [],
    }),
    reportedByAgencyId: null,
    reportedByUserId: null,
  };
}

export function withContribution(context: TaskContext, event: TaskEventOf<'CONTRIBUTE'>): Partial<TaskContext> {
  const contribution = {
    agencyId: event.by?.agencyId ?? '',
    at: event.at,
    text: event.text ?? '',
    value: event.value ?? null,
    period: context.period,
  };
  return { contributions: [...context.contributions, contribution] };
}

// The reason stays in the event (task_events); the context keeps which periods were waived.
export function withCoordinationWaiver(context: TaskContext): Partial<TaskContext> {
  return { coordinationWaivedPeriods: [...context.coordinationWaivedPeriods, context.period] };
}

export function withExtensionRequest(event: TaskEventOf<'REQUEST_EXTENSION'>): Partial<TaskContext> {
  return {
    pendingExtension: {
      requestedAt: event.at,
      proposedDueAt: event.proposedDueAt,
      reason: event.reason ?? '',
      byAgencyId: event.by?.agencyId ?? null,
    },
  };
}

// originalDueAt stays: it is the plan's own date, kept for on-time scoring.
export function withExtension(context: TaskContext, event: TaskEventOf<'APPROVE_EXTENSION'>): Partial<TaskContext> {
  return {
    dueAt: event.newDueAt,
    periods: updateCurrentPeriod(context, { dueAt: event.newDueAt }),
    pendingExtension: null,
  };
}

// An amendment may name at most this many period due dates (a monthly task over a long plan stays far below).
export const MAX_AMENDED_PERIODS = 400;
export const MAX_AMENDMENT_CHANGES = 50;

export interface AmendedSchedule {
  dueAt: string | null;
  periodDueDates: string[];
}

// The schedule an AMEND event leaves the task with, or null when the event is not a valid amendment
// of this context: undefined = it reschedules nothing (its changes are recorded only). Periods already
// reached keep their dates; the current period takes the new one.
export function amendedSchedule(context: TaskContext, event: TaskEventOf<'AMEND'>): AmendedSchedule | null | undefined {
  const changes = event.changes;
  if (changes !== undefined && (!Array.isArray(changes) || changes.length > MAX_AMENDMENT_CHANGES)) return null;
  if (changes?.some((c) => typeof c?.field !== 'string' || c.field === '')) return null;
  const period = context.period;
  if (event.periodDueDates !== undefined) {
    const dates = event.periodDueDates;
    if (!Array.isArray(dates) || dates.length === 0 || dates.length > MAX_AMENDED_PERIODS || dates.length <= period) return null;
    if (!dates.every((d) => isValidInstant(d)) || dates.some((d, i) => i > 0 && !isAfter(d, dates[i - 1]))) return null;
    if (event.dueAt !== undefined && parseInstant(event.dueAt) !== parseInstant(dates[period])) return null;
    return { dueAt: dates[period], periodDueDates: [...dates] };
  }
  if (event.dueAt === undefined) return changes !== undefined && changes.length > 0 ? undefined : null;
  const dueAt = event.dueAt;
  if (dueAt === null) {
    // no date any more: only a task still in its first period, whose later dates go with it
    return period === 0 ? { dueAt: null, periodDueDates: [] } : null;
  }
  if (!isValidInstant(dueAt)) return null;
  const dates = context.periodDueDates.slice(0, period);
  dates.push(dueAt, ...context.periodDueDates.slice(period + 1));
  if (dates.some((d, i) => i > 0 && !isAfter(d, dates[i - 1]))) return null;
  return { dueAt, periodDueDates: dates };
}

// AMEND: the plan's own date moves, so originalDueAt moves with dueAt (on-time scoring follows the
// amended plan); an extension already granted is superseded by the amended date.
export function withAmendment(context: TaskContext, event: TaskEventOf<'AMEND'>): Partial<TaskContext> {
  const schedule = amendedSchedule(context, event);
  if (!schedule) return {};
  return {
    dueAt: schedule.dueAt,
    originalDueAt: schedule.dueAt,
    periodDueDates: schedule.periodDueDates,
    periods: updateCurrentPeriod(context, { dueAt: schedule.dueAt }),
  };
}
