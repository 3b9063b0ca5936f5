import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { bridgeUsers, users } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { rememberSecret } from '@/lib/secrets/known';
import { BridgeError, isBridgeError } from './errors';
import { createBridgeHttp, type BridgeHttpConfig } from './http';
import { bridgeGuidanceSessionSchema, bridgeTokenSchema, bridgeUserSchema, bridgeUuidSchema, type BridgeTokenWire } from '@guidepost/provider-contracts/bridge';
import { cachedUserToken, cacheUserToken, clearUserToken } from './token-cache';

export type BridgeClientConfig = BridgeHttpConfig;

export interface GuidanceSessionInput {
  countryCode: string;
  companyIdentificationNumber: string;
  language?: 'fr' | 'en';
  contactEmail?: string | null;
  contactPhoneNumber?: string | null;
}

/** A guidance session as the portal sees it. The password is a secret: never log or persist it in clear. */
export interface GuidanceSession {
  id: string;
  url: string;
  password: string;
}

export interface BridgeClient {
  /** The Bridge user of a portal user, created on first need; returns its Bridge uuid. */
  ensureBridgeUser(portalUserId: string): Promise<string>;
  userAccessToken(bridgeUserUuid: string): Promise<string>;
  /** Runs a user-scoped call; a 401 re-authenticates once and runs it again. */
  withUserToken<T>(bridgeUserUuid: string, fn: (accessToken: string) => Promise<T>): Promise<T>;
  createGuidanceSession(portalUserId: string, input: GuidanceSessionInput): Promise<GuidanceSession>;
  /**
   * Deletes the portal user's Bridge user, then our link to it. Found by our link or, when there is none
   * (a create whose answer was lost), by external_user_id at Bridge; nothing to delete is not an error.
   */
  deleteBridgeUser(portalUserId: string): Promise<void>;
  /** The Bridge user with this uuid and the reference we gave it, or undefined when Bridge has no such user. */
  lookupBridgeUser(bridgeUserUuid: string): Promise<{ uuid: string; externalUserId: string | null } | undefined>;
  /**
   * Stores the link of a portal user to a Bridge user found at Bridge (e.g. from a webhook). Returns the
   * portal user when the link is now in place, undefined when the portal user is unknown or already
   * linked to another Bridge user.
   */
  linkBridgeUser(portalUserId: string, bridgeUserUuid: string): Promise<string | undefined>;
  /** Forgets the link when Bridge has deleted the user itself; returns the portal user it belonged to. */
  unlinkBridgeUser(bridgeUserUuid: string): Promise<string | undefined>;
  findPortalUserByBridgeUuid(bridgeUserUuid: string): Promise<string | undefined>;
}

const USERS = '/v3/aggregation/users';
const TOKEN = '/v3/aggregation/authorization/token';
const GUIDANCE_SESSIONS = '/v3/guidance/sessions';

// Ids reach the uuid columns only when they look like one: a malformed id is simply unknown, not a database error.
const isUuid = (value: string) => bridgeUuidSchema.safeParse(value).success;

async function linkedBridgeUser(portalUserId: string): Promise<string | undefined> {
  if (!isUuid(portalUserId)) return undefined;
  const db = await getDb();
  const [row] = await db.select({ uuid: bridgeUsers.bridgeUserUuid }).from(bridgeUsers).where(eq(bridgeUsers.userId, portalUserId));
  return row?.uuid;
}

