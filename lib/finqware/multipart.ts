import 'server-only';
import { randomBytes } from 'node:crypto';
import { UPLOAD_FIELDS } from '@guidepost/provider-contracts/finqware';

// A multipart/form-data body built as bytes: a signed upload's digest must cover exactly what is sent,
// which FormData (boundary and layout chosen by fetch) cannot promise.

export interface UploadFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

const CRLF = '\r\n';

// Quotes, backslashes and line breaks would end the header early; non-ASCII is left to the name's UTF-8.
function quoted(value: string): string {
  return value.replace(/["\\\r\n]/g, '_');
}

// A content type is a token/token pair with parameters; anything else becomes the neutral default.
function safeContentType(value: string): string {
  return /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/.test(value) ? value : 'application/octet-stream';
}

function newBoundary(): string {
  return `----guidepost-${randomBytes(16).toString('hex')}`;
}

/** The body and its Content-Type (with the boundary). Text fields first, then the file as `file`. */
export function buildMultipart(fields: Record<string, string>, file: UploadFile): { bytes: Uint8Array<ArrayBuffer>; contentType: string } {
  const fileBytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  let boundary = newBoundary();
  // 128 random bits make a collision unthinkable, but checking costs one scan.
  while (fileBytes.includes(boundary)) boundary = newBoundary();

  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(name)}"${CRLF}${CRLF}${value}${CRLF}`;
  }
  head +=
    `--${boundary}${CRLF}` +
    `Content-Disposition: form-data; name="${UPLOAD_FIELDS.file}"; filename="${quoted(file.filename)}"${CRLF}` +
    `Content-Type: ${safeContentType(file.contentType)}${CRLF}${CRLF}`;
  const tail = `${CRLF}--${boundary}--${CRLF}`;

  const bytes = new Uint8Array(Buffer.concat([Buffer.from(head, 'utf8'), fileBytes, Buffer.from(tail, 'utf8')]));
  return { bytes, contentType: `multipart/form-data; boundary=${boundary}` };
}
