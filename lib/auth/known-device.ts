import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { cookies } from 'next/headers';
import { normaliseEmail } from '@/lib/account/users';
import { getEnv } from '@/lib/env';

// A browser where an account logged in before carries a signed "known device" cookie for that account.
// Failed logins from strangers can make the account-wide limit refuse new devices for a while, but
// never the owner's own browser (OWASP's device cookies against lockout). The cookie proves only that
// this browser once knew the password; it is no credential and opens nothing by itself.

const DEVICE_COOKIE = 'gp_device';
const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

function signature(email: string, nonce: string): string {
  return createHmac('sha256', getEnv().authSecret).update(`guidepost-known-device:${email}:${nonce}`).digest('base64url');
}

/** A cookie value naming this account as known on this browser. */
export function deviceCookieValue(email: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${signature(email, nonce)}`;
}

/** After a successful login or sign-up: this browser is known to the account from now on. */
export async function rememberThisDevice(email: string): Promise<void> {
  (await cookies()).set(DEVICE_COOKIE, deviceCookieValue(normaliseEmail(email)), {
    httpOnly: true,
    sameSite: 'lax',
    secure: getEnv().appUrl.startsWith('https:'),
    path: '/',
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
}

/** The same cookie as a Set-Cookie header, for a response built by someone else (next-auth's own endpoint). */
export function deviceCookieHeader(email: string): string {
  const secure = getEnv().appUrl.startsWith('https:') ? '; Secure' : '';
  return `${DEVICE_COOKIE}=${deviceCookieValue(normaliseEmail(email))}; Path=/; Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`;
}

/** True when the cookie value was issued by us for this (normalised) email. */
export function isKnownDevice(email: string, value: string | undefined): boolean {
  if (!value) return false;
  const [nonce, given, extra] = value.split('.');
  if (!nonce || !given || extra !== undefined) return false;
  const expected = Buffer.from(signature(email, nonce));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The device cookie's value from a Cookie header. */
export function deviceCookieFrom(cookieHeader: string | null): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === DEVICE_COOKIE) return rest.join('=');
  }
  return undefined;
}
