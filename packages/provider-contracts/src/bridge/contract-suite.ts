import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  BRIDGE_ACCESS_TOKEN_TTL_MS,
  BRIDGE_ENDPOINTS,
  BRIDGE_GUIDANCE_SITE,
  BRIDGE_HEADERS,
  BRIDGE_JSON,
  BRIDGE_VERSION,
  bridgeApiOrigin,
  bridgeGuidanceSessionUrl,
  bridgePath,
  type BridgeEndpoint,
} from './api';
import type { BridgeGuidanceSessionRequest } from './requests';
import {
  bridgeDocumentedErrorBodySchema,
  bridgeGuidanceSessionSchema,
  bridgeTokenSchema,
  bridgeUserSchema,
  bridgeUsersListSchema,
  type BridgeErrorBodyWire,
  type BridgeUserWire,
} from './wire';

// One suite for any Bridge: the simulator in CI (packages/sandbox/src/bridge/contract.test.ts) and a real
// Bridge when credentials are given (./live.test.ts). It checks what a caller can observe over HTTP:
// every documented request field, header, response field, status and error shape this contract names.
// What only a simulator can show (its control API, the webhooks it sends, the guidance site) is tested in
// the sandbox's own tests. Users it creates are named `guidepost-contract-…` and deleted at the end.

export interface BridgeContractTarget {
  /** The documented base (`https://api.bridgeapi.io/v3`) or its bare origin. */
  baseUrl: string;
  fetch: typeof fetch;
  clientId: string;
  clientSecret: string;
  /** Default: the contract's BRIDGE_VERSION. */
  version?: string;
  /** Where guidance session urls point; default Bridge's documented site, https://guidance.bridgeapi.io. */
  guidanceSite?: string;
  /** Only a target that can (a simulator): expires every access token issued so far. Otherwise that check is skipped. */
  expireAllTokens?: () => void | Promise<void>;
}

interface CallOptions {
  params?: Record<string, string>;
  /** A JSON body, serialised; or `raw` text sent as is. */
  body?: unknown;
  raw?: string;
  token?: string;
  /** Header names to leave out of the ones every call sends. */
  omit?: string[];
  headers?: Record<string, string>;
}

const TOKEN_TTL_TOLERANCE_MS = 5 * 60 * 1000;
const MAX_LIST_PAGES = 20;

