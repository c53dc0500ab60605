import { cleanInline } from './text-cleanup.util';

// Page furniture in the prose: what a PDF or Word conversion leaves where a page ended — a page
// number ("3", "- 3 -", "Trang 3", "3/12") and a running title repeated at the top of every page.
// Left in, a running title would join the paragraph the page cut ("… các sở Kế hoạch cải thiện
// … ngành") or start a paragraph of its own; "- 3 -" would read as a bullet.

const PAGE_NUMBER = /^(?:[-–]\s?\d{1,3}\s?[-–]|\d{1,3}(?:\s?\/\s?\d{1,3})?|trang\s\d{1,3}(?:\s?\/\s?\d{1,3})?)$/iu;
// A running title is a short line of its own: longer than a stray word, shorter than a paragraph.
const MIN_TITLE_CHARS = 12;
const MAX_TITLE_CHARS = 160;
// List markers start paragraphs, not running titles; a line ending a sentence or a clause is text.
const LIST_MARKER = /^(?:[IVX]{1,5}\.|\d{1,2}\.|[a-zđ]\)|[-–•+])/u;
const PLAN_HEADING = /^KẾ HOẠCH(?: HÀNH ĐỘNG)?$/u;
// An appendix may repeat the plan's header block: its number and place-and-date lines are what the
// header parser reads, never furniture.
const HEADER_SEARCH_LINES = 60;
const HEADER_FIELD = /^Số\s*:|,\s*ngày\s+\d/u;

/** A page number on a line of its own. */
export function isPageNumber(line: string): boolean {
  return PAGE_NUMBER.test(cleanInline(line));
}

/**
 * The 1-based numbers of the prose lines that are page furniture: page numbers, and running titles
 * — a line that starts like a title (capital or digit, no list marker), does not end a sentence or
 * clause, and stands on its own at least twice with other text between, below the "KẾ HOẠCH"
 * heading. The line following that heading is the plan's title even when the running title
 * repeats it; an appendix repeating the header block does not make it furniture.
 */
export function proseFurnitureLines(lines: readonly string[]): Set<number> {
  const furniture = new Set<number>();
  const candidates = new Map<string, number[]>();
  // Page 1's header block, above the "KẾ HOẠCH" heading, holds no running title.
  const heading = lines.findIndex((line, index) => index < HEADER_SEARCH_LINES && PLAN_HEADING.test(line.trim()));
  let previous = '';
  lines.forEach((raw, index) => {
    if (raw.includes('\t')) {
      previous = '';
      return;
    }
    if (raw.length > MAX_TITLE_CHARS * 4) {
      previous = 'long';
      return;
    }
    const line = cleanInline(raw);
    if (line.length === 0) return;
    if (PAGE_NUMBER.test(line)) {
      furniture.add(index + 1);
      return;
    }
    if (index > heading && looksLikeRunningTitle(line) && !PLAN_HEADING.test(previous)) {
      const seen = candidates.get(line) ?? [];
      seen.push(index + 1);
      candidates.set(line, seen);
    }
    previous = line;
  });
  for (const occurrences of candidates.values()) {
    if (occurrences.length >= 2 && !allAdjacent(occurrences, lines)) occurrences.forEach((line) => furniture.add(line));
  }
  return furniture;
}

function looksLikeRunningTitle(line: string): boolean {
  return (
    line.length >= MIN_TITLE_CHARS &&
    line.length <= MAX_TITLE_CHARS &&
    /^[\p{Lu}\d]/u.test(line) &&
    !LIST_MARKER.test(line) &&
    !HEADER_FIELD.test(line) &&
    !/[.,;:]$/u.test(line)
  );
}

// The same line twice in a row ("Nguyễn Văn A" under a signature, doubled by a converter) is not a
// page's running title: only blank lines lie between each occurrence and the next.
function allAdjacent(occurrences: readonly number[], lines: readonly string[]): boolean {
  return occurrences.every((line, i) => {
    const next = occurrences[i + 1];
    if (next === undefined) return true;
    for (let between = line; between < next - 1; between += 1) if (lines[between].trim().length > 0) return false;
    return true;
  });
}
