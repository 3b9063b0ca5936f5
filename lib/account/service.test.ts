import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase, useTestDatabase } from '@/test/databases';
import { createBridgeClient } from '@/lib/bridge/client';
import { createBridgeLink, type BridgeLink } from '@/lib/bridge-link/service';
import { clearTokenCache } from '@/lib/bridge/token-cache';
import { setDatabaseForTests } from '@/lib/db/client';
import { authSessions, bridgeUsers, companyProfiles, finqwareCredentials, onboardings, onboardingSteps, users } from '@/lib/db/schema';
import { createFinqwareClient, type FinqwareClient, type FinqwareCredentials } from '@/lib/finqware/client';
import { deviceCookieValue } from '@/lib/auth/known-device';
import { authenticate } from '@/lib/auth/login';
import { loadActiveSession, revokeUserSessions } from '@/lib/auth/sessions';
import { clearCatalogCache, getOnboarding, revokeAllConsents, startOnboarding, submitFormStep, type OnboardingDeps } from '@/lib/onboarding/service';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { bridgeRequest } from '@guidepost/sandbox/bridge/testing';
import { CONSENT_TTL_MS, createFinqwareSandbox, type FinqwareSandbox } from '@guidepost/sandbox/finqware';
import type { AccountCleanupHook } from './cleanup-hooks';
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
  const database = useTestDatabase(kind);

  it('signs up once per email, whatever its case', async () => {
    const { email } = await newAccount();
    const again = await signUp({ email: email.toUpperCase(), password: PASSWORD, ip: uniqueIp() });
    // The same success as a new address (the page cannot tell them apart); the owner gets an email instead.
    expect(again).toMatchObject({ ok: true, created: false });
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

  describe('the browser’s time zone', () => {
    const zoneOf = async (userId: string) => (await database.db.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, userId)))[0]?.timeZone;

    it('is stored at sign-up when the browser sent a known zone, and not otherwise', async () => {
      const withZone = await signUp({ email: uniqueEmail(), password: PASSWORD, ip: uniqueIp(), timeZone: 'America/New_York' });
      const unknown = await signUp({ email: uniqueEmail(), password: PASSWORD, ip: uniqueIp(), timeZone: 'Mars/Olympus_Mons' });
      const none = await signUp({ email: uniqueEmail(), password: PASSWORD, ip: uniqueIp() });
      if (!withZone.ok || !unknown.ok || !none.ok) throw new Error('sign-up failed');
      expect(await zoneOf(withZone.userId)).toBe('America/New_York');
      expect(await zoneOf(unknown.userId)).toBeNull();
      expect(await zoneOf(none.userId)).toBeNull();
    });

    it('is updated at login, and an absent or invalid zone leaves the stored one', async () => {
      const { email, userId } = await newAccount();
      const login = (timeZone?: string) => authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null, timeZone });
      expect(await login('Asia/Tokyo')).toMatchObject({ ok: true });
      expect(await zoneOf(userId)).toBe('Asia/Tokyo');
      expect(await login()).toMatchObject({ ok: true });
      expect(await login('Not/A_Zone')).toMatchObject({ ok: true });
      expect(await zoneOf(userId)).toBe('Asia/Tokyo');
      // The name Intl lists, whatever alias the browser reported.
      expect(await login('Etc/UTC')).toMatchObject({ ok: true });
      expect(await zoneOf(userId)).toBe('UTC');
      const last = await login('Europe/Paris');
      if (!last.ok) throw new Error('login failed');
      expect((await loadActiveSession(last.session.id))?.user.timeZone).toBe('Europe/Paris');
    });

    it('is not stored by a failed login', async () => {
      const { email, userId } = await newAccount();
      expect(await authenticate({ email, password: 'wrong-password-here', ip: uniqueIp(), userAgent: null, timeZone: 'Asia/Tokyo' })).toMatchObject({
        ok: false,
      });
      expect(await zoneOf(userId)).toBeNull();
    });
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const { email } = await newAccount();
    const wrong = await authenticate({ email, password: 'not-the-password-at-all', ip: uniqueIp(), userAgent: null });
    const unknown = await authenticate({ email: uniqueEmail(), password: PASSWORD, ip: uniqueIp(), userAgent: null });
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual({ ok: false, reason: 'invalid' });
  });

  it('after five failures from one address, refuses that address for that account, right password included, and unknown emails alike; the owner elsewhere still logs in', async () => {
    const { email } = await newAccount();
    const ghost = uniqueEmail();
    const attacker = uniqueIp();
    for (let i = 0; i < 5; i++) {
      await authenticate({ email, password: `wrong-guess-number-${i}`, ip: attacker, userAgent: null });
      await authenticate({ email: ghost, password: `wrong-guess-number-${i}`, ip: attacker, userAgent: null });
    }
    const locked = await authenticate({ email, password: PASSWORD, ip: attacker, userAgent: null });
    const ghostLocked = await authenticate({ email: ghost, password: PASSWORD, ip: attacker, userAgent: null });
    expect(locked).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(ghostLocked).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(locked.ok === false && locked.reason === 'rate_limited' && locked.retryAfterSeconds).toBeGreaterThan(60);
    expect(await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null })).toMatchObject({ ok: true });
  });

  it('strangers guessing from many addresses make new devices wait, never the browser the owner logged in from', async () => {
    const { email } = await newAccount();
    const ghost = uniqueEmail();
    for (let i = 0; i < 30; i++) {
      await authenticate({ email, password: `wrong-guess-number-${i}`, ip: uniqueIp(), userAgent: null });
      await authenticate({ email: ghost, password: `wrong-guess-number-${i}`, ip: uniqueIp(), userAgent: null });
    }
    expect(await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: null })).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await authenticate({ email: ghost, password: PASSWORD, ip: uniqueIp(), userAgent: null })).toMatchObject({ ok: false, reason: 'rate_limited' });
    // The owner's own browser carries the known-device cookie this account's earlier login set.
    const knownDevice = deviceCookieValue(email);
    expect(await authenticate({ email, password: PASSWORD, ip: uniqueIp(), deviceCookie: knownDevice, userAgent: null })).toMatchObject({ ok: true });
    // A cookie made for another account, or tampered with, is no key.
    expect(await authenticate({ email, password: PASSWORD, ip: uniqueIp(), deviceCookie: deviceCookieValue(ghost), userAgent: null })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
    expect(await authenticate({ email, password: PASSWORD, ip: uniqueIp(), deviceCookie: `${knownDevice}x`, userAgent: null })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
  }, 60_000);

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
    expect(await changePassword({ userId, sessionId: here.session.id, currentPassword: 'wrong-current-password', newPassword })).toEqual({
      ok: false,
      reason: 'invalid',
    });
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

