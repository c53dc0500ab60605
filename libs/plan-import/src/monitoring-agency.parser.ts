import type { AgencyAliasResolver } from './agency-alias.resolver';
import { matchAgencyAt } from './agency-prefix.matcher';
import type { Paragraph } from './paragraph-reflow.util';

// Most explicit wording first: "X is the focal point", then "send reports to X … to consolidate",
// then "X is assigned to lead … consolidation".
const FINDERS: readonly ((paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver) => string | null)[] = [
  focalPoint,
  reportsSentTo,
  assignedToConsolidate,
];

/** The agency that follows the plan and collects the reports, as written in the text. */
export function findMonitoringAgency(paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver): string | null {
  for (const finder of FINDERS) {
    const found = finder(paragraphs, resolver);
    if (found) return found;
  }
  return null;
}

function focalPoint(paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver): string | null {
  for (const { text } of paragraphs) {
    for (const match of text.matchAll(/làm (?:cơ quan )?đầu mối,? (?:theo dõi|tổng hợp)/gu)) {
      // The agency opens the clause that ends in "is the focal point".
      const breaks = [...text.slice(0, match.index).matchAll(/[.;:]\s+/gu)];
      const clauseStart = Math.max(0, ...breaks.map((m) => (m.index ?? 0) + m[0].length));
      const clause = text.slice(clauseStart).replace(/^giao\s+/iu, '');
      const agency = matchAgencyAt(clause, 0, resolver);
      if (agency && clause.slice(agency.end).trimStart().startsWith('làm')) return agency.raw;
    }
  }
  return null;
}

function reportsSentTo(paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver): string | null {
  for (const { text } of paragraphs) {
    for (const match of text.matchAll(/gửi\s+(?:báo cáo\s+)?(?:về\s+)?(?:cho\s+)?/gu)) {
      const start = (match.index ?? 0) + match[0].length;
      const agency = matchAgencyAt(text, start, resolver);
      const sentence = text.slice(start).split(/\.\s/u)[0];
      if (agency && /tổng hợp|theo dõi/u.test(sentence)) return agency.raw;
    }
  }
  return null;
}

// "1. X is assigned to lead …" whose text or next paragraph speaks of consolidating reports.
function assignedToConsolidate(paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver): string | null {
  for (const [index, { text }] of paragraphs.entries()) {
    const match = /(?:^|\s)giao\s+/iu.exec(text);
    if (!match) continue;
    const agency = matchAgencyAt(text, match.index + match[0].length, resolver);
    const context = `${text} ${paragraphs[index + 1]?.text ?? ''}`;
    if (agency && /tổng hợp|theo dõi/iu.test(context)) return agency.raw;
  }
  return null;
}
