import 'server-only';
import { cache } from 'react';
import { redirect } from 'next/navigation';
import { getEnv } from '@/lib/env';
import { auth } from './config';
import { loadActiveSession } from './sessions';

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
}

type ActiveSession = NonNullable<Awaited<ReturnType<typeof loadActiveSession>>>;

// The session the request's cookie names, checked against the session table (revocation, idle timeout,
// absolute lifetime) once per request, whatever it opens.
const activeSession = cache(async (): Promise<ActiveSession | null> => {
  const session = await auth();
  if (!session?.sessionId) return null;
  const active = await loadActiveSession(session.sessionId);
  if (!active || active.user.id !== session.user?.id) return null;
  return active;
});

function asCurrentUser(active: ActiveSession): CurrentUser {
  return {
    id: active.user.id,
    email: active.user.email,
    sessionId: active.session.id,
    authenticatedAt: active.session.authenticatedAt,
    lastLoginAt: active.user.lastLoginAt,
    timeZone: active.user.timeZone,
    locale: active.user.locale,
  };
}

/**
 * The signed-in user, checked against the session table (revocation, idle timeout, absolute
 * lifetime) once per request. Every page, action and route handler goes through here. A phone's
 * hand-off session is nobody here: it opens one onboarding step (handoffSession below) and nothing else.
 */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const active = await activeSession();
  if (!active || active.session.handoffId !== null) return null;
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

/** For pages and actions: the user, or a redirect to the login page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

export function isRecentLogin(user: CurrentUser, now = Date.now()): boolean {
  // 15 minutes unless configured (RECENT_LOGIN_SECONDS).
  return now - user.authenticatedAt.getTime() < getEnv().recentLoginSeconds * 1000;
}
