import 'server-only';
import { findUserByEmail, normaliseEmail } from '@/lib/account/users';
import type { AuthSession, User } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { verifyPassword } from './password';
import { PASSWORD_MAX_LENGTH } from './password-policy';
import { clearFailures, recordFailure, retryAfter } from './rate-limit';
import { createAuthSession } from './sessions';

export type LoginOutcome =
  | { ok: true; user: User; session: AuthSession }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Checks email and password and opens a session. Unknown emails and wrong passwords fail the same
 * way, in the same time, and count against the same limits, so nothing tells whether an account exists.
 */
export async function authenticate(input: { email: string; password: string; ip: string; userAgent: string | null }): Promise<LoginOutcome> {
  const email = normaliseEmail(input.email);
  const accountKey = email;
  const wait = Math.max(await retryAfter('loginAccount', accountKey), await retryAfter('loginIp', input.ip));
  if (wait > 0) {
    logger().warn({ event: 'login.rate_limited', ip: input.ip }, 'login refused: too many failures');
    return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  }
  const user = input.password.length <= PASSWORD_MAX_LENGTH ? await findUserByEmail(email) : undefined;
  const valid = await verifyPassword(user?.passwordHash, input.password.slice(0, PASSWORD_MAX_LENGTH));
  if (!user || !valid) {
    await Promise.all([recordFailure('loginAccount', accountKey), recordFailure('loginIp', input.ip)]);
    logger().info({ event: 'login.failed', ip: input.ip }, 'login failed');
    return { ok: false, reason: 'invalid' };
  }
  await clearFailures('loginAccount', accountKey);
  const session = await createAuthSession(user.id, input.userAgent);
  logger().info({ event: 'login.succeeded', userId: user.id }, 'login succeeded');
  return { ok: true, user, session };
}

/**
 * The client address for rate limits: the right-most X-Forwarded-For entry, i.e. the one written by
 * the nearest hop (Next.js itself when nothing is in front, or the reverse proxy, which must append the
 * address it saw). Left-most entries are whatever the client chose to send.
 */
export function clientIp(headers: Headers): string {
  const hops = headers.get('x-forwarded-for')?.split(',') ?? [];
  return hops.at(-1)?.trim() || 'unknown';
}
