import 'server-only';
import { createHash, randomBytes } from 'node:crypto';

// A hand-off token is 128 random bits in base64url (22 characters): short enough for a dense-free QR code
// and a link someone could type, far too many to guess. The database keeps only its SHA-256: the token
// has all the entropy a key would add, so a plain hash already makes a copy of the table worthless.

const TOKEN_BYTES = 16;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;

export function newHandoffToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Anything else names no hand-off and is never looked up. */
export function isHandoffToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_SHAPE.test(value);
}

export function hashHandoffToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
