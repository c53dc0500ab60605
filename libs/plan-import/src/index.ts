// Pure, framework-free reading of provincial action plans (plain text) into reviewable drafts.
export { AgencyAliasResolver, type ResolvedAgency } from './agency-alias.resolver';
export { splitAgencies } from './agency-list.parser';
export { documentText, type SourceBlock, type SourceCell, type SourceRow } from './document-cells';
export type { KnownAgency } from './agency-registry.data';
export type { DraftAgencyRef, DraftPlan, DraftSection, DraftTask, ReportingDeadline } from './draft-plan.types';
export { endOfLocalDayUtc } from './local-date.util';
export { PlanImportError } from './plan-import.error';
export { MAX_PLAN_BYTES } from './plan-input.guard';
export { parsePlanText, type ParsePlanOptions } from './plan-text.parser';
export {
  deadlineDate,
  nextReportingDue,
  periodStartMonth,
  REPORTING_PERIODS,
  taskPeriodDueInstants,
  taskReportingDeadlines,
} from './reporting-schedule';
export { slugify } from './slug';
export { parseTimeframe, type ParsedTimeframe, type TimeframeKind } from './timeframe.parser';
