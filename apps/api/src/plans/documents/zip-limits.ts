import JSZip from 'jszip';
import { PlanImportError } from '@app/plan-import';

// A DOCX or XLSX is a zip of XML. Converters inflate and parse every part they need in memory, so
// an 895 KB upload whose XML inflates to 300 MB ran the process out of memory. The zip is checked
// here BEFORE conversion: first what its central directory declares (entries, each size, the
// total, the compression ratio), then — since declared sizes can lie — the bytes actually inflated,
// entry by entry from a stream that is abandoned as soon as a bound is passed. The converters then
// read a copy of the zip rebuilt (stored, not compressed) from exactly the bytes that were counted,
// so nothing they inflate was not checked.
//
// The converters are what the XML bound protects: mammoth (the DOCX converter before the saxes
// reader) took 7.9 s and 700 MB for 3.6 MB of dense paragraphs and ran out of memory on 300 MB;
// the saxes reader takes 0.2–0.5 s and ~30 MB for 3.8 MB, ExcelJS still builds a whole workbook.
// A real plan's document.xml or sheet is a few hundred kilobytes; 4 MB leaves room for verbose
// Word markup and bounds the worst case to seconds.
// Other parts (images, which are not converted) only count towards the total.
export const ZIP_LIMITS = {
  /** Parts in the zip (a DOCX has ~20, an XLSX ~10 plus one per sheet). */
  maxEntries: 1000,
  /** Inflated bytes of one XML part (.xml, .rels), which the converters parse. */
  maxXmlEntryBytes: 4 * 1024 * 1024,
  /** Inflated bytes of any other part. */
  maxEntryBytes: 20 * 1024 * 1024,
  /** Inflated bytes of all parts together. */
  maxTotalBytes: 40 * 1024 * 1024,
  /** Inflated / compressed size of one part, checked for parts over `ratioFromBytes` (XML deflates 5–20×). */
  maxRatio: 100,
  ratioFromBytes: 1024 * 1024,
} as const;

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => (bytes < MB ? `${bytes} bytes` : `${Math.round(bytes / MB)} MB`);

/** The private size record jszip keeps per part (read from the central directory). */
interface DeclaredSizes {
  compressedSize: number;
  uncompressedSize: number;
}

/**
 * The zip rebuilt from its inflated parts once every bound holds; a PlanImportError naming the
 * bound otherwise. `format` names the document in messages ("DOCX", "XLSX").
 */
export async function checkedZip(buffer: Buffer, format: string, limits = ZIP_LIMITS): Promise<Buffer> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch (error) {
    throw new PlanImportError(`This is not a readable ${format} file: ${(error as Error).message}`);
  }
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  if (entries.length > limits.maxEntries) {
    throw refused(format, `it has ${entries.length} parts; a document may have at most ${limits.maxEntries}`);
  }
  const declared = entries.map((entry) => ({ entry, sizes: declaredSizes(entry) }));
  let declaredTotal = 0;
  for (const { entry, sizes } of declared) {
    checkEntrySize(format, entry.name, sizes.uncompressedSize, 'declares', limits);
    const ratio = sizes.uncompressedSize / Math.max(1, sizes.compressedSize);
    if (sizes.uncompressedSize > limits.ratioFromBytes && ratio > limits.maxRatio) {
      throw refused(format, `its part ${entry.name} is compressed ${Math.round(ratio)} to 1; at most ${limits.maxRatio} to 1 is accepted`);
    }
    declaredTotal += sizes.uncompressedSize;
    checkTotal(format, declaredTotal, 'declare', limits);
  }
  const rebuilt = new JSZip();
  let inflatedTotal = 0;
  for (const { entry, sizes } of declared) {
    // a part may not inflate past what it declared (already within the bounds)
    const data = await inflateAtMost(entry, sizes.uncompressedSize, format);
    inflatedTotal += data.length;
    checkTotal(format, inflatedTotal, 'inflate to', limits);
    rebuilt.file(entry.name, data, { binary: true, createFolders: false });
  }
  return rebuilt.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

function declaredSizes(entry: JSZip.JSZipObject): DeclaredSizes {
  const data = (entry as unknown as { _data?: Partial<DeclaredSizes> })._data;
  const compressedSize = data?.compressedSize;
  const uncompressedSize = data?.uncompressedSize;
  // jszip keeps the central directory's sizes there; without them nothing can be bounded up front
  if (typeof compressedSize !== 'number' || typeof uncompressedSize !== 'number') {
    throw new PlanImportError(`This is not a readable file: the size of its part ${entry.name} cannot be read`);
  }
  return { compressedSize, uncompressedSize };
}

function checkEntrySize(format: string, name: string, bytes: number, verb: string, limits: typeof ZIP_LIMITS): void {
  const xml = /\.(xml|rels)$/iu.test(name);
  const limit = xml ? limits.maxXmlEntryBytes : limits.maxEntryBytes;
  if (bytes > limit) {
    const what = xml ? 'an XML part' : 'a part';
    throw refused(format, `its part ${name} ${verb} ${megabytes(bytes)} uncompressed; ${what} may have at most ${megabytes(limit)}`);
  }
}

function checkTotal(format: string, bytes: number, verb: string, limits: typeof ZIP_LIMITS): void {
  if (bytes > limits.maxTotalBytes) {
    throw refused(format, `its parts ${verb} more than ${megabytes(limits.maxTotalBytes)} uncompressed, the most a document may have`);
  }
}

// Inflates one part from jszip's stream, giving up at the first chunk past `limit`.
function inflateAtMost(entry: JSZip.JSZipObject, limit: number, format: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stream = entry.nodeStream('nodebuffer');
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) return void chunks.push(chunk);
      stream.pause();
      stream.removeAllListeners('data');
      chunks.length = 0;
      reject(refused(format, `its part ${entry.name} inflates to more than the ${megabytes(limit)} it declares`));
    });
    stream.on('error', (error: Error) => reject(new PlanImportError(`This is not a readable ${format} file: ${error.message}`)));
    stream.on('end', () => resolve(Buffer.concat(chunks, bytes)));
  });
}

function refused(format: string, why: string): PlanImportError {
  return new PlanImportError(`This ${format} file is refused before reading: ${why}.`);
}
