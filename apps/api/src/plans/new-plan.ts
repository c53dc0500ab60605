import type { StoredReportingDeadline } from '../repositories/plan.repository';

// A plan ready to be written: what the sample and the importer produce.
export interface NewPlan {
  province: { code: string; name: string };
  agencies: NewAgency[];
  number: string;
  title: string;
  issuedOn: string | null; // YYYY-MM-DD
  year: number | null;
  resolution: string | null;
  monitoringAgencyCode: string | null;
  reportingDeadlines: StoredReportingDeadline[];
  consolidationDeadlines: StoredReportingDeadline[];
  sections: { ordinal: string; title: string }[];
  tasks: NewTask[];
  sourceHash?: string | null;
}

export interface NewAgency {
  code: string;
  name: string;
  isGroup?: boolean;
  aliases?: string[];
}

export interface NewTask {
  sectionOrdinal: string | null;
  ordinal: string;
  title: string;
  leadAgencyCode: string;
  // Several lead agencies: the task becomes a parent with one child task per lead (leadAgencyCode first).
  coLeadAgencyCodes?: string[];
  coordinatingAgencyCodes: string[];
  timeframe: string;
  dueAt: string | null; // ISO instant
  periodDueDates?: string[]; // recurring tasks: the due instant of each reporting period
  target: string | null;
  note: string | null;
}
