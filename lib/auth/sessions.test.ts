import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { onboardings, passkeys, phoneHandoffs, totpAuthenticators } from '@/lib/db/schema';
import { databaseKinds, insertUser, useTestDatabase, type TestDatabase } from '@/test/databases';
import {
  ABSOLUTE_LIFETIME_MS,
  HANDOFF_SESSION_LIFETIME_MS,
  createHandoffSession,
  IDLE_TIMEOUT_MS,
  ROTATION_GRACE_MS,
  createAuthSession,
  extendSession,
  listActiveSessions,
  loadActiveSession,
  revokeOwnSession,
  revokeUserSessions,
  rotateSession,
  rotatedSessionFor,
  sessionExpiresAt,
  sessionState,
} from './sessions';

const start = new Date('2026-11-21T08:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

describe('session lifetime', () => {
  it('ends after 30 minutes without activity', () => {
    const session = { createdAt: start, lastSeenAt: start, revokedAt: null };
    expect(sessionState(session, at(IDLE_TIMEOUT_MS - 1000))).toBe('active');
    expect(sessionState(session, at(IDLE_TIMEOUT_MS))).toBe('idle');
  });

  it('ends 12 hours after login even when active', () => {
    const session = { createdAt: start, lastSeenAt: at(ABSOLUTE_LIFETIME_MS - 60_000), revokedAt: null };
    expect(sessionState(session, at(ABSOLUTE_LIFETIME_MS - 1000))).toBe('active');
    expect(sessionState(session, at(ABSOLUTE_LIFETIME_MS))).toBe('expired');
  });

  it('ends a phone’s hand-off session 30 minutes after it opened, even when active', () => {
    const session = {
      createdAt: start,
      lastSeenAt: at(HANDOFF_SESSION_LIFETIME_MS - 60_000),
      revokedAt: null,
      handoffId: '6f1d7c2e-0000-4000-8000-000000000001',
    };
    expect(sessionState(session, at(HANDOFF_SESSION_LIFETIME_MS - 1000))).toBe('active');
    expect(sessionState(session, at(HANDOFF_SESSION_LIFETIME_MS))).toBe('expired');
  });

  it('ends at once when revoked, or when a scheduled revocation comes', () => {
    expect(sessionState({ createdAt: start, lastSeenAt: start, revokedAt: start }, at(1000))).toBe('revoked');
    expect(sessionState({ createdAt: start, lastSeenAt: start, revokedAt: at(5000) }, at(1000))).toBe('active');
    expect(sessionState({ createdAt: start, lastSeenAt: start, revokedAt: at(5000) }, at(5000))).toBe('revoked');
  });
});

describe('when a session ends', () => {
  it('is 30 minutes after last seen, or the absolute end when that comes first', () => {
    expect(sessionExpiresAt({ createdAt: start, lastSeenAt: at(60_000) })).toEqual(at(60_000 + IDLE_TIMEOUT_MS));
    expect(sessionExpiresAt({ createdAt: start, lastSeenAt: at(ABSOLUTE_LIFETIME_MS - 60_000) })).toEqual(at(ABSOLUTE_LIFETIME_MS));
  });
});

describe.each(databaseKinds)('idle timeout and "Stay signed in" on %s', (kind) => {
  const database = useTestDatabase(kind);

  it('a passive check (the notification poll) does not keep the session alive; the user’s requests and "Stay signed in" do', async () => {
    const userId = await insertUser(database);
    const session = await createAuthSession(userId, 'vitest', start);
    // A tab polling every few minutes for 29 minutes: still the login's end.
    for (let minute = 5; minute < 30; minute += 5) expect(await loadActiveSession(session.id, at(minute * 60_000), { touch: false })).not.toBeNull();
    expect(await loadActiveSession(session.id, at(IDLE_TIMEOUT_MS), { touch: false })).toBeNull();

    const other = await createAuthSession(userId, 'vitest', start);
    // A page view at 20 minutes moves the end to 50; "Stay signed in" at 45 moves it to 75.
    expect((await loadActiveSession(other.id, at(20 * 60_000)))?.session.lastSeenAt).toEqual(at(20 * 60_000));
    expect(await extendSession(other.id, at(45 * 60_000))).toEqual(at(75 * 60_000));
    expect(await loadActiveSession(other.id, at(74 * 60_000), { touch: false })).not.toBeNull();
    // An ended session cannot be extended, even one nobody has looked at since it went idle.
    expect(await extendSession(session.id, at(31 * 60_000))).toBeNull();
    const forgotten = await createAuthSession(userId, 'vitest', start);
    expect(await extendSession(forgotten.id, at(IDLE_TIMEOUT_MS + 1000))).toBeNull();
    expect(await loadActiveSession(forgotten.id, at(IDLE_TIMEOUT_MS + 2000))).toBeNull();
  });
});
/** A phone's hand-off session of the user (lib/handoff), on a bare onboarding row. */
async function handoffSessionOf(database: TestDatabase, userId: string, now = new Date()) {
  const [onboarding] = await database.db.insert(onboardings).values({ userId, skillId: 'skill', skillName: 'Skill', steps: [] }).returning();
  const [handoff] = await database.db
    .insert(phoneHandoffs)
    .values({ userId, onboardingId: onboarding!.id, stepIndex: 0, tokenHash: `hash-${onboarding!.id}`, expiresAt: now })
    .returning();
  return createHandoffSession(database.db, { userId, handoffId: handoff!.id, userAgent: 'phone', now });
}

describe.each(databaseKinds)('session rotation on %s', (kind) => {
  const database = useTestDatabase(kind);

  it('never rotates a phone’s hand-off session: its successor would be a full session', async () => {
    const userId = await insertUser(database);
    const phone = await handoffSessionOf(database, userId);
    expect(await loadActiveSession(phone.id)).not.toBeNull();
    expect(await rotateSession(phone.id)).toBeUndefined();
    expect((await loadActiveSession(phone.id))?.session.handoffId).toBe(phone.handoffId);
  });

  it('moves the session to a new id; the old id works for the grace period only, the new one keeps the login time', async () => {
    const userId = await insertUser(database);
    const login = new Date('2026-11-27T09:00:00Z');
    const session = await createAuthSession(userId, 'vitest', login);
    const rotatedAt = new Date(login.getTime() + 20 * 60 * 1000);
    await loadActiveSession(session.id, new Date(rotatedAt.getTime() - 1000));
    const newId = await rotateSession(session.id, rotatedAt);
    expect(newId).toBeDefined();
    expect(newId).not.toBe(session.id);
    expect(await loadActiveSession(session.id, new Date(rotatedAt.getTime() + ROTATION_GRACE_MS - 1000))).not.toBeNull();
    expect(await loadActiveSession(session.id, new Date(rotatedAt.getTime() + ROTATION_GRACE_MS + 1000))).toBeNull();
    const fresh = await loadActiveSession(newId!, new Date(rotatedAt.getTime() + 2000));
    expect(fresh?.session.authenticatedAt).toEqual(rotatedAt);
    // The 12-hour lifetime still counts from the login, not from the rotation.
    expect(fresh?.session.createdAt).toEqual(login);
    // Rotating a revoked or unknown session gives nothing.
    expect(await rotateSession(session.id, new Date(rotatedAt.getTime() + 1000))).toBeUndefined();
  });

  it('lets a cookie move only to the session rotated from its own, for the same user', async () => {
    const userId = await insertUser(database);
    const other = await insertUser(database);
    const session = await createAuthSession(userId, null);
    const stranger = await createAuthSession(other, null);
    const newId = (await rotateSession(session.id))!;
    expect(await rotatedSessionFor(session.id, userId, newId)).toBe(newId);
    // Any other id a browser could send through next-auth's update endpoint is refused.
    expect(await rotatedSessionFor(session.id, userId, stranger.id)).toBeUndefined();
    expect(await rotatedSessionFor(stranger.id, other, newId)).toBeUndefined();
    expect(await rotatedSessionFor(session.id, other, newId)).toBeUndefined();
    expect(await rotatedSessionFor(session.id, userId, 'not-a-session')).toBeUndefined();
    expect(await rotatedSessionFor(session.id, userId, { sessionId: newId })).toBeUndefined();
  });

  it('"log out everywhere" also ends a rotated-away id still in its grace period', async () => {
    const userId = await insertUser(database);
    const session = await createAuthSession(userId, null);
    const newId = (await rotateSession(session.id))!;
    expect(await revokeUserSessions(userId)).toBe(2);
    expect(await loadActiveSession(session.id)).toBeNull();
    expect(await loadActiveSession(newId)).toBeNull();
  });
});

describe.each(databaseKinds)('the sessions a user sees on %s', (kind) => {
  const database = useTestDatabase(kind);

  it('lists the active ones, most recent first, without ended or rotated-away ones; ends only the user’s own', async () => {
    const userId = await insertUser(database);
    const stranger = await insertUser(database);
    const now = new Date();
    const older = await createAuthSession(userId, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0', new Date(now.getTime() - 5 * 60_000));
    const newer = await createAuthSession(userId, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36', new Date(now.getTime() - 60_000));
    const ended = await createAuthSession(userId, null, new Date(now.getTime() - 60_000));
    await revokeOwnSession(userId, ended.id, now);
    const rotated = await createAuthSession(userId, null, new Date(now.getTime() - 2 * 60_000));
    const successor = await rotateSession(rotated.id, now);
    const theirs = await createAuthSession(stranger, null, now);

    const listed = (await listActiveSessions(userId, now)).map((session) => session.id);
    expect(listed).toEqual([successor, newer.id, older.id]);
    expect(await revokeOwnSession(userId, theirs.id, now)).toBe(false);
    expect(await loadActiveSession(theirs.id, now)).not.toBeNull();
    expect(await revokeOwnSession(userId, 'not-a-session-id', now)).toBe(false);
    expect(await revokeOwnSession(userId, older.id, now)).toBe(true);
    expect((await listActiveSessions(userId, now)).map((session) => session.id)).toEqual([successor, newer.id]);
  });
});

describe.each(databaseKinds)('the session lookup every request makes on %s', (kind) => {
  const database = useTestDatabase(kind);

  it('tells which second factors the user has as they are at that request: only a confirmed app counts', async () => {
    const userId = await insertUser(database);
    const session = await createAuthSession(userId, 'vitest');
    expect((await loadActiveSession(session.id))?.secondFactors).toEqual({ totp: false, passkey: false });
    await database.db.insert(totpAuthenticators).values({ userId, secretSealed: 'sealed' });
    expect((await loadActiveSession(session.id))?.secondFactors).toEqual({ totp: false, passkey: false });
    await database.db.update(totpAuthenticators).set({ confirmedAt: new Date() }).where(eq(totpAuthenticators.userId, userId));
    expect((await loadActiveSession(session.id))?.secondFactors).toEqual({ totp: true, passkey: false });
    await database.db.insert(passkeys).values({ userId, credentialId: `cred-${userId}`, publicKey: 'key', name: 'Laptop' });
    expect((await loadActiveSession(session.id))?.secondFactors).toEqual({ totp: true, passkey: true });
    await database.db.delete(totpAuthenticators).where(eq(totpAuthenticators.userId, userId));
    expect((await loadActiveSession(session.id))?.secondFactors).toEqual({ totp: false, passkey: true });
  });
});
