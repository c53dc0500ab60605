import { startsLikeAgency } from './agency-prefix.matcher';
import { cleanInline } from './text-cleanup.util';

export type ParagraphKind = 'roman' | 'number' | 'letter' | 'dash' | 'plus' | 'plain';

export interface Paragraph {
  kind: ParagraphKind;
  /** 'II', '3', 'a' … for numbered kinds, null for bullets and plain text. */
  label: string | null;
  /** The text without its list marker. */
  text: string;
  /** 1-based line of the paragraph's first line in the source. */
  line: number;
}

const MARKERS: readonly { kind: ParagraphKind; pattern: RegExp }[] = [
  { kind: 'roman', pattern: /^([IVX]{1,5})\.\s+(\p{Lu}.*)$/u },
  { kind: 'number', pattern: /^(\d{1,2})\.\s+(\p{Lu}.*)$/u },
  { kind: 'letter', pattern: /^([a-zđ])\)\s*(.*)$/u },
  { kind: 'dash', pattern: /^[-–•]\s+(.*)$/u },
  { kind: 'plus', pattern: /^\+\s*(.*)$/u },
];
interface OpenParagraph {
  text: string;
  /** The last two characters of `text`: tests on the end must not read (and flatten) the whole text. */
  tail: string;
  line: number;
  last: string;
  lines: number;
  closed: boolean;
}

const NOISE = /^(https?:\/\/\S+|\d{1,3}|trang \d+.*)$/iu;

/**
 * Joins the prose lines of a plan into paragraphs. PDF-to-text output wraps lines and puts blank
 * lines everywhere, so blank lines mean nothing; a paragraph starts at a list marker, or at a
 * capital letter after a line that ended a sentence or was visibly shorter than a wrapped line.
 * Table lines (with tabs) are left to the table parser and end the current paragraph.
 */
export function reflowParagraphs(lines: readonly string[]): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: OpenParagraph | null = null;
  const flush = () => {
    if (current) paragraphs.push(toParagraph(current.text, current.line));
    current = null;
  };
  lines.forEach((rawLine, index) => {
    if (rawLine.includes('\t')) return flush();
    const line = cleanInline(rawLine);
    if (line.length === 0 || NOISE.test(line)) return;
    // A closing "**" (markdown bold, used for titles) ends the paragraph too.
    const closes = /\*\*\s*$/u.test(rawLine);
    if (current && !current.closed && !startsParagraph(current, line)) {
      const separator = brokenWord(current.tail) ? '' : ' ';
      current.tail = line.length >= 2 ? line.slice(-2) : `${current.tail}${separator}${line}`.slice(-2);
      current.text = `${current.text}${separator}${line}`;
      current.last = line;
      current.lines += 1;
      current.closed = closes;
      return;
    }
    flush();
    current = { text: line, tail: line.slice(-2), line: index + 1, last: line, lines: 1, closed: closes };
  });
  flush();
  return paragraphs;
}

function startsParagraph(current: OpenParagraph, line: string): boolean {
  if (brokenWord(current.last)) return false; // a word broken at its hyphen
  if (MARKERS.some((marker) => marker.pattern.test(line))) return true;
  if (!/^[\p{Lu}("“]/u.test(line)) return false;
  const previous = current.last;
  // Wrapped lines run 50–100 characters; shorter or longer ones ended a paragraph.
  if (/[.:;!?…]$/u.test(previous) || previous.length < 50 || previous.length > 100) return true;
  return isTopicHeading(current);
}

// A one-line numbered topic heading (not an assignment to an agency) is complete before a
// capitalised line, which is then the agency that the topic is given to.
function isTopicHeading(current: OpenParagraph): boolean {
  if (current.lines !== 1) return false; // before reading a text that may have grown long
  const marker = MARKERS.slice(0, 3)
    .map((m) => m.pattern.exec(current.text))
    .find((m) => m !== null);
  return marker !== undefined && !startsLikeAgency(marker[2]);
}

// A document code broken after its hyphen is one word: the next line joins it without a space.
function brokenWord(end: string): boolean {
  return /\S-$/u.test(end);
}

function toParagraph(text: string, line: number): Paragraph {
  for (const { kind, pattern } of MARKERS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const numbered = kind === 'roman' || kind === 'number' || kind === 'letter';
    return { kind, label: numbered ? match[1] : null, text: (numbered ? match[2] : match[1]).trim(), line };
  }
  return { kind: 'plain', label: null, text, line };
}
