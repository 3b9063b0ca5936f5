import { describe, expect, it } from 'vitest';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import {
  ABSOLUTE_LIFETIME_MS,
  IDLE_TIMEOUT_MS,
  ROTATION_GRACE_MS,
  createAuthSession,
  extendSession,
  loadActiveSession,
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

describe.each(databaseKinds)('session rotation on %s', (kind) => {
  const database = useTestDatabase(kind);

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
