import { boundedMemo } from './bounded-memo';
import { PROVINCE_NAMES } from './provinces.data';
import { slugify } from './slug';
import { cleanInline, isWhitespace, trimEndWhere } from './text-cleanup.util';

// Longest province first, "-tinh-<province>" before "-<province>"; built once (keys are checked by the thousand).
const PROVINCE_SUFFIXES: readonly string[] = PROVINCE_NAMES.map(slugify)
  .sort((a, b) => b.length - a.length)
  .flatMap((province) => [`-tinh-${province}`, `-${province}`]);

/** The agency name as a person would write it: no markup, bullets or trailing punctuation. */
export function tidyAgencyName(raw: string): string {
  const name = trimEndWhere(cleanInline(raw).replace(/^[-+•–]\s*/, ''), isTrailingPunctuation);
  // then one trailing dash with the spaces around it (a loop: "- - - …" must stay linear)
  const spaced = trimEndWhere(name, isWhitespace);
  return (spaced.endsWith('-') ? spaced.slice(0, -1) : name).trim();
}

const isTrailingPunctuation = (char: string): boolean => '.,;:'.includes(char) || isWhitespace(char);

/**
 * Comparison key: slug of the name with "&" read as "and" and "People's Committee" spelled out
 * or abbreviated alike, so case, accents (NFC/NFD, old/new tone placement), punctuation and the
 * abbreviation do not matter.
 */
export function agencyKey(raw: string): string {
  return memoKey(raw);
}

// The same spellings are keyed again and again (registry, cells, prose fragments).
const memoKey = boundedMemo(keyOf, 20_000, 300);

function keyOf(raw: string): string {
  const spelled = tidyAgencyName(raw).replace(/\s*&\s*/g, ' và ');
  return slugify(spelled).replace(/(^|-)uy-ban-nhan-dan(?=-|$)/g, '$1ubnd');
}

/** Keys to try in order: as written, without a trailing province name, with or without "province". */
export function agencyKeyVariants(key: string): string[] {
  const withoutProvince = stripProvince(key);
  // A bare one-word name gains "province" only when a province name followed it: alone it is too vague.
  const provincial = withoutProvince !== key || withoutProvince.includes('-') ? [`${withoutProvince}-tinh`] : [];
  const variants = [key, withoutProvince, ...provincial, key.replace(/-tinh$/, '')];
  return [...new Set(variants.filter((variant) => variant.length > 0))];
}

function stripProvince(key: string): string {
  for (const suffix of PROVINCE_SUFFIXES) {
    if (key.endsWith(suffix) && key.length > suffix.length) return key.slice(0, -suffix.length);
  }
  return key;
}
