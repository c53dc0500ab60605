import { PROVINCE_NAMES } from './provinces.data';
import { slugify } from './slug';
import { cleanInline } from './text-cleanup.util';

const PROVINCE_SLUGS: readonly string[] = PROVINCE_NAMES.map(slugify).sort((a, b) => b.length - a.length);

/** The agency name as a person would write it: no markup, bullets or trailing punctuation. */
export function tidyAgencyName(raw: string): string {
  return cleanInline(raw)
    .replace(/^[-+•–]\s*/, '')
    .replace(/[\s.,;:]+$/, '')
    .replace(/\s*-\s*$/, '')
    .trim();
}

/**
 * Comparison key: slug of the name with "&" read as "and" and "People's Committee" spelled out
 * or abbreviated alike, so case, accents (NFC/NFD, old/new tone placement), punctuation and the
 * abbreviation do not matter.
 */
export function agencyKey(raw: string): string {
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
  for (const province of PROVINCE_SLUGS) {
    for (const suffix of [`-tinh-${province}`, `-${province}`]) {
      if (key.endsWith(suffix) && key.length > suffix.length) return key.slice(0, -suffix.length);
    }
  }
  return key;
}
