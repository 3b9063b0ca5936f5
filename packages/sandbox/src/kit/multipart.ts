import { Busboy } from '@fastify/busboy';

// multipart/form-data read from a body already in memory (the bytes a signature was checked on), the
// way the platform's FormData reads it, without copying a file: each file is a view into the body.

export interface FilePart {
  filename: string;
  bytes: Uint8Array;
}

/** Every part in order, a file part as a FilePart; null when the body is not multipart/form-data as declared. */
export async function parseMultipart(body: Uint8Array, contentType: string): Promise<Array<[string, string | FilePart]> | null> {
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      defCharset: 'utf8',
      // Nothing is cut short: the route's cap on the body is the only limit.
      limits: { fieldSize: Math.max(1, body.byteLength), fieldNameSize: Math.max(1, body.byteLength) },
      isPartAFile: (_field, _type, filename) => filename !== undefined,
    });
  } catch {
    return null;
  }
  const entries: Array<[string, string | FilePart]> = [];
  parser.on('field', (name: string, value: string) => entries.push([name, value]));
  parser.on('file', (name: string, stream: NodeJS.ReadableStream, filename: string) => {
    const chunks: Buffer[] = [];
    const part: FilePart = { filename: unescapeName(filename), bytes: new Uint8Array(0) };
    entries.push([name, part]);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', () => undefined);
    stream.on('end', () => (part.bytes = joined(chunks)));
  });
  const finished = new Promise<boolean>((resolve) => {
    parser.on('finish', () => resolve(true));
    parser.on('error', () => resolve(false));
  });
  parser.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  return (await finished) ? entries : null;
}

/** The chunks as one view when they lie one after another in the same memory (a body parsed in one piece), else joined. */
function joined(chunks: Buffer[]): Uint8Array {
  if (chunks.length === 0) return new Uint8Array(0);
  const first = chunks[0]!;
  let end = first.byteOffset + first.byteLength;
  for (const chunk of chunks.slice(1)) {
    if (chunk.buffer !== first.buffer || chunk.byteOffset !== end) return new Uint8Array(Buffer.concat(chunks));
    end += chunk.byteLength;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** A file name as the platform reads it back: the `"`, CR and LF that senders escape. */
function unescapeName(name: string): string {
  return name.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}
