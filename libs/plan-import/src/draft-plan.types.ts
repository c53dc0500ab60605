// The importer's output: a draft a person reviews before it becomes a plan.

/** period 'H1' | 'YEAR' | 'Q1'..'Q4'; dueMonthDay 'MM-DD'. */
export interface ReportingDeadline {
  period: string;
  dueMonthDay: string;
}

/** name is the canonical name after alias resolution; code = slugify(name). */
export interface DraftAgencyRef {
  raw: string;
  name: string;
  code: string;
  isGroup: boolean;
}

export interface DraftTask {
  ordinal: string;
  section: string | null;
  title: string;
  leadAgencies: DraftAgencyRef[];
  coordinatingAgencies: DraftAgencyRef[];
  timeframe: string;
  target: string | null;
  note: string | null;
  sourceLine: number;
  fromProse: boolean;
  /** The importer's confidence in this task, 0..1 (1: nothing doubtful); review the lowest first. */
  confidence: number;
  /** The warnings that concern this task (also in the plan's warnings), at most 20. */
  warnings: string[];
}

export interface DraftSection {
  ordinal: string;
  title: string;
}

export interface DraftPlan {
  number: string | null;
  issuedOn: string | null;
  provinceName: string | null;
  provinceCode: string | null;
  title: string;
  resolution: { number: string; issuedOn: string | null } | null;
  year: number | null;
  monitoringAgency: DraftAgencyRef | null;
  reportingDeadlines: ReportingDeadline[];
  consolidationDeadlines: ReportingDeadline[];
  sections: DraftSection[];
  tasks: DraftTask[];
  warnings: string[];
}
