import {
  endOfLocalDayUtc,
  parseTimeframe,
  taskPeriodDueInstants,
  type DraftAgencyRef,
  type DraftPlan,
  type DraftTask,
} from '@app/plan-import';
import type { NewAgency, NewPlan, NewTask } from './new-plan';

export interface Conversion {
  plan: NewPlan;
  warnings: string[];
}

// A reviewed draft into a plan to write: the registry entries it names, and every timeframe turned
// into due times (Asia/Ho_Chi_Minh, end of the local day).
export function draftToPlan(draft: DraftPlan, province: { code: string; name: string }, sourceHash: string): Conversion {
  const warnings: string[] = [];
  const agencies = new Map<string, NewAgency>();
  const register = (ref: DraftAgencyRef) => registerAgency(agencies, ref);
  if (draft.monitoringAgency) register(draft.monitoringAgency);
  const year = draft.year ?? (draft.issuedOn ? Number(draft.issuedOn.slice(0, 4)) : null);
  const tasks = draft.tasks.flatMap((task) => {
    const converted = convertTask(task, draft, year, warnings);
    if (converted) [...task.leadAgencies, ...task.coordinatingAgencies].forEach(register);
    return converted ? [converted] : [];
  });
  return {
    warnings,
    plan: {
      province,
      agencies: [...agencies.values()],
      sourceHash,
      number: draft.number ?? `chưa rõ số (${sourceHash.slice(0, 8)})`,
      title: draft.title,
      issuedOn: draft.issuedOn,
      year,
      resolution: draft.resolution?.number ?? null,
      monitoringAgencyCode: draft.monitoringAgency?.code ?? null,
      reportingDeadlines: draft.reportingDeadlines,
      consolidationDeadlines: draft.consolidationDeadlines,
      sections: draft.sections,
      tasks,
    },
  };
}

function registerAgency(agencies: Map<string, NewAgency>, ref: DraftAgencyRef): void {
  const known = agencies.get(ref.code) ?? { code: ref.code, name: ref.name, isGroup: ref.isGroup, aliases: [] };
  const raw = ref.raw.trim();
  if (raw && raw !== ref.name && !known.aliases!.includes(raw)) known.aliases!.push(raw);
  agencies.set(ref.code, known);
}

function convertTask(task: DraftTask, draft: DraftPlan, year: number | null, warnings: string[]): NewTask | null {
  const label = `task ${task.section ? `${task.section}.` : ''}${task.ordinal} (line ${task.sourceLine})`;
  const [lead, ...coLeads] = task.leadAgencies;
  if (!lead) {
    warnings.push(`${label}: no lead agency (chủ trì) could be read; the task was not imported`);
    return null;
  }
  const due = dueTimes(task.timeframe, year, draft, label, task.sourceLine, warnings);
  return {
    sectionOrdinal: task.section,
    ordinal: task.ordinal,
    title: task.title,
    leadAgencyCode: lead.code,
    coLeadAgencyCodes: coLeads.map((a) => a.code),
    coordinatingAgencyCodes: task.coordinatingAgencies.map((a) => a.code).filter((code) => !task.leadAgencies.some((l) => l.code === code)),
    timeframe: task.timeframe,
    target: task.target,
    note: task.note,
    ...due,
  };
}

function dueTimes(timeframe: string, year: number | null, draft: DraftPlan, label: string, line: number, warnings: string[]) {
  const parsed = parseTimeframe(timeframe, year);
  if (parsed.kind === 'fixed') return { dueAt: parsed.dueDate ? endOfLocalDayUtc(parsed.dueDate) : null };
  if (parsed.kind === 'unknown') {
    // the parser may have said so already for this row
    const told = draft.warnings.some((w) => w.includes(`(line ${line})`) && w.includes('timeframe'));
    if (timeframe.trim() !== '' && !told)
      warnings.push(`${label}: timeframe "${timeframe}" was not understood; due at the end of the plan year`);
    return { dueAt: parsed.dueDate ? endOfLocalDayUtc(parsed.dueDate) : null };
  }
  // Recurring: due at each reporting deadline from the plan year to its last year (monthly ones
  // only when the plan states no coarser cycle: see taskReportingDeadlines).
  const lastYear = parsed.dueDate ? Number(parsed.dueDate.slice(0, 4)) : year;
  const periodDueDates = year === null ? [] : taskPeriodDueInstants(draft.reportingDeadlines, year, lastYear ?? year);
  if (periodDueDates.length === 0) {
    warnings.push(`${label}: recurring task but the plan states no reporting deadlines; due at the end of ${lastYear ?? 'the plan year'}`);
    const end = lastYear ? endOfLocalDayUtc(`${lastYear}-12-31`) : null;
    return { dueAt: end };
  }
  return { dueAt: periodDueDates[0], periodDueDates };
}
