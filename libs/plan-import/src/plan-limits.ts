import { PlanImportError } from './plan-import.error';

// Bounds on what one plan may hold. Real plans have 13–56 tasks, at most 5 agencies and 151
// characters in an agency cell; the bounds leave an order of magnitude of room and keep hostile
// documents (a million one-letter rows, a cell of commas) from costing more than a real plan.

/** Lines of a plan text: the longest real plan has 757 (33 KB). */
export const MAX_LINES = 20_000;
/** Tasks one plan may have (table rows or prose assignments). */
export const MAX_TASKS = 1000;
/** Characters in one agency cell (lead or coordinating, line breaks included). */
export const MAX_AGENCY_CELL_CHARS = 2000;
/** Agencies read from one prose list ("A, B and C lead …"); the rest of the sentence is text. */
export const MAX_LISTED_AGENCIES = 50;
/** Warnings kept in a draft; the rest are counted in a last one. */
export const MAX_WARNINGS = 500;

/** Counts line breaks without splitting the text. */
export function lineCount(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

export function assertTaskCount(count: number): void {
  if (count > MAX_TASKS) {
    throw new PlanImportError(`The document has more than ${MAX_TASKS} tasks, the most a plan may have: it is not a plan's appendix.`);
  }
}

/** At most MAX_WARNINGS of them, then one saying how many were left out. */
export function boundedWarnings(warnings: readonly string[]): string[] {
  if (warnings.length <= MAX_WARNINGS) return [...warnings];
  return [...warnings.slice(0, MAX_WARNINGS), `… and ${warnings.length - MAX_WARNINGS} more warnings`];
}
