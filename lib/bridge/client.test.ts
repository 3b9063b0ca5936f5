import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { BRIDGE_ENDPOINTS, BRIDGE_HEADERS, BRIDGE_VERSION, bridgePath, bridgeUserSchema } from '@guidepost/provider-contracts/bridge';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { bridgeRequest } from '@guidepost/sandbox/bridge/testing';
import { knownSecrets } from '@/lib/secrets/known';
import { createBridgeClient, type BridgeClient, type GuidanceOpening } from './client';
import { BridgeError } from './errors';
import { clearTokenCache } from './token-cache';

// The adapter alone, over HTTP to the in-process simulator: no database. Paths and bodies are the
// contract's (@guidepost/provider-contracts/bridge), not restated here.

const CREDENTIALS = { clientId: 'client-test-id', clientSecret: 'client-test-secret-0123456789' } as const;
const API_URL = 'http://bridge.test';

const USERS = bridgePath(BRIDGE_ENDPOINTS.createUser);
const TOKEN = bridgePath(BRIDGE_ENDPOINTS.issueToken);
const GUIDANCE = bridgePath(BRIDGE_ENDPOINTS.createGuidanceSession);
const user = (uuid: string) => bridgePath(BRIDGE_ENDPOINTS.getUser, { user_uuid: uuid });

interface Call {
  method: string;
  path: string;
  status: number;
  body: unknown;
  authorization: string | null;
}

/** Answers a call in Bridge's place when it returns a Response; the simulator answers otherwise. */
type Intercept = (request: Request, body: unknown) => Response | undefined;

const bridgeErrorResponse = (status: number, type: string, documentationUrl: string | null = null) =>
  Response.json({ type, message: `Simulated ${type}.`, documentation_url: documentationUrl }, { status });

