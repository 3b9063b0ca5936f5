import 'server-only';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFInvalidObject, PDFName, PDFRef, PDFStream, type PDFObject } from '@cantoo/pdf-lib';

// An identity document is a picture of a page. A PDF that can run code, start a program, send or fetch
// data, or carry other files is refused: the provider's staff open these files, and a scan never needs
// any of it. Refused (names, wherever they appear, after `#xx` escapes are undone):
// - JavaScript: `/JavaScript` actions and name trees, `/JS` code, `/Rendition` actions (may hold JS),
//   and XFA forms (`/XFA`, scripted);
// - automatic actions: `/AA` (on page open, field focus...), and `/OpenAction` unless it only goes to a page;
// - programs and other files: `/Launch`, `/GoToR`, `/GoToE`, `/EmbeddedFile(s)`, `/RichMedia…`;
// - data exchange: `/SubmitForm`, `/ImportData`;
// - encrypted files (`/Encrypt`), since what they hold cannot be read to be checked;
// - and any file that cannot be parsed, whose contents are therefore unknown.
//
// Two independent looks, so that a trick that fools one is caught by the other:
// 1. our own scan of the raw bytes and of every compressed (FlateDecode) stream but images, with node:zlib
//    under a total budget: it finds names hidden in compressed object streams (`/ObjStm`), in objects a
//    parser would drop (an earlier revision, a damaged cross-reference), and bounds what decompression
//    can cost before any library decompresses anything (a "zip bomb" in an object stream);
// 2. a real parse with pdf-lib (the maintained @cantoo fork), which must succeed, and a walk of every
//    object it found, including those inside object streams.

export type PdfProblem = 'active_content' | 'encrypted' | 'unreadable';

/** Names refused anywhere in the parsed objects. */
const ACTIVE_NAMES: ReadonlySet<string> = new Set([
  'JavaScript',
  'JS',
  'Rendition',
  'XFA',
  'AA',
  'Launch',
  'GoToR',
  'GoToE',
  'EmbeddedFile',
  'EmbeddedFiles',
  'RichMedia',
  'RichMediaExecute',
  'RichMediaContent',
  'SubmitForm',
  'ImportData',
]);

// The raw scan looks through binary data (compressed images), where three random bytes spell `/JS` or
// `/AA` now and then: it looks only for names long enough never to appear by chance. Every JavaScript or
// additional action also names its type (`/S /JavaScript`, `/S /Launch`...), which is on this list.
const RAW_SCAN_NAMES: ReadonlySet<string> = new Set([...ACTIVE_NAMES].filter((name) => name.length >= 5));

/** Decompressed bytes the raw scan may produce for one file, all streams together (10 × the upload limit). */
export const PDF_INFLATE_BUDGET_BYTES = 100_000_000;

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((char) => char.charCodeAt(0)));
const isRegular = (byte: number) => !WHITESPACE.has(byte) && !DELIMITERS.has(byte);

/** A name as a reader understands it: `#xx` escapes undone (either case). */
export function normalisePdfName(raw: string): string {
  return raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Every name token (`/Name`) in some PDF bytes, normalised. */
function* nameTokens(bytes: Uint8Array): Generator<string> {
  let index = bytes.indexOf(0x2f);
  while (index !== -1) {
    let end = index + 1;
    while (end < bytes.length && isRegular(bytes[end]!)) end += 1;
    // Longer names are invalid (the limit is 127 bytes) and none we look for is that long.
    if (end - index - 1 <= 384) yield normalisePdfName(Buffer.from(bytes.buffer, bytes.byteOffset + index + 1, end - index - 1).toString('latin1'));
    index = bytes.indexOf(0x2f, end);
  }
}

const hasActiveName = (bytes: Uint8Array, names: ReadonlySet<string>) => {
  for (const name of nameTokens(bytes)) if (names.has(name)) return true;
  return false;
};

const STREAM = Buffer.from('stream');
const END = Buffer.from('end');
const OBJ = Buffer.from('obj');
// The bytes a header's `\s` takes (as a regular expression would on the file read as Latin-1).
const SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]);
const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;
const isWordByte = (byte: number | undefined) => byte !== undefined && (isDigit(byte) || byte === 0x5f || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a));

/**
 * Where each indirect object's header (`12 0 obj`) starts, in order: what /\d+\s+\d+\s+obj\b/ finds,
 * read off the bytes themselves, so a 10 MB file is never copied into a 10 MB string.
 */
export function objectHeaders(bytes: Buffer): number[] {
  const headers: number[] = [];
  for (let at = bytes.indexOf(OBJ); at !== -1; at = bytes.indexOf(OBJ, at + OBJ.length)) {
    if (isWordByte(bytes[at + OBJ.length])) continue;
    // Backwards: spaces, a generation number, spaces, an object number (all its digits).
    let index = at - 1;
    const skip = (test: (byte: number | undefined) => boolean) => {
      const from = index;
      while (index >= 0 && test(bytes[index])) index -= 1;
      return index < from;
    };
    if (skip((byte) => byte !== undefined && SPACE.has(byte)) && skip(isDigit) && skip((byte) => byte !== undefined && SPACE.has(byte)) && skip(isDigit))
      headers.push(index + 1);
  }
  return headers;
}