export function createBridgeClient(config: BridgeClientConfig): BridgeClient {
  const http = createBridgeHttp(config);
  // One token request per user at a time: Bridge allows only 10 authentications per user per minute.
  const authenticating = new Map<string, Promise<string>>();

  async function issueToken(body: { user_uuid: string } | { external_user_id: string }): Promise<BridgeTokenWire> {
    // Asking for a token twice is harmless, so it is retried like a read.
    const token = await http.request('POST', TOKEN, { body, schema: bridgeTokenSchema, idempotent: true });
    // Known to the logger from now on, wherever it would appear.
    rememberSecret(token.access_token);
    return token;
  }

  function userAccessToken(bridgeUserUuid: string): Promise<string> {
    const cached = cachedUserToken(bridgeUserUuid);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = authenticating.get(bridgeUserUuid);
    if (pending) return pending;
    const fresh = (async () => {
      const token = await issueToken({ user_uuid: bridgeUserUuid });
      if (token.user.uuid.toLowerCase() !== bridgeUserUuid.toLowerCase()) throw new BridgeError('invalid_response');
      cacheUserToken(bridgeUserUuid, token.access_token, token.expires_at);
      return token.access_token;
    })().finally(() => authenticating.delete(bridgeUserUuid));
    authenticating.set(bridgeUserUuid, fresh);
    return fresh;
  }

  async function withUserToken<T>(bridgeUserUuid: string, fn: (accessToken: string) => Promise<T>): Promise<T> {
    // Outside the try: a refused token request is the app's credentials, not a stale token.
    const accessToken = await userAccessToken(bridgeUserUuid);
    try {
      return await fn(accessToken);
    } catch (error) {
      if (!isBridgeError(error, 'unauthorized')) throw error;
      // Expired or revoked early: Bridge says to authenticate again. Once only, so a lasting refusal surfaces.
      clearUserToken(bridgeUserUuid);
      return fn(await userAccessToken(bridgeUserUuid));
    }
  }

  /** The uuid Bridge holds for our reference, found by authenticating with it (Bridge has no lookup by reference). */
  async function findByExternalId(portalUserId: string): Promise<string> {
    const token = await issueToken({ external_user_id: portalUserId });
    cacheUserToken(token.user.uuid, token.access_token, token.expires_at);
    return token.user.uuid;
  }

  /** Like findByExternalId, but undefined when Bridge has no user with this reference (404). */
  async function findByExternalIdIfAny(portalUserId: string): Promise<string | undefined> {
    try {
      return await findByExternalId(portalUserId);
    } catch (error) {
      if (isBridgeError(error, 'not_found')) return undefined;
      throw error;
    }
  }

  async function ensureBridgeUser(portalUserId: string): Promise<string> {
    const linked = await linkedBridgeUser(portalUserId);
    if (linked) return linked;
    let bridgeUserUuid: string;
    try {
      // The portal user's id, never the email: stable, opaque, and allowed by Bridge's [A-Za-z0-9-_]{1,128}.
      const user = await http.request('POST', USERS, { body: { external_user_id: portalUserId }, schema: bridgeUserSchema, idempotent: false });
      bridgeUserUuid = user.uuid;
    } catch (error) {
      // 409: an earlier attempt (ours, concurrent or lost on the way back) already created it.
      if (!isBridgeError(error, 'conflict')) throw error;
      bridgeUserUuid = await findByExternalId(portalUserId);
    }
    const db = await getDb();
    // Two first calls at once both get here with the same uuid; the loser's insert does nothing.
    await db.insert(bridgeUsers).values({ userId: portalUserId, bridgeUserUuid }).onConflictDoNothing();
    const stored = await linkedBridgeUser(portalUserId);
    if (!stored) throw new Error('The Bridge user link could not be stored.');
    return stored;
  }

  async function openGuidanceSession(bridgeUserUuid: string, input: GuidanceSessionInput): Promise<GuidanceSession> {
    const body: Record<string, unknown> = {
      user_uuid: bridgeUserUuid,
      country_code: input.countryCode,
      company_identification_number: input.companyIdentificationNumber,
    };
    if (input.language !== undefined) body.language = input.language;
    if (input.contactEmail !== undefined) body.contact_email = input.contactEmail;
    if (input.contactPhoneNumber !== undefined) body.contact_phone_number = input.contactPhoneNumber;
    const session = await withUserToken(bridgeUserUuid, (accessToken) =>
      // Not retried: each call opens a new session with a new password.
      http.request('POST', GUIDANCE_SESSIONS, { body, accessToken, schema: bridgeGuidanceSessionSchema, idempotent: false }),
    );
    rememberSecret(session.password);
    return { id: session.id, url: session.url, password: session.password };
  }

  async function bridgeUserExists(bridgeUserUuid: string): Promise<boolean> {
    try {
      await http.request('GET', `${USERS}/${encodeURIComponent(bridgeUserUuid)}`, { schema: bridgeUserSchema, idempotent: true });
      return true;
    } catch (error) {
      // Only a clear 404 says gone; anything else keeps the link and lets the original error surface.
      return !isBridgeError(error, 'not_found');
    }
  }

  async function unlinkBridgeUser(bridgeUserUuid: string): Promise<string | undefined> {
    clearUserToken(bridgeUserUuid);
    if (!isUuid(bridgeUserUuid)) return undefined;
    const db = await getDb();
    const [row] = await db.delete(bridgeUsers).where(eq(bridgeUsers.bridgeUserUuid, bridgeUserUuid)).returning({ userId: bridgeUsers.userId });
    return row?.userId;
  }

  async function createGuidanceSession(portalUserId: string, input: GuidanceSessionInput): Promise<GuidanceSession> {
    const bridgeUserUuid = await ensureBridgeUser(portalUserId);
    try {
      return await openGuidanceSession(bridgeUserUuid, input);
    } catch (error) {
      // A 404 may mean Bridge no longer has the user (deleted there, webhook missed). Confirmed, the link
      // is stale: start again with a new Bridge user rather than fail on every visit.
      if (!isBridgeError(error, 'not_found') || (await bridgeUserExists(bridgeUserUuid))) throw error;
      await unlinkBridgeUser(bridgeUserUuid);
      return openGuidanceSession(await ensureBridgeUser(portalUserId), input);
    }
  }

  async function deleteBridgeUser(portalUserId: string): Promise<void> {
    // No link does not mean no Bridge user: a create can succeed at Bridge while its answer is lost.
    const bridgeUserUuid = (await linkedBridgeUser(portalUserId)) ?? (isUuid(portalUserId) ? await findByExternalIdIfAny(portalUserId) : undefined);
    if (!bridgeUserUuid) return;
    try {
      await http.request('DELETE', `${USERS}/${encodeURIComponent(bridgeUserUuid)}`, { idempotent: true });
    } catch (error) {
      // Already gone at Bridge (a retried DELETE, or Bridge deleted it): the outcome we wanted.
      if (!isBridgeError(error, 'not_found')) throw error;
    }
    // Only after Bridge confirmed, so a failure leaves the link for the next attempt.
    await unlinkBridgeUser(bridgeUserUuid);
  }

  async function lookupBridgeUser(bridgeUserUuid: string): Promise<{ uuid: string; externalUserId: string | null } | undefined> {
    if (!isUuid(bridgeUserUuid)) return undefined;
    try {
      const user = await http.request('GET', `${USERS}/${encodeURIComponent(bridgeUserUuid)}`, { schema: bridgeUserSchema, idempotent: true });
      return { uuid: user.uuid.toLowerCase(), externalUserId: user.external_user_id };
    } catch (error) {
      if (isBridgeError(error, 'not_found')) return undefined;
      throw error;
    }
  }

  async function linkBridgeUser(portalUserId: string, bridgeUserUuid: string): Promise<string | undefined> {
    if (!isUuid(portalUserId) || !isUuid(bridgeUserUuid)) return undefined;
    const db = await getDb();
    const [portalUser] = await db.select({ id: users.id }).from(users).where(eq(users.id, portalUserId));
    if (!portalUser) return undefined;
    await db.insert(bridgeUsers).values({ userId: portalUserId, bridgeUserUuid }).onConflictDoNothing();
    return (await linkedBridgeUser(portalUserId)) === bridgeUserUuid ? portalUserId : undefined;
  }

  async function findPortalUserByBridgeUuid(bridgeUserUuid: string): Promise<string | undefined> {
    if (!isUuid(bridgeUserUuid)) return undefined;
    const db = await getDb();
    const [row] = await db.select({ userId: bridgeUsers.userId }).from(bridgeUsers).where(eq(bridgeUsers.bridgeUserUuid, bridgeUserUuid));
    return row?.userId;
  }

  return {
    ensureBridgeUser,
    userAccessToken,
    withUserToken,
    createGuidanceSession,
    deleteBridgeUser,
    lookupBridgeUser,
    linkBridgeUser,
    unlinkBridgeUser,
    findPortalUserByBridgeUuid,
  };
}

const holder = globalThis as unknown as { __guidepostBridgeClient?: { key: string; client: BridgeClient } };

/** The process-wide client for getEnv().bridge; in sandbox mode it calls the sandbox over loopback HTTP like any API. */
export function bridgeClient(): BridgeClient {
  const { apiUrl, clientId, clientSecret, version } = getEnv().bridge;
  const key = JSON.stringify([apiUrl, clientId, clientSecret, version]);
  // Rebuilt only when the configuration changes, which happens in tests, never in a running server.
  if (holder.__guidepostBridgeClient?.key !== key) {
    holder.__guidepostBridgeClient = { key, client: createBridgeClient({ apiUrl, clientId, clientSecret, version }) };
  }
  return holder.__guidepostBridgeClient.client;
}
