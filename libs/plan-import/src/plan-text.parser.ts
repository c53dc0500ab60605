import { AgencyAliasResolver } from './agency-alias.resolver';
import { readAppendixTable, withoutFurniture, type AppendixTableModel } from './appendix-table.model';
import type { KnownAgency } from './agency-registry.data';
import { bodyParagraphs, chapterParagraphs, IMPLEMENTATION_CHAPTER, TASKS_CHAPTER } from './document-outline.parser';
import type { DraftPlan, DraftSection, DraftTask } from './draft-plan.types';
import { proseFurnitureLines } from './page-furniture.util';
import { monitoringRef, taskFromProse, taskFromTableRow, type BuildContext } from './draft-task.builder';
import { findMonitoringAgency } from './monitoring-agency.parser';
import { reflowParagraphs, type Paragraph } from './paragraph-reflow.util';
import { parsePlanHeader, type PlanHeader } from './plan-header.parser';
import { PlanImportError } from './plan-import.error';
import { boundedWarnings } from './plan-limits';
import { assertReadablePlanText } from './plan-input.guard';
import { parseProseTasks } from './prose-task.parser';
import { findReportingDeadlines } from './reporting-deadline.parser';
import { slugify } from './slug';
import { readTaskTables } from './task-table.parser';

export interface ParsePlanOptions {
  /** Agencies already known for the province (with their aliases); they win over the built-in registry. */
  knownAgencies?: readonly KnownAgency[];
}

/**
 * Reads a provincial action plan (plain text) into a draft for review. Never guesses silently:
 * whatever was not read with confidence is listed in `warnings`.
 */
export function parsePlanText(text: string, options: ParsePlanOptions = {}): DraftPlan {
  assertReadablePlanText(text);
  const normalized = text
    .replace(/^\ufeff/u, '')
    .normalize('NFC')
    .replace(/\r\n?/gu, '\n')
    // no-break and narrow spaces from Word/PDF conversion read as spaces everywhere
    .replace(/[\u00a0\u2007\u202f]/gu, ' ');
  const table = readAppendixTable(normalized.split('\n'));
  // Page numbers and running titles inside the appendix are neither prose nor rows; in the prose
  // they are not text either.
  const tableLines = withoutFurniture(normalized.split('\n'), table.furnitureLines);
  const lines = withoutFurniture(tableLines, proseFurnitureLines(tableLines));
  const paragraphs = reflowParagraphs(lines);
  const header = parsePlanHeader(lines, paragraphs, normalized);
  const context: BuildContext = { resolver: new AgencyAliasResolver(options.knownAgencies), planYear: header.year, warnings: [] };
  warnAboutHeader(header, context.warnings);
  const { monitoringAgency, tiers } = readOversight(paragraphs, context);
  const { sections, tasks } = readTasks(table, paragraphs, context);
  return {
    number: header.number,
    issuedOn: header.issuedOn,
    provinceName: header.provinceName,
    provinceCode: header.provinceName ? slugify(header.provinceName) : null,
    title: header.title ?? UNTITLED,
    resolution: header.resolution,
    year: header.year,
    monitoringAgency,
    reportingDeadlines: tiers.reporting,
    consolidationDeadlines: tiers.consolidation,
    sections,
    tasks,
    warnings: boundedWarnings(context.warnings),
  };
}

// Who follows the plan and when reports are due: both are set in the implementation chapter.
function readOversight(paragraphs: readonly Paragraph[], context: BuildContext) {
  const implementation = chapterParagraphs(paragraphs, IMPLEMENTATION_CHAPTER) ?? bodyParagraphs(paragraphs);
  const monitoringAgency = monitoringRef(findMonitoringAgency(implementation, context.resolver), context);
  const tiers = findReportingDeadlines(implementation);
  if (tiers.reporting.length === 0) {
    context.warnings.push('no reporting deadlines found for the agencies (e.g. "trước ngày 30 tháng 5 và 30 tháng 11")');
  }
  return { monitoringAgency, tiers };
}

// The appendix table is authoritative; prose assignments are read only when there is no table.
function readTasks(
  model: AppendixTableModel,
  paragraphs: readonly Paragraph[],
  context: BuildContext,
): { sections: DraftSection[]; tasks: DraftTask[] } {
  const table = readTaskTables(model, context.resolver);
  const chapter = chapterParagraphs(paragraphs, TASKS_CHAPTER) ?? bodyParagraphs(paragraphs);
  const prose = parseProseTasks(chapter, context.resolver);
  if (table.rows.length > 0) {
    context.warnings.push(...table.warnings);
    if (prose.tasks.length > 0) {
      context.warnings.push(`the text also assigns ${prose.tasks.length} tasks in prose; only the appendix table was imported`);
    }
    return { sections: table.sections, tasks: table.rows.map((row) => taskFromTableRow(row, context)) };
  }
  if (prose.tasks.length === 0) {
    throw new PlanImportError(
      'No tasks found: the text has neither an appendix task table (tab-separated, with a "STT … chủ trì … phối hợp" header) ' +
        'nor assignments in prose ("a) Sở … chủ trì, phối hợp với …:").',
    );
  }
  const tasks = prose.tasks.map((task) => taskFromProse(task, context));
  for (const line of prose.skippedLines) {
    context.warnings.push(`prose at line ${line} names no agency and was not imported as a task`);
  }
  return { sections: prose.sections, tasks };
}

// The title of a plan whose document states none, until an officer edits it.
const UNTITLED = 'Kế hoạch';

function warnAboutHeader(header: PlanHeader, warnings: string[]): void {
  if (header.title === null) {
    warnings.push(`plan title not found (e.g. the line after "KẾ HOẠCH", or a title row above the table); titled "${UNTITLED}"`);
  }
  if (header.number === null) warnings.push('plan number not found (e.g. "Số: 13/KH-UBND")');
  if (header.issuedOn === null) warnings.push('issue date not found (e.g. "Sóc Trăng, ngày 20 tháng 01 năm 2022")');
  if (header.provinceName === null) warnings.push('province not found (e.g. "trên địa bàn tỉnh Sóc Trăng")');
  if (header.resolution === null) warnings.push('implemented resolution not found (e.g. "Nghị quyết số 02/NQ-CP")');
  if (header.year === null) warnings.push('plan year not found; timeframes without a year cannot be dated');
}
