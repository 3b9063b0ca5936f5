import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { passwordWeakness } from '@/lib/auth/password-policy';
import { clearFailures, recordFailure, retryAfter } from '@/lib/auth/rate-limit';
import { markReauthenticated, revokeUserSessions } from '@/lib/auth/sessions';
import { publishEvent } from '@/lib/events/process-bus';
import { accountCleanupHooks, type AccountCleanupHook } from './cleanup-hooks';
import { supportedTimeZone } from '@/lib/i18n/format';
import { translator } from '@/lib/i18n/server';
import { sendMailAfterResponse } from '@/lib/mail/mailer';
import { accountDeletedMail, accountExistsMail, passwordChangedMail, recipientOf } from '@/lib/mail/templates';
import { getEnv } from '@/lib/env';
import { sendVerificationLink } from './email-verification';
import { findUserByEmail, findUserById, normaliseEmail } from './users';

/**
 * A refusal's `message` is in the user's language. A new address and one that has an account both succeed (the page
 * answers the same): `created` says which, for the server's own use only.
 */
export type SignupOutcome =
  | { ok: true; userId: string; created: boolean }
  | { ok: false; field: 'email' | 'password'; message: string }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

export async function signUp(input: { email: string; password: string; ip: string; timeZone?: string }): Promise<SignupOutcome> {
  const wait = await retryAfter('signupIp', input.ip);
  if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  const email = normaliseEmail(input.email);
  const weakness = await passwordWeakness(input.password, [email]);
  if (weakness) return { ok: false, field: 'password', message: weakness };
  await recordFailure('signupIp', input.ip); // every sign-up counts: it bounds account creation per address
  const db = await getDb();
  const [created] = await db
    .insert(users)
    .values({ email, passwordHash: await hashPassword(input.password), timeZone: supportedTimeZone(input.timeZone) ?? null })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (!created) {
    // The address has an account: its owner is told by email; the page says what it says to a new address.
    const existing = await findUserByEmail(email);
    if (!existing) return { ok: false, field: 'email', message: (await translator('auth'))('errors.emailTaken') };
    sendMailAfterResponse(accountExistsMail(await recipientOf(existing), getEnv().appUrl));
    logger().info({ event: 'account.signup_existing', userId: existing.id }, 'sign-up with an address that has an account');
    return { ok: true, userId: existing.id, created: false };
  }
  logger().info({ event: 'account.created', userId: created.id }, 'account created');
  await sendVerificationLink({ id: created.id, email, locale: null, timeZone: supportedTimeZone(input.timeZone) ?? null });
  return { ok: true, userId: created.id, created: true };
}

export type PasswordCheck = { ok: true } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/** Confirms the signed-in user's password before a sensitive action; failures are rate-limited per account. */
export async function confirmPassword(userId: string, password: string): Promise<PasswordCheck> {
  const wait = await retryAfter('passwordConfirm', userId);
  if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  const user = await findUserById(userId);
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    await recordFailure('passwordConfirm', userId);
    return { ok: false, reason: 'invalid' };
  }
  await clearFailures('passwordConfirm', userId);
  return { ok: true };
}

export type ChangePasswordOutcome = PasswordCheck | { ok: false; reason: 'weak'; message: string };

/** Changes the password and ends every other session of the user. */
export async function changePassword(input: {
  userId: string;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
}): Promise<ChangePasswordOutcome> {
  const check = await confirmPassword(input.userId, input.currentPassword);
  if (!check.ok) return check;
  const user = await findUserById(input.userId);
  const weakness = await passwordWeakness(input.newPassword, user ? [user.email] : []);
  if (weakness) return { ok: false, reason: 'weak', message: weakness };
  const db = await getDb();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), passwordChangedAt: new Date() })
    .where(eq(users.id, input.userId));
  const ended = await revokeUserSessions(input.userId, { exceptSessionId: input.sessionId });
  await markReauthenticated(input.sessionId);
  if (user) sendMailAfterResponse(passwordChangedMail(await recipientOf(user), new Date(), 'changed'));
  logger().info({ event: 'account.password_changed', userId: input.userId, endedSessions: ended }, 'password changed');
  return { ok: true };
}

export type DeleteAccountOutcome = PasswordCheck | { ok: false; reason: 'cleanup_failed'; provider: string };

/**
 * Deletes the account: providers first (so nothing is left behind with them if we stop half-way),
 * then every row of the user (the schema cascades from users).
 */
export async function deleteAccount(
  input: { userId: string; password: string },
  hooks: AccountCleanupHook[] = accountCleanupHooks,
): Promise<DeleteAccountOutcome> {
  const check = await confirmPassword(input.userId, input.password);
  if (!check.ok) return check;
  for (const hook of hooks) {
    try {
      await hook.run(input.userId);
    } catch (error) {
      logger().error({ event: 'account.cleanup_failed', userId: input.userId, provider: hook.name, err: error }, 'provider clean-up failed');
      return { ok: false, reason: 'cleanup_failed', provider: hook.name };
    }
  }
  const db = await getDb();
  // Who to tell, read before the row goes.
  const user = await findUserById(input.userId);
  await db.delete(users).where(eq(users.id, input.userId));
  // Its sessions went with it: open event streams end now rather than at their expiry.
  await publishEvent({ topic: 'sessions', userId: input.userId });
  if (user) sendMailAfterResponse(accountDeletedMail(await recipientOf(user), new Date()));
  logger().info({ event: 'account.deleted', userId: input.userId }, 'account deleted');
  return { ok: true };
}