export function bridgeContractSuite(target: BridgeContractTarget): void {
  const origin = () => bridgeApiOrigin(target.baseUrl);
  const run = randomUUID().slice(0, 8);
  let sequence = 0;
  const created = new Set<string>();
  /** A reference no user holds yet: [A-Za-z0-9-_], unique per run. */
  const freshExternalId = () => `guidepost-contract-${run}-${++sequence}`;

  function request(endpoint: BridgeEndpoint, options: CallOptions = {}): Promise<Response> {
    return send(endpoint.method, bridgePath(endpoint, options.params), options);
  }

  function send(method: string, pathOrUrl: string, options: CallOptions = {}): Promise<Response> {
    const headers = new Headers({
      [BRIDGE_HEADERS.clientId]: target.clientId,
      [BRIDGE_HEADERS.clientSecret]: target.clientSecret,
      [BRIDGE_HEADERS.version]: target.version ?? BRIDGE_VERSION,
      Accept: BRIDGE_JSON,
    });
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers.set('Content-Type', BRIDGE_JSON);
    if (options.token !== undefined) headers.set(BRIDGE_HEADERS.authorization, bearer(options.token));
    for (const name of options.omit ?? []) headers.delete(name);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${origin()}${pathOrUrl}`;
    return target.fetch(url, { method, headers, body, redirect: 'manual' });
  }

  async function json(response: Response): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`expected a JSON body with HTTP ${response.status}, got ${text.length} characters that are not JSON`);
    }
  }

  /** A success: the exact status where the documents give it, any 2xx where the status is ours (the client accepts any). */
  function expectSuccess(response: Response, endpoint: BridgeEndpoint): void {
    if (endpoint.success.source === '[doc]') expect(response.status, `${endpoint.method} ${endpoint.path}`).toBe(endpoint.success.status);
    else expect(response.ok, `${endpoint.method} ${endpoint.path} answered ${response.status}`).toBe(true);
  }

  /** An error answer: this status, a JSON content type, and Bridge's error body. */
  async function expectError(response: Response, status: number): Promise<BridgeErrorBodyWire> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type') ?? '').toMatch(/^application\/(.+\+)?json\b/i);
    const parsed = bridgeDocumentedErrorBodySchema.safeParse(await json(response));
    expect(parsed.success, `error body: ${parsed.error?.message ?? ''}`).toBe(true);
    return parsed.data!;
  }

  async function createUser(externalUserId: string = freshExternalId()): Promise<BridgeUserWire> {
    const response = await request(BRIDGE_ENDPOINTS.createUser, { body: { external_user_id: externalUserId } });
    expectSuccess(response, BRIDGE_ENDPOINTS.createUser);
    const user = bridgeUserSchema.parse(await json(response));
    created.add(user.uuid);
    return user;
  }

  async function tokenFor(userUuid: string): Promise<string> {
    const response = await request(BRIDGE_ENDPOINTS.issueToken, { body: { user_uuid: userUuid } });
    expectSuccess(response, BRIDGE_ENDPOINTS.issueToken);
    return bridgeTokenSchema.parse(await json(response)).access_token;
  }

  const deleteUser = (uuid: string) => request(BRIDGE_ENDPOINTS.deleteUser, { params: { user_uuid: uuid } });
  const openSession = (token: string | undefined, body: unknown) => request(BRIDGE_ENDPOINTS.createGuidanceSession, { token, body });
  const unknownUuid = () => randomUUID();

  afterAll(async () => {
    // Best effort: a user the tests already deleted answers 404, which is fine.
    for (const uuid of created) await deleteUser(uuid).catch(() => undefined);
  });

  describe('headers every call sends', () => {
    it('refuses a call without Client-Id and Client-Secret: 401 with an error body', async () => {
      await expectError(await request(BRIDGE_ENDPOINTS.listUsers, { omit: [BRIDGE_HEADERS.clientId, BRIDGE_HEADERS.clientSecret] }), 401);
    });

    it('refuses a wrong Client-Secret: 401 with an error body', async () => {
      await expectError(await request(BRIDGE_ENDPOINTS.listUsers, { headers: { [BRIDGE_HEADERS.clientSecret]: 'guidepost-contract-wrong-secret' } }), 401);
    });

    it('refuses a call without Bridge-Version: 400 with an error body', async () => {
      await expectError(await request(BRIDGE_ENDPOINTS.listUsers, { omit: [BRIDGE_HEADERS.version] }), 400);
    });
  });

  describe('users', () => {
    it('creates a user: 201 { uuid, external_user_id } holding our reference', async () => {
      const externalUserId = freshExternalId();
      const response = await request(BRIDGE_ENDPOINTS.createUser, { body: { external_user_id: externalUserId } });
      expect(response.status).toBe(BRIDGE_ENDPOINTS.createUser.success.status);
      const user = bridgeUserSchema.parse(await json(response));
      created.add(user.uuid);
      expect(user.external_user_id).toBe(externalUserId);
    });

    it('refuses a second user with the same external_user_id: 409', async () => {
      const user = await createUser();
      await expectError(await request(BRIDGE_ENDPOINTS.createUser, { body: { external_user_id: user.external_user_id } }), 409);
    });

    it.each([
      ['a space', 'has space'],
      ['129 characters', 'a'.repeat(129)],
      ['a dot', 'a.b'],
    ])('refuses an external_user_id with %s: 400', async (_, externalUserId) => {
      await expectError(await request(BRIDGE_ENDPOINTS.createUser, { body: { external_user_id: externalUserId } }), 400);
    });

    it('lists users: 200 { resources, pagination: { next_uri } }, the new user among them', async () => {
      const user = await createUser();
      let next: string | null = bridgePath(BRIDGE_ENDPOINTS.listUsers);
      let found = false;
      for (let page = 0; next !== null && !found && page < MAX_LIST_PAGES; page++) {
        const response = await send('GET', next);
        expect(response.status).toBe(BRIDGE_ENDPOINTS.listUsers.success.status);
        const list = bridgeUsersListSchema.parse(await json(response));
        found = list.resources.some((listed) => listed.uuid === user.uuid && listed.external_user_id === user.external_user_id);
        next = list.pagination.next_uri;
      }
      expect(found).toBe(true);
    });

    it('gets a user by uuid: 200, the same user', async () => {
      const user = await createUser();
      const response = await request(BRIDGE_ENDPOINTS.getUser, { params: { user_uuid: user.uuid } });
      expect(response.status).toBe(BRIDGE_ENDPOINTS.getUser.success.status);
      expect(bridgeUserSchema.parse(await json(response))).toEqual(user);
    });

    it('answers 404 for a user that does not exist', async () => {
      await expectError(await request(BRIDGE_ENDPOINTS.getUser, { params: { user_uuid: unknownUuid() } }), 404);
    });

    it('deletes a user: 204 without a body, then 404 on get and on a second delete', async () => {
      const user = await createUser();
      const response = await deleteUser(user.uuid);
      expect(response.status).toBe(BRIDGE_ENDPOINTS.deleteUser.success.status);
      expect(await response.text()).toBe('');
      await expectError(await request(BRIDGE_ENDPOINTS.getUser, { params: { user_uuid: user.uuid } }), 404);
      await expectError(await deleteUser(user.uuid), 404);
    });
  });

  describe('authorization token', () => {
    it('issues a token for user_uuid: { access_token, expires_at two hours ahead, user }', async () => {
      const user = await createUser();
      const before = Date.now();
      const response = await request(BRIDGE_ENDPOINTS.issueToken, { body: { user_uuid: user.uuid } });
      expectSuccess(response, BRIDGE_ENDPOINTS.issueToken);
      const token = bridgeTokenSchema.parse(await json(response));
      expect(token.user).toEqual(user);
      const lifetime = Date.parse(token.expires_at) - before;
      expect(Math.abs(lifetime - BRIDGE_ACCESS_TOKEN_TTL_MS)).toBeLessThan(TOKEN_TTL_TOLERANCE_MS);
    });

    it('issues a token for external_user_id, for the same user', async () => {
      const user = await createUser();
      const response = await request(BRIDGE_ENDPOINTS.issueToken, { body: { external_user_id: user.external_user_id } });
      expectSuccess(response, BRIDGE_ENDPOINTS.issueToken);
      expect(bridgeTokenSchema.parse(await json(response)).user).toEqual(user);
    });

    it('answers 404 for a user that does not exist, by uuid or by reference', async () => {
      await expectError(await request(BRIDGE_ENDPOINTS.issueToken, { body: { user_uuid: unknownUuid() } }), 404);
      await expectError(await request(BRIDGE_ENDPOINTS.issueToken, { body: { external_user_id: freshExternalId() } }), 404);
    });

    it('refuses a body naming no user: 400', async () => {
      await expectError(await request(BRIDGE_ENDPOINTS.issueToken, { body: {} }), 400);
    });
  });

  describe('guidance sessions', () => {
    let user: BridgeUserWire;
    let token: string;
    let valid: BridgeGuidanceSessionRequest;

    beforeAll(async () => {
      user = await createUser();
      token = await tokenFor(user.uuid);
      valid = { user_uuid: user.uuid, country_code: 'FR', company_identification_number: '529196313' };
    });

    it('opens a session: { id, url, password }, the url on the guidance site', async () => {
      const response = await openSession(token, valid);
      expectSuccess(response, BRIDGE_ENDPOINTS.createGuidanceSession);
      const session = bridgeGuidanceSessionSchema.parse(await json(response));
      expect(session.url).toBe(bridgeGuidanceSessionUrl(session.id, target.guidanceSite ?? BRIDGE_GUIDANCE_SITE));
      expect(session.password.length).toBeGreaterThan(0);
    });

    it('gives every session its own id and password', async () => {
      const first = bridgeGuidanceSessionSchema.parse(await json(await openSession(token, valid)));
      const second = bridgeGuidanceSessionSchema.parse(await json(await openSession(token, valid)));
      expect(second.id).not.toBe(first.id);
      expect(second.password).not.toBe(first.password);
    });

    it.each<[string, Partial<BridgeGuidanceSessionRequest>]>([
      ['every optional field', { language: 'en', contact_email: 'finance@example.com', contact_phone_number: '+33612345678' }],
      ['the contacts cleared with null', { contact_email: null, contact_phone_number: null }],
      ['language fr', { language: 'fr' }],
    ])('accepts %s', async (_, optional) => {
      expectSuccess(await openSession(token, { ...valid, ...optional }), BRIDGE_ENDPOINTS.createGuidanceSession);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a SIREN of 8 digits', { company_identification_number: '52919631' }],
      ['a SIREN with a letter', { company_identification_number: '52919631A' }],
      ['a SIREN as a number', { company_identification_number: 529196313 }],
      ['no SIREN', { company_identification_number: undefined }],
      ['a lower-case country', { country_code: 'fr' }],
      ['a three-letter country', { country_code: 'FRA' }],
      ['no country', { country_code: undefined }],
      ['no user_uuid', { user_uuid: undefined }],
    ])('refuses a body with %s: 400 with an error body', async (_, change) => {
      await expectError(await openSession(token, { ...valid, ...change }), 400);
    });

    it('refuses a body that is not JSON: 422', async () => {
      await expectError(await request(BRIDGE_ENDPOINTS.createGuidanceSession, { token, raw: '{"user_uuid": ' }), 422);
    });

    it('refuses a call without an access token, or with one Bridge never issued: 401', async () => {
      await expectError(await openSession(undefined, valid), 401);
      await expectError(await openSession('guidepost-contract-never-issued', valid), 401);
    });

    it('answers 401 (user not found), never 404, for a user_uuid no user has', async () => {
      await expectError(await openSession(token, { ...valid, user_uuid: unknownUuid() }), 401);
    });

    it('answers 401 (user not found), never 404, once the user is deleted', async () => {
      const leaving = await createUser();
      const leavingToken = await tokenFor(leaving.uuid);
      expect((await deleteUser(leaving.uuid)).status).toBe(BRIDGE_ENDPOINTS.deleteUser.success.status);
      await expectError(await openSession(leavingToken, { ...valid, user_uuid: leaving.uuid }), 401);
    });
  });

  // Last: it expires every token the target issued, the other groups' included.
  describe('expired access tokens', () => {
    it.skipIf(!target.expireAllTokens)('refuses an expired token with 401; a new token works', async () => {
      const user = await createUser();
      const body = { user_uuid: user.uuid, country_code: 'FR', company_identification_number: '529196313' };
      const stale = await tokenFor(user.uuid);
      await target.expireAllTokens?.();
      await expectError(await openSession(stale, body), 401);
      expectSuccess(await openSession(await tokenFor(user.uuid), body), BRIDGE_ENDPOINTS.createGuidanceSession);
    });
  });
}
