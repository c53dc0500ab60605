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

// Each search below resumes where the last one stopped: a paragraph repeating the phrase
// thousands of times must not be re-read from its start (or to its end) for every repeat.
function focalPoint(paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver): string | null {
  for (const { text } of paragraphs) {
    const clauseBreak = /[.;:]\s+/gu;
    let nextBreak = clauseBreak.exec(text);
    let clauseStart = 0;
    for (const match of text.matchAll(/làm (?:cơ quan )?đầu mối,? (?:theo dõi|tổng hợp)/gu)) {
      // The agency opens the clause that ends in "is the focal point".
      while (nextBreak && nextBreak.index < match.index) {
        clauseStart = nextBreak.index + nextBreak[0].length;
        nextBreak = clauseBreak.exec(text);
      }
      const agency = matchAgencyAt(text, clauseStart + Math.max(0, stickyLength(/giao\s+/iuy, text, clauseStart)), resolver);
      if (agency && stickyLength(/\s*làm/uy, text, agency.end) >= 0) return agency.raw;
    }
  }
  return null;
}

function reportsSentTo(paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver): string | null {
  for (const { text } of paragraphs) {
    const sentenceEnd = new NextMatch(/\.\s/gu, text);
    const keyword = new NextMatch(/tổng hợp|theo dõi/gu, text);
    for (const match of text.matchAll(/gửi\s+(?:báo cáo\s+)?(?:về\s+)?(?:cho\s+)?/gu)) {
      const start = (match.index ?? 0) + match[0].length;
      const agency = matchAgencyAt(text, start, resolver);
      // the sentence from `start` speaks of consolidating or following
      if (agency && keyword.from(start) < sentenceEnd.from(start)) return agency.raw;
    }
  }
  return null;
}

/** Index of the first match at or after a position, for positions that only grow. */
class NextMatch {
  private found = -1;

  constructor(
    private readonly pattern: RegExp,
    private readonly text: string,
  ) {}

  from(position: number): number {
    if (this.found >= position) return this.found;
    this.pattern.lastIndex = position;
    this.found = this.pattern.exec(this.text)?.index ?? this.text.length;
    return this.found;
  }
}

/** Length of the match of a sticky pattern at `at`, or -1. */
function stickyLength(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0].length ?? -1;
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
