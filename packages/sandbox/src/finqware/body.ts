import { decodeJson } from '../kit/body';
import { bodyRefusal, type Refusal } from './errors';

// Finqware's JSON bodies: read by the kit (../kit/body.ts), then checked field by field against the
// spec of each call, Finqware's way: missing fields first, then unknown ones, then types.

export { MAX_JSON_BYTES } from '../kit/body';

type FieldKind = 'string' | 'object' | 'string?' | 'object?' | 'minutes?';
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

/** A JSON object body: refused when it is not JSON, not an object, or does not fit `spec`. */
export function parseJsonFields<S extends FieldSpec>(body: Uint8Array, contentType: string | null, spec: S): Checked<Fields<S>> {
  const decoded = decodeJson(body, contentType);
  if (!decoded.ok) return { ok: false, refusal: bodyRefusal(decoded.problem) };
  if (!isPlainObject(decoded.value)) return { ok: false, refusal: { code: 'invalid_field', message: 'The body must be a JSON object.' } };
  return checkFields(decoded.value, spec);
}
