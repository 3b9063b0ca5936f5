import 'server-only';
import { confirmPassword } from '@/lib/account/service';
import { translator } from '@/lib/i18n/server';
import { logger } from '@/lib/log';
import { updateSessionCookie } from './config';
import { isRecentLogin, type CurrentUser } from './dal';
import { waitMessage } from './rate-limit';
import { clearFailures, recordFailure, retryAfter } from './rate-limit';
import { rotateSession } from './sessions';
import { factorSummary, hasSecondFactor, verifySecondFactor, type SecondFactorProof } from './two-factor/factors';

// Step-up before any action that yields a guidance password or changes who gets it (opening a session,
// showing it again, reporting a leak, changing the company's identification or contacts, revoking a
// consent, changing the sign-in methods): the user must have logged in within RECENT_LOGIN_SECONDS, or confirm it is
// them now: their password, and their second factor when they have one (a code, a recovery code or a passkey). That
// rotates the session id, so an id seen before is worth nothing after.

export type StepUpOutcome = { ok: true; user: CurrentUser } | { ok: false; reason: 'reauth'; message?: string; field?: 'password' | 'code' };

/** The user, fit for a sensitive action; or 'reauth' with the sentence to show next to the field it is about. */
export async function stepUp(user: CurrentUser, password: string | undefined, proof: SecondFactorProof = {}): Promise<StepUpOutcome> {
  if (password === undefined || password === '') return isRecentLogin(user) ? { ok: true, user } : { ok: false, reason: 'reauth' };
  const check = await confirmPassword(user.id, password);
  if (!check.ok) {
    const message = check.reason === 'rate_limited' ? waitMessage(check.retryAfterSeconds) : (await translator('auth'))('errors.notYourPassword');
    return { ok: false, reason: 'reauth', message, field: 'password' };
  }
  if (hasSecondFactor(await factorSummary(user.id))) {
    // Counted apart from the password's failures, and forgiven only once both were right: a right password does not
    // wipe the count of wrong codes.
    const wait = await retryAfter('secondFactorConfirm', user.id);
    if (wait > 0) return { ok: false, reason: 'reauth', message: waitMessage(wait), field: 'code' };
    const factor = await verifySecondFactor(user.id, user.sessionId, proof);
    if (!factor.ok) {
      if (factor.reason === 'invalid') await recordFailure('secondFactorConfirm', user.id);
      const t = await translator('twoFactor');
      return { ok: false, reason: 'reauth', message: factor.reason === 'missing' ? t('errors.codeRequired') : t('errors.wrongCode'), field: 'code' };
    }
    await clearFailures('secondFactorConfirm', user.id);
  }
  const rotated = await rotateAfterPassword(user);
  return rotated ? { ok: true, user: rotated } : { ok: false, reason: 'reauth' };
}

/** After the user typed their password (step-up, password change): a new session id, in the cookie too. */
export async function rotateAfterPassword(user: CurrentUser): Promise<CurrentUser | undefined> {
  const now = new Date();
  const sessionId = await rotateSession(user.sessionId, now);
  if (!sessionId) return undefined;
  await updateSessionCookie({ sessionId } as Parameters<typeof updateSessionCookie>[0]);
  logger().info({ event: 'auth.reauthenticated', userId: user.id }, 'password confirmed; session id rotated');
  return { ...user, sessionId, authenticatedAt: now };
}
