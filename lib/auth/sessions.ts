import 'server-only';
import { and, desc, eq, gt, isNull, ne, or, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { prepared } from '@/lib/db/prepared';
import { getEnv } from '@/lib/env';
import { authSessions, passkeys, totpAuthenticators, users, type AuthSession, type User } from '@/lib/db/schema';
import { publishEvent } from '@/lib/events/process-bus';

/** The idle timeout: 30 minutes (SESSION_IDLE_SECONDS may shorten it for tests and demos, never lengthen it). */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
const idleTimeoutMs = () => Math.min(getEnv().sessionIdleMs, IDLE_TIMEOUT_MS);
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would cost a write per page view; once a minute is enough
// for a 30-minute idle timeout.
const TOUCH_INTERVAL_MS = 60 * 1000;
// A rotated-away session id keeps working this long: the request that rotated it renders its answer
// with the cookie it came with, and other tabs may have requests in flight.
export const ROTATION_GRACE_MS = 10 * 1000;
// A phone's hand-off session (lib/handoff) is for taking one photo: half an hour is plenty, and Finqware's
// nonce for the step lasts no longer.
export const HANDOFF_SESSION_LIFETIME_MS = 30 * 60 * 1000;
// A login waiting for its second factor (or for one to be set up, REQUIRE_2FA): ten minutes to give it.
export const PENDING_LOGIN_LIFETIME_MS = 10 * 60 * 1000;

// Not revoked yet: no revocation, or one scheduled for later (a rotation's grace).
const notYetRevoked = (now: Date) => or(isNull(authSessions.revokedAt), gt(authSessions.revokedAt, now));

export type SessionState = 'active' | 'revoked' | 'idle' | 'expired';

export function sessionState(
  session: Pick<AuthSession, 'createdAt' | 'lastSeenAt' | 'revokedAt'> & Partial<Pick<AuthSession, 'handoffId' | 'secondFactor'>>,
  now: Date,
): SessionState {
  if (session.revokedAt && session.revokedAt.getTime() <= now.getTime()) return 'revoked';
  const lifetime = session.secondFactor ? PENDING_LOGIN_LIFETIME_MS : session.handoffId ? HANDOFF_SESSION_LIFETIME_MS : ABSOLUTE_LIFETIME_MS;
  if (now.getTime() - session.createdAt.getTime() >= lifetime) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= idleTimeoutMs()) return 'idle';
  return 'active';
}

/**
 * A login's session. With `secondFactor` set it is only the first half of one (lib/auth/two-factor): it opens the
 * second-factor page and nothing else, until the factor is given and the session rotates into a full one.
 */
export async function createAuthSession(
  userId: string,
  userAgent: string | null,
  now = new Date(),
  { secondFactor = null }: { secondFactor?: 'verify' | 'enrol' | null } = {},
): Promise<AuthSession> {
  const db = await getDb();
  const [session] = await db
    .insert(authSessions)
    .values({ userId, userAgent: userAgent?.slice(0, 300) ?? null, createdAt: now, lastSeenAt: now, authenticatedAt: now, secondFactor })
    .returning();
  if (!secondFactor) await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
  return session!;
}

type Executor = Pick<Awaited<ReturnType<typeof getDb>>, 'insert'>;

/**
 * A phone's session opened by a hand-off link (lib/handoff/open.ts), in the transaction that takes the link.
 * No password was typed: it never counts as a recent login, and the data-access layer lets it open only the
 * hand-off's onboarding step.
 */
export async function createHandoffSession(
  executor: Executor,
  input: { userId: string; handoffId: string; userAgent: string | null; now: Date },
): Promise<AuthSession> {
  const [session] = await executor
    .insert(authSessions)
    .values({
      userId: input.userId,
      handoffId: input.handoffId,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      createdAt: input.now,
      lastSeenAt: input.now,
      authenticatedAt: new Date(0),
    })
    .returning();
  return session!;
}

// Ids reach the uuid column only when they look like one: anything else names no session.
const isSessionId = (sessionId: string) => /^[0-9a-f-]{36}$/i.test(sessionId);

/** When an active session ends unless the user does something: 30 minutes after last seen, or at its absolute end. */
export function sessionExpiresAt(session: Pick<AuthSession, 'createdAt' | 'lastSeenAt'>): Date {
  return new Date(Math.min(session.lastSeenAt.getTime() + idleTimeoutMs(), session.createdAt.getTime() + ABSOLUTE_LIFETIME_MS));
}

