import 'server-only';
import { createHash } from 'node:crypto';
import { decode, getToken } from 'next-auth/jwt';
import { getEnv } from '@/lib/env';

// What the session cookie says (its session id and user), read on every page, action and route handler. next-auth's
// auth() answers the same but builds a whole Auth.js request for it and encrypts a renewed cookie it cannot set from
// a page; here the cookie is only decrypted (next-auth/jwt's own getToken and decode), and a cookie seen before is not
// decrypted again: what it says never changes, and whether its session is still valid is asked of the database on
// every request all the same (lib/auth/dal.ts), so a revoked session is refused on the next request.

export interface SessionClaims {
  sessionId: string;
  userId: string;
}

const SESSION_COOKIE = 'authjs.session-token';
const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;
// Decrypted cookies kept by their SHA-256 (never the cookie itself), the oldest forgotten first.
const MAX_REMEMBERED = 10_000;

type Remembered = { claims: SessionClaims; expiresAtMs: number };

// Per process; pages and route handlers are bundled apart, so each copy keeps its own (a cache, nothing shared).
const remembered = new Map<string, Remembered>();

function remember(key: string, entry: Remembered): void {
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(key, entry);
}

/** The claims of the request's session cookie, or null when there is none or it does not decrypt (or has expired). */
export async function sessionClaimsFrom(requestHeaders: Headers, now = Date.now()): Promise<SessionClaims | null> {
  const cookie = requestHeaders.get('cookie');
  if (!cookie || !cookie.includes(SESSION_COOKIE)) return null;
  // Auth.js names the cookie __Secure- on https; either is read, the secure one first (getToken joins chunked cookies).
  const secureCookie = cookie.includes(SECURE_SESSION_COOKIE);
  const secret = getEnv().authSecret;
  const raw = await getToken({ req: { headers: requestHeaders }, secret, secureCookie, raw: true });
  if (!raw) return null;
  const key = createHash('sha256').update(raw).digest('base64url');
  const known = remembered.get(key);
  if (known) return known.expiresAtMs > now ? known.claims : null;
  let token: { sid?: unknown; sub?: unknown; exp?: unknown } | null;
  try {
    token = await decode({ token: raw, secret, salt: secureCookie ? SECURE_SESSION_COOKIE : SESSION_COOKIE });
  } catch {
    return null;
  }
  if (!token || typeof token.sid !== 'string' || typeof token.sub !== 'string') return null;
  const claims = { sessionId: token.sid, userId: token.sub };
  // decode() checked the expiry (exp) with Auth.js's 15 s of tolerance; a remembered cookie is held to the same.
  const expiresAtMs = typeof token.exp === 'number' ? token.exp * 1000 + 15_000 : now;
  remember(key, { claims, expiresAtMs });
  return expiresAtMs > now ? claims : null;
}
