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
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/&(?:nbsp|amp|lt|gt|quot|#39);/gi, (entity) => ENTITIES[entity.toLowerCase()] ?? entity);
}

/** One line: NFC, no markup, no markdown emphasis, single spaces. */
export function cleanInline(text: string): string {
  return collapseSpaces(stripHtml(text.normalize('NFC')).replace(/\*+/g, ' '));
}

/** Keeps line breaks (they separate agencies in a cell) but tidies each line. */
export function cleanMultiline(text: string): string {
  return stripHtml(text.normalize('NFC'))
    .split(/\r?\n/)
    .map((line) => collapseSpaces(line.replace(/\*+/g, ' ')))
    .filter((line) => line.length > 0)
    .join('\n');
}

export function collapseSpaces(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

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