/** Which second factors a user has (a confirmed authenticator app, a passkey): what every portal page's step-up fields need. */
export interface SecondFactorKinds {
  totp: boolean;
  passkey: boolean;
}

/**
 * The session and its user when the session is still active, with the user's second factors, in one query; marks it
 * as seen, unless `touch` is false: requests a page makes by itself (the notification poll, the idle warning's check)
 * are not the user's activity, or an open tab would keep a session alive for ever.
 */
export type ActiveSessionRow = Pick<AuthSession, 'id' | 'createdAt' | 'lastSeenAt' | 'authenticatedAt' | 'revokedAt' | 'handoffId' | 'secondFactor'>;
export type ActiveSessionUser = Pick<User, 'id' | 'email' | 'lastLoginAt' | 'timeZone' | 'locale' | 'emailVerifiedAt'>;

// Read on every request: the session, its user and which second factors they have, in one prepared statement.
const sessionWithUser = prepared((db) =>
  db
    .select({
      // Only what a request needs: never the password hash or a WebAuthn challenge on every page.
      session: {
        id: authSessions.id,
        createdAt: authSessions.createdAt,
        lastSeenAt: authSessions.lastSeenAt,
        authenticatedAt: authSessions.authenticatedAt,
        revokedAt: authSessions.revokedAt,
        handoffId: authSessions.handoffId,
        secondFactor: authSessions.secondFactor,
      },
      user: {
        id: users.id,
        email: users.email,
        lastLoginAt: users.lastLoginAt,
        timeZone: users.timeZone,
        locale: users.locale,
        emailVerifiedAt: users.emailVerifiedAt,
      },
      totp: sql<boolean>`exists (select 1 from ${totpAuthenticators} where ${totpAuthenticators.userId} = ${users.id} and ${totpAuthenticators.confirmedAt} is not null)`,
      passkey: sql<boolean>`exists (select 1 from ${passkeys} where ${passkeys.userId} = ${users.id})`,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(eq(authSessions.id, sql.placeholder('sessionId')))
    .prepare('session_with_user'),
);

export async function loadActiveSession(
  sessionId: string,
  now = new Date(),
  { touch = true }: { touch?: boolean } = {},
): Promise<{ session: ActiveSessionRow; user: ActiveSessionUser; secondFactors: SecondFactorKinds } | null> {
  if (!isSessionId(sessionId)) return null;
  const [row] = await (await sessionWithUser()).execute({ sessionId });
  if (!row) return null;
  const { session } = row;
  const state = sessionState(session, now);
  if (state !== 'active') {
    if (state !== 'revoked') await revokeSession(sessionId, now);
    return null;
  }
  if (touch && now.getTime() - session.lastSeenAt.getTime() >= Math.min(TOUCH_INTERVAL_MS, idleTimeoutMs() / 10)) {
    const db = await getDb();
    await db.update(authSessions).set({ lastSeenAt: now }).where(eq(authSessions.id, sessionId));
    session.lastSeenAt = now;
  }
  return { session, user: row.user, secondFactors: { totp: row.totp === true, passkey: row.passkey === true } };
}

/**
 * When a portal session (not a phone's hand-off, not a login still waiting for its second factor) ends unless the user
 * does something, read without counting as activity; null when it has ended. A session rotated away ends with its
 * grace. For requests that outlive their start (event streams), which check again at that moment.
 */
export async function portalSessionEnd(sessionId: string, userId: string, now = new Date()): Promise<Date | null> {
  const active = await loadActiveSession(sessionId, now, { touch: false });
  if (!active || active.user.id !== userId || active.session.handoffId !== null || active.session.secondFactor !== null) return null;
  const end = sessionExpiresAt(active.session);
  const revokedAt = active.session.revokedAt;
  return revokedAt && revokedAt.getTime() < end.getTime() ? revokedAt : end;
}

/** "Stay signed in": the user is here, whatever the touch interval says; returns the session's new end. */
export async function extendSession(sessionId: string, now = new Date()): Promise<Date | null> {
  if (!isSessionId(sessionId)) return null;
  const db = await getDb();
  const [session] = await db
    .update(authSessions)
    .set({ lastSeenAt: now })
    // Only a session still active: one already idle or past its lifetime stays ended.
    .where(
      and(
        eq(authSessions.id, sessionId),
        notYetRevoked(now),
        gt(authSessions.lastSeenAt, new Date(now.getTime() - idleTimeoutMs())),
        gt(authSessions.createdAt, new Date(now.getTime() - ABSOLUTE_LIFETIME_MS)),
      ),
    )
    .returning();
  if (!session) return null;
  return sessionExpiresAt(session);
}

// Every revocation is told on the event bus (after it is committed), so the user's open event streams
// (app/api/events) check their session at once rather than at its expiry.
const sessionsChanged = (userId: string | undefined) => (userId ? publishEvent({ topic: 'sessions', userId }) : Promise.resolve());

export async function revokeSession(sessionId: string, now = new Date()): Promise<void> {
  if (!isSessionId(sessionId)) return;
  const db = await getDb();
  const [ended] = await db
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.id, sessionId), notYetRevoked(now)))
    .returning({ userId: authSessions.userId });
  await sessionsChanged(ended?.userId);
}