/** Pass 1: our own scan of the raw bytes and of every non-image FlateDecode stream. */
function scanRaw(bytes: Buffer): PdfProblem | undefined {
  const rawNames = new Set(nameTokens(bytes));
  if (rawNames.has('Encrypt')) return 'encrypted';
  if ([...rawNames].some((name) => RAW_SCAN_NAMES.has(name))) return 'active_content';

  // Where each indirect object starts, so a stream's dictionary is what lies between its object's header
  // and its `stream` keyword, however long.
  const headers = objectHeaders(bytes);

  let budget = PDF_INFLATE_BUDGET_BYTES;
  let header = 0;
  for (let at = bytes.indexOf(STREAM); at !== -1; at = bytes.indexOf(STREAM, at + STREAM.length)) {
    if (at >= 3 && bytes.subarray(at - 3, at).equals(END)) continue;
    let start = at + STREAM.length;
    if (bytes[start] === 0x0d) start += 1;
    if (bytes[start] !== 0x0a) continue;
    start += 1;
    while (header + 1 < headers.length && headers[header + 1]! < at) header += 1;
    const dictionaryStart = headers[header] !== undefined && headers[header]! < at ? headers[header]! : Math.max(0, at - 4096);
    const names = new Set(nameTokens(bytes.subarray(dictionaryStart, at)));
    const structural = names.has('ObjStm') || names.has('XRef');
    // Object and cross-reference streams are decoded by the parser: only Flate, which was measured here first.
    if (structural && [...names].some((name) => (name.endsWith('Decode') && name !== 'FlateDecode') || name === 'Crypt')) return 'unreadable';
    if (!names.has('FlateDecode') || (names.has('Image') && !structural)) continue;
    let inflated: Buffer;
    try {
      inflated = inflateSync(bytes.subarray(start), { maxOutputLength: Math.max(1, budget) });
    } catch (error) {
      if (error instanceof RangeError) return 'unreadable'; // over the budget: too large to check
      if (structural) return 'unreadable';
      continue; // a damaged content stream or font: no reader runs it
    }
    budget -= inflated.byteLength;
    if (hasActiveName(inflated, structural ? ACTIVE_NAMES : RAW_SCAN_NAMES)) return 'active_content';
  }
  return undefined;
}

const nameOf = (object: PDFObject | undefined) => (object instanceof PDFName ? normalisePdfName(object.decodeText()) : undefined);

/** Pass 2: every object the parser found, keys and values, and what the document does when opened. */
function walk(document: PDFDocument): PdfProblem | undefined {
  const { context } = document;
  const seen = new Set<PDFObject>();
  const visit = (object: PDFObject | undefined, depth: number): PdfProblem | undefined => {
    if (object === undefined || seen.has(object)) return undefined;
    if (depth > 256) return 'unreadable';
    if (object instanceof PDFInvalidObject) return 'unreadable';
    if (object instanceof PDFName) return ACTIVE_NAMES.has(nameOf(object)!) ? 'active_content' : undefined;
    if (object instanceof PDFStream) return visit(object.dict, depth + 1);
    if (object instanceof PDFArray) {
      seen.add(object);
      for (const item of object.asArray()) {
        const problem = visit(item, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    if (object instanceof PDFDict) {
      seen.add(object);
      for (const [key, value] of object.entries()) {
        const keyName = nameOf(key)!;
        if (ACTIVE_NAMES.has(keyName)) return 'active_content';
        if (keyName === 'OpenAction') {
          // Opening at a page (a destination array, or a GoTo action) is all a scan may do.
          const action = value instanceof PDFRef ? context.lookup(value) : value;
          if (action instanceof PDFDict && nameOf(action.get(PDFName.of('S'))) !== 'GoTo') return 'active_content';
        }
        const problem = visit(value, depth + 1);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  for (const [, object] of context.enumerateIndirectObjects()) {
    const problem = visit(object, 0);
    if (problem) return problem;
  }
  const { Root, Encrypt } = context.trailerInfo;
  if (Encrypt) return 'encrypted';
  return context.lookup(Root) instanceof PDFDict ? undefined : 'unreadable';
}

/** Why this PDF is refused, or undefined when it may be sent. Never throws. */
export async function pdfProblem(bytes: Uint8Array): Promise<PdfProblem | undefined> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = scanRaw(buffer);
  if (raw) return raw;
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
  } catch (error) {
    return error instanceof Error && error.name === 'EncryptedPDFError' ? 'encrypted' : 'unreadable';
  }
  if (document.isEncrypted) return 'encrypted';
  return walk(document);
}
