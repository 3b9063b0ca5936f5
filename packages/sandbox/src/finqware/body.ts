import type { Refusal } from './errors';

/** JSON bodies are small; anything larger is refused before it is read. */
export const MAX_JSON_BYTES = 256 * 1024;

/**
 * The raw body, or null when it is larger than `limit`: refused on a declared Content-Length
 * without reading anything, else read chunk by chunk and abandoned as soon as it passes the limit.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > limit) return null;
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export type FieldKind = 'string' | 'object' | 'string?' | 'object?' | 'minutes?';
type FieldValue<K extends FieldKind> = K extends 'string'
  ? string
  : K extends 'object'
    ? Record<string, unknown>
    : K extends 'string?'
      ? string | undefined
      : K extends 'object?'
        ? Record<string, unknown> | undefined
        : number | undefined;
export type FieldSpec = Record<string, FieldKind>;
export type Fields<S extends FieldSpec> = { -readonly [K in keyof S]: FieldValue<S[K]> };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fitsKind(value: unknown, kind: FieldKind): string | null {
  switch (kind) {
    case 'string':
    case 'string?':
      return typeof value === 'string' && value.trim() !== '' ? null : 'must be a non-empty string';
    case 'object':
    case 'object?':
      return isPlainObject(value) ? null : 'must be an object';
    case 'minutes?':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? null : 'must be a whole number of minutes';
  }
}

/** Checks a body's fields against `spec`: missing ones first, then unknown ones, then types. Names fields, never values. */
export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export function checkFields<S extends FieldSpec>(value: Record<string, unknown>, spec: S): Checked<Fields<S>> {
  const missing = Object.entries(spec)
    .filter(([name, kind]) => !kind.endsWith('?') && (value[name] === undefined || value[name] === null))
    .map(([name]) => name);
  if (missing.length > 0) return { ok: false, refusal: { code: 'missing_fields', message: `Missing fields: ${missing.join(', ')}.` } };
  const unknown = Object.keys(value).filter((name) => !Object.hasOwn(spec, name));
  if (unknown.length > 0) return { ok: false, refusal: { code: 'unknown_fields', message: `Unknown fields: ${unknown.join(', ')}.` } };
  for (const [name, kind] of Object.entries(spec)) {
    if (value[name] === undefined) continue;
    const problem = fitsKind(value[name], kind);
    if (problem) return { ok: false, refusal: { code: 'invalid_field', message: `${name} ${problem}.` } };
  }
  return { ok: true, value: value as Fields<S> };
}

function invalid(message: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { code: 'invalid_field', message } };
}

/** A JSON object body: refused when it is not JSON, not an object, or does not fit `spec`. */
export function parseJsonFields<S extends FieldSpec>(body: Uint8Array, contentType: string | null, spec: S): Checked<Fields<S>> {
  if (body.byteLength === 0) return checkFields({}, spec);
  if (!/^application\/(.+\+)?json\b/i.test(contentType ?? '')) {
    return invalid('The body must be JSON (Content-Type: application/json).');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return invalid('The body is not valid JSON.');
  }
  if (!isPlainObject(value)) return invalid('The body must be a JSON object.');
  return checkFields(value, spec);
}
