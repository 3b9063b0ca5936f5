import 'server-only';
import { Busboy } from '@fastify/busboy';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
import { ByteCollector, declaredLength, forEachBodyChunk } from './read-body';

// A multipart/form-data request read as it arrives (busboy), so each file is held once: its bytes are
// copied from the network's chunks into one buffer of their own, and nothing else keeps the body. The
// body's cap and idle timeout are read-body.ts's; a file over `maxFileBytes` is counted to its end
// (the refusal can say how large it is) but not kept.

/** Why a multipart body could not be read: it ended before its closing boundary, or is not multipart as sent. */
export type MultipartProblem = 'cut_off' | 'malformed';

export class MultipartError extends Error {
  readonly [ERROR_BRAND] = 'MultipartError';
  constructor(readonly problem: MultipartProblem) {
    super(`multipart body refused: ${problem}`);
    this.name = 'MultipartError';
  }
}

export function isMultipartError(error: unknown): error is MultipartError {
  return hasErrorBrand(error, 'MultipartError');
}

export interface ReceivedFile {
  /** The name the browser gave, as sent (only ever shown back to the user). */
  filename: string;
  /** Every byte that arrived, kept or not. */
  size: number;
  /** The first bytes, for the type check. */
  head: Uint8Array;
  /** The whole file, or undefined when it was over `maxFileBytes` (then only counted). */
  bytes: Uint8Array | undefined;
}

export interface ReceivedForm {
  /** Text fields (the last of a repeated name). */
  fields: Record<string, string>;
  /** The first file of each field in `fileFields`. */
  files: Map<string, ReceivedFile>;
  /** The fields of files that were not kept, in order: a second file under one field, or a file under any other field. */
  extraFiles: string[];
}

export interface ReadMultipartOptions {
  maxBodyBytes: number;
  maxFileBytes: number;
  /** The only fields whose files are kept. */
  fileFields: readonly string[];
  idleTimeoutMs?: number;
}

// Generous for a form of a few short fields; over them, the body is not one of ours.
const LIMITS = { fields: 32, fieldSize: 16 * 1024, fieldNameSize: 100, parts: 40, headerPairs: 20 };

/**
 * The form's fields and files. Throws BodyReadError (read-body.ts) for the body itself (over the cap,
 * stalled, shorter than declared) and MultipartError for its content (cut off before the closing
 * boundary, or not multipart/form-data).
 */
export async function readMultipart(request: Request, options: ReadMultipartOptions): Promise<ReceivedForm> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    request.body?.cancel().catch(() => undefined);
    throw new MultipartError('malformed');
  }
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      limits: LIMITS,
      // As the platform's FormData reads it: a part with a filename is a file, whatever its type.
      isPartAFile: (_field, _type, filename) => filename !== undefined,
    });
  } catch {
    request.body?.cancel().catch(() => undefined);
    throw new MultipartError('malformed');
  }

  const declared = declaredLength(request.headers);
  let received = 0;
  const form: ReceivedForm = { fields: {}, files: new Map(), extraFiles: [] };
  const collecting: Array<{ field: string; file: ReceivedFile; collector: ByteCollector }> = [];
  let failure: MultipartError | undefined;
  const fail = (problem: MultipartProblem) => (failure ??= new MultipartError(problem));

  parser.on('field', (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
    if (nameTruncated || valueTruncated) return void fail('malformed');
    form.fields[name] = value;
  });
  parser.on('file', (field: string, stream: NodeJS.ReadableStream, filename: string) => {
    if (!options.fileFields.includes(field) || form.files.has(field) || collecting.some((entry) => entry.field === field)) {
      // Counted by the body's cap, never kept.
      form.extraFiles.push(field);
      stream.on('error', () => undefined);
      stream.resume();
      return;
    }
    // Sized from what the request says is left of it: close to the file's size for a single file.
    const collector = new ByteCollector(options.maxFileBytes, declared === undefined ? undefined : Math.max(0, declared - received));
    const entry = { field, file: { filename, size: 0, head: new Uint8Array(0), bytes: undefined } as ReceivedFile, collector };
    collecting.push(entry);
    stream.on('data', (chunk: Uint8Array) => collector.push(chunk));
    // A part cut short says so here and on the parser, which answers for both.
    stream.on('error', () => undefined);
    stream.on('end', () => {
      entry.file = { filename, size: collector.size, head: collector.head.slice(), bytes: collector.overLimit ? undefined : collector.bytes() };
      form.files.set(field, entry.file);
    });
  });
  for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) parser.on(limit, () => fail('malformed'));

  const finished = new Promise<void>((resolve, reject) => {
    parser.on('finish', resolve);
    parser.on('error', (error: unknown) => {
      // Dicer's words for a body that stops before the closing boundary.
      reject(fail(error instanceof Error && /unexpected end|terminated early/i.test(error.message) ? 'cut_off' : 'malformed'));
    });
  });
  // Whichever comes first, the parser's failure or the body's, is the answer; the other is not waited for.
  finished.catch(() => undefined);

  await forEachBodyChunk(request, { maxBytes: options.maxBodyBytes, idleTimeoutMs: options.idleTimeoutMs }, async (chunk) => {
    received += chunk.byteLength;
    if (failure) throw failure;
    if (!parser.write(chunk)) await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), finished]);
  });
  if (failure) throw failure;
  parser.end();
  await finished;
  if (failure) throw failure;
  // Every file part ended (a part still open when the body ended was cut off).
  if (collecting.some((entry) => form.files.get(entry.field) !== entry.file)) throw new MultipartError('cut_off');
  return form;
}
