import { boundedMemo } from './bounded-memo';

// Letters whose base letter NFD does not expose (d with stroke is a letter, not d + mark).
const SPECIAL_LETTERS: Readonly<Record<string, string>> = { đ: 'd', Đ: 'd' };

/**
 * ASCII slug of a Vietnamese name (diacritics dropped, lower case, hyphen-separated).
 * NFD first, so precomposed and decomposed input give the same slug.
 */
export function slugify(name: string): string {
  return memoSlug(name);
}

// Names repeat (the registry, every cell, every re-import).
const memoSlug = boundedMemo(slugOf, 20_000, 300);

function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
