// Letters whose base letter NFD does not expose (d with stroke is a letter, not d + mark).
const SPECIAL_LETTERS: Readonly<Record<string, string>> = { đ: 'd', Đ: 'd' };

/**
 * ASCII slug of a Vietnamese name (diacritics dropped, lower case, hyphen-separated).
 * NFD first, so precomposed and decomposed input give the same slug.
 */
export function slugify(name: string): string {
  const cached = SLUGS.get(name);
  if (cached !== undefined) return cached;
  const slug = slugOf(name);
  // Names repeat (the registry, every cell, every re-import): bounded, so hostile input cannot grow it.
  if (name.length > MAX_CACHED_NAME) return slug;
  if (SLUGS.size >= MAX_CACHED) SLUGS.clear();
  SLUGS.set(name, slug);
  return slug;
}

const SLUGS = new Map<string, string>();
const MAX_CACHED = 20_000;
const MAX_CACHED_NAME = 300;

function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
