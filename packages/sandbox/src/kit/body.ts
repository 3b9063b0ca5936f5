import type { z } from 'zod';

// Request bodies, read once under a cap and decoded as JSON where a simulator expects JSON. What goes
// wrong is described, never answered: each provider answers a BodyProblem in its own error body.

/** JSON bodies are small; anything larger is refused before it is read. */
export const MAX_JSON_BYTES = 256 * 1024;

/** The body's length as its Content-Length declares it, when it does. */
export function declaredLength(request: Request): number | undefined {
  const header = request.headers.get('content-length');
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
}

/**
 * The raw body, or null when it is larger than `limit`: refused on a declared Content-Length
 * without reading anything, else read chunk by chunk and abandoned as soon as it passes the limit.
 * Held once: a body that arrives as one chunk is kept as it is, and chunks are copied into one buffer
 * of the declared length as they arrive (gathered, then joined, only when no length was declared).
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > limit) return null;
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let into: Uint8Array<ArrayBuffer> | undefined;
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > limit) {
      await reader.cancel();
      return null;
    }
    if (!into && chunks.length === 1 && declared !== undefined && declared >= total + value.byteLength) {
      into = new Uint8Array(declared);
      into.set(chunks.pop()!);
    }
    if (into && total + value.byteLength <= into.byteLength) into.set(value, total);
    else if (into) {
      // More than declared (a test's hand-made request): gathered the slow way from here.
      chunks.push(into.subarray(0, total));
      into = undefined;
      chunks.push(value);
    } else chunks.push(value);
    total += value.byteLength;
  }
  if (into) return into.subarray(0, total);
  if (chunks.length === 1 && chunks[0]!.buffer instanceof ArrayBuffer) return chunks[0] as Uint8Array<ArrayBuffer>;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Thrown through a route's reading of a streamed body when it passes the limit; the reader is cancelled. */
const TOO_LARGE = Symbol('body too large');

/**
 * Streams the body through `consume` without holding it: every chunk is counted against `limit` and
 * handed to `onChunk` (a digest) before `consume` sees it. What `consume` leaves unread is read to the
 * end too, so `onChunk` always sees the whole body. 'too_large' when it passes the limit (refused on a
 * declared Content-Length before reading anything, else abandoned at once, the rest never read).
 */
export async function streamBodyLimited<T>(
  request: Request,
  limit: number,
  onChunk: (chunk: Uint8Array) => void,
  consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>,
): Promise<{ value: T } | 'too_large'> {
  if ((declaredLength(request) ?? 0) > limit) return 'too_large';
  const reader = request.body?.getReader();
  let total = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (!reader) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > limit) throw TOO_LARGE;
      onChunk(value);
      yield value;
    }
  }
  const source = chunks();
  // consume's `break` must not end the source: what it leaves is read below.
  const view: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: () => source.next() }) };
  try {
    const value = await consume(view);
    // Whatever consume left (it stopped at a malformed part, say) still counts and is still digested.
    for await (const _ of source) void _;
    return { value };
  } catch (error) {
    if (error !== TOO_LARGE) throw error;
    await reader?.cancel().catch(() => undefined);
    return 'too_large';
  } finally {
    reader?.releaseLock();
  }
}

/** What is wrong with a JSON body: its declared type, its syntax, or (against a schema) its first field. */
export type BodyProblem =
  { kind: 'media_type' } | { kind: 'not_json' } | { kind: 'unknown_fields'; fields: string[] } | { kind: 'invalid_field'; field: string; problem: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: BodyProblem };

const JSON_TYPE = /^application\/(.+\+)?json\b/i;

/** JSON from raw bytes: a blank body is `{}` (Bridge's own example creates a user with no body); anything else must be declared JSON and be UTF-8 JSON. */
export function decodeJson(bytes: Uint8Array, contentType: string | null): Parsed<unknown> {
  let text: string | null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = null;
  }
  if (text !== null && text.trim() === '') return { ok: true, value: {} };
  if (!JSON_TYPE.test(contentType ?? '')) return { ok: false, problem: { kind: 'media_type' } };
  try {
    if (text === null) throw new SyntaxError('not UTF-8');
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: { kind: 'not_json' } };
  }
}

/** The first thing a schema refuses, naming the field (or `body`) and never the value. */
function schemaProblem(error: z.ZodError): BodyProblem {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') return { kind: 'unknown_fields', fields: issue.keys };
  return { kind: 'invalid_field', field: issue && issue.path.length > 0 ? issue.path.join('.') : 'body', problem: issue?.message ?? 'is invalid' };
}

/** A JSON body checked against `schema`. */
export function parseJsonBody<T>(bytes: Uint8Array, contentType: string | null, schema: z.ZodType<T>): Parsed<T> {
  const decoded = decodeJson(bytes, contentType);
  if (!decoded.ok) return decoded;
  const parsed = schema.safeParse(decoded.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: schemaProblem(parsed.error) };
}
