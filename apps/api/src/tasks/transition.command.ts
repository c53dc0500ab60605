import type { TaskEvent, TaskEventType } from '@app/lifecycle';
import { isTaskEventType } from '@app/lifecycle';
import { badInput } from '../common/domain-error';
import { LIMITS, optionalText, requiredText, requireUuid, validInstant } from '../common/validation';

export interface TransitionCommand {
  taskId: string;
  event: TaskEventType;
  expectedVersion?: number | null;
  comment?: string | null;
  report?: { summary: string; value?: string | null } | null;
  newDueAt?: Date | null;
  idempotencyKey?: string | null;
}

export interface ValidCommand {
  taskId: string;
  type: TaskEventType;
  expectedVersion: number | null;
  idempotencyKey: string | null;
  // the event's own data, stored as task_events.payload (minus `by`, added by the service)
  data: Record<string, unknown>;
}

// Input checks that need no database: a bad command is refused before any transaction starts.
export function validateCommand(command: TransitionCommand, now: Date): ValidCommand {
  const taskId = requireUuid(command.taskId, 'taskId');
  if (!isTaskEventType(command.event)) throw badInput(`event must be one of the TaskEventType values, got "${command.event}"`);
  const expectedVersion = command.expectedVersion ?? null;
  if (expectedVersion !== null && (!Number.isInteger(expectedVersion) || expectedVersion < 0)) {
    throw badInput('expectedVersion must be a non-negative integer');
  }
  const idempotencyKey = optionalText(command.idempotencyKey, 'idempotencyKey', LIMITS.idempotencyKey);
  if (idempotencyKey !== null && idempotencyKey.trim() === '') throw badInput('idempotencyKey must not be blank');
  return { taskId, type: command.event, expectedVersion, idempotencyKey, data: eventData(command, now) };
}

function eventData(command: TransitionCommand, now: Date): Record<string, unknown> {
  const comment = optionalText(command.comment, 'comment', LIMITS.comment);
  // checked whatever the event, also where it is ignored: no field escapes its cap
  if (command.report) report(command, 'report');
  switch (command.event) {
    case 'SUBMIT_REPORT':
      return { report: report(command, 'report') };
    case 'REJECT':
      return { comment: requiredText(command.comment, 'comment (the reason for rejecting the report)', LIMITS.comment) };
    case 'DENY_EXTENSION':
      return { comment: requiredText(command.comment, 'comment (the reason for denying the extension)', LIMITS.comment) };
    case 'WAIVE_COORDINATION':
      return { comment: requiredText(command.comment, 'comment (why the coordinating input is waived)', LIMITS.comment) };
    case 'CONTRIBUTE': {
      const input = command.report
        ? report(command, 'report')
        : { summary: requiredText(command.comment, 'comment or report', LIMITS.reportSummary), value: null };
      return { text: input.summary, value: input.value ?? null };
    }
    case 'REQUEST_EXTENSION':
      return {
        reason: requiredText(command.comment, 'comment (the reason for the extension)', LIMITS.comment),
        proposedDueAt: futureInstant(command.newDueAt, 'newDueAt (the proposed due date)', now),
      };
    case 'APPROVE_EXTENSION':
      return {
        newDueAt: futureInstant(command.newDueAt, 'newDueAt (the extended due date)', now),
        comment: citation(command.comment),
      };
    case 'DEADLINE_PASSED':
    case 'ROLL_UP':
    case 'WITHDRAW':
    case 'AMEND':
    case 'START':
    case 'VERIFY':
      return comment === null ? {} : { comment };
  }
}

// An approval cites the document that grants it: its number and date, e.g. "1234/UBND-TH ngày 05/9/2023".
const CITATION = /\d+\s*\/\s*[\p{L}\d.-]+(?:-[\p{L}\d]+)*.*?ngày\s+\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}/iu;

function citation(comment: string | null | undefined): string {
  const text = requiredText(comment, 'comment (the document granting the extension, e.g. "1234/UBND-TH ngày 05/9/2023")', LIMITS.comment);
  if (!CITATION.test(text)) {
    throw badInput('comment must cite the document granting the extension with its number and date, e.g. "1234/UBND-TH ngày 05/9/2023"', {
      field: 'comment',
    });
  }
  return text;
}

function report(command: TransitionCommand, field: string): { summary: string; value: string | null } {
  if (!command.report) throw badInput(`${field} is required for ${command.event}`);
  return {
    summary: requiredText(command.report.summary, `${field}.summary`, LIMITS.reportSummary),
    value: optionalText(command.report.value, `${field}.value`, LIMITS.reportValue),
  };
}

function futureInstant(value: Date | null | undefined, field: string, now: Date | null): string {
  const instant = validInstant(value, field);
  if (instant === null) throw badInput(`${field} is required`);
  if (now !== null && instant.getTime() <= now.getTime()) throw badInput(`${field} must be in the future`);
  return instant.toISOString();
}

export function toMachineEvent(type: TaskEventType, at: Date, payload: Record<string, unknown>): TaskEvent {
  return { ...payload, type, at: at.toISOString() } as TaskEvent;
}
