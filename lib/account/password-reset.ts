import 'server-only';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import { passwordWeakness } from '@/lib/auth/password-policy';
import { clearFailures, consume } from '@/lib/auth/rate-limit';
import { revokeUserSessions } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db/client';
import { passwordResetTokens, users } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { sendMailAfterResponse } from '@/lib/mail/mailer';
import { passwordChangedMail, passwordResetMail, recipientOf } from '@/lib/mail/templates';
import { rememberSecret } from '@/lib/secrets/known';
import { hashLinkToken, isLinkToken, newLinkToken } from '@/lib/secrets/link-token';
import { findUserByEmail, normaliseEmail } from './users';

// "Forgot your password?" (README, "Account recovery"): a link (lib/secrets/link-token.ts) that works once, for
// PASSWORD_RESET_TTL_SECONDS (30 minutes); a newer link replaces it.

export type ResetRequestOutcome = { ok: true } | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Sends a reset link when the address has an account; answers the same either way (and as fast: the email goes
 * after the response). Limited per address asked for and per network address.
 */
export async function requestPasswordReset(input: { email: string; ip: string; now?: Date }): Promise<ResetRequestOutcome> {
  const email = normaliseEmail(input.email);
  for (const [limit, key] of [
    ['passwordResetIp', input.ip],
    ['passwordResetEmail', email],
  ] as const) {
    const wait = await consume(limit, key);
    if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  }
  const user = await findUserByEmail(email);
  if (!user) return { ok: true };
  const now = input.now ?? new Date();
  const ttlSeconds = getEnv().passwordResetTtlSeconds;
  const token = newLinkToken();
  rememberSecret(token, ttlSeconds * 1000);
  const db = await getDb();
  // The newest link is the only one that works.
  await db.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id));
  await db
    .insert(passwordResetTokens)
    .values({ userId: user.id, tokenHash: hashLinkToken(token), createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) });
  const link = `${getEnv().appUrl}/reset-password#${token}`;
  sendMailAfterResponse(passwordResetMail(await recipientOf(user), link, Math.round(ttlSeconds / 60)));
  logger().info({ event: 'account.password_reset_requested', userId: user.id }, 'password reset link sent');
  return { ok: true };
}

export type ResetOutcome = { ok: true; email: string } | { ok: false; reason: 'invalid_link' } | { ok: false; reason: 'weak'; message: string };

/**
 * Sets a new password through a link: once, before it expires, with the password policy. Every session of the
 * account ends (whoever had the password no longer has a session), and the user is told by email.
 */
export async function resetPassword(input: { token: string; newPassword: string; now?: Date }): Promise<ResetOutcome> {
  if (!isLinkToken(input.token)) return { ok: false, reason: 'invalid_link' };
  const now = input.now ?? new Date();
  const db = await getDb();
  const tokenHash = hashLinkToken(input.token);
  const [found] = await db
    .select({ tokenId: passwordResetTokens.id, user: users })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(and(eq(passwordResetTokens.tokenHash, tokenHash), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now)));
  if (!found) return { ok: false, reason: 'invalid_link' };
  // A weak password leaves the link usable: the user tries another one.
  const weakness = await passwordWeakness(input.newPassword, [found.user.email]);
  if (weakness) return { ok: false, reason: 'weak', message: weakness };
  const passwordHash = await hashPassword(input.newPassword);
  // Claimed once: of two submissions of the same link, one changes the password.
  const [claimed] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.id, found.tokenId), isNull(passwordResetTokens.usedAt)))
    .returning({ id: passwordResetTokens.id });
  if (!claimed) return { ok: false, reason: 'invalid_link' };
  await db.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, found.user.id));
  const ended = await revokeUserSessions(found.user.id, { now });
  // The owner proved they hold the mailbox: the login limits counted against the account start again.
  await clearFailures('loginAccount', found.user.email).catch(() => undefined);
  sendMailAfterResponse(passwordChangedMail(await recipientOf(found.user), now, 'reset'));
  logger().info({ event: 'account.password_reset', userId: found.user.id, endedSessions: ended }, 'password reset through a link');
  return { ok: true, email: found.user.email };
}
