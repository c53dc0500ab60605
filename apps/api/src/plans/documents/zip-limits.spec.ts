import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { PlanImportError } from '@app/plan-import';
import { inventedPlan, planDocx, planXlsx } from '../../../../../test/support/document-fixtures';
import { docxToPlanText } from './docx-text';
import { xlsxToPlanText } from './xlsx-text';
import { ZIP_LIMITS } from './zip-limits';

// Zip bombs are refused before the DOCX reader or ExcelJS inflate anything: by what the zip declares, and
// by what its parts really inflate to when the declaration lies.
const MB = 1024 * 1024;
const PARAGRAPH = '<w:p><w:r><w:t>x</w:t></w:r></w:p>';

async function zipOf(parts: Record<string, string | Buffer>, base?: Buffer, compression: 'DEFLATE' | 'STORE' = 'DEFLATE'): Promise<Buffer> {
  const zip = base ? await JSZip.loadAsync(base) : new JSZip();
  for (const [name, content] of Object.entries(parts)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression, compressionOptions: { level: 9 } });
}

/** The zip with every size over `over` rewritten to `declared`, in the local and central headers. */
function lyingAboutSizes(zip: Buffer, over: number, declared: number): Buffer {
  const copy = Buffer.from(zip);
  for (let at = 0; at + 30 < copy.length; at++) {
    const signature = copy.readUInt32LE(at);
    const field = signature === 0x04034b50 ? at + 22 : signature === 0x02014b50 ? at + 24 : -1;
    if (field >= 0 && copy.readUInt32LE(field) > over) copy.writeUInt32LE(declared, field);
  }
  return copy;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const outcome = await promise.then(
    () => new Error('the document was read'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof PlanImportError)) throw outcome;
  return outcome.message;
}

const documentXml = (body: string) => `<?xml version="1.0"?><w:document xmlns:w="w"><w:body>${body}</w:body></w:document>`;

describe('DOCX and XLSX zip limits', () => {
  it('does refuse a DOCX whose parts declare 300 MB, without inflating them', async () => {
    const docx = lyingAboutSizes(await planDocx(inventedPlan()), 1000, 300 * MB);
    expect(await refusal(docxToPlanText(docx))).toMatch(
      /^This DOCX file is refused before reading: its part word\/\S+ declares 300 MB uncompressed; an XML part may have at most 4 MB\.$/u,
    );
  });

  it('does refuse a DOCX whose document.xml inflates past the size it declares', async () => {
    const bomb = await zipOf(
      { 'word/document.xml': documentXml(PARAGRAPH.repeat((6 * MB) / PARAGRAPH.length)) },
      await planDocx(inventedPlan()),
    );
    const message = await refusal(docxToPlanText(lyingAboutSizes(bomb, 100 * 1024, 1000)));
    expect(message).toBe(
      'This DOCX file is refused before reading: its part word/document.xml inflates to more than the 1000 bytes it declares.',
    );
  });

  it('does refuse an XLSX whose sheet is over 4 MB of XML, naming the part and the bound', async () => {
    const rows = Array.from({ length: 60000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${i}</t></is></c></row>`);
    const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
    const xlsx = await zipOf({ 'xl/worksheets/sheet1.xml': sheet }, await planXlsx(inventedPlan()));
    expect(await refusal(xlsxToPlanText(xlsx))).toMatch(
      /^This XLSX file is refused before reading: its part xl\/worksheets\/sheet1\.xml declares [45] MB uncompressed; an XML part may have at most 4 MB\.$/u,
    );
  });

  it(`does refuse a part compressed more than ${ZIP_LIMITS.maxRatio} to 1`, async () => {
    const docx = await zipOf({ 'word/media/image1.png': Buffer.alloc(3 * MB) }, await planDocx(inventedPlan()));
    expect(await refusal(docxToPlanText(docx))).toMatch(
      /its part word\/media\/image1\.png is compressed \d+ to 1; at most 100 to 1 is accepted\.$/u,
    );
  });

  it(`does refuse a zip of more than ${ZIP_LIMITS.maxEntries} parts`, async () => {
    const parts = Object.fromEntries(Array.from({ length: ZIP_LIMITS.maxEntries + 1 }, (_, i) => [`customXml/item${i}.xml`, '<a/>']));
    expect(await refusal(xlsxToPlanText(await zipOf(parts, await planXlsx(inventedPlan()))))).toMatch(
      new RegExp(`it has \\d+ parts; a document may have at most ${ZIP_LIMITS.maxEntries}\\.$`, 'u'),
    );
  });

  it('does refuse parts that together inflate past the total bound', async () => {
    // incompressible, so no single part trips the ratio or part bounds
    const parts = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`word/media/image${i}.png`, randomBytes(15 * MB)]));
    expect(await refusal(docxToPlanText(await zipOf(parts, await planDocx(inventedPlan()), 'STORE')))).toMatch(
      /its parts declare more than 40 MB uncompressed, the most a document may have\.$/u,
    );
  });

  it('does still read a generated DOCX and XLSX', async () => {
    const plan = inventedPlan();
    expect(await docxToPlanText(await planDocx(plan))).toContain(plan.province.name);
    expect(await xlsxToPlanText(await planXlsx(plan))).toContain(plan.number);
  });

  it('does refuse bytes that are no zip as not readable', async () => {
    expect(await refusal(docxToPlanText(randomBytes(4096)))).toMatch(/^This is not a readable DOCX file: /u);
  });
});
