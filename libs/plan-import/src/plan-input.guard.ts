import { PlanImportError } from './plan-import.error';
import { lineCount, MAX_LINES } from './plan-limits';
import { utf8Length } from './text-cleanup.util';

export const MAX_PLAN_BYTES = 2 * 1024 * 1024;

// Real plans are a few dozen kilobytes; anything near the limit is not a plan.
const MAX_BROKEN_CHAR_SHARE = 0.01;

/** Rejects input that cannot be a plan's text, with a message for the person who uploaded it. */
export function assertReadablePlanText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new PlanImportError('The plan must be given as text.');
  if (text.length > MAX_PLAN_BYTES || utf8Length(text) > MAX_PLAN_BYTES) {
    const megabytes = (utf8Length(text) / (1024 * 1024)).toFixed(1);
    throw new PlanImportError(`The file is too large (${megabytes} MB); a plan's text may be at most 2 MB.`);
  }
  if (text.trim().length === 0) throw new PlanImportError('The plan text is empty: there is nothing to import.');
  const lines = lineCount(text);
  if (lines > MAX_LINES) {
    throw new PlanImportError(
      `The text has ${lines} lines; a plan's text may have at most ${MAX_LINES} (real plans have under a thousand).`,
    );
  }
  if (text.includes('\u0000')) {
    throw new PlanImportError(
      'The file looks binary (it contains NUL bytes), not plain text. Save the plan as plain text (UTF-8 .txt) and try again.',
    );
  }
  // control characters are what we look for here
  // eslint-disable-next-line no-control-regex
  const broken = (text.match(/[\ufffd\u0001-\u0008\u000e-\u001f]/gu) ?? []).length;
  if (broken > 0 && broken / text.length > MAX_BROKEN_CHAR_SHARE) {
    throw new PlanImportError(
      'The file is not readable text (many invalid or control characters). Save the plan as plain text in UTF-8 and try again.',
    );
  }
}