/** Ends every session of the user, or every other one when `exceptSessionId` is given. Returns how many ended. */
export async function revokeUserSessions(userId: string, options: { exceptSessionId?: string; now?: Date } = {}): Promise<number> {
  const db = await getDb();
  const now = options.now ?? new Date();
  const conditions = [eq(authSessions.userId, userId), notYetRevoked(now)];
  if (options.exceptSessionId) conditions.push(ne(authSessions.id, options.exceptSessionId));
  const ended = await db
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(...conditions))
    .returning({ id: authSessions.id });
  if (ended.length > 0) await sessionsChanged(userId);
  return ended.length;
}

/**
 * The user's sessions that are still active (not the phones' hand-off sessions), the most recently used first; a
 * session rotated away and still in its grace is left out: its successor stands for it.
 */
export async function listActiveSessions(userId: string, now = new Date()): Promise<AuthSession[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), notYetRevoked(now), isNull(authSessions.handoffId), isNull(authSessions.secondFactor)))
    .orderBy(desc(authSessions.lastSeenAt));
  const replaced = new Set(rows.map((row) => row.rotatedFrom).filter((id) => id !== null));
  return rows.filter((row) => sessionState(row, now) === 'active' && !replaced.has(row.id));
}

/** Ends one of the user's own sessions; false when it is not theirs or has already ended. */
export async function revokeOwnSession(userId: string, sessionId: string, now = new Date()): Promise<boolean> {
  if (!isSessionId(sessionId)) return false;
  const db = await getDb();
  const ended = await db
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId), notYetRevoked(now)))
    .returning({ id: authSessions.id });
  if (ended.length > 0) await sessionsChanged(userId);
  return ended.length > 0;
}

/**
 * The user typed their password again (or gave the second factor that finishes a login): the session goes on under a
 * new id, a full session, and the old row is revoked (after ROTATION_GRACE_MS), so an id seen before the
 * re-authentication is worth nothing after it. The absolute lifetime still counts from the login. Returns the new
 * session's id, or undefined when the old one is no longer active.
 */
export async function rotateSession(sessionId: string, now = new Date()): Promise<string | undefined> {
  const db = await getDb();
  const rotated = await db.transaction(async (tx) => {
    const [old] = await tx
      .update(authSessions)
      .set({ revokedAt: new Date(now.getTime() + ROTATION_GRACE_MS) })
      // A hand-off session never rotates: its successor would be a full session.
      .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt), isNull(authSessions.handoffId)))
      .returning();
    if (!old) return undefined;
    const [fresh] = await tx
      .insert(authSessions)
      .values({ userId: old.userId, userAgent: old.userAgent, createdAt: old.createdAt, lastSeenAt: now, authenticatedAt: now, rotatedFrom: old.id })
      .returning({ id: authSessions.id });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, old.userId));
    return { id: fresh!.id, userId: old.userId };
  });
  // The old id's streams end with its grace (they check it now); the browser comes back with the new cookie.
  await sessionsChanged(rotated?.userId);
  return rotated?.id;
}

/**
 * The session id a cookie may move to: only the one rotated from the cookie's own, for the same user and
 * still active. next-auth's update endpoint lets a browser ask for any value, so nothing else is taken.
 */
export async function rotatedSessionFor(currentSessionId: string, userId: string, proposed: unknown): Promise<string | undefined> {
  if (typeof proposed !== 'string' || !/^[0-9a-f-]{36}$/i.test(proposed) || !/^[0-9a-f-]{36}$/i.test(currentSessionId)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(and(eq(authSessions.id, proposed), eq(authSessions.rotatedFrom, currentSessionId), eq(authSessions.userId, userId), isNull(authSessions.revokedAt)));
  return row?.id;
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
