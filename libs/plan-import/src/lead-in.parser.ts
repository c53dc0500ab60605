import type { AgencyAliasResolver } from './agency-alias.resolver';
import { splitAgencies } from './agency-list.parser';
import { matchAgencyAt, matchAgencyList, startsLikeAgency } from './agency-prefix.matcher';

/** "X leads, with Y and Z: <task>" read into its parts. */
export interface LeadIn {
  lead: string[];
  coordinating: string[];
  /** The task text when the sentence also says what to do; null for a bare assignment. */
  ownText: string | null;
}

const MAX_LEAD_IN_CHARS = 260;
// Plans sometimes name the director or chair instead of the agency; keep the agency. The
// parenthesis holds no "(" so that each one is scanned once ("Giám đốc (Giám đốc (…" stays linear).
const PERSON_TITLE = /(^|[,;]\s*|\svà\s)(?:Giám đốc|Thủ trưởng|Chủ tịch|Người đứng đầu)(?:\s*\([^()]*\))?\s+/gu;
// "\s*(?:,\s*)?" rather than "\s*,?\s*": two adjacent \s* backtrack quadratically on long blanks.
const ROLE_CLAUSE = /^\s*(?:,\s*)?(?:chủ trì\s*(?:,\s*)?)?phối hợp(?:\s+với)?\s+/u;

/** Reads an assignment at the start of a prose paragraph, or null when it does not start with one. */
export function parseLeadIn(text: string, resolver: AgencyAliasResolver): LeadIn | null {
  const cleaned = text.replace(PERSON_TITLE, '$1').trim();
  const found = colonLeadIn(cleaned, resolver) ?? sentenceLeadIn(cleaned, resolver);
  // A whole-sentence task keeps its wording, heads of agencies included.
  return found?.ownText === cleaned ? { ...found, ownText: text.trim() } : found;
}

// "A leads, with B: do X" — everything before the colon names agencies.
function colonLeadIn(text: string, resolver: AgencyAliasResolver): LeadIn | null {
  const colon = text.indexOf(':');
  if (colon < 0 || colon > MAX_LEAD_IN_CHARS) return null;
  const before = text.slice(0, colon);
  const role = /,?\s*(?:chủ trì\s*,?\s*)?phối hợp(?:\s+với)?\s+|,?\s*chủ trì\s*$/u.exec(before);
  const lead = splitAgencies(role ? before.slice(0, role.index) : before, resolver);
  if (lead.length === 0 || !lead.every((name) => isAgencyName(name, resolver))) return null;
  const after = text.slice(colon + 1).trim();
  const coordinating = role ? splitAgencies(before.slice(role.index + role[0].length), resolver) : leadingRoleAgencies(after, resolver);
  return { lead, coordinating, ownText: after.length > 0 ? capitalise(after) : null };
}

// "A leads, with B, to organise …" — no colon: agencies are found by name.
function sentenceLeadIn(text: string, resolver: AgencyAliasResolver): LeadIn | null {
  const { names, end } = leadingAgencies(text, resolver);
  if (names.length === 0) return null;
  let rest = text.slice(end);
  const role = ROLE_CLAUSE.exec(rest);
  let coordinating: string[] = [];
  if (role) {
    const coords = matchAgencyList(rest, role[0].length, resolver);
    coordinating = coords.names;
    rest = rest.slice(coords.names.length > 0 ? coords.end : role[0].length);
  }
  const remaining = rest.replace(/^[\s.,;:]+/u, '');
  return { lead: names, coordinating, ownText: remaining.length > 3 ? text : null };
}

function leadingAgencies(text: string, resolver: AgencyAliasResolver): { names: string[]; end: number } {
  const known = matchAgencyList(text, 0, resolver);
  if (known.names.length > 0) return known;
  // Unknown agencies: a name that looks like one, followed by the verb of an assignment.
  const verb = /^(.{3,150}?)\s+(?:chủ trì|làm đầu mối|phối hợp với)(?=[\s,])/u.exec(text);
  if (!verb || !startsLikeAgency(verb[1])) return { names: [], end: 0 };
  return { names: splitAgencies(verb[1], resolver), end: verb[1].length };
}

// "X: leads, with the departments …, builds …" names the partners after the colon.
function leadingRoleAgencies(after: string, resolver: AgencyAliasResolver): string[] {
  const role = ROLE_CLAUSE.exec(after);
  return role ? matchAgencyList(after, role[0].length, resolver).names : [];
}

// A known agency followed by more words ("X strengthens …") is a sentence, not a name.
function isAgencyName(name: string, resolver: AgencyAliasResolver): boolean {
  if (resolver.resolve(name).confident) return true;
  if (!startsLikeAgency(name) || name.split(/\s+/u).length > 12) return false;
  const known = matchAgencyAt(name, 0, resolver);
  return known === null || known.raw.length >= name.length;
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
