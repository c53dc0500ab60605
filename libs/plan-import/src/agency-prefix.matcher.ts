import type { AgencyAliasResolver } from './agency-alias.resolver';
import { agencyKey } from './agency-key.util';

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
// Agency names that are also verbs opening a task ("inspect", "report"): in running text they
// count only with "province" or a province name after them.
const VERB_LIKE_KEYS: ReadonlySet<string> = new Set(['thanh-tra', 'bao', 'bao-cao']);
const SEPARATOR = /^\s*(?:,|;|và(?=\s))\s*/u;

/** The longest run of words starting at `start` that the registry knows as one agency. */
export function matchAgencyAt(text: string, start: number, resolver: AgencyAliasResolver): AgencyMatch | null {
  const from = start + (/^\s*/u.exec(text.slice(start))?.[0].length ?? 0);
  const rest = text.slice(from);
  // Names are capitalised except groups; the verb "to report" must not match the newspaper.
  const capitalised = /^\p{Lu}/u.test(rest);
  const words = [...rest.matchAll(/\S+/gu)].slice(0, MAX_NAME_WORDS);
  for (let count = words.length; count > 0; count--) {
    const last = words[count - 1];
    const raw = rest.slice(0, (last.index ?? 0) + last[0].length).replace(/[\s,.;:)]+$/u, '');
    // A name never ends on a connector ("and", "with"): that is one name plus the next.
    if (raw.length === 0 || /\s(và|với)$/u.test(raw)) continue;
    if (VERB_LIKE_KEYS.has(agencyKey(raw))) continue;
    const resolved = resolver.resolve(raw);
    if (resolved.confident && (capitalised || resolved.isGroup)) return { raw, end: from + raw.length };
  }
  return null;
}

/** Known agencies one after another ("A, B and C"), from `start`; empty when none is known. */
export function matchAgencyList(text: string, start: number, resolver: AgencyAliasResolver): { names: string[]; end: number } {
  const names: string[] = [];
  let position = start;
  let end = start;
  for (;;) {
    const match = matchAgencyAt(text, position, resolver);
    if (!match) break;
    names.push(match.raw);
    end = match.end;
    const separator = SEPARATOR.exec(text.slice(end));
    if (!separator) break;
    position = end + separator[0].length;
  }
  return { names, end };
}
