import type { AgencyAliasResolver } from './agency-alias.resolver';
import { agencyKey } from './agency-key.util';
import { MAX_LISTED_AGENCIES } from './plan-limits';
import { isWhitespace, trimEndWhere } from './text-cleanup.util';

export interface AgencyMatch {
  /** The name as written in the text. */
  raw: string;
  /** Index just after the name. */
  end: number;
}

// Words an agency name starts with. After a comma or "and", anything else continues the previous
// name (a list of district kinds, say); at the start of a sentence they mark an assignment.
const HEAD_WORDS = [
  'các',
  'sở',
  'ủy ban',
  'uỷ ban',
  'ubnd',
  'văn phòng',
  'vp',
  'cục',
  'chi cục',
  'tổng cục',
  'ngân hàng',
  'nhnn',
  'công ty',
  'cty',
  'tập đoàn',
  'tổng công ty',
  'kho bạc',
  'thanh tra',
  'tòa án',
  'toà án',
  'tand',
  'viện',
  'công an',
  'bảo hiểm',
  'bhxh',
  'đài',
  'báo',
  'bưu điện',
  'trung tâm',
  'hiệp hội',
  'hội',
  'liên minh',
  'liên đoàn',
  'trường',
  'cơ sở',
  'doanh nghiệp',
  'cá nhân',
  'người dân',
  'nhà đầu tư',
  'điện lực',
  'bộ',
  'tỉnh đoàn',
  'đoàn',
  'phòng',
  'chi nhánh',
  'quỹ',
  'mặt trận',
];
const AGENCY_HEAD = new RegExp(`^(${HEAD_WORDS.join('|')})(\\s|$)`, 'iu');

export function startsLikeAgency(fragment: string): boolean {
  const text = fragment.trim();
  // "Ban" + a capitalised word is a board; followed by "sectors" it ends the all-departments group.
  if (/^ban(\s|$)/iu.test(text)) return /^Ban\s+(?!ngành)\p{Lu}/u.test(text);
  return AGENCY_HEAD.test(text);
}

const MAX_NAME_WORDS = 16;
// Longer than any agency name (the registry's longest has 60 characters): not tried.
const MAX_NAME_CHARS = 300;
// Agency names that are also verbs opening a task ("inspect", "report"): in running text they
// count only with "province" or a province name after them.
const VERB_LIKE_KEYS: ReadonlySet<string> = new Set(['thanh-tra', 'bao', 'bao-cao']);
// Sticky (y): matched at one index of the whole text, never on a copy of the rest of it.
const SEPARATOR = /\s*(?:,|;|và(?=\s))\s*/uy;
const SPACES = /\s*/uy;
const WORD = /\S+/gu;

/** The longest run of words starting at `start` that the registry knows as one agency. */
export function matchAgencyAt(text: string, start: number, resolver: AgencyAliasResolver): AgencyMatch | null {
  const from = start + stickyLength(SPACES, text, start);
  // Names are capitalised except groups; the verb "to report" must not match the newspaper.
  const capitalised = /^\p{Lu}/u.test(text.slice(from, from + 2));
  const ends = wordEnds(text, from);
  for (let count = ends.length; count > 0; count--) {
    const raw = trimEndWhere(text.slice(from, ends[count - 1]), isNameTrailer);
    // A name never ends on a connector ("and", "with"): that is one name plus the next.
    if (raw.length === 0 || raw.length > MAX_NAME_CHARS || /\s(và|với)$/u.test(raw)) continue;
    if (VERB_LIKE_KEYS.has(agencyKey(raw))) continue;
    const resolved = resolver.resolve(raw);
    if (resolved.confident && (capitalised || resolved.isGroup)) return { raw, end: from + raw.length };
  }
  return null;
}

const isNameTrailer = (char: string): boolean => ',.;:)'.includes(char) || isWhitespace(char);

// Where each of the first MAX_NAME_WORDS words from `from` ends (the rest of the text is not read).
function wordEnds(text: string, from: number): number[] {
  const ends: number[] = [];
  WORD.lastIndex = from;
  for (let word = WORD.exec(text); word && ends.length < MAX_NAME_WORDS; word = WORD.exec(text)) {
    ends.push(word.index + word[0].length);
  }
  return ends;
}

function stickyLength(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0].length ?? -1;
}

/** Known agencies one after another ("A, B and C"), from `start`; empty when none is known. */
export function matchAgencyList(text: string, start: number, resolver: AgencyAliasResolver): { names: string[]; end: number } {
  const names: string[] = [];
  let position = start;
  let end = start;
  while (names.length < MAX_LISTED_AGENCIES) {
    const match = matchAgencyAt(text, position, resolver);
    if (!match) break;
    names.push(match.raw);
    end = match.end;
    const separator = stickyLength(SEPARATOR, text, end);
    if (separator < 0) break;
    position = end + separator;
  }
  return { names, end };
}
