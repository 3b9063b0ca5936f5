import 'server-only';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { authSessions, users, type AuthSession, type User } from '@/lib/db/schema';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would cost a write per page view; once a minute is enough
// for a 30-minute idle timeout.
const TOUCH_INTERVAL_MS = 60 * 1000;

export type SessionState = 'active' | 'revoked' | 'idle' | 'expired';

export function sessionState(session: Pick<AuthSession, 'createdAt' | 'lastSeenAt' | 'revokedAt'>, now: Date): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() - session.createdAt.getTime() >= ABSOLUTE_LIFETIME_MS) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= IDLE_TIMEOUT_MS) return 'idle';
  return 'active';
}

export async function createAuthSession(userId: string, userAgent: string | null, now = new Date()): Promise<AuthSession> {
  const db = await getDb();
  const [session] = await db
    .insert(authSessions)
    .values({ userId, userAgent: userAgent?.slice(0, 300) ?? null, createdAt: now, lastSeenAt: now, authenticatedAt: now })
    .returning();
  await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
  return session!;
}

/** The session and its user when the session is still active; marks it as seen. */
export async function loadActiveSession(sessionId: string, now = new Date()): Promise<{ session: AuthSession; user: User } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const db = await getDb();
  const [row] = await db.select().from(authSessions).innerJoin(users, eq(users.id, authSessions.userId)).where(eq(authSessions.id, sessionId));
  if (!row) return null;
  const session = row.auth_sessions;
  const state = sessionState(session, now);
  if (state !== 'active') {
    if (!session.revokedAt) await revokeSession(sessionId, now);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await db.update(authSessions).set({ lastSeenAt: now }).where(eq(authSessions.id, sessionId));
    session.lastSeenAt = now;
  }
  return { session, user: row.users };
}

export async function revokeSession(sessionId: string, now = new Date()): Promise<void> {
  const db = await getDb();
  await db
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
}

/** Ends every session of the user, or every other one when `exceptSessionId` is given. Returns how many ended. */
export async function revokeUserSessions(userId: string, options: { exceptSessionId?: string; now?: Date } = {}): Promise<number> {
  const db = await getDb();
  const conditions = [eq(authSessions.userId, userId), isNull(authSessions.revokedAt)];
  if (options.exceptSessionId) conditions.push(ne(authSessions.id, options.exceptSessionId));
  const ended = await db
    .update(authSessions)
    .set({ revokedAt: options.now ?? new Date() })
    .where(and(...conditions))
    .returning({ id: authSessions.id });
  return ended.length;
}

/** The user typed their password again in this session. */
export async function markReauthenticated(sessionId: string, now = new Date()): Promise<void> {
  const db = await getDb();
  const [session] = await db
    .update(authSessions)
    .set({ authenticatedAt: now, lastSeenAt: now })
    .where(eq(authSessions.id, sessionId))
    .returning({ userId: authSessions.userId });
  if (session) await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, session.userId));
}
