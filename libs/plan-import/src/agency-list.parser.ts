import { AgencyAliasResolver } from './agency-alias.resolver';
import { startsLikeAgency } from './agency-prefix.matcher';
import { tidyAgencyName } from './agency-key.util';
import { cleanMultiline } from './text-cleanup.util';

const DEFAULT_RESOLVER = new AgencyAliasResolver();

// The registry's longest names ("Các sở, ban, ngành, đoàn thể tỉnh") span four fragments and 60
// characters; looking further would only make a hostile cell of thousands of commas cubic.
const MAX_NAME_FRAGMENTS = 8;
const MAX_NAME_CHARS = 300;
const COMPANY_RUN_ON = /\s+(?=(?:Các\s+công ty|Công ty|Cty)\s)/gu;

export interface AgencySplit {
  parts: string[];
  /** True when names were written one after another without separators and split by guess. */
  ranTogether: boolean;
}

/** Splits an agency cell into names, keeping names that contain commas or "and" whole. */
export function splitAgencies(cell: string, resolver: AgencyAliasResolver = DEFAULT_RESOLVER): string[] {
  return splitAgenciesDetailed(cell, resolver).parts;
}

export function splitAgenciesDetailed(cell: string, resolver: AgencyAliasResolver = DEFAULT_RESOLVER): AgencySplit {
  const pieces = cleanMultiline(cell)
    .split(/[\n;]+/)
    .map(tidyAgencyName)
    .filter((piece) => piece.length > 0);
  let ranTogether = false;
  const parts: string[] = [];
  for (const piece of pieces) {
    for (const name of splitJoinedNames(piece, resolver)) {
      const companies = splitCompanyRunOn(name);
      ranTogether ||= companies.length > 1;
      for (const company of companies) parts.push(company); // not push(...): a huge cell overflows the stack
    }
  }
  return { parts, ranTogether };
}

// Tokens alternate name fragment / separator; fragments are regrouped into whole names.
function splitJoinedNames(piece: string, resolver: AgencyAliasResolver): string[] {
  const tokens = piece.split(/(,\s*|\s+và\s+)/u);
  const fragments = tokens.filter((_, index) => index % 2 === 0);
  const join = (from: number, to: number) => tokens.slice(from * 2, to * 2 + 1).join('');
  const names: string[] = [];
  let start = 0;
  while (start < fragments.length) {
    const end = longestKnownEnd(start, fragments.length, join, resolver) ?? absorbContinuations(start, fragments);
    names.push(tidyAgencyName(join(start, end)));
    start = end + 1;
  }
  return names.filter((name) => name.length > 0);
}

// The longest run of fragments from `start` that the registry knows as one name; runs longer
// than any name are not tried.
function longestKnownEnd(
  start: number,
  count: number,
  join: (a: number, b: number) => string,
  resolver: AgencyAliasResolver,
): number | null {
  for (let end = Math.min(count - 1, start + MAX_NAME_FRAGMENTS - 1); end > start; end--) {
    const name = join(start, end);
    if (name.length <= MAX_NAME_CHARS && resolver.resolve(name).confident) return end;
  }
  return null;
}

// Unknown names: following fragments that do not start like an agency belong to this one.
function absorbContinuations(start: number, fragments: readonly string[]): number {
  let end = start;
  while (end + 1 < fragments.length && !startsLikeAgency(fragments[end + 1])) end++;
  return end;
}

// "Company A Company B" (line breaks lost in conversion): split only lists that start with a company.
function splitCompanyRunOn(name: string): string[] {
  if (!/^(Các\s+công ty|Công ty|Cty)\s/iu.test(name)) return [name];
  return name
    .split(COMPANY_RUN_ON)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
