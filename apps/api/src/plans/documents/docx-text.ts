import mammoth from 'mammoth';
import { parse, type HTMLElement, type Node as HtmlNode } from 'node-html-parser';
import { checkedZip } from './zip-limits';

// Only the text is read: images are left in the zip instead of being inlined as base64.
const NO_IMAGES = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

// A .docx as the plain text the plan parser reads: paragraphs become lines, each table row one
// tab-separated line whose multi-paragraph cells keep their <p> fragments (as converters leave them).
// The zip is checked against ZIP_LIMITS before mammoth inflates any of it.
export async function docxToPlanText(buffer: Buffer): Promise<string> {
  const checked = await checkedZip(buffer, 'DOCX');
  const { value: html } = await mammoth.convertToHtml({ buffer: checked }, { convertImage: NO_IMAGES });
  const root = parse(html);
  return root.childNodes.flatMap((node) => blockLines(node)).join('\n');
}

function blockLines(node: HtmlNode): string[] {
  const element = node as HTMLElement;
  if (!element.tagName) return text(node) ? [text(node)] : [];
  if (element.tagName === 'TABLE') return element.querySelectorAll('tr').map(rowLine);
  if (element.tagName === 'UL' || element.tagName === 'OL') return element.querySelectorAll('li').map((li) => `- ${text(li)}`);
  const line = text(element);
  return line ? [line] : [];
}

function rowLine(row: HTMLElement): string {
  const cells = row.childNodes.filter((c) => ['TD', 'TH'].includes((c as HTMLElement).tagName ?? '')) as HTMLElement[];
  // a row of one merged cell (a section heading) is still a table row: keep a tab
  return cells.length === 1 ? `${cellText(cells[0])}\t` : cells.map(cellText).join('\t');
}

function cellText(cell: HTMLElement): string {
  const paragraphs = cell.querySelectorAll('p').map(text).filter(Boolean);
  if (paragraphs.length <= 1) return paragraphs[0] ?? text(cell);
  return paragraphs.map((p) => `<p>${p}</p>`).join('');
}

function text(node: HtmlNode): string {
  return node.text
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
