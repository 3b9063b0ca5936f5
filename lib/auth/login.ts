import 'server-only';
import { findUserByEmail, normaliseEmail, saveTimeZone } from '@/lib/account/users';
import type { AuthSession, User } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { clientAddress } from '@/lib/http/client-address';
import { logger } from '@/lib/log';
import { isKnownDevice } from './known-device';
import { PASSWORD_MAX_LENGTH, verifyPassword } from './password';
import { clearFailures, recordFailure, retryAfter } from './rate-limit';
import { createAuthSession } from './sessions';
import { secondFactorStepFor } from './two-factor/step';

export type LoginOutcome =
  { ok: true; user: User; session: AuthSession } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

export interface LoginAttempt {
  email: string;
  /** The client's address (lib/http/client-address.ts). */
  ip: string;
  /** The browser's known-device cookie, if any (lib/auth/known-device.ts). */
  deviceCookie?: string;
}

const accountAddressKey = (email: string, ip: string) => `${email}|${ip}`;

/**
 * Seconds before this attempt may be tried, 0 when it may go ahead. Strict per (account, address),
 * per address, and account-wide unless the browser already logged in to this account.
 */
export async function loginWait(attempt: LoginAttempt): Promise<number> {
  const email = normaliseEmail(attempt.email);
  const waits = await Promise.all([
    retryAfter('loginAccountAddress', accountAddressKey(email, attempt.ip)),
    retryAfter('loginIp', attempt.ip),
    isKnownDevice(email, attempt.deviceCookie) ? 0 : retryAfter('loginAccount', email),
  ]);
  return Math.max(...waits);
}

/**
 * Checks email and password and opens a session. Unknown emails and wrong passwords fail the same
 * way, in the same time, and count against the same limits, so nothing tells whether an account exists.
 */
export async function authenticate(
  input: LoginAttempt & { password: string; userAgent: string | null; /** The browser's, when it said. */ timeZone?: string },
): Promise<LoginOutcome> {
  const email = normaliseEmail(input.email);
  const wait = await loginWait(input);
  if (wait > 0) {
    logger().warn({ event: 'login.rate_limited', ip: input.ip }, 'login refused: too many failures');
    return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  }
  const user = input.password.length <= PASSWORD_MAX_LENGTH ? await findUserByEmail(email) : undefined;
  const valid = await verifyPassword(user?.passwordHash, input.password.slice(0, PASSWORD_MAX_LENGTH));
  if (!user || !valid) {
    await recordLoginFailure(email, input.ip);
    logger().info({ event: 'login.failed', ip: input.ip }, 'login failed');
    return { ok: false, reason: 'invalid' };
  }
  // With a second factor due, the login is not done: the failures stay counted until the factor is given, so a
  // right password cannot wipe the count of wrong codes (lib/auth/two-factor/login.ts clears them then).
  const secondFactor = await secondFactorStepFor(user.id);
  if (!secondFactor) await clearLoginFailures(email, input.ip);
  const session = await createAuthSession(user.id, input.userAgent, new Date(), { secondFactor });
  await saveTimeZone(user.id, input.timeZone);
  logger().info({ event: secondFactor ? 'login.password_accepted' : 'login.succeeded', userId: user.id, secondFactor }, 'login succeeded');
  return { ok: true, user, session };
}

/** A login that went through: its (account, address) failures are forgiven. */
export async function clearLoginFailures(email: string, ip: string): Promise<void> {
  await clearFailures('loginAccountAddress', accountAddressKey(normaliseEmail(email), ip));
}

/** A wrong second factor counts as a failed login, against the same limits as a wrong password. */
export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  const normalised = normaliseEmail(email);
  await Promise.all([
    recordFailure('loginAccountAddress', accountAddressKey(normalised, ip)),
    recordFailure('loginIp', ip),
    recordFailure('loginAccount', normalised),
  ]);
}

/** The client's address for limits and logs: the socket's, or what trusted proxies say (TRUSTED_PROXY_HOPS). */
export function clientIp(headers: Headers): string {
  return clientAddress(headers, getEnv().trustedProxyHops);
}
