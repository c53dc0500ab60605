import JSZip from 'jszip';
import { APPENDIX_HEADER, headerParagraphs, isSection, type InventedPlan } from './document-fixtures';

// .docx files written as WordprocessingML by hand (zipped with jszip), for what the docx package
// cannot produce or hides: rows marked as repeated header (w:tblHeader) in the middle of a table,
// cells merged down (w:vMerge restart/continue) or across (w:gridSpan, w:gridBefore), hostile
// nesting. Only the parts a reader needs: content types, the package relationships, the body.

export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A paragraph of one run. */
export const paragraphXml = (text: string): string => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;

export interface XmlCell {
  /** One paragraph per line; '' an empty paragraph. */
  text: string;
  vMerge?: 'restart' | 'continue';
  span?: number;
}

export interface XmlRow {
  cells: XmlCell[];
  /** w:tblHeader: Word repeats the row at the top of every page. */
  header?: boolean;
  gridBefore?: number;
}

export function cellXml(cell: XmlCell): string {
  const properties = [
    cell.span && cell.span > 1 ? `<w:gridSpan w:val="${cell.span}"/>` : '',
    cell.vMerge === 'restart' ? '<w:vMerge w:val="restart"/>' : cell.vMerge === 'continue' ? '<w:vMerge/>' : '',
  ].join('');
  const text = cell.vMerge === 'continue' ? '' : cell.text;
  return `<w:tc><w:tcPr><w:tcW w:w="1500" w:type="dxa"/>${properties}</w:tcPr>${text.split('\n').map(paragraphXml).join('')}</w:tc>`;
}

export function tableXml(rows: readonly XmlRow[]): string {
  const body = rows.map((row) => {
    const properties = [row.header ? '<w:tblHeader/>' : '', row.gridBefore ? `<w:gridBefore w:val="${row.gridBefore}"/>` : ''].join('');
    return `<w:tr>${properties ? `<w:trPr>${properties}</w:trPr>` : ''}${row.cells.map(cellXml).join('')}</w:tr>`;
  });
  return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${body.join('')}</w:tbl>`;
}

export const documentXml = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>${body}<w:sectPr/></w:body></w:document>`;

/** A .docx whose body is `body` (WordprocessingML inside w:body); STORE: not compressed (no ratio to refuse); other parts by name. */
export async function docxOfBody(
  body: string,
  compression: 'DEFLATE' | 'STORE' = 'DEFLATE',
  otherParts: Readonly<Record<string, string>> = {},
): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(otherParts)) zip.file(name, content);
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file('word/document.xml', documentXml(body));
  return zip.generateAsync({ type: 'nodebuffer', compression });
}

/** The header row of the invented appendix. */
export const headerRowXml = (header = false): XmlRow => ({ cells: APPENDIX_HEADER.map((text) => ({ text })), header });

/**
 * The invented plan as a .docx whose appendix rows are given as XmlRows by `rows` (default: one
 * row per appendix row, each cell written out), after `header` (default: the header row, marked
 * as repeating).
 */
export async function planDocxXml(
  plan: InventedPlan,
  rows: readonly XmlRow[] = appendixXmlRows(plan),
  header: readonly XmlRow[] = [headerRowXml(true)],
): Promise<Buffer> {
  return docxOfBody(planBodyXml(plan, rows, header));
}

/** The body of planDocxXml's document. */
export function planBodyXml(
  plan: InventedPlan,
  rows: readonly XmlRow[] = appendixXmlRows(plan),
  header: readonly XmlRow[] = [headerRowXml(true)],
): string {
  return `${headerParagraphs(plan).map(paragraphXml).join('')}${tableXml([...header, ...rows])}`;
}

/** The appendix rows of an invented plan, every cell written out; section rows span the table. */
export function appendixXmlRows(plan: InventedPlan): XmlRow[] {
  return plan.rows.map((row) =>
    isSection(row)
      ? { cells: [{ text: `${row.section}. ${row.title}`, span: APPENDIX_HEADER.length }] }
      : {
          cells: [row.ordinal, row.title, row.lead.join('\n'), row.coordinating.join('\n'), row.timeframe, row.note ?? ''].map((text) => ({
            text,
          })),
        },
  );
}
