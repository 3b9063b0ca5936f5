import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';

// Reads a request body with a hard cap, whether or not the client declared its length: a chunked body
// is counted as it arrives and reading stops at the cap, so no more than the cap is ever buffered. A
// body that stops arriving (shorter than its Content-Length, or a stalled chunked upload) times out.

export type BodyProblem = 'too_large' | 'timeout' | 'aborted';

export class BodyReadError extends Error {
  readonly [ERROR_BRAND] = 'BodyReadError';
  constructor(readonly problem: BodyProblem) {
    super(`request body refused: ${problem}`);
    this.name = 'BodyReadError';
  }
}

export function isBodyReadError(error: unknown): error is BodyReadError {
  return hasErrorBrand(error, 'BodyReadError');
}

export interface ReadBodyOptions {
  maxBytes: number;
  /** Longest wait for the next chunk; a stalled or short body fails after this. */
  idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 5_000;

/** The declared Content-Length, or undefined when absent or unreadable. */
export function declaredLength(headers: Headers): number | undefined {
  const value = headers.get('content-length');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/**
 * Hands each chunk of the body to `onChunk` as it arrives (awaited: the next chunk is read after),
 * counting against `maxBytes`; throws BodyReadError('too_large' | 'timeout' | 'aborted'). A body over
 * its declared length's cap is refused before a byte is read; one shorter than it declared is 'aborted'.
 * On any failure, its own or `onChunk`'s, the upload is stopped at once and nothing more is read.
 */
export async function forEachBodyChunk(request: Request, options: ReadBodyOptions, onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<number> {
  const { maxBytes } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const declared = declaredLength(request.headers);
  if (declared !== undefined && declared > maxBytes) {
    request.body?.cancel().catch(() => undefined);
    throw new BodyReadError('too_large');
  }
  if (!request.body) return 0;
  const reader = request.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await nextChunk(reader, idleTimeoutMs);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new BodyReadError('too_large');
      await onChunk(value);
    }
  } catch (error) {
    // Stop the upload at once: nothing more is read or kept. Not awaited: a stalled source may never
    // acknowledge the cancel, and the answer must not wait for it.
    reader.cancel().catch(() => undefined);
    if (isBodyReadError(error) || !isReadFailure(error)) throw error;
    throw new BodyReadError('aborted');
  }
  reader.releaseLock();
  if (declared !== undefined && total < declared) throw new BodyReadError('aborted');
  return total;
}

/** The whole body as bytes, at most `maxBytes`; throws BodyReadError('too_large' | 'timeout' | 'aborted'). */
export async function readBodyCapped(request: Request, options: ReadBodyOptions): Promise<Uint8Array<ArrayBuffer>> {
  // One buffer: of the declared length when there is one (so each chunk is copied in and let go at
  // once), grown as chunks arrive otherwise.
  const declared = declaredLength(request.headers);
  const body = new ByteCollector(options.maxBytes, declared);
  await forEachBodyChunk(request, options, (chunk) => body.push(chunk));
  return body.bytes();
}

/** A request's body passed on as a stream under the same rules, and what, if anything, stopped it. */
export interface GuardedBody {
  /** The body, chunk by chunk as it arrives and as it is read; errors once a rule is broken. Null: no body. */
  body: ReadableStream<Uint8Array> | null;
  /** Why the body was refused, once it was (a declared length over the cap: from the start). */
  problem(): BodyProblem | undefined;
}

/**
 * The body as a stream for another reader (a handler that reads as it goes), held to `maxBytes` and the
 * idle timeout as forEachBodyChunk holds it: nothing is read before that reader asks, and nothing is
 * kept. A body over its declared length's cap is refused before a byte is read.
 */
export function guardBody(request: Request, options: ReadBodyOptions): GuardedBody {
  const { maxBytes } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const declared = declaredLength(request.headers);
  let problem: BodyProblem | undefined;
  const problemOf = () => problem;
  if (declared !== undefined && declared > maxBytes) {
    request.body?.cancel().catch(() => undefined);
    problem = 'too_large';
    return { body: null, problem: problemOf };
  }
  if (!request.body) return { body: null, problem: problemOf };
  const reader = request.body.getReader();
  let total = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await nextChunk(reader, idleTimeoutMs);
          if (done) {
            if (declared !== undefined && total < declared) throw new BodyReadError('aborted');
            controller.close();
            return;
          }
          total += value.byteLength;
          if (total > maxBytes) throw new BodyReadError('too_large');
          controller.enqueue(value);
        } catch (error) {
          reader.cancel().catch(() => undefined);
          problem = isBodyReadError(error) ? error.problem : 'aborted';
          controller.error(new BodyReadError(problem));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Pulled only when its reader asks: the upload's pace is the reader's.
    { highWaterMark: 0 },
  );
  return { body, problem: problemOf };
}

