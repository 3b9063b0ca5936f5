import 'server-only';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { consume } from '@/lib/auth/rate-limit';
import { getDb } from '@/lib/db/client';
import { emailVerificationTokens, users, type User } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { sendMailAfterResponse } from '@/lib/mail/mailer';
import { recipientOf, verificationMail } from '@/lib/mail/templates';
import { rememberSecret } from '@/lib/secrets/known';
import { hashLinkToken, isLinkToken, newLinkToken } from '@/lib/secrets/link-token';
import { findUserById } from './users';

// Verified sign-up (README, "Accounts"): the address is proven by a link sent to it (lib/secrets/link-token.ts),
// single-use, for 24 hours; a newer link replaces the older ones. Until then guidance and onboarding stay closed.

export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

/** Sends a new confirmation link to the user's address (after the response). */
export async function sendVerificationLink(user: Pick<User, 'id' | 'email' | 'locale' | 'timeZone'>, now = new Date()): Promise<void> {
  const token = newLinkToken();
  rememberSecret(token, VERIFICATION_TTL_MS);
  const db = await getDb();
  await db.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, user.id));
  await db
    .insert(emailVerificationTokens)
    .values({ userId: user.id, tokenHash: hashLinkToken(token), createdAt: now, expiresAt: new Date(now.getTime() + VERIFICATION_TTL_MS) });
  sendMailAfterResponse(verificationMail(await recipientOf(user), `${getEnv().appUrl}/verify-email#${token}`));
  logger().info({ event: 'account.verification_sent', userId: user.id }, 'email verification link sent');
}

export type ResendOutcome = { ok: true } | { ok: false; reason: 'already_verified' } | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/** "Send the link again", for a signed-in user not verified yet: three an hour. */
export async function resendVerificationLink(userId: string): Promise<ResendOutcome> {
  const user = await findUserById(userId);
  if (!user || user.emailVerifiedAt) return { ok: false, reason: 'already_verified' };
  const wait = await consume('verificationResend', userId);
  if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  await sendVerificationLink(user);
  return { ok: true };
}

export type VerifyOutcome = { ok: true; userId: string; email: string } | { ok: false; reason: 'invalid_link' };

/** Confirms the address of the link's user: once, within 24 hours. */
export async function verifyEmail(token: string, now = new Date()): Promise<VerifyOutcome> {
  if (!isLinkToken(token)) return { ok: false, reason: 'invalid_link' };
  const db = await getDb();
  const [claimed] = await db
    .update(emailVerificationTokens)
    .set({ usedAt: now })
    .where(and(eq(emailVerificationTokens.tokenHash, hashLinkToken(token)), isNull(emailVerificationTokens.usedAt), gt(emailVerificationTokens.expiresAt, now)))
    .returning({ userId: emailVerificationTokens.userId });
  if (!claimed) return { ok: false, reason: 'invalid_link' };
  const [user] = await db.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, claimed.userId)).returning({ id: users.id, email: users.email });
  if (!user) return { ok: false, reason: 'invalid_link' };
  logger().info({ event: 'account.email_verified', userId: user.id }, 'email address verified');
  return { ok: true, userId: user.id, email: user.email };
}
