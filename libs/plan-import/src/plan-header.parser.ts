import { formatDate } from './local-date.util';
import type { Paragraph } from './paragraph-reflow.util';
import { PROVINCE_NAMES } from './provinces.data';
import { slugify } from './slug';
import { collapseSpaces } from './text-cleanup.util';

export interface PlanHeader {
  number: string | null;
  issuedOn: string | null;
  provinceName: string | null;
  /** Null when no line of the document reads as the plan's title. */
  title: string | null;
  resolution: { number: string; issuedOn: string | null } | null;
  year: number | null;
}

// The national motto and number block sit in the first lines; the body starts after the title.
const HEADER_LINES = 40;
const DOC_CODE = '(\\d+)\\s*/\\s*(\\p{Lu}[\\p{Lu}\\d]*(?:\\s*-\\s*[\\p{Lu}\\d]+)*)';
const SLASH_DATE = '(\\d{1,2})\\s*/\\s*(\\d{1,2})\\s*/\\s*(\\d{4})';
const WORD_DATE = '(\\d{1,2})\\s+tháng\\s+(\\d{1,2})\\s+năm\\s+(\\d{4})';

/** Number, date, province, title, resolution and year of a plan. */
export function parsePlanHeader(lines: readonly string[], paragraphs: readonly Paragraph[], text: string): PlanHeader {
  const dated = placeAndDate(lines);
  const title = planTitle(paragraphs);
  const resolution = findResolution(title ?? '') ?? findResolution(text);
  const issuedOn = dated?.date ?? appendixDate(text);
  return {
    number: planNumber(lines, text),
    issuedOn,
    provinceName: provinceFrom(dated?.place, title, text),
    title: title ?? fallbackTitle(paragraphs, lines),
    resolution,
    year: planYear(title, resolution, issuedOn),
  };
}

// "No.: 31 /KH-UBND" in the header, else the appendix line "issued with Plan No. 13/KH-UBND …".
function planNumber(lines: readonly string[], text: string): string | null {
  const header = new RegExp(`^\\s*Số\\s*:?\\s*${DOC_CODE}`, 'u');
  for (const line of lines.slice(0, HEADER_LINES)) {
    const match = header.exec(line);
    if (match) return `${match[1]}/${match[2].replace(/\s+/gu, '')}`;
  }
  const appendix = new RegExp(`kèm theo\\s+Kế hoạch\\s+số\\s*:?\\s*${DOC_CODE}`, 'iu').exec(text);
  return appendix ? `${appendix[1]}/${appendix[2].replace(/\s+/gu, '')}` : null;
}

// "<Province>, day 20 month 01 year 2022" (or "…, day 20/01/2022") on a line of its own.
function placeAndDate(lines: readonly string[]): { place: string; date: string } | null {
  const pattern = new RegExp(`^\\s*([^,\\d]{2,40}),\\s*ngày\\s+(?:${WORD_DATE}|${SLASH_DATE})`, 'u');
  for (const line of lines.slice(0, HEADER_LINES)) {
    const match = pattern.exec(line.replace(/\*/gu, ''));
    const date = match ? dateFrom(match.slice(2, 8)) : null;
    if (match && date) return { place: collapseSpaces(match[1]), date };
  }
  return null;
}

function appendixDate(text: string): string | null {
  const pattern = new RegExp(`kèm theo\\s+Kế hoạch[^)\\n]{0,40}?ngày\\s+(?:${WORD_DATE}|${SLASH_DATE})`, 'iu');
  const match = pattern.exec(text);
  return match ? dateFrom(match.slice(1, 7)) : null;
}

// Groups: day, month, year of the word form, then day, month, year of the slash form.
function dateFrom(groups: readonly (string | undefined)[]): string | null {
  const [day, month, year] = groups[0] !== undefined ? groups.slice(0, 3) : groups.slice(3, 6);
  return formatDate(Number(year), Number(month), Number(day));
}

// The paragraph after the "PLAN" heading.
function planTitle(paragraphs: readonly Paragraph[]): string | null {
  const heading = paragraphs.findIndex((p) => /^KẾ HOẠCH(?: HÀNH ĐỘNG)?$/u.test(p.text.trim()));
  const title = heading >= 0 ? paragraphs[heading + 1] : undefined;
  return title ? title.text : null;
}

// With no "KẾ HOẠCH" heading (an appendix-only sheet, a plan pasted without its header): the
// paragraph naming the resolution, else the first paragraph above the table that reads like a
// title — not the header row, an ordinal, "PHỤ LỤC" or the "(Kèm theo …)" line.
function fallbackTitle(paragraphs: readonly Paragraph[], lines: readonly string[]): string | null {
  const tableAt = lines.findIndex((line) => line.includes('\t')) + 1;
  const candidates = paragraphs.filter((p) => (tableAt === 0 || p.line < tableAt) && readsLikeTitle(p.text));
  const first = candidates.find((p) => /Nghị quyết/u.test(p.text)) ?? candidates[0];
  // "(Kèm theo Kế hoạch số …)" on the next row joins the title when the rows are read as prose
  return first ? first.text.replace(/\s\((?:ban hành\s)?kèm theo[^()]{0,300}\)$/iu, '').slice(0, 300) : null;
}

const HEADER_LIKE = /^(?:stt|tt|số tt)\b|chủ trì.{0,40}(?:phối hợp|thời gian|thời hạn)/iu;

function readsLikeTitle(text: string): boolean {
  const words = text.trim().split(/\s+/u);
  return (
    words.length >= 3 &&
    text.length >= 15 &&
    !/^[([]/u.test(text) &&
    !/^phụ lục(?:\s+[ivx\d]{1,5})?$/iu.test(text.trim()) &&
    !HEADER_LIKE.test(text.slice(0, 200))
  );
}

function findResolution(text: string): PlanHeader['resolution'] {
  const pattern = new RegExp(`Nghị quyết\\s+(?:số\\s+)?(\\d{1,3}/NQ-CP)(?:\\s+ngày\\s+(?:${WORD_DATE}|${SLASH_DATE}))?`, 'u');
  const match = pattern.exec(text);
  if (!match) return null;
  return { number: match[1], issuedOn: (match[2] ?? match[5]) ? dateFrom(match.slice(2, 8)) : null };
}

// The last "year NNNN" in the title is the plan's year.
function planYear(title: string | null, resolution: PlanHeader['resolution'], issuedOn: string | null): number | null {
  const years = [...(title ?? '').matchAll(/năm\s+(\d{4})/gu)].map((m) => Number(m[1]));
  if (years.length > 0) return years[years.length - 1];
  const fallback = resolution?.issuedOn ?? issuedOn;
  return fallback ? Number(fallback.slice(0, 4)) : null;
}

function provinceFrom(place: string | undefined, title: string | null, text: string): string | null {
  const known = place ? knownProvince(place) : null;
  if (known) return known;
  const named = [title ?? '', text]
    .map((source) => /(?:tỉnh|thành phố)\s+((?:\p{Lu}[\p{L}.]*\s*){1,4})/u.exec(source)?.[1])
    .find((name) => name !== undefined);
  return named ? (knownProvince(named) ?? collapseSpaces(named)) : (place ?? null);
}

// The canonical spelling when the words start with a province name (followed by other words).
function knownProvince(words: string): string | null {
  const slug = slugify(words);
  const match = PROVINCE_NAMES.filter((name) => slug === slugify(name) || slug.startsWith(`${slugify(name)}-`));
  return match.sort((a, b) => b.length - a.length)[0] ?? null;
}