// What the reader loop marks as its own failure to read, rather than an error of `onChunk` to pass on.
const READ_FAILURE = Symbol('read failure');
function isReadFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && READ_FAILURE in error;
}

const FIRST_CAPACITY = 1024 * 1024;

/**
 * Gives a large buffer's memory back now rather than at the next garbage collection (which may come
 * only after many more megabytes): for bytes that the caller alone holds and nothing will read again,
 * such as an upload once cleaned. Every view of them reads as empty afterwards.
 */
export function releaseBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer & { readonly detached?: boolean; transfer?: (length: number) => ArrayBuffer };
  if (bytes.byteLength >= FIRST_CAPACITY && buffer instanceof ArrayBuffer && buffer.detached === false) buffer.transfer?.(0);
}

/**
 * Bytes gathered into one buffer as they arrive, never more than `limit` of them: sized from the
 * expected length when it is known, otherwise doubled as needed. What comes after the limit is counted
 * (`size`) but not kept (`overLimit`); the first bytes are always kept (`head`), for a type check.
 */
export class ByteCollector {
  #buffer: Uint8Array<ArrayBuffer> | undefined;
  #length = 0;
  #size = 0;
  readonly #head = new Uint8Array(16);
  readonly #limit: number;
  readonly #expected: number | undefined;

  constructor(limit: number, expected?: number) {
    this.#limit = limit;
    this.#expected = expected === undefined ? undefined : Math.min(expected, limit);
  }

  /** Every byte pushed, kept or not. */
  get size(): number {
    return this.#size;
  }

  /** More than `limit` bytes arrived: what was kept is dropped. */
  get overLimit(): boolean {
    return this.#size > this.#limit;
  }

  /** The first 16 bytes (fewer if fewer arrived). */
  get head(): Uint8Array {
    return this.#head.subarray(0, Math.min(this.#size, this.#head.byteLength));
  }

  push(chunk: Uint8Array): void {
    if (this.#size < this.#head.byteLength) this.#head.set(chunk.subarray(0, this.#head.byteLength - this.#size), this.#size);
    this.#size += chunk.byteLength;
    if (this.#size > this.#limit) {
      this.#buffer = undefined;
      this.#length = 0;
      return;
    }
    const needed = this.#length + chunk.byteLength;
    if (!this.#buffer || needed > this.#buffer.byteLength) {
      const capacity = Math.min(this.#limit, Math.max(needed, this.#buffer ? this.#buffer.byteLength * 2 : (this.#expected ?? FIRST_CAPACITY)));
      const grown = new Uint8Array(Buffer.allocUnsafeSlow(capacity).buffer as ArrayBuffer, 0, capacity);
      if (this.#buffer) grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(chunk, this.#length);
    this.#length = needed;
  }

  /** The bytes kept, in one buffer (copied to their exact size only when much of it is unused). */
  bytes(): Uint8Array<ArrayBuffer> {
    const buffer = this.#buffer;
    if (!buffer) return new Uint8Array(0);
    const unused = buffer.byteLength - this.#length;
    if (unused > 64 * 1024 && unused > this.#length / 4) return buffer.slice(0, this.#length);
    return buffer.subarray(0, this.#length);
  }
}

function nextChunk(reader: ReadableStreamDefaultReader<Uint8Array>, idleTimeoutMs: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyReadError('timeout')), idleTimeoutMs);
  });
  // A failing source (a connection reset) is the reader's failure, not the caller's.
  const read = reader.read().catch((error: unknown) => {
    throw Object.assign(new Error('request body read failed', { cause: error }), { [READ_FAILURE]: true });
  });
  return Promise.race([read, timeout]).finally(() => clearTimeout(timer));
}

/** The JSON answer for a refused body: 413 for too large, 408 for a stalled body, 400 otherwise. */
export function bodyProblemResponse(problem: BodyProblem, limitDescription: string): Response {
  const status = problem === 'too_large' ? 413 : problem === 'timeout' ? 408 : 400;
  const message =
    problem === 'too_large'
      ? `The body is larger than ${limitDescription}.`
      : problem === 'timeout'
        ? 'The body stopped arriving before it was complete.'
        : 'The body was cut off before it was complete.';
  const error = problem === 'too_large' ? 'payload_too_large' : problem === 'timeout' ? 'body_timeout' : 'body_incomplete';
  return Response.json({ error, message }, { status, headers: { 'Cache-Control': 'no-store' } });
}
