import 'server-only';
import { cache } from 'react';
import { redirect } from 'next/navigation';
import { auth } from './config';
import { loadActiveSession } from './sessions';

export interface CurrentUser {
  id: string;
  email: string;
  sessionId: string;
  /** When the user last typed their password in this session. */
  authenticatedAt: Date;
  lastLoginAt: Date | null;
}

// How recent a password entry must be before a sensitive action (guidance password, deletion).
export const RECENT_LOGIN_MS = 15 * 60 * 1000;

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
  };
});

/** For pages and actions: the user, or a redirect to the login page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

export function isRecentLogin(user: CurrentUser, now = Date.now()): boolean {
  return now - user.authenticatedAt.getTime() < RECENT_LOGIN_MS;
}

/** The user when they typed their password within RECENT_LOGIN_MS; otherwise 'reauth' so the caller asks for it. */
export async function requireRecentLogin(): Promise<CurrentUser | 'reauth'> {
  const user = await requireUser();
  return isRecentLogin(user) ? user : 'reauth';
}
