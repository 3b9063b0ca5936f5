import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '@/test/databases';
import { setDatabaseForTests } from '@/lib/db/client';
import { authSessions, companyProfiles, users } from '@/lib/db/schema';
import { authenticate } from '@/lib/auth/login';
import { loadActiveSession, revokeUserSessions } from '@/lib/auth/sessions';
import { changePassword, deleteAccount, signUp } from './service';

const PASSWORD = 'orbit-lantern-velvet-73';
const uniqueEmail = () => `user-${randomUUID()}@example.com`;
const uniqueIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

async function newAccount(email = uniqueEmail()) {
  const outcome = await signUp({ email, password: PASSWORD, ip: uniqueIp() });
  if (!outcome.ok) throw new Error('sign-up failed in test setup');
  return { email, userId: outcome.userId };
}

describe.each(databaseKinds)('accounts on %s', (kind) => {
  let database: TestDatabase & { drop: () => Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    setDatabaseForTests(database);
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await database.drop();
  });

  it('signs up once per email, whatever its case', async () => {
    const { email } = await newAccount();
    const again = await signUp({ email: email.toUpperCase(), password: PASSWORD, ip: uniqueIp() });
    expect(again).toMatchObject({ ok: false, field: 'email' });
  });

  it('refuses a common password with advice', async () => {
    const outcome = await signUp({ email: uniqueEmail(), password: 'password1234', ip: uniqueIp() });
    expect(outcome).toMatchObject({ ok: false, field: 'password' });
    expect(outcome.ok === false && 'message' in outcome && outcome.message).toMatch(/too easy to guess/);
  });

  it('refuses a password that is mostly the email address', async () => {
    const email = `marguerite.delacroix-${randomUUID().slice(0, 4)}@example.com`;
    const outcome = await signUp({ email, password: 'marguerite.delacroix', ip: uniqueIp() });
    expect(outcome).toMatchObject({ ok: false, field: 'password' });
  });

  it('logs in with the right password, records when, and opens an active session', async () => {
    const { email, userId } = await newAccount();
    const outcome = await authenticate({ email: ` ${email.toUpperCase()} `, password: PASSWORD, ip: uniqueIp(), userAgent: 'vitest' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const active = await loadActiveSession(outcome.session.id);
    expect(active?.user.id).toBe(userId);
    expect(active?.user.lastLoginAt).toBeInstanceOf(Date);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const { email } = await newAccount();
    const wrong = await authenticate({ email, password: 'not-the-password-at-all', ip: uniqueIp(), userAgent: null });
    const unknown = await authenticate({ email: uniqueEmail(), password: PASSWORD, ip: uniqueIp(), userAgent: null });
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual({ ok: false, reason: 'invalid' });
  });

  it('locks an account after five failures, even for the right password, and for unknown emails alike', async () => {
    const { email } = await newAccount();
    const ghost = uniqueEmail();
    for (let i = 0; i < 5; i++) {
      await authenticate({ email, password: `wrong-guess-number-${i}`, ip: uniqueIp(), userAgent: null });
      await authenticate({ email: ghost, password: `wrong-guess-number-${i}`, ip: uniqueIp(), userAgent: null });
    }
    const locked = await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null });
    const ghostLocked = await authenticate({ email: ghost, password: PASSWORD, ip: uniqueIp(), userAgent: null });
    expect(locked).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(ghostLocked).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(locked.ok === false && locked.reason === 'rate_limited' && locked.retryAfterSeconds).toBeGreaterThan(60);
  });

  it('limits failures per IP across accounts', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 50; i++) await authenticate({ email: uniqueEmail(), password: 'wrong-guess-xyz', ip, userAgent: null });
    const { email } = await newAccount();
    expect(await authenticate({ email, password: PASSWORD, ip, userAgent: null })).toMatchObject({ ok: false, reason: 'rate_limited' });
  }, 60_000);

  it('logs out everywhere', async () => {
    const { email, userId } = await newAccount();
    const first = await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null });
    const second = await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null });
    if (!first.ok || !second.ok) throw new Error('login failed');
    expect(await revokeUserSessions(userId)).toBe(2);
    expect(await loadActiveSession(first.session.id)).toBeNull();
    expect(await loadActiveSession(second.session.id)).toBeNull();
  });

  it('a password change ends every other session and the old password stops working', async () => {
    const { email, userId } = await newAccount();
    const here = await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null });
    const elsewhere = await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null });
    if (!here.ok || !elsewhere.ok) throw new Error('login failed');
    const newPassword = 'quartz-meadow-ferry-1984';
    expect(await changePassword({ userId, sessionId: here.session.id, currentPassword: 'wrong-current-password', newPassword })).toEqual({ ok: false, reason: 'invalid' });
    expect(await changePassword({ userId, sessionId: here.session.id, currentPassword: PASSWORD, newPassword })).toEqual({ ok: true });
    expect(await loadActiveSession(here.session.id)).not.toBeNull();
    expect(await loadActiveSession(elsewhere.session.id)).toBeNull();
    expect(await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null })).toEqual({ ok: false, reason: 'invalid' });
    expect((await authenticate({ email, password: newPassword, ip: uniqueIp(), userAgent: null })).ok).toBe(true);
  });

  it('deletes every row of the user after the providers clean up, and nothing on a wrong password', async () => {
    const { email, userId } = await newAccount();
    const other = await newAccount();
    await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null });
    await database.db.insert(companyProfiles).values({ userId, countryCode: 'FR', identificationNumber: '529196313', language: 'fr', contactEmail: email });
    const hook = { name: 'Bridge', run: vi.fn(async () => undefined) };

    expect(await deleteAccount({ userId, password: 'not-my-password-123' }, [hook])).toEqual({ ok: false, reason: 'invalid' });
    expect(hook.run).not.toHaveBeenCalled();

    expect(await deleteAccount({ userId, password: PASSWORD }, [hook])).toEqual({ ok: true });
    expect(hook.run).toHaveBeenCalledWith(userId);
    expect(await database.db.select().from(users).where(eq(users.id, userId))).toHaveLength(0);
    expect(await database.db.select().from(authSessions).where(eq(authSessions.userId, userId))).toHaveLength(0);
    expect(await database.db.select().from(companyProfiles).where(eq(companyProfiles.userId, userId))).toHaveLength(0);
    expect(await database.db.select().from(users).where(eq(users.id, other.userId))).toHaveLength(1);
  });

  it('keeps the account when a provider clean-up fails', async () => {
    const { userId } = await newAccount();
    const failing = { name: 'Bridge', run: async () => Promise.reject(new Error('Bridge is down')) };
    expect(await deleteAccount({ userId, password: PASSWORD }, [failing])).toEqual({ ok: false, reason: 'cleanup_failed', provider: 'Bridge' });
    expect(await database.db.select().from(users).where(eq(users.id, userId))).toHaveLength(1);
  });
});
