import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { BRIDGE_ENDPOINTS, BRIDGE_HEADERS, BRIDGE_VERSION, bridgePath } from '@guidepost/provider-contracts/bridge';
import { createBridgeClient } from '@/lib/bridge/client';
import { bridgeErrorMessage } from '@/lib/bridge/errors';
import { clearTokenCache } from '@/lib/bridge/token-cache';
import { createBridgeLink } from '@/lib/bridge-link/service';
import { saveCompanyProfile } from '@/lib/company/service';
import { getEnv } from '@/lib/env';
import { bridgeUsers, guidanceAudit, guidanceSessions } from '@/lib/db/schema';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { siteRequest } from '@guidepost/sandbox/bridge/testing';
import { createMemorySecretStore } from '@/lib/secrets/memory-store';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { finishWithPassword, guidanceOverview, openGuidance, reportLeak, revealPassword, type GuidanceDeps } from './service';
import { shown } from './view';

const CREDENTIALS = { clientId: 'guidance-test-client', clientSecret: 'guidance-test-secret-0123456789' };
const TTL_MS = 1800 * 1000;

describe.each(databaseKinds)('guidance on %s', (kind) => {
  const database = useTestDatabase(kind);
  let sandbox: BridgeSandbox;
  let clock: { ms: number };
  let deps: GuidanceDeps;
  /** Every call the portal made to Bridge, as `METHOD path status`. */
  let calls: string[];
  /** Answers a call in Bridge's place when it returns a Response. */
  let intercept: ((request: Request) => Response | undefined) | undefined;

  async function newUser(withProfile = true, language: 'fr' | 'en' = 'fr'): Promise<string> {
    const userId = await insertUser(database);
    if (withProfile) {
      await saveCompanyProfile(userId, {
        companyName: 'Acme Conseil',
        countryCode: 'FR',
        identificationNumber: '529196313',
        language,
        contactEmail: 'finance@example.fr',
        contactPhone: '+33612345678',
      });
    }
    return userId;
  }

  async function auditOf(userId: string) {
    return (await database.db.select().from(guidanceAudit).where(eq(guidanceAudit.userId, userId))).map((row) => row.action);
  }

  beforeEach(() => {
    clock = { ms: Date.now() };
    sandbox = createBridgeSandbox({ ...CREDENTIALS, now: () => clock.ms, siteOrigin: 'http://portal.test' });
    clearTokenCache();
    calls = [];
    intercept = undefined;
    const bridge = createBridgeLink(
      createBridgeClient({
        apiUrl: 'http://bridge.test',
        ...CREDENTIALS,
        version: BRIDGE_VERSION,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          const response = intercept?.(request) ?? (await sandbox.handle(request));
          calls.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
          return response;
        },
      }),
    );
    deps = { bridge, store: createMemorySecretStore({ key: randomBytes(32), now: () => clock.ms, sweepIntervalMs: 0 }), now: () => new Date(clock.ms) };
  });

  it('opens a session, shows the password once, and keeps it out of the database', async () => {
    const userId = await newUser();
    const opened = await openGuidance(userId, {}, deps);
    if (!opened.ok) throw new Error(`open failed: ${JSON.stringify(opened)}`);
    expect(opened.password).toHaveLength(20);
    expect(opened.session.url).toContain(opened.session.id);
    expect(opened.expiresAt.getTime()).toBe(clock.ms + TTL_MS);
    const rows = await database.db.select().from(guidanceSessions).where(eq(guidanceSessions.userId, userId));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(opened.password);
    expect(JSON.stringify(await database.db.select().from(guidanceAudit))).not.toContain(opened.password);
    expect(await auditOf(userId)).toEqual(['created']);
  });

  it('opens the session in the company’s language, which Bridge’s site then speaks whatever the browser asks', async () => {
    for (const [language, browser] of [
      ['fr', 'en-US,en;q=0.9'],
      ['en', 'fr-FR,fr;q=0.9'],
    ] as const) {
      const opened = await openGuidance(await newUser(true, language), {}, deps);
      if (!opened.ok) throw new Error('open failed');
      const page = await sandbox.handle(siteRequest(opened.session.url, { acceptLanguage: browser }));
      expect(await page.text()).toContain(`<html lang="${language}">`);
    }
  });

  it('shows the password again to its owner until the TTL, then reports expiry once', async () => {
    const userId = await newUser();
    const opened = await openGuidance(userId, {}, deps);
    if (!opened.ok) throw new Error('open failed');
    clock.ms += TTL_MS - 1;
    const again = await revealPassword(userId, opened.session.id, deps);
    expect(again).toMatchObject({ ok: true, password: opened.password });
    clock.ms += 1;
    expect(await revealPassword(userId, opened.session.id, deps)).toEqual({ ok: false, reason: 'expired' });
    const overview = await guidanceOverview(userId, deps);
    expect(overview.sessions[0]?.passwordState).toBe('expired');
    expect((await auditOf(userId)).sort()).toEqual(['created', 'expired', 'revealed']);
    const [expired] = await database.db.select().from(guidanceAudit).where(eq(guidanceAudit.action, 'expired'));
    expect(expired?.at.getTime()).toBe(opened.expiresAt.getTime());
  });

  it('tells another user nothing, not even that the session exists', async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const opened = await openGuidance(owner, {}, deps);
    if (!opened.ok) throw new Error('open failed');
    const stolen = await revealPassword(intruder, opened.session.id, deps);
    const unknown = await revealPassword(intruder, 'no-such-session', deps);
    expect(stolen).toEqual({ ok: false, reason: 'not_found' });
    expect(unknown).toEqual(stolen);
    expect(await auditOf(intruder)).toEqual([]);
  });

  it('deletes the password at once when the user is done', async () => {
    const userId = await newUser();
    const opened = await openGuidance(userId, {}, deps);
    if (!opened.ok) throw new Error('open failed');
    expect(await finishWithPassword(userId, opened.session.id, deps)).toBe(true);
    expect(await deps.store.get({ userId, sessionId: opened.session.id })).toBeUndefined();
    expect(await revealPassword(userId, opened.session.id, deps)).toEqual({ ok: false, reason: 'deleted' });
    expect((await auditOf(userId)).sort()).toEqual(['created', 'deleted']);
  });

  it('replaces a leaked password with a new session and invalidates the old one', async () => {
    const userId = await newUser();
    const first = await openGuidance(userId, {}, deps);
    if (!first.ok) throw new Error('open failed');
    const second = await reportLeak(userId, first.session.id, deps);
    if (!second.ok) throw new Error('leak flow failed');
    expect(second.session.id).not.toBe(first.session.id);
    expect(second.password).not.toBe(first.password);
    expect(await deps.store.get({ userId, sessionId: first.session.id })).toBeUndefined();
    expect(await revealPassword(userId, first.session.id, deps)).toEqual({ ok: false, reason: 'invalidated' });
    const [old] = await database.db.select().from(guidanceSessions).where(eq(guidanceSessions.id, first.session.id));
    expect(old).toMatchObject({ passwordState: 'invalidated', replacedBy: second.session.id });
    expect((await auditOf(userId)).sort()).toEqual(['created', 'created', 'invalidated']);
  });

  it('says what is missing when the company profile is incomplete', async () => {
    const userId = await newUser(false);
    expect(await openGuidance(userId, {}, deps)).toEqual({ ok: false, reason: 'profile_incomplete', missing: ['Your company profile'] });
  });

  it('limits how often a password can be shown again', async () => {
    const userId = await newUser();
    const opened = await openGuidance(userId, {}, deps);
    if (!opened.ok) throw new Error('open failed');
    for (let i = 0; i < 10; i++) expect((await revealPassword(userId, opened.session.id, deps)).ok).toBe(true);
    expect(await revealPassword(userId, opened.session.id, deps)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await auditOf(userId)).toContain('reveal_refused');
  });

  /** The sandbox's control API, with the app's credentials. */
  async function control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    return sandbox.handle(
      new Request(`http://bridge.test/_control/${path}`, {
        method,
        headers: {
          'Client-Id': CREDENTIALS.clientId,
          'Client-Secret': CREDENTIALS.clientSecret,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  }

  const issuedPasswords = async () => ((await (await control('GET', 'issued-passwords')).json()) as { passwords: string[] }).passwords;
  const sessionsOf = (userId: string) => database.db.select().from(guidanceSessions).where(eq(guidanceSessions.userId, userId));
  const failNextOpen = async () =>
    expect((await control('POST', 'faults', { faults: [{ operation: 'POST /v3/guidance/sessions', action: 'error' }] })).status).toBe(200);

  it('makes exactly one replacement when a leak is reported ten times at once', async () => {
    const userId = await newUser();
    const first = await openGuidance(userId, {}, deps);
    if (!first.ok) throw new Error('open failed');
    const before = await issuedPasswords();

    const outcomes = await Promise.all(Array.from({ length: 10 }, () => reportLeak(userId, first.session.id, deps)));

    const winners = outcomes.filter((outcome) => outcome.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    if (!winner.ok) throw new Error('unreachable');
    const losers = outcomes.filter((outcome) => !outcome.ok);
    expect(losers).toHaveLength(9);
    // Each of the other requests names the one replacement, so every tab can lead the user to it.
    for (const loser of losers) expect(loser).toEqual({ ok: false, reason: 'already_reported', replacedBy: winner.session.id });

    const after = await issuedPasswords();
    expect(after.length - before.length).toBe(1);
    expect(after).toContain(winner.password);
    expect(await sessionsOf(userId)).toHaveLength(2);
    expect(await deps.store.get({ userId, sessionId: first.session.id })).toBeUndefined();
    expect(await revealPassword(userId, first.session.id, deps)).toEqual({ ok: false, reason: 'invalidated' });
    const [old] = await database.db.select().from(guidanceSessions).where(eq(guidanceSessions.id, first.session.id));
    expect(old).toMatchObject({ passwordState: 'invalidated', replacedBy: winner.session.id });
  });

  it('answers a later report of a leak whose replacement failed at once, naming no replacement', async () => {
    const userId = await newUser();
    const first = await openGuidance(userId, {}, deps);
    if (!first.ok) throw new Error('open failed');
    await failNextOpen();
    expect(await reportLeak(userId, first.session.id, deps)).toEqual({ ok: false, reason: 'provider', code: 'unavailable' });
    clock.ms += 20_000;
    const started = Date.now();
    expect(await reportLeak(userId, first.session.id, deps)).toEqual({ ok: false, reason: 'already_reported', replacedBy: null });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await sessionsOf(userId)).toHaveLength(1);
  });

  it('opens one session for one request key, however often (and however concurrently) it is sent', async () => {
    const userId = await newUser();
    const before = (await issuedPasswords()).length;
    const first = await openGuidance(userId, { requestKey: 'form-key-00000001' }, deps);
    expect(first.ok).toBe(true);
    expect(await openGuidance(userId, { requestKey: 'form-key-00000001' }, deps)).toEqual({ ok: false, reason: 'duplicate' });

    const together = await Promise.all([
      openGuidance(userId, { requestKey: 'form-key-00000002' }, deps),
      openGuidance(userId, { requestKey: 'form-key-00000002' }, deps),
    ]);
    expect(together.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(together.filter((outcome) => !outcome.ok)).toEqual([{ ok: false, reason: 'duplicate' }]);

    expect((await issuedPasswords()).length - before).toBe(2);
    expect(await sessionsOf(userId)).toHaveLength(2);
  });

  it('gives the request key back when Bridge fails, so the same form works on the next try', async () => {
    const userId = await newUser();
    await failNextOpen();
    expect(await openGuidance(userId, { requestKey: 'form-key-retry-0001' }, deps)).toEqual({ ok: false, reason: 'provider', code: 'unavailable' });
    expect(await sessionsOf(userId)).toHaveLength(0);
    const again = await openGuidance(userId, { requestKey: 'form-key-retry-0001' }, deps);
    expect(again.ok).toBe(true);
    expect(await openGuidance(userId, { requestKey: 'form-key-retry-0001' }, deps)).toEqual({ ok: false, reason: 'duplicate' });
  });

  it('refuses more openings than the configured limit per window, with a wait', async () => {
    const { points, windowSeconds } = getEnv().guidanceOpenLimit;
    const userId = await newUser();
    for (let i = 0; i < points; i++) expect((await openGuidance(userId, {}, deps)).ok).toBe(true);
    const refused = await openGuidance(userId, { requestKey: 'form-key-limited-01' }, deps);
    expect(refused).toMatchObject({ ok: false, reason: 'rate_limited' });
    if (refused.ok || refused.reason !== 'rate_limited') throw new Error('unreachable');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(windowSeconds);
    expect(await sessionsOf(userId)).toHaveLength(points);
    // The refused form's key was not used up either.
    const others = await newUser();
    expect((await openGuidance(others, { requestKey: 'form-key-limited-01' }, deps)).ok).toBe(true);
  });

  it('does not count a failed Bridge call against the limit', async () => {
    const { points } = getEnv().guidanceOpenLimit;
    const userId = await newUser();
    await failNextOpen();
    expect(await openGuidance(userId, {}, deps)).toMatchObject({ ok: false, reason: 'provider' });
    for (let i = 0; i < points; i++) expect((await openGuidance(userId, {}, deps)).ok).toBe(true);
    expect(await openGuidance(userId, {}, deps)).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('turns a Bridge outage into a provider error without holding anything', async () => {
    const userId = await newUser();
    await sandbox.handle(
      new Request('http://bridge.test/_control/knobs', {
        method: 'POST',
        headers: { 'Client-Id': CREDENTIALS.clientId, 'Client-Secret': CREDENTIALS.clientSecret, 'content-type': 'application/json' },
        body: JSON.stringify({ error_rate: 1 }),
      }),
    );
    expect(await openGuidance(userId, {}, deps)).toEqual({ ok: false, reason: 'provider', code: 'unavailable' });
    expect(await database.db.select().from(guidanceSessions).where(eq(guidanceSessions.userId, userId))).toHaveLength(0);
  });

  describe('when Bridge no longer knows the user, or refuses this server', () => {
    const GUIDANCE = bridgePath(BRIDGE_ENDPOINTS.createGuidanceSession);
    const bridgeLinkOf = async (userId: string) => (await database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, userId)))[0]?.bridgeUserUuid;
    const refuseGuidance = (status: number, type: string) => {
      intercept = (request) =>
        new URL(request.url).pathname === GUIDANCE ? Response.json({ type, message: `Simulated ${type}.`, documentation_url: null }, { status }) : undefined;
    };

    it('opens guidance again after the Bridge user was deleted at Bridge: a new Bridge user is created and linked, and the session opens', async () => {
      const userId = await newUser();
      expect((await openGuidance(userId, {}, deps)).ok).toBe(true);
      const old = await bridgeLinkOf(userId);
      const deleted = await sandbox.handle(
        new Request(`http://bridge.test${bridgePath(BRIDGE_ENDPOINTS.deleteUser, { user_uuid: old! })}`, {
          method: BRIDGE_ENDPOINTS.deleteUser.method,
          headers: {
            [BRIDGE_HEADERS.clientId]: CREDENTIALS.clientId,
            [BRIDGE_HEADERS.clientSecret]: CREDENTIALS.clientSecret,
            [BRIDGE_HEADERS.version]: BRIDGE_VERSION,
          },
        }),
      );
      expect(deleted.status).toBe(BRIDGE_ENDPOINTS.deleteUser.success.status);
      calls = [];

      const again = await openGuidance(userId, {}, deps);
      if (!again.ok) throw new Error(`open failed: ${JSON.stringify(again)}`);
      const fresh = await bridgeLinkOf(userId);
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe(old);
      expect(await sessionsOf(userId)).toHaveLength(2);
      expect(again.password).toHaveLength(20);
      // Only what the documents list: the refused token, the token call's 404 [seen]; no GET of the old user.
      expect(calls.some((call) => call.startsWith('GET '))).toBe(false);
      expect(calls).toContain(`POST ${bridgePath(BRIDGE_ENDPOINTS.issueToken)} 404`);
      expect(calls).toContain(`POST ${bridgePath(BRIDGE_ENDPOINTS.createUser)} 201`);
    });

    it('tells the user in our words when Bridge keeps answering 401 "user not found"', async () => {
      const userId = await newUser();
      refuseGuidance(401, 'user_not_found');
      const outcome = await openGuidance(userId, {}, deps);
      expect(outcome).toEqual({ ok: false, reason: 'provider', code: 'not_found' });
      expect(await shown(outcome)).toEqual({ ok: false, error: 'upstream', message: bridgeErrorMessage('not_found') });
      expect(await sessionsOf(userId)).toHaveLength(0);
    });

    it('tells the user in our words when Bridge refuses this server’s IP address (403)', async () => {
      const userId = await newUser();
      refuseGuidance(403, 'forbidden');
      const outcome = await openGuidance(userId, {}, deps);
      expect(outcome).toEqual({ ok: false, reason: 'provider', code: 'forbidden' });
      expect(await shown(outcome)).toEqual({ ok: false, error: 'upstream', message: bridgeErrorMessage('forbidden') });
      expect(calls.filter((call) => call.startsWith(`POST ${GUIDANCE}`))).toHaveLength(1);
    });
  });
});
