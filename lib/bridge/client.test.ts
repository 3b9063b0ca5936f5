import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, databaseKinds } from '@/test/databases';
import { setDatabaseForTests } from '@/lib/db/client';
import { bridgeUsers, users } from '@/lib/db/schema';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { knownSecrets } from '@/lib/secrets/known';
import { createBridgeClient, type BridgeClient } from './client';
import { BridgeError } from './errors';
import { clearTokenCache } from './token-cache';

const CREDENTIALS = { clientId: 'client-test-id', clientSecret: 'client-test-secret-0123456789' } as const;
const API_URL = 'http://bridge.test';
const VERSION = '2025-01-15';

interface Call {
  method: string;
  path: string;
  status: number;
  body: unknown;
  authorization: string | null;
}

describe.each(databaseKinds)('Bridge client against the sandbox on %s', (kind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sandbox: BridgeSandbox;
  let calls: Call[];
  let client: BridgeClient;
  let sleeps: number[];
  // Scripted draws for the sandbox's knobs: below the rate means the call is hit.
  let draws: number[];

  function clientWith(overrides: { clientSecret?: string } = {}): BridgeClient {
    return createBridgeClient({
      apiUrl: API_URL,
      version: VERSION,
      ...CREDENTIALS,
      ...overrides,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      // The sandbox answers exactly what the server would get over loopback HTTP.
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const text = init?.body == null ? undefined : String(init.body);
        const response = await sandbox.handle(request);
        calls.push({
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          body: text === undefined ? undefined : JSON.parse(text),
          authorization: request.headers.get('authorization'),
        });
        return response;
      },
    });
  }

  /** Calls the sandbox directly, as Bridge's dashboard or another integration would. */
  async function direct(method: string, path: string, body?: unknown): Promise<Response> {
    return sandbox.handle(
      new Request(`${API_URL}${path}`, {
        method,
        headers: {
          'Client-Id': CREDENTIALS.clientId,
          'Client-Secret': CREDENTIALS.clientSecret,
          'Bridge-Version': VERSION,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  }

  const count = (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path).length;

  async function portalUser(): Promise<string> {
    const [user] = await database.db
      .insert(users)
      .values({ email: `${crypto.randomUUID()}@example.com`, passwordHash: 'not-a-real-hash' })
      .returning({ id: users.id });
    return user!.id;
  }

  async function links(portalUserId: string) {
    return database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, portalUserId));
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    setDatabaseForTests(database);
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await database?.drop();
  });

  beforeEach(() => {
    draws = [];
    sandbox = createBridgeSandbox({ ...CREDENTIALS, siteOrigin: 'http://portal.test', random: () => draws.shift() ?? 0.99 });
    calls = [];
    sleeps = [];
    clearTokenCache();
    client = clientWith();
  });

  it('creates the Bridge user on first need, with the portal user id as external_user_id, and links it', async () => {
    const portalUserId = await portalUser();
    const uuid = await client.ensureBridgeUser(portalUserId);
    expect(calls).toEqual([{ method: 'POST', path: '/v3/aggregation/users', status: 201, body: { external_user_id: portalUserId }, authorization: null }]);
    const stored = await direct('GET', `/v3/aggregation/users/${uuid}`);
    expect(await stored.json()).toEqual({ uuid, external_user_id: portalUserId });
    expect(await links(portalUserId)).toMatchObject([{ userId: portalUserId, bridgeUserUuid: uuid }]);
    expect(await client.findPortalUserByBridgeUuid(uuid)).toBe(portalUserId);
  });

  it('reuses the link on the next call without asking Bridge', async () => {
    const portalUserId = await portalUser();
    const first = await client.ensureBridgeUser(portalUserId);
    calls = [];
    expect(await client.ensureBridgeUser(portalUserId)).toBe(first);
    expect(calls).toEqual([]);
  });

  it('finds a Bridge user that already exists (409) through the token call', async () => {
    const portalUserId = await portalUser();
    const existing = await direct('POST', '/v3/aggregation/users', { external_user_id: portalUserId });
    const { uuid } = (await existing.json()) as { uuid: string };
    expect(await client.ensureBridgeUser(portalUserId)).toBe(uuid);
    expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['POST /v3/aggregation/users 409', 'POST /v3/aggregation/authorization/token 200']);
    expect(calls[1]!.body).toEqual({ external_user_id: portalUserId });
    expect(await links(portalUserId)).toHaveLength(1);
    // The token that lookup brought back is kept for the user's next call.
    calls = [];
    await client.userAccessToken(uuid);
    expect(calls).toEqual([]);
  });

  it('ends with one Bridge user and one link when two first calls race', async () => {
    const portalUserId = await portalUser();
    const [a, b] = await Promise.all([client.ensureBridgeUser(portalUserId), clientWith().ensureBridgeUser(portalUserId)]);
    expect(a).toBe(b);
    expect(await links(portalUserId)).toHaveLength(1);
    const listed = (await (await direct('GET', '/v3/aggregation/users')).json()) as { resources: Array<{ external_user_id: string | null }> };
    expect(listed.resources.filter((u) => u.external_user_id === portalUserId)).toHaveLength(1);
  });

  it('caches the user token until shortly before it expires', async () => {
    const uuid = await client.ensureBridgeUser(await portalUser());
    calls = [];
    const [first, concurrent] = await Promise.all([client.userAccessToken(uuid), client.userAccessToken(uuid)]);
    const again = await client.userAccessToken(uuid);
    expect(concurrent).toBe(first);
    expect(again).toBe(first);
    expect(count('POST', '/v3/aggregation/authorization/token')).toBe(1);
    expect(calls[0]!.body).toEqual({ user_uuid: uuid });
  });

  it('re-authenticates once when Bridge refuses an expired token, then succeeds', async () => {
    const portalUserId = await portalUser();
    const uuid = await client.ensureBridgeUser(portalUserId);
    const stale = await client.userAccessToken(uuid);
    sandbox.expireAllTokens();
    calls = [];
    const seen: string[] = [];
    const result = await client.withUserToken(uuid, async (token) => {
      seen.push(token);
      const outcome = sandbox.authenticateUser(new Request(`${API_URL}/`, { headers: { Authorization: `Bearer ${token}` } }));
      if (outcome instanceof Response) throw new BridgeError('unauthorized', { status: outcome.status });
      return outcome.user.uuid;
    });
    expect(result).toBe(uuid);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(stale);
    expect(seen[1]).not.toBe(stale);
    expect(count('POST', '/v3/aggregation/authorization/token')).toBe(1);
  });

  it('gives up after one re-authentication when the refusal persists', async () => {
    const uuid = await client.ensureBridgeUser(await portalUser());
    calls = [];
    let runs = 0;
    const error = await client
      .withUserToken(uuid, async () => {
        runs++;
        throw new BridgeError('unauthorized', { status: 401 });
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unauthorized' });
    expect(runs).toBe(2);
    expect(count('POST', '/v3/aggregation/authorization/token')).toBe(2);
  });

  describe('guidance sessions', () => {
    const profile = {
      countryCode: 'FR',
      companyIdentificationNumber: '529196313',
      language: 'en',
      contactEmail: 'finance@example.fr',
      contactPhoneNumber: '+33612345678',
    } as const;

    it('opens a session for the portal user with the profile fields and the user token', async () => {
      const portalUserId = await portalUser();
      const session = await client.createGuidanceSession(portalUserId, profile);
      const uuid = await client.ensureBridgeUser(portalUserId);
      expect(session).toEqual({ id: expect.any(String), url: expect.stringContaining(session.id), password: expect.any(String) });
      expect(session.password.length).toBeGreaterThan(0);
      // The password and the user's token are known to the logger, which censors them wherever they appear.
      expect(knownSecrets().redact(`password ${session.password}`)).toBe('password [redacted]');
      expect(knownSecrets().redact(`token ${await client.userAccessToken(uuid)}`)).toBe('token [redacted]');
      const call = calls.find((c) => c.path === '/v3/guidance/sessions');
      expect(call).toMatchObject({ method: 'POST', status: 200 });
      expect(call!.authorization).toMatch(/^Bearer \S+$/);
      expect(call!.body).toEqual({
        user_uuid: uuid,
        country_code: 'FR',
        company_identification_number: '529196313',
        language: 'en',
        contact_email: 'finance@example.fr',
        contact_phone_number: '+33612345678',
      });
    });

    it('leaves optional fields out when absent and sends null when cleared', async () => {
      const portalUserId = await portalUser();
      await client.createGuidanceSession(portalUserId, { countryCode: 'FR', companyIdentificationNumber: '529196313', contactEmail: null });
      const body = calls.find((c) => c.path === '/v3/guidance/sessions')!.body as Record<string, unknown>;
      expect(body).toEqual({ user_uuid: expect.any(String), country_code: 'FR', company_identification_number: '529196313', contact_email: null });
    });

    it('re-authenticates once after the tokens expire and still opens the session', async () => {
      const portalUserId = await portalUser();
      await client.createGuidanceSession(portalUserId, profile);
      sandbox.expireAllTokens();
      calls = [];
      await client.createGuidanceSession(portalUserId, profile);
      expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual(['/v3/guidance/sessions 401', '/v3/aggregation/authorization/token 200', '/v3/guidance/sessions 200']);
    });

    it('turns Bridge refusing the body into invalid_request, without retrying', async () => {
      const portalUserId = await portalUser();
      await client.ensureBridgeUser(portalUserId);
      calls = [];
      const error = await client.createGuidanceSession(portalUserId, { ...profile, companyIdentificationNumber: '12' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'bridge', code: 'invalid_request', status: 400 });
      expect(count('POST', '/v3/guidance/sessions')).toBe(1);
    });

    it('starts again with a new Bridge user when Bridge deleted the linked one', async () => {
      const portalUserId = await portalUser();
      const old = await client.ensureBridgeUser(portalUserId);
      expect((await direct('DELETE', `/v3/aggregation/users/${old}`)).status).toBe(204);
      const session = await client.createGuidanceSession(portalUserId, profile);
      expect(session.id).toEqual(expect.any(String));
      const fresh = await client.ensureBridgeUser(portalUserId);
      expect(fresh).not.toBe(old);
      expect(await client.findPortalUserByBridgeUuid(old)).toBeUndefined();
    });
  });

  it('deletes the Bridge user and the link, and forgets its token', async () => {
    const portalUserId = await portalUser();
    const uuid = await client.ensureBridgeUser(portalUserId);
    await client.userAccessToken(uuid);
    await client.deleteBridgeUser(portalUserId);
    expect((await direct('GET', `/v3/aggregation/users/${uuid}`)).status).toBe(404);
    expect(await links(portalUserId)).toEqual([]);
    calls = [];
    // Gone from the cache: the next token request goes to Bridge, which no longer knows the user.
    expect(await client.userAccessToken(uuid).catch((e: unknown) => e)).toMatchObject({ code: 'not_found' });
    expect(count('POST', '/v3/aggregation/authorization/token')).toBe(1);
  });

  it('treats a Bridge user already deleted at Bridge as done; without a link, asks Bridge by external_user_id and deletes nothing when it has none', async () => {
    const portalUserId = await portalUser();
    const uuid = await client.ensureBridgeUser(portalUserId);
    await direct('DELETE', `/v3/aggregation/users/${uuid}`);
    await client.deleteBridgeUser(portalUserId);
    expect(await links(portalUserId)).toEqual([]);
    calls = [];
    await client.deleteBridgeUser(portalUserId);
    await client.deleteBridgeUser(await portalUser());
    expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'POST /v3/aggregation/authorization/token 404',
      'POST /v3/aggregation/authorization/token 404',
    ]);
  });

  it('deletes a Bridge user whose link was never stored (the create succeeded at Bridge, its answer was lost)', async () => {
    const portalUserId = await portalUser();
    // Created at Bridge with our reference, as our create would have, but never linked here.
    const created = await direct('POST', '/v3/aggregation/users', { external_user_id: portalUserId });
    const { uuid } = (await created.json()) as { uuid: string };
    expect(await links(portalUserId)).toEqual([]);
    await client.deleteBridgeUser(portalUserId);
    expect((await direct('GET', `/v3/aggregation/users/${uuid}`)).status).toBe(404);
  });

  it('looks a Bridge user up by uuid and links it to the portal user it names, once', async () => {
    const portalUserId = await portalUser();
    const created = await direct('POST', '/v3/aggregation/users', { external_user_id: portalUserId });
    const { uuid } = (await created.json()) as { uuid: string };
    expect(await client.lookupBridgeUser(uuid)).toEqual({ uuid, externalUserId: portalUserId });
    expect(await client.lookupBridgeUser('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await client.linkBridgeUser(portalUserId, uuid)).toBe(portalUserId);
    expect(await client.findPortalUserByBridgeUuid(uuid)).toBe(portalUserId);
    // Already linked to another Bridge user: not replaced.
    expect(await client.linkBridgeUser(portalUserId, '00000000-0000-4000-8000-000000000001')).toBeUndefined();
    // Not a portal user.
    expect(await client.linkBridgeUser('00000000-0000-4000-8000-000000000002', uuid)).toBeUndefined();
  });

  it('unlinks a Bridge user that Bridge reported deleted', async () => {
    const portalUserId = await portalUser();
    const uuid = await client.ensureBridgeUser(portalUserId);
    expect(await client.unlinkBridgeUser(uuid)).toBe(portalUserId);
    expect(await client.unlinkBridgeUser(uuid)).toBeUndefined();
    expect(await client.findPortalUserByBridgeUuid(uuid)).toBeUndefined();
    expect(await client.findPortalUserByBridgeUuid('not-a-uuid')).toBeUndefined();
    expect(await client.unlinkBridgeUser('not-a-uuid')).toBeUndefined();
  });

  it('reports a wrong client secret as unauthorized, without the secret in the message', async () => {
    const wrong = 'wrong-client-secret-0123456789';
    const error = await clientWith({ clientSecret: wrong })
      .ensureBridgeUser(await portalUser())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ provider: 'bridge', code: 'unauthorized', status: 401, type: 'invalid_client_credentials' });
    expect((error as Error).message).not.toContain(wrong);
    expect(calls).toHaveLength(1);
  });

  describe('when Bridge misbehaves (sandbox knobs)', () => {
    async function knobs(settings: Record<string, number>): Promise<void> {
      expect((await direct('POST', '/_control/knobs', settings)).status).toBe(200);
    }

    it('retries the token call after a 500 and a 429, honouring Retry-After', async () => {
      const uuid = await client.ensureBridgeUser(await portalUser());
      await knobs({ error_rate: 0.5, rate_limit_rate: 0.5 });
      calls = [];
      // Call 1: 500. Call 2: no 500, then 429. Call 3: neither.
      draws = [0.1, 0.9, 0.1, 0.9, 0.9];
      await expect(client.userAccessToken(uuid)).resolves.toEqual(expect.any(String));
      expect(calls.map((c) => c.status)).toEqual([500, 429, 200]);
      expect(sleeps).toHaveLength(2);
      expect(sleeps[1]).toBe(1000);
    });

    it('does not retry opening a guidance session, which creates one each time', async () => {
      const portalUserId = await portalUser();
      await client.userAccessToken(await client.ensureBridgeUser(portalUserId));
      await knobs({ error_rate: 1 });
      calls = [];
      const error = await client
        .createGuidanceSession(portalUserId, { countryCode: 'FR', companyIdentificationNumber: '529196313' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'unavailable', status: 500 });
      expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual(['/v3/guidance/sessions 500']);
    });

    it('gives up on a Bridge that keeps failing, as unavailable', async () => {
      const uuid = await client.ensureBridgeUser(await portalUser());
      await knobs({ error_rate: 1 });
      calls = [];
      expect(await client.userAccessToken(uuid).catch((e: unknown) => e)).toMatchObject({ code: 'unavailable' });
      expect(calls).toHaveLength(3);
    });
  });
});
