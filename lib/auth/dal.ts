import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getEnv } from '@/lib/env';
import { auth } from './config';
import { safeReturnPath } from './flow-state';
import { loadActiveSession, sessionExpiresAt } from './sessions';

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
}

async function loadUser(touch: boolean): Promise<CurrentUser | null> {
  const session = await auth();
  if (!session?.sessionId) return null;
  const active = await loadActiveSession(session.sessionId, new Date(), { touch });
  if (!active || active.user.id !== session.user?.id) return null;
  return {
    id: active.user.id,
    email: active.user.email,
    sessionId: active.session.id,
    authenticatedAt: active.session.authenticatedAt,
    lastLoginAt: active.user.lastLoginAt,
    timeZone: active.user.timeZone,
    locale: active.user.locale,
    expiresAt: sessionExpiresAt(active.session),
  };
}

/**
 * The signed-in user, checked against the session table (revocation, idle timeout, absolute
 * lifetime) once per request. Every page, action and route handler goes through here.
 */
export const currentUser = cache(() => loadUser(true));

/**
 * The same check for requests a page makes by itself (the notification poll, the idle warning): they do not count
 * as the user's activity, so the idle timeout still ends a session left open in a tab.
 */
export const currentUserPassive = cache(() => loadUser(false));

/**
 * Where to send someone whose session is not valid. A session cookie that named a session which has ended (idle,
 * expired, revoked) gets the reason and the page to come back to, so the login page can say why and return there.
 */
export async function loginRedirectPath(returnTo?: string): Promise<string> {
  const session = await auth();
  if (!session?.sessionId) return '/login';
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
