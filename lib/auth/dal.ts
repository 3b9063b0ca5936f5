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

/**
 * The signed-in user, checked against the session table (revocation, idle timeout, absolute
 * lifetime) once per request. Every page, action and route handler goes through here.
 */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  if (!session?.sessionId) return null;
  const active = await loadActiveSession(session.sessionId);
  if (!active || active.user.id !== session.user?.id) return null;
  return {
    id: active.user.id,
    email: active.user.email,
    sessionId: active.session.id,
    authenticatedAt: active.session.authenticatedAt,
    lastLoginAt: active.user.lastLoginAt,
    timeZone: active.user.timeZone,
    locale: active.user.locale,
  };
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