describe('Bridge client against the simulator', () => {
  let sandbox: BridgeSandbox;
  let calls: Call[];
  let client: BridgeClient;
  let sleeps: number[];
  let intercept: Intercept | undefined;
  // Scripted draws for the sandbox's knobs: below the rate means the call is hit.
  let draws: number[];

  function clientWith(overrides: { clientSecret?: string } = {}): BridgeClient {
    return createBridgeClient({
      apiUrl: API_URL,
      version: BRIDGE_VERSION,
      ...CREDENTIALS,
      ...overrides,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      // The sandbox answers exactly what the server would get over loopback HTTP.
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const text = init?.body == null ? undefined : String(init.body);
        const body = text === undefined ? undefined : JSON.parse(text);
        const response = intercept?.(request, body) ?? (await sandbox.handle(request));
        calls.push({
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          body,
          authorization: request.headers.get(BRIDGE_HEADERS.authorization),
        });
        return response;
      },
    });
  }

  /** Calls the sandbox directly, as Bridge's dashboard or another integration would. */
  async function direct(method: string, path: string, body?: unknown): Promise<Response> {
    return sandbox.handle(bridgeRequest(path, { method, body, credentials: CREDENTIALS }));
  }

  async function bridgeUser(externalUserId: string = randomUUID()): Promise<string> {
    const response = await direct('POST', USERS, { external_user_id: externalUserId });
    return bridgeUserSchema.parse(await response.json()).uuid;
  }

  const count = (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path).length;
  const trail = () => calls.map((c) => `${c.method} ${c.path} ${c.status}`);

  beforeEach(() => {
    draws = [];
    sandbox = createBridgeSandbox({ ...CREDENTIALS, siteOrigin: 'http://portal.test', random: () => draws.shift() ?? 0.99 });
    calls = [];
    sleeps = [];
    intercept = undefined;
    clearTokenCache();
    client = clientWith();
  });

  describe('users', () => {
    it('creates a user holding our reference, once (a create is not retried)', async () => {
      const reference = randomUUID();
      const created = await client.createUser(reference);
      expect(created).toEqual({ uuid: expect.any(String), externalUserId: reference });
      expect(calls).toEqual([{ method: 'POST', path: USERS, status: 201, body: { external_user_id: reference }, authorization: null }]);
      expect(await (await direct('GET', user(created.uuid))).json()).toEqual({ uuid: created.uuid, external_user_id: reference });
    });

    it('reports a reference already held as conflict (409), with Bridge’s error type', async () => {
      const reference = randomUUID();
      await bridgeUser(reference);
      const error = await client.createUser(reference).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'bridge', code: 'conflict', status: 409, type: 'user_already_exists' });
    });

    it('gets a user, undefined when Bridge has none, and asks nothing for an id that is not a uuid', async () => {
      const reference = randomUUID();
      const uuid = await bridgeUser(reference);
      expect(await client.getUser(uuid)).toEqual({ uuid, externalUserId: reference });
      expect(await client.getUser(randomUUID())).toBeUndefined();
      calls = [];
      expect(await client.getUser('not-a-uuid')).toBeUndefined();
      expect(calls).toEqual([]);
    });

    it('finds a user by our reference through the token call, and keeps that token', async () => {
      const reference = randomUUID();
      const uuid = await bridgeUser(reference);
      expect(await client.findUserByExternalId(reference)).toBe(uuid);
      expect(calls).toEqual([{ method: 'POST', path: TOKEN, status: 200, body: { external_user_id: reference }, authorization: null }]);
      calls = [];
      await client.userAccessToken(uuid);
      expect(calls).toEqual([]);
      // Nobody holds it: the token call's 404 [seen].
      expect(await client.findUserByExternalId(randomUUID())).toBeUndefined();
    });

    it('deletes a user (204) and forgets its token; one already gone is deleted too', async () => {
      const uuid = await bridgeUser();
      await client.userAccessToken(uuid);
      await client.deleteUser(uuid);
      expect((await direct('GET', user(uuid))).status).toBe(404);
      await client.deleteUser(uuid);
      expect(trail()).toEqual([`POST ${TOKEN} 200`, `DELETE ${user(uuid)} 204`, `DELETE ${user(uuid)} 404`]);
      calls = [];
      // Gone from the cache: the next token request goes to Bridge, which no longer knows the user.
      expect(await client.userAccessToken(uuid).catch((e: unknown) => e)).toMatchObject({ code: 'not_found' });
      expect(count('POST', TOKEN)).toBe(1);
    });
  });

  describe('user tokens', () => {
    it('caches the user token until shortly before it expires', async () => {
      const uuid = await bridgeUser();
      const [first, concurrent] = await Promise.all([client.userAccessToken(uuid), client.userAccessToken(uuid)]);
      const again = await client.userAccessToken(uuid);
      expect(concurrent).toBe(first);
      expect(again).toBe(first);
      expect(count('POST', TOKEN)).toBe(1);
      expect(calls[0]!.body).toEqual({ user_uuid: uuid });
    });
  });

  describe('guidance sessions', () => {
    const profile = {
      countryCode: 'FR',
      companyIdentificationNumber: '529196313',
      language: 'en',
      contactEmail: 'finance@example.fr',
      contactPhoneNumber: '+33612345678',
    } as const;

    async function opened(outcome: Promise<GuidanceOpening>) {
      const result = await outcome;
      if (!result.ok) throw result.error;
      return result.session;
    }

    it('opens a session with the profile fields and the user token', async () => {
      const uuid = await bridgeUser();
      const session = await opened(client.openGuidanceSession(uuid, profile));
      expect(session).toEqual({ id: expect.any(String), url: expect.stringContaining(session.id), password: expect.any(String) });
      // The password and the user's token are known to the logger, which censors them wherever they appear.
      expect(knownSecrets().redact(`password ${session.password}`)).toBe('password [redacted]');
      expect(knownSecrets().redact(`token ${await client.userAccessToken(uuid)}`)).toBe('token [redacted]');
      const call = calls.find((c) => c.path === GUIDANCE);
      expect(call).toMatchObject({ method: BRIDGE_ENDPOINTS.createGuidanceSession.method, status: 200 });
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
      const uuid = await bridgeUser();
      await opened(client.openGuidanceSession(uuid, { countryCode: 'FR', companyIdentificationNumber: '529196313', contactEmail: null }));
      expect(calls.find((c) => c.path === GUIDANCE)!.body).toEqual({
        user_uuid: uuid,
        country_code: 'FR',
        company_identification_number: '529196313',
        contact_email: null,
      });
    });

    it('re-authenticates once after the tokens expire (401) and still opens the session', async () => {
      const uuid = await bridgeUser();
      await opened(client.openGuidanceSession(uuid, profile));
      sandbox.expireAllTokens();
      calls = [];
      await opened(client.openGuidanceSession(uuid, profile));
      expect(trail()).toEqual([`POST ${GUIDANCE} 401`, `POST ${TOKEN} 200`, `POST ${GUIDANCE} 200`]);
    });

    it('throws a refusal of our app credentials as unauthorized, never as "user not found"', async () => {
      const uuid = await bridgeUser();
      const error = await clientWith({ clientSecret: 'wrong-client-secret-0123456789' })
        .openGuidanceSession(uuid, profile)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'bridge', code: 'unauthorized', status: 401, type: 'invalid_client_credentials' });
      expect(trail()).toEqual([`POST ${TOKEN} 401`]);
    });

    it('turns Bridge refusing the body into invalid_request, without retrying', async () => {
      const uuid = await bridgeUser();
      await client.userAccessToken(uuid);
      calls = [];
      const error = await client.openGuidanceSession(uuid, { ...profile, companyIdentificationNumber: '12' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'bridge', code: 'invalid_request', status: 400, type: 'invalid_request' });
      expect(count('POST', GUIDANCE)).toBe(1);
    });

    it('says user_not_found when Bridge deleted the user: its token is refused, and the token call answers 404 [seen]', async () => {
      const uuid = await bridgeUser();
      await opened(client.openGuidanceSession(uuid, profile));
      expect((await direct('DELETE', user(uuid))).status).toBe(204);
      calls = [];
      const outcome = await client.openGuidanceSession(uuid, profile);
      expect(outcome).toMatchObject({ ok: false, reason: 'user_not_found', error: { code: 'not_found', status: 404 } });
      expect(trail()).toEqual([`POST ${GUIDANCE} 401`, `POST ${TOKEN} 404`]);
    });

    it('says user_not_found for the documented 401 "user not found" with a token just issued, keeping Bridge’s type', async () => {
      const uuid = await bridgeUser();
      intercept = (request) => (new URL(request.url).pathname === GUIDANCE ? bridgeErrorResponse(401, 'user_not_found') : undefined);
      const outcome = await client.openGuidanceSession(uuid, profile);
      expect(outcome).toMatchObject({
        ok: false,
        reason: 'user_not_found',
        error: { provider: 'bridge', code: 'not_found', status: 401, type: 'user_not_found' },
      });
      expect(trail()).toEqual([`POST ${TOKEN} 200`, `POST ${GUIDANCE} 401`, `POST ${TOKEN} 200`, `POST ${GUIDANCE} 401`]);
    });

    it('does not read an undocumented 404 at the guidance call as "user not found"', async () => {
      const uuid = await bridgeUser();
      intercept = (request) => (new URL(request.url).pathname === GUIDANCE ? bridgeErrorResponse(404, 'not_found') : undefined);
      const error = await client.openGuidanceSession(uuid, profile).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'bridge', code: 'not_found', status: 404 });
      expect(count('POST', GUIDANCE)).toBe(1);
    });

    it('reports the documented 403 (IP not on the allow-list) as forbidden, without retrying or re-authenticating', async () => {
      const uuid = await bridgeUser();
      intercept = (request) => (new URL(request.url).pathname === GUIDANCE ? bridgeErrorResponse(403, 'forbidden_ip') : undefined);
      const error = await client.openGuidanceSession(uuid, profile).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'bridge', code: 'forbidden', status: 403, type: 'forbidden_ip' });
      expect(trail()).toEqual([`POST ${TOKEN} 200`, `POST ${GUIDANCE} 403`]);
    });
  });

  describe('error bodies', () => {
    it('keeps Bridge’s error type when documentation_url is null', async () => {
      intercept = () => bridgeErrorResponse(400, 'invalid_request', null);
      expect(await client.createUser(randomUUID()).catch((e: unknown) => e)).toMatchObject({ code: 'invalid_request', status: 400, type: 'invalid_request' });
    });

    it('keeps the type when other fields are missing or odd, and does without one when the body is not Bridge’s', async () => {
      intercept = () => Response.json({ type: 'user_already_exists', message: 42 }, { status: 409 });
      expect(await client.createUser(randomUUID()).catch((e: unknown) => e)).toMatchObject({ code: 'conflict', type: 'user_already_exists' });
      intercept = () => new Response('<html>Bad gateway</html>', { status: 400 });
      const error = await client.createUser(randomUUID()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
      expect((error as BridgeError).type).toBeUndefined();
    });

    it('reports a wrong client secret as unauthorized, without the secret in the message', async () => {
      const wrong = 'wrong-client-secret-0123456789';
      const error = await clientWith({ clientSecret: wrong })
        .createUser(randomUUID())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BridgeError);
      expect(error).toMatchObject({ provider: 'bridge', code: 'unauthorized', status: 401, type: 'invalid_client_credentials' });
      expect((error as Error).message).not.toContain(wrong);
      expect(calls).toHaveLength(1);
    });
  });

  describe('when Bridge misbehaves (sandbox knobs)', () => {
    async function knobs(settings: Record<string, number>): Promise<void> {
      expect((await direct('POST', '/_control/knobs', settings)).status).toBe(200);
    }

    it('retries the token call after a 500 and a 429, honouring Retry-After', async () => {
      const uuid = await bridgeUser();
      await knobs({ error_rate: 0.5, rate_limit_rate: 0.5 });
      // Call 1: 500. Call 2: no 500, then 429. Call 3: neither.
      draws = [0.1, 0.9, 0.1, 0.9, 0.9];
      await expect(client.userAccessToken(uuid)).resolves.toEqual(expect.any(String));
      expect(calls.map((c) => c.status)).toEqual([500, 429, 200]);
      expect(sleeps).toHaveLength(2);
      expect(sleeps[1]).toBe(1000);
    });

    it('does not retry opening a guidance session, which creates one each time', async () => {
      const uuid = await bridgeUser();
      await client.userAccessToken(uuid);
      await knobs({ error_rate: 1 });
      calls = [];
      const error = await client.openGuidanceSession(uuid, { countryCode: 'FR', companyIdentificationNumber: '529196313' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'unavailable', status: 500 });
      expect(trail()).toEqual([`POST ${GUIDANCE} 500`]);
    });

    it('gives up on a Bridge that keeps failing, as unavailable', async () => {
      const uuid = await bridgeUser();
      await knobs({ error_rate: 1 });
      expect(await client.userAccessToken(uuid).catch((e: unknown) => e)).toMatchObject({ code: 'unavailable' });
      expect(calls).toHaveLength(3);
    });
  });
});
