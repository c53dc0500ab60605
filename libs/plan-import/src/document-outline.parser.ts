import type { Paragraph } from './paragraph-reflow.util';
import { lowerNfc } from './text-cleanup.util';

/** The chapter where tasks are assigned ("tasks and solutions"). */
export const TASKS_CHAPTER = /nhiệm vụ|giải pháp/u;
/** The chapter on implementation, where monitoring and reporting are set. */
export const IMPLEMENTATION_CHAPTER = /tổ chức thực hiện/u;

/**
 * The paragraphs of the roman-numbered chapter whose heading matches, up to the next chapter, the
 * recipients list or the appendix; null when the plan has no such chapter.
 */
export function chapterParagraphs(paragraphs: readonly Paragraph[], heading: RegExp): Paragraph[] | null {
  const start = paragraphs.findIndex((p) => p.kind === 'roman' && heading.test(lowerNfc(p.text)));
  if (start < 0) return null;
  const rest = paragraphs.slice(start + 1);
  const end = rest.findIndex((p) => p.kind === 'roman' || isDocumentEnd(p));
  return end < 0 ? rest : rest.slice(0, end);
}

/** Everything before the signature block: where a plan without chapters keeps its prose. */
export function bodyParagraphs(paragraphs: readonly Paragraph[]): Paragraph[] {
  const end = paragraphs.findIndex(isDocumentEnd);
  return end < 0 ? [...paragraphs] : paragraphs.slice(0, end);
}

function isDocumentEnd(paragraph: Paragraph): boolean {
  return /^(nơi nhận|phụ lục)\b/iu.test(paragraph.text);
}
