import { PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ADDITIONAL_ACTION_PDF,
  CLEAN_PDF,
  HEX_ESCAPED_JS_PDF,
  LAUNCH_PDF,
  objectStreamJsPdf,
  OPEN_ACTION_JS_PDF,
  pdfFromObjects,
  UNPARSEABLE_PDF,
} from '@guidepost/sandbox/testing/files';
import { normalisePdfName, objectHeaders, PDF_INFLATE_BUDGET_BYTES, pdfProblem } from './pdf-check';

/** A PDF written by pdf-lib itself, with object streams (its default): every dictionary is compressed. */
async function libraryPdf(change?: (document: PDFDocument) => void): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([595, 842]).drawText('Passport', { x: 50, y: 800 });
  change?.(document);
  return Buffer.from(await document.save({ useObjectStreams: true }));
}

describe('pdfProblem', () => {
  it('accepts a clean PDF, including one that opens at its first page', async () => {
    expect(await pdfProblem(CLEAN_PDF)).toBeUndefined();
    expect(await pdfProblem(await libraryPdf())).toBeUndefined();
  });

  it('refuses JavaScript run by /OpenAction', async () => {
    expect(await pdfProblem(OPEN_ACTION_JS_PDF)).toBe('active_content');
  });

  it('refuses a /Launch action', async () => {
    expect(await pdfProblem(LAUNCH_PDF)).toBe('active_content');
  });

  it('refuses an additional action (/AA) that submits a form', async () => {
    expect(await pdfProblem(ADDITIONAL_ACTION_PDF)).toBe('active_content');
  });

  it('refuses JavaScript inside a compressed object stream, which a text search of the file cannot see', async () => {
    const hidden = objectStreamJsPdf();
    expect(hidden.includes('JavaScript')).toBe(false);
    expect(hidden.includes('ObjStm')).toBe(true);
    expect(await pdfProblem(hidden)).toBe('active_content');
  });

  it('refuses JavaScript that pdf-lib itself compressed into an object stream', async () => {
    const bytes = await libraryPdf((document) => {
      const action = document.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
      document.catalog.set(PDFName.of('OpenAction'), document.context.register(action));
    });
    expect(bytes.includes('JavaScript')).toBe(false);
    expect(await pdfProblem(bytes)).toBe('active_content');
  });

  it('refuses names hidden with #xx escapes (/J#61vaScript, /#4a#53)', async () => {
    expect(HEX_ESCAPED_JS_PDF.includes('JavaScript')).toBe(false);
    expect(await pdfProblem(HEX_ESCAPED_JS_PDF)).toBe('active_content');
    expect(normalisePdfName('J#61vaScript')).toBe('JavaScript');
    expect(normalisePdfName('#4a#53')).toBe('JS');
  });

  it('refuses embedded files, rich media, data import and remote go-to actions', async () => {
    const withCatalog = (extra: string, ...more: string[]) =>
      pdfFromObjects([
        `<< /Type /Catalog /Pages 2 0 R ${extra} >>`,
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>',
        ...more,
      ]);
    expect(await pdfProblem(withCatalog('/Names << /EmbeddedFiles 4 0 R >>', '<< /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >>'))).toBe(
      'active_content',
    );
    expect(await pdfProblem(withCatalog('/OpenAction << /S /ImportData /F (data.fdf) >>'))).toBe('active_content');
    expect(await pdfProblem(withCatalog('/OpenAction << /S /GoToR /F (\\\\\\\\evil.example\\\\share\\\\x.pdf) /D [0 /Fit] >>'))).toBe('active_content');
    expect(await pdfProblem(withCatalog('/Extra << /Subtype /RichMedia >>'))).toBe('active_content');
    // Any other action on opening (here a web address) is more than a scan needs.
    expect(await pdfProblem(withCatalog('/OpenAction << /S /URI /URI (https://evil.example) >>'))).toBe('active_content');
  });

  it('refuses an encrypted PDF, whose contents cannot be checked', async () => {
    const encrypted = pdfFromObjects(
      ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', '<< /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >>'],
      '/Encrypt 3 0 R',
    );
    expect(await pdfProblem(encrypted)).toBe('encrypted');
  });

  it('refuses a PDF it cannot parse: garbage after the header, a truncated file, no catalog', async () => {
    expect(await pdfProblem(UNPARSEABLE_PDF)).toBe('unreadable');
    const clean = await libraryPdf();
    expect(await pdfProblem(clean.subarray(0, Math.floor(clean.length / 2)))).toBe('unreadable');
    expect(await pdfProblem(Buffer.from('%PDF-1.4\n%%EOF\n'))).toBe('unreadable');
  });

  it('refuses an object stream that would inflate past the budget, before any library inflates it', async () => {
    const bomb = deflateSync(Buffer.alloc(PDF_INFLATE_BUDGET_BYTES + 1, 0x20));
    expect(bomb.length).toBeLessThan(1_000_000);
    const bytes = pdfFromObjects([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [] /Count 0 >>',
      `<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n${bomb.toString('latin1')}\nendstream`,
    ]);
    const started = performance.now();
    expect(await pdfProblem(bytes)).toBe('unreadable');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses an object stream in a filter it does not measure first (LZW)', async () => {
    const bytes = pdfFromObjects([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [] /Count 0 >>',
      '<< /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode /Length 3 >>\nstream\nabc\nendstream',
    ]);
    expect(await pdfProblem(bytes)).toBe('unreadable');
  });
});

describe('objectHeaders', () => {
  // What the check looked for before it read the bytes directly: the file as a Latin-1 string, searched.
  const byExpression = (bytes: Buffer) => [...bytes.toString('latin1').matchAll(/\d+\s+\d+\s+obj\b/g)].map((match) => match.index);

  it('finds the headers a regular expression finds, in order, and nothing else', () => {
    const text = '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n12\r\n0\tobj<<>>endobj 7 0 objx 3 4 obj_ 99  100\x0b\x0cobj\n 5 0obj 6 0 obj';
    const bytes = Buffer.from(`${text}\xa08\xa00\xa0obj/`, 'latin1');
    expect(objectHeaders(bytes)).toEqual(byExpression(bytes));
    expect(objectHeaders(bytes)).toHaveLength(5);
  });

  it('agrees with the regular expression on random bytes strewn with header parts', () => {
    // A fixed sequence (a linear congruential generator), so that a failure can be replayed.
    let seed = 20261128;
    const next = (below: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % below);
    const pieces = ['1', '23', ' ', '\n', '\r', '\t', '\xa0', 'obj', 'endobj', 'o', 'x', '_', '/', 'stream', '\x00'];
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let piece = 0; piece < 80; piece++) text += pieces[next(pieces.length)];
      const bytes = Buffer.from(text, 'latin1');
      expect(objectHeaders(bytes), JSON.stringify(text)).toEqual(byExpression(bytes));
    }
  });
});
