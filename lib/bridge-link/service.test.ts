import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { BRIDGE_ENDPOINTS, BRIDGE_VERSION, bridgePath, bridgeUserSchema, bridgeUsersListSchema } from '@guidepost/provider-contracts/bridge';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { bridgeRequest } from '@guidepost/sandbox/bridge/testing';
import { createBridgeClient } from '@/lib/bridge/client';
import { clearTokenCache } from '@/lib/bridge/token-cache';
import { bridgeUsers } from '@/lib/db/schema';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { createBridgeLink, type BridgeLink } from './service';

const CREDENTIALS = { clientId: 'link-test-client', clientSecret: 'link-test-secret-0123456789' } as const;
const API_URL = 'http://bridge.test';

const USERS = bridgePath(BRIDGE_ENDPOINTS.createUser);
const TOKEN = bridgePath(BRIDGE_ENDPOINTS.issueToken);
const GUIDANCE = bridgePath(BRIDGE_ENDPOINTS.createGuidanceSession);
const user = (uuid: string) => bridgePath(BRIDGE_ENDPOINTS.getUser, { user_uuid: uuid });
const profile = { countryCode: 'FR', companyIdentificationNumber: '529196313' };

interface Call {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

describe.each(databaseKinds)('Bridge users of portal users on %s', (kind) => {
  const database = useTestDatabase(kind);
  let sandbox: BridgeSandbox;
  let calls: Call[];
  let link: BridgeLink;
  /** Answers a call in Bridge's place when it returns a Response. */
  let intercept: ((request: Request, body: unknown) => Response | undefined) | undefined;

  function linkWith(overrides: { clientSecret?: string } = {}): BridgeLink {
    return createBridgeLink(
      createBridgeClient({
        apiUrl: API_URL,
        version: BRIDGE_VERSION,
        ...CREDENTIALS,
        ...overrides,
        sleep: async () => undefined,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          const body = init?.body == null ? undefined : JSON.parse(String(init.body));
          const response = intercept?.(request, body) ?? (await sandbox.handle(request));
          calls.push({ method: request.method, path: new URL(request.url).pathname, status: response.status, body });
          return response;
        },
      }),
    );
  }

  async function direct(method: string, path: string, body?: unknown): Promise<Response> {
    return sandbox.handle(bridgeRequest(path, { method, body, credentials: CREDENTIALS }));
  }

  /** A Bridge user made at Bridge, not by the portal: with our reference (a create whose answer was lost), or none. */
  async function madeAtBridge(externalUserId?: string): Promise<string> {
    const response = await direct('POST', USERS, externalUserId === undefined ? {} : { external_user_id: externalUserId });
    expect(response.status).toBe(201);
    return bridgeUserSchema.parse(await response.json()).uuid;
  }

  const links = (portalUserId: string) => database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, portalUserId));
  const trail = () => calls.map((c) => `${c.method} ${c.path} ${c.status}`);
  const portalUser = () => insertUser(database);

  beforeEach(() => {
    sandbox = createBridgeSandbox({ ...CREDENTIALS, siteOrigin: 'http://portal.test' });
    calls = [];
    intercept = undefined;
    clearTokenCache();
    link = linkWith();
  });

  it('creates the Bridge user on first need, with the portal user id as external_user_id, and links it', async () => {
    const portalUserId = await portalUser();
    const uuid = await link.ensureBridgeUser(portalUserId);
    expect(calls).toEqual([{ method: 'POST', path: USERS, status: 201, body: { external_user_id: portalUserId } }]);
    expect(await (await direct('GET', user(uuid))).json()).toEqual({ uuid, external_user_id: portalUserId });
    expect(await links(portalUserId)).toMatchObject([{ userId: portalUserId, bridgeUserUuid: uuid }]);
    expect(await link.findPortalUserByBridgeUuid(uuid)).toBe(portalUserId);
  });

  it('reuses the link on the next call without asking Bridge', async () => {
    const portalUserId = await portalUser();
    const first = await link.ensureBridgeUser(portalUserId);
    calls = [];
    expect(await link.ensureBridgeUser(portalUserId)).toBe(first);
    expect(calls).toEqual([]);
  });

  it('finds a Bridge user that already exists (409) through the token call, and links it', async () => {
    const portalUserId = await portalUser();
    const uuid = await madeAtBridge(portalUserId);
    expect(await link.ensureBridgeUser(portalUserId)).toBe(uuid);
    expect(trail()).toEqual([`POST ${USERS} 409`, `POST ${TOKEN} 200`]);
    expect(calls[1]!.body).toEqual({ external_user_id: portalUserId });
    expect(await links(portalUserId)).toHaveLength(1);
  });

  it('ends with one Bridge user and one link when two first calls race', async () => {
    const portalUserId = await portalUser();
    const [a, b] = await Promise.all([link.ensureBridgeUser(portalUserId), linkWith().ensureBridgeUser(portalUserId)]);
    expect(a).toBe(b);
    expect(await links(portalUserId)).toHaveLength(1);
    const listed = bridgeUsersListSchema.parse(await (await direct('GET', USERS)).json());
    expect(listed.resources.filter((u) => u.external_user_id === portalUserId)).toHaveLength(1);
  });

  describe('a guidance session for a portal user whose Bridge user is gone', () => {
    it('links a new Bridge user when Bridge deleted the linked one, relying only on documented answers', async () => {
      const portalUserId = await portalUser();
      await link.createGuidanceSession(portalUserId, profile);
      const old = (await links(portalUserId))[0]!.bridgeUserUuid;
      expect((await direct('DELETE', user(old))).status).toBe(204);
      calls = [];
      const session = await link.createGuidanceSession(portalUserId, profile);
      expect(session.id).toEqual(expect.any(String));
      const fresh = (await links(portalUserId))[0]!.bridgeUserUuid;
      expect(fresh).not.toBe(old);
      expect(await link.findPortalUserByBridgeUuid(old)).toBeUndefined();
      // The old token is refused (401), the token call says the user is unknown (404 [seen]); no GET of the user.
      expect(trail()).toEqual([`POST ${GUIDANCE} 401`, `POST ${TOKEN} 404`, `POST ${USERS} 201`, `POST ${TOKEN} 200`, `POST ${GUIDANCE} 200`]);
      expect(calls.find((c) => c.body && (c.body as { user_uuid?: string }).user_uuid === fresh && c.path === GUIDANCE)).toBeDefined();
    });

    it('links a new Bridge user on the guidance call’s documented 401 "user not found"', async () => {
      const portalUserId = await portalUser();
      // A Bridge user Bridge still authenticates, but which its guidance no longer finds.
      const stale = await madeAtBridge();
      expect(await link.linkBridgeUser(portalUserId, stale)).toBe(portalUserId);
      intercept = (request, body) =>
        new URL(request.url).pathname === GUIDANCE && (body as { user_uuid?: string }).user_uuid === stale
          ? Response.json({ type: 'user_not_found', message: 'User not found', documentation_url: null }, { status: 401 })
          : undefined;
      const session = await link.createGuidanceSession(portalUserId, profile);
      expect(session.password.length).toBeGreaterThan(0);
      const fresh = (await links(portalUserId))[0]!.bridgeUserUuid;
      expect(fresh).not.toBe(stale);
      expect(trail()).toEqual([
        `POST ${TOKEN} 200`,
        `POST ${GUIDANCE} 401`,
        `POST ${TOKEN} 200`,
        `POST ${GUIDANCE} 401`,
        `POST ${USERS} 201`,
        `POST ${TOKEN} 200`,
        `POST ${GUIDANCE} 200`,
      ]);
    });

    it('tries a new Bridge user once: a lasting "user not found" ends as not_found, with no second Bridge user made', async () => {
      const portalUserId = await portalUser();
      const uuid = await link.ensureBridgeUser(portalUserId);
      calls = [];
      intercept = (request) =>
        new URL(request.url).pathname === GUIDANCE
          ? Response.json({ type: 'user_not_found', message: 'User not found', documentation_url: null }, { status: 401 })
          : undefined;
      const error = await link.createGuidanceSession(portalUserId, profile).catch((e: unknown) => e);
      expect(error).toMatchObject({ provider: 'bridge', code: 'not_found', status: 401, type: 'user_not_found' });
      // Bridge still held our reference: the create met its 409 and the same user was linked again.
      expect(await links(portalUserId)).toMatchObject([{ bridgeUserUuid: uuid }]);
      expect(calls.filter((c) => c.path === USERS).map((c) => c.status)).toEqual([409]);
      expect(calls.filter((c) => c.path === GUIDANCE)).toHaveLength(4);
    });

    it('keeps the link when the guidance call fails otherwise (an undocumented 404 included)', async () => {
      const portalUserId = await portalUser();
      const uuid = await link.ensureBridgeUser(portalUserId);
      calls = [];
      intercept = (request) =>
        new URL(request.url).pathname === GUIDANCE ? Response.json({ type: 'not_found', message: 'x', documentation_url: null }, { status: 404 }) : undefined;
      expect(await link.createGuidanceSession(portalUserId, profile).catch((e: unknown) => e)).toMatchObject({ code: 'not_found', status: 404 });
      expect(await links(portalUserId)).toMatchObject([{ bridgeUserUuid: uuid }]);
      expect(calls.filter((c) => c.path === USERS)).toEqual([]);
    });
  });

  it('deletes the Bridge user and the link, and forgets its token', async () => {
    const portalUserId = await portalUser();
    const uuid = await link.ensureBridgeUser(portalUserId);
    await link.createGuidanceSession(portalUserId, profile);
    await link.deleteBridgeUser(portalUserId);
    expect((await direct('GET', user(uuid))).status).toBe(404);
    expect(await links(portalUserId)).toEqual([]);
  });

  it('treats a Bridge user already deleted at Bridge as done; without a link, asks Bridge by external_user_id and deletes nothing when it has none', async () => {
    const portalUserId = await portalUser();
    const uuid = await link.ensureBridgeUser(portalUserId);
    await direct('DELETE', user(uuid));
    await link.deleteBridgeUser(portalUserId);
    expect(await links(portalUserId)).toEqual([]);
    calls = [];
    await link.deleteBridgeUser(portalUserId);
    await link.deleteBridgeUser(await portalUser());
    expect(trail()).toEqual([`POST ${TOKEN} 404`, `POST ${TOKEN} 404`]);
  });

  it('deletes a Bridge user whose link was never stored (the create succeeded at Bridge, its answer was lost)', async () => {
    const portalUserId = await portalUser();
    const uuid = await madeAtBridge(portalUserId);
    expect(await links(portalUserId)).toEqual([]);
    await link.deleteBridgeUser(portalUserId);
    expect((await direct('GET', user(uuid))).status).toBe(404);
  });

  it('looks a Bridge user up by uuid and links it to the portal user it names, once', async () => {
    const portalUserId = await portalUser();
    const uuid = await madeAtBridge(portalUserId);
    expect(await link.lookupBridgeUser(uuid)).toEqual({ uuid, externalUserId: portalUserId });
    expect(await link.lookupBridgeUser(randomUUID())).toBeUndefined();
    expect(await link.linkBridgeUser(portalUserId, uuid)).toBe(portalUserId);
    expect(await link.findPortalUserByBridgeUuid(uuid)).toBe(portalUserId);
    // Already linked to another Bridge user: not replaced.
    expect(await link.linkBridgeUser(portalUserId, randomUUID())).toBeUndefined();
    // Not a portal user.
    expect(await link.linkBridgeUser(randomUUID(), uuid)).toBeUndefined();
  });

  it('unlinks a Bridge user that Bridge reported deleted', async () => {
    const portalUserId = await portalUser();
    const uuid = await link.ensureBridgeUser(portalUserId);
    expect(await link.unlinkBridgeUser(uuid)).toBe(portalUserId);
    expect(await link.unlinkBridgeUser(uuid)).toBeUndefined();
    expect(await link.findPortalUserByBridgeUuid(uuid)).toBeUndefined();
    expect(await link.findPortalUserByBridgeUuid('not-a-uuid')).toBeUndefined();
    expect(await link.unlinkBridgeUser('not-a-uuid')).toBeUndefined();
  });

  it('stores no link when Bridge refuses our credentials', async () => {
    const portalUserId = await portalUser();
    const error = await linkWith({ clientSecret: 'wrong-client-secret-0123456789' })
      .ensureBridgeUser(portalUserId)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'bridge', code: 'unauthorized', status: 401 });
    expect(await links(portalUserId)).toEqual([]);
  });
});
