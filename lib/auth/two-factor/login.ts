import 'server-only';
import { cookies, headers } from 'next/headers';
import { noticeLoginFromNewDevice } from '@/lib/account/security-notices';
import { FLOW_COOKIE, safeReturnPath, unsealFlowState } from '@/lib/auth/flow-state';
import { deviceCookieFrom, rememberThisDevice } from '@/lib/auth/known-device';
import { clearLoginFailures, clientIp, loginWait, recordLoginFailure } from '@/lib/auth/login';
import { rotateAfterPassword } from '@/lib/auth/step-up';
import type { CurrentUser } from '@/lib/auth/dal';
import { logger } from '@/lib/log';
import { verifySecondFactor, type SecondFactorProof } from './factors';

/**
 * The end of every login (with or without a second factor): the new-device email, the known-device cookie, and the
 * page to go to: where the proxy sent the user from, else `returnTo` (the login page's `next`), else the dashboard.
 */
export async function finishLogin(email: string, returnTo: string | undefined): Promise<string> {
  const jar = await cookies();
  const requestHeaders = await headers();
  // A browser the account was never used in: the user is told by email, before the cookie below makes it known.
  await noticeLoginFromNewDevice(email, { cookieHeader: requestHeaders.get('cookie'), userAgent: requestHeaders.get('user-agent') });
  // This browser now knows the account: strangers' failures cannot lock it out (lib/auth/known-device.ts).
  await rememberThisDevice(email);
  const flow = await unsealFlowState(jar.get(FLOW_COOKIE)?.value);
  jar.delete(FLOW_COOKIE);
  return safeReturnPath(flow.returnTo) ?? safeReturnPath(returnTo) ?? '/';
}

export type SecondFactorOutcome =
  | { ok: true; user: CurrentUser; recoveryCodesLeft?: number }
  | { ok: false; reason: 'missing' | 'invalid' | 'ended' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * The second half of a login: the factor is checked under the login's limits (a wrong code counts as a wrong
 * password), then the half session rotates into a full one, under a new id in the cookie too.
 */
export async function giveSecondFactor(user: CurrentUser, proof: SecondFactorProof): Promise<SecondFactorOutcome> {
  const requestHeaders = await headers();
  const ip = clientIp(requestHeaders);
  const wait = await loginWait({ email: user.email, ip, deviceCookie: deviceCookieFrom(requestHeaders.get('cookie')) });
  if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  const check = await verifySecondFactor(user.id, user.sessionId, proof);
  if (!check.ok) {
    if (check.reason === 'invalid') {
      await recordLoginFailure(user.email, ip);
      logger().info({ event: 'login.second_factor_failed', userId: user.id, ip }, 'second factor refused');
    }
    return check;
  }
  return completeLogin(user, check.recoveryCodesLeft, check.method);
}

/** The half session becomes a full one (after the second factor, or after setting one up under REQUIRE_2FA). */
export async function completeLogin(user: CurrentUser, recoveryCodesLeft?: number, method?: string): Promise<SecondFactorOutcome> {
  const rotated = await rotateAfterPassword(user);
  if (!rotated) return { ok: false, reason: 'ended' };
  await clearLoginFailures(user.email, clientIp(await headers()));
  logger().info({ event: 'login.succeeded', userId: user.id, secondFactor: method ?? 'enrolled' }, 'login succeeded');
  return { ok: true, user: rotated, recoveryCodesLeft };
}