const BRIDGE_CREDENTIALS = { clientId: 'account-test-bridge', clientSecret: 'account-test-bridge-secret-0123456789' };
const FINQWARE_CREDENTIALS = { clientId: 'account-test-finqware', clientAppKey: 'account-test-app-key', clientSecret: 'account-test-finqware-secret-0123' };
const AISP = 'xyz_aisp_sbx_#1.0';

describe.each(databaseKinds)('account deletion at every provider on %s', (kind) => {
  let database: TestDatabase & { drop: () => Promise<void> };
  let bridgeSandbox: BridgeSandbox;
  let finqwareSandbox: FinqwareSandbox;
  let finqwareClock: { ms: number };
  let bridge: BridgeLink;
  let finqware: FinqwareClient;
  let onboardingDeps: OnboardingDeps;
  let hooks: AccountCleanupHook[];
  // What Finqware answered each token exchange, so the test can ask Finqware about the consent itself.
  let grants: FinqwareCredentials[];

  /** Calls the Bridge sandbox directly, with the app's credentials. */
  function bridgeDirect(method: string, path: string, body?: unknown): Promise<Response> {
    return bridgeSandbox.handle(bridgeRequest(path, { method, body, credentials: BRIDGE_CREDENTIALS }));
  }

  function finqwareFaults(faults: unknown[]): Promise<Response> {
    return finqwareSandbox.handle(
      new Request('http://finqware.test/_control/faults', {
        method: 'POST',
        headers: { 'X-Client-Id': FINQWARE_CREDENTIALS.clientId, 'X-Client-Secret': FINQWARE_CREDENTIALS.clientSecret, 'content-type': 'application/json' },
        body: JSON.stringify({ faults }),
      }),
    );
  }

  /** An account with a completed account-information onboarding (an ACTIVE consent at Finqware). */
  async function accountWithConsent(): Promise<{ userId: string; onboardingId: string; grant: FinqwareCredentials }> {
    const { userId } = await newAccount();
    const onboardingId = await startOnboarding(userId, AISP, onboardingDeps);
    await submitFormStep(userId, onboardingId, 0, { accepted: 'on' }, onboardingDeps);
    expect((await getOnboarding(userId, onboardingId))?.status).toBe('completed');
    const grant = grants.at(-1)!;
    expect((await finqware.getConsent(grant)).status).toBe('active');
    return { userId, onboardingId, grant };
  }

  /** A Bridge user created at Bridge with our reference whose link we never stored (the create's answer was lost). */
  async function unlinkedBridgeUser(userId: string): Promise<string> {
    const created = await bridgeDirect('POST', '/v3/aggregation/users', { external_user_id: userId });
    expect(created.status).toBe(201);
    expect(await database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, userId))).toHaveLength(0);
    return ((await created.json()) as { uuid: string }).uuid;
  }

  async function rowsOf(userId: string, onboardingId: string) {
    return {
      users: await database.db.select().from(users).where(eq(users.id, userId)),
      onboardings: await database.db.select().from(onboardings).where(eq(onboardings.userId, userId)),
      steps: await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, onboardingId)),
      credentials: await database.db.select().from(finqwareCredentials).where(eq(finqwareCredentials.userId, userId)),
      bridgeUsers: await database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, userId)),
    };
  }

  const noRows = { users: [], onboardings: [], steps: [], credentials: [], bridgeUsers: [] };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    setDatabaseForTests(database);
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await database.drop();
  });
  beforeEach(() => {
    grants = [];
    finqwareClock = { ms: Date.now() };
    bridgeSandbox = createBridgeSandbox({ ...BRIDGE_CREDENTIALS, siteOrigin: 'http://portal.test' });
    finqwareSandbox = createFinqwareSandbox({ ...FINQWARE_CREDENTIALS, now: () => finqwareClock.ms });
    clearTokenCache();
    clearCatalogCache();
    bridge = createBridgeLink(
      createBridgeClient({
        apiUrl: 'http://bridge.test',
        ...BRIDGE_CREDENTIALS,
        version: '2025-01-15',
        sleep: async () => undefined,
        fetch: (input, init) => bridgeSandbox.handle(new Request(input, init)),
      }),
    );
    finqware = createFinqwareClient({
      apiUrl: 'http://finqware.test',
      ...FINQWARE_CREDENTIALS,
      sleep: async () => undefined,
      fetch: async (input, init) => {
        const response = await finqwareSandbox.handle(new Request(input, init));
        if (new URL(String(input)).pathname === '/v1/tokens' && response.ok) {
          const body = (await response.clone().json()) as { credentials_id: string; access_token: string };
          grants.push({ credentialsId: body.credentials_id, accessToken: body.access_token });
        }
        return response;
      },
    });
    onboardingDeps = { finqware, now: () => new Date() };
    // The hooks of lib/account/cleanup-hooks.ts, with clients on the in-process sandboxes.
    hooks = [
      { name: 'Finqware', run: async (userId) => void (await revokeAllConsents(userId, onboardingDeps)) },
      { name: 'Bridge', run: (userId) => bridge.deleteBridgeUser(userId) },
    ];
  });

  it('revokes the consent at Finqware, deletes the Bridge user found by our reference, then every row', async () => {
    const { userId, onboardingId, grant } = await accountWithConsent();
    const bridgeUserUuid = await unlinkedBridgeUser(userId);

    expect(await deleteAccount({ userId, password: PASSWORD }, hooks)).toEqual({ ok: true });

    expect((await finqware.getConsent(grant)).status).toBe('revoked');
    expect((await bridgeDirect('GET', `/v3/aggregation/users/${bridgeUserUuid}`)).status).toBe(404);
    expect(await rowsOf(userId, onboardingId)).toEqual(noRows);
  });

  it('deletes nothing when Finqware cannot revoke the consent, and a later attempt completes', async () => {
    const { userId, onboardingId, grant } = await accountWithConsent();
    const bridgeUserUuid = await unlinkedBridgeUser(userId);
    // Three 500s: the first call and both of the client's retries.
    expect((await finqwareFaults([{ operation: 'POST /consents/delete', action: 'error', times: 3 }])).status).toBe(200);

    expect(await deleteAccount({ userId, password: PASSWORD }, hooks)).toEqual({ ok: false, reason: 'cleanup_failed', provider: 'Finqware' });
    const kept = await rowsOf(userId, onboardingId);
    expect(kept.users).toHaveLength(1);
    expect(kept.onboardings).toHaveLength(1);
    expect(kept.credentials).toMatchObject([{ revokedAt: null }]);
    expect((await finqware.getConsent(grant)).status).toBe('active');
    // Bridge's turn never came.
    expect((await bridgeDirect('GET', `/v3/aggregation/users/${bridgeUserUuid}`)).status).toBe(200);

    expect(await deleteAccount({ userId, password: PASSWORD }, hooks)).toEqual({ ok: true });
    expect((await finqware.getConsent(grant)).status).toBe('revoked');
    expect((await bridgeDirect('GET', `/v3/aggregation/users/${bridgeUserUuid}`)).status).toBe(404);
    expect(await rowsOf(userId, onboardingId)).toEqual(noRows);
  });

  it('is not blocked by a consent that already expired', async () => {
    const { userId, onboardingId, grant } = await accountWithConsent();
    finqwareClock.ms += CONSENT_TTL_MS + 60_000;
    expect((await finqware.getConsent(grant)).status).toBe('expired');
    expect(await deleteAccount({ userId, password: PASSWORD }, hooks)).toEqual({ ok: true });
    expect(await rowsOf(userId, onboardingId)).toEqual(noRows);
  });

  it('is not blocked by a consent already deleted at Finqware', async () => {
    const { userId, onboardingId, grant } = await accountWithConsent();
    // Revoked at Finqware by another route; our row still says it is held.
    await finqware.revokeConsent(grant);
    expect(await deleteAccount({ userId, password: PASSWORD }, hooks)).toEqual({ ok: true });
    expect(await rowsOf(userId, onboardingId)).toEqual(noRows);
  });

  it('is not blocked by a consent Finqware no longer knows', async () => {
    const { userId, onboardingId, grant } = await accountWithConsent();
    // Finqware purged it: consents/delete answers invalid_credentials_id.
    finqwareSandbox.reset();
    await expect(finqware.revokeConsent(grant)).rejects.toMatchObject({ finqwareCode: 'invalid_credentials_id' });
    expect(await deleteAccount({ userId, password: PASSWORD }, hooks)).toEqual({ ok: true });
    expect(await rowsOf(userId, onboardingId)).toEqual(noRows);
  });

  it('still fails on a refusal that is not about the consent being gone', async () => {
    const { userId, onboardingId } = await accountWithConsent();
    const wrongKeys = createFinqwareClient({
      apiUrl: 'http://finqware.test',
      ...FINQWARE_CREDENTIALS,
      clientSecret: 'not-the-tenant-secret-0123456789',
      fetch: (input, init) => finqwareSandbox.handle(new Request(input, init)),
    });
    const refused: AccountCleanupHook = {
      name: 'Finqware',
      run: async (id) => void (await revokeAllConsents(id, { finqware: wrongKeys, now: () => new Date() })),
    };
    expect(await deleteAccount({ userId, password: PASSWORD }, [refused, hooks[1]!])).toEqual({ ok: false, reason: 'cleanup_failed', provider: 'Finqware' });
    expect((await rowsOf(userId, onboardingId)).users).toHaveLength(1);
  });
});
