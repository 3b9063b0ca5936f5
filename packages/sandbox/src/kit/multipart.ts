import { once } from 'node:events';
import { Busboy } from '@fastify/busboy';

// multipart/form-data read as it streams in, the way the platform's FormData reads it, without holding a
// file: each file part's bytes pass once through a sink of the caller's, which keeps only what it needs
// (a size, a digest, the first bytes).

/** What a caller makes of a file part while its bytes go by: each chunk is seen once, in order. */
export interface FileSink<T> {
  write(chunk: Uint8Array): void;
  /** What is kept of the file once its last byte went by. */
  end(): T;
}

/**
 * Every part in order, a file part as what its sink made of it; null when the body is not
 * multipart/form-data as declared. A text field is held whole, bounded by what the caller lets `chunks`
 * carry; an error `chunks` throws (a body over its limit) goes through.
 */
export async function streamMultipart<T>(
  chunks: AsyncIterable<Uint8Array>,
  contentType: string,
  sinkFor: (filename: string) => FileSink<T>,
): Promise<Array<[string, string | T]> | null> {
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      defCharset: 'utf8',
      // Nothing is cut short: the route's cap on the body is the only limit.
      limits: { fieldSize: Infinity, fieldNameSize: Infinity },
      isPartAFile: (_field, _type, filename) => filename !== undefined,
    });
  } catch {
    return null;
  }
  const entries: Array<[string, string | T]> = [];
  parser.on('field', (name: string, value: string) => entries.push([name, value]));
  parser.on('file', (name: string, stream: NodeJS.ReadableStream, filename: string) => {
    const sink = sinkFor(unescapeName(filename));
    // Its place in the order is taken now; what the sink kept fills it when the part ends.
    const at = entries.push([name, '']) - 1;
    stream.on('data', (chunk: Buffer) => sink.write(chunk));
    stream.on('error', () => undefined);
    stream.on('end', () => (entries[at] = [name, sink.end()]));
  });
  let failed = false;
  const finished = new Promise<boolean>((resolve) => {
    parser.on('finish', () => resolve(true));
    parser.on('error', () => {
      failed = true;
      resolve(false);
    });
  });
  try {
    for await (const chunk of chunks) {
      if (failed) break;
      if (!parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) await Promise.race([once(parser, 'drain'), finished]);
    }
  } catch (error) {
    parser.destroy();
    throw error;
  }
  if (!failed) parser.end();
  return (await finished) ? entries : null;
}

/** A file name as the platform reads it back: the `"`, CR and LF that senders escape. */
function unescapeName(name: string): string {
  return name.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}
