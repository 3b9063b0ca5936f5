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

/** The whole body as bytes, at most `maxBytes`; throws BodyReadError('too_large' | 'timeout' | 'aborted'). */
export async function readBodyCapped(request: Request, options: ReadBodyOptions): Promise<Uint8Array<ArrayBuffer>> {
  const { maxBytes } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const declared = declaredLength(request.headers);
  if (declared !== undefined && declared > maxBytes) {
    request.body?.cancel().catch(() => undefined);
    throw new BodyReadError('too_large');
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await nextChunk(reader, idleTimeoutMs);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new BodyReadError('too_large');
      chunks.push(value);
    }
  } catch (error) {
    // Stop the upload at once: nothing more is read or kept. Not awaited: a stalled source may never
    // acknowledge the cancel, and the answer must not wait for it.
    reader.cancel().catch(() => undefined);
    if (isBodyReadError(error)) throw error;
    throw new BodyReadError('aborted');
  }
  reader.releaseLock();
  if (declared !== undefined && total < declared) throw new BodyReadError('aborted');
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function nextChunk(reader: ReadableStreamDefaultReader<Uint8Array>, idleTimeoutMs: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyReadError('timeout')), idleTimeoutMs);
  });
  return Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
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
