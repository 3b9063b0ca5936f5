import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getEnv } from '@/lib/env';
import { safeReturnPath } from './flow-state';
import { sessionClaimsFrom } from './session-cookie';
import { loadActiveSession, sessionExpiresAt, type SecondFactorKinds } from './sessions';

export interface CurrentUser {
  id: string;
  email: string;
  sessionId: string;
  /** When the user last typed their password in this session. */
  authenticatedAt: Date;
  lastLoginAt: Date | null;
  /** IANA zone the browser reported; null: unknown (dates are shown in Europe/Paris). */
  timeZone: string | null;
  /** The language the user saved with the switch; null: the browser's languages decide. */
  locale: string | null;
  /** When the session ends unless the user does something (idle timeout or absolute lifetime). */
  expiresAt: Date;
  /** The user confirmed their address (the sign-up link); until then guidance and onboarding stay closed. */
  emailVerified: boolean;
  /** The second factors the user has, read with the session (step-up fields on every portal page ask for them). */
  secondFactors: SecondFactorKinds;
}

type ActiveSession = NonNullable<Awaited<ReturnType<typeof loadActiveSession>>>;

// The session the request's cookie names, checked against the session table (revocation, idle timeout,
// absolute lifetime) once per request, whatever it opens. Passive: not counted as the user's activity.
const claims = cache(async () => sessionClaimsFrom(await headers()));
async function loadActive(touch: boolean): Promise<ActiveSession | null> {
  const session = await claims();
  if (!session) return null;
  const active = await loadActiveSession(session.sessionId, new Date(), { touch });
  if (!active || active.user.id !== session.userId) return null;
  return active;
}
const activeSession = cache(() => loadActive(true));
const passiveSession = cache(() => loadActive(false));

function asCurrentUser(active: ActiveSession): CurrentUser {
  return {
    id: active.user.id,
    email: active.user.email,
    sessionId: active.session.id,
    authenticatedAt: active.session.authenticatedAt,
    lastLoginAt: active.user.lastLoginAt,
    timeZone: active.user.timeZone,
    locale: active.user.locale,
    expiresAt: sessionExpiresAt(active.session),
    emailVerified: active.user.emailVerifiedAt !== null,
    secondFactors: active.secondFactors,
  };
}

/**
 * The signed-in user, checked against the session table (revocation, idle timeout, absolute
 * lifetime) once per request. Every page, action and route handler goes through here. A phone's
 * hand-off session is nobody here: it opens one onboarding step (handoffSession below) and nothing else.
 */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const active = await activeSession();
  if (!active || active.session.handoffId !== null || active.session.secondFactor !== null) return null;
  return asCurrentUser(active);
});

/**
 * The same check for requests a page makes by itself (the notification poll, the idle warning): they do not count
 * as the user's activity, so the idle timeout still ends a session left open in a tab.
 */
export const currentUserPassive = cache(async (): Promise<CurrentUser | null> => {
  const active = await passiveSession();
  if (!active || active.session.handoffId !== null || active.session.secondFactor !== null) return null;
  return asCurrentUser(active);
});

/**
 * A phone's hand-off session: its user and the hand-off link that opened it; null for any other session.
 * What it may open is decided by lib/handoff/access.ts, from the hand-off's onboarding and step.
 */
export const handoffSession = cache(async (): Promise<{ user: CurrentUser; handoffId: string } | null> => {
  const active = await activeSession();
  if (!active?.session.handoffId) return null;
  return { user: asCurrentUser(active), handoffId: active.session.handoffId };
});

/**
 * A login half done: the password was right, the second factor is still due ('verify'), or must first be set up
 * ('enrol', REQUIRE_2FA). Only the second-factor page and its actions take it.
 */
export const pendingLogin = cache(async (): Promise<{ user: CurrentUser; step: 'verify' | 'enrol' } | null> => {
  const active = await activeSession();
  if (!active?.session.secondFactor || active.session.handoffId !== null) return null;
  return { user: asCurrentUser(active), step: active.session.secondFactor };
});

/**
 * Where to send someone whose session is not valid. A session cookie that named a session which has ended (idle,
 * expired, revoked) gets the reason and the page to come back to, so the login page can say why and return there.
 * A phone's live hand-off session has not ended: it only never opened the rest of the portal.
 */
export async function loginRedirectPath(returnTo?: string): Promise<string> {
  const session = await claims();
  const passive = session ? await passiveSession() : null;
  // A login that still waits for its second factor goes on there.
  if (passive?.session.secondFactor) return '/login/two-factor';
  if (!session || passive?.session.handoffId) return '/login';
  const next = safeReturnPath(returnTo);
  return `/login?reason=session_ended${next && next !== '/' ? `&next=${encodeURIComponent(next)}` : ''}`;
}

/** For pages: the user, or a redirect to the login page (which brings them back here). */
export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(await loginRedirectPath((await headers()).get('x-pathname') ?? undefined));
  return user;
}

export function isRecentLogin(user: CurrentUser, now = Date.now()): boolean {
  // 15 minutes unless configured (RECENT_LOGIN_SECONDS).
  return now - user.authenticatedAt.getTime() < getEnv().recentLoginSeconds * 1000;
}
