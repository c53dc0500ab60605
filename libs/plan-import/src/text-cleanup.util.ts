// Small text helpers shared by the parsers; all of them are pure string functions.

const ENTITIES: Readonly<Record<string, string>> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Drops HTML tags left by converters; <br> and paragraph breaks become line breaks. */
export function stripHtml(text: string): string {
  // most lines have neither: skip four scans (a million tiny lines are read one by one)
  if (!text.includes('<') && !text.includes('&')) return text;
  // No tag can end after the last ">": "[^>]*" scanning from every "<" of a tail without one
  // ("<a<a<a…") would take quadratic time, so only the part up to it is searched for tags.
  const end = text.lastIndexOf('>') + 1;
  const tags = text
    .slice(0, end)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, ' ');
  return `${tags}${text.slice(end)}`.replace(/&(?:nbsp|amp|lt|gt|quot|#39);/gi, (entity) => ENTITIES[entity.toLowerCase()] ?? entity);
}

/** One line: NFC, no markup, no markdown emphasis, single spaces. */
export function cleanInline(text: string): string {
  return collapseSpaces(withoutEmphasis(stripHtml(text.normalize('NFC'))));
}

/** Keeps line breaks (they separate agencies in a cell) but tidies each line. */
export function cleanMultiline(text: string): string {
  return stripHtml(text.normalize('NFC'))
    .split(/\r?\n/)
    .map((line) => collapseSpaces(withoutEmphasis(line)))
    .filter((line) => line.length > 0)
    .join('\n');
}

function withoutEmphasis(text: string): string {
  return text.includes('*') ? text.replace(/\*+/g, ' ') : text;
}

// Rewrites only what changes (a run of two or more blanks, or one blank that is not a space):
// replacing every single space by itself makes "a, b, c, …" as slow as a run of allocations.
const BLANKS = /[\s\u200b]{2,}|[^\S ]|\u200b/g;

export function collapseSpaces(text: string): string {
  return text.replace(BLANKS, ' ').trim();
}

/**
 * The text without the trailing characters `drop` accepts. A loop, not `/[…]+$/`: a backtracking
 * regex retries that class from every position of a long run that is not at the end (quadratic).
 */
export function trimEndWhere(text: string, drop: (char: string) => boolean): string {
  let end = text.length;
  while (end > 0 && drop(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}

const WHITESPACE = /^\s$/u;
export const isWhitespace = (char: string): boolean => WHITESPACE.test(char);

/** Lower-case with diacritics kept, for keyword tests on Vietnamese text. */
export function lowerNfc(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** UTF-8 size without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}
