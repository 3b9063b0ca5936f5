import 'server-only';
import { createHash, randomBytes } from 'node:crypto';

// The token of a link sent by email (password reset, email verification): 256 random bits in base64url, carried in
// the link's fragment so it never travels in a request line, a Referer or a server log. The database keeps only its
// SHA-256: with that much entropy a plain hash already makes a copy of the table worthless.

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Anything else names no link and is never looked up. */
export function isLinkToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_SHAPE.test(value);
}
