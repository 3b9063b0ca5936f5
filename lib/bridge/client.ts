import 'server-only';
import {
  BRIDGE_ENDPOINTS,
  type BRIDGE_GUIDANCE_LANGUAGES,
  bridgeGuidanceSessionSchema,
  bridgePath,
  bridgeTokenSchema,
  bridgeUserSchema,
  bridgeUuidSchema,
  type BridgeGuidanceSessionRequest,
  type BridgeTokenRequest,
  type BridgeTokenWire,
  type BridgeUserWire,
} from '@guidepost/provider-contracts/bridge';
import { getEnv } from '@/lib/env';
import { rememberSecret } from '@/lib/secrets/known';
import { BridgeError, isBridgeError } from './errors';
import { createBridgeHttp, type BridgeHttpConfig } from './http';
import { sharedUserTokenCache } from './shared-token-cache';
import { memoryUserTokenCache, type UserTokenCache } from './token-cache';

// The Bridge adapter: Bridge's HTTP API in the portal's terms, and nothing else. Which portal user a
// Bridge user belongs to is stored by lib/bridge-link; paths, bodies and answers come from the contract
// (@guidepost/provider-contracts/bridge).

export type BridgeClientConfig = BridgeHttpConfig & {
  /** Where user tokens are kept: this process's memory unless given (bridgeClient() shares them through Redis when configured). */
  tokens?: UserTokenCache;
};

export interface GuidanceSessionInput {
  countryCode: string;
  companyIdentificationNumber: string;
  language?: (typeof BRIDGE_GUIDANCE_LANGUAGES)[number];
  contactEmail?: string | null;
  contactPhoneNumber?: string | null;
}

/** A guidance session as the portal sees it. The password is a secret: never log or persist it in clear. */
export interface GuidanceSession {
  id: string;
  url: string;
  password: string;
}

/** A Bridge user and the reference we gave it (our user id), if any. */
export interface BridgeUser {
  uuid: string;
  externalUserId: string | null;
}

/**
 * Opening a guidance session either works, or Bridge says, in one of the ways the documents give, that it
 * does not know the user: the token endpoint's 404 [seen], or the guidance call's "401 user not found" [doc]
 * with a token it has just issued. Any other failure is thrown as a BridgeError.
 */
export type GuidanceOpening = { ok: true; session: GuidanceSession } | { ok: false; reason: 'user_not_found'; error: BridgeError };

export interface BridgeClient {
  /** Creates a Bridge user holding our reference; a BridgeError 'conflict' (409) when one already holds it. */
  createUser(externalUserId: string): Promise<BridgeUser>;
  /** The Bridge user with this uuid, or undefined when Bridge has none (404) or the id is not a uuid. */
  getUser(bridgeUserUuid: string): Promise<BridgeUser | undefined>;
  /** The uuid of the Bridge user holding our reference, or undefined when none does (404 [seen]). */
  findUserByExternalId(externalUserId: string): Promise<string | undefined>;
  /** Deletes the Bridge user and forgets its token; one Bridge no longer has is deleted too. */
  deleteUser(bridgeUserUuid: string): Promise<void>;
  /** The user's access token: the cached one while comfortably valid, else a new one (404 [seen] for an unknown user). */
  userAccessToken(bridgeUserUuid: string): Promise<string>;
  /** Opens a session with the user's token; a 401 re-authenticates once (an expired or revoked token) and tries again. */
  openGuidanceSession(bridgeUserUuid: string, input: GuidanceSessionInput): Promise<GuidanceOpening>;
  /** Forgets the user's cached token (the user is gone, or no longer ours). */
  forgetUserToken(bridgeUserUuid: string): Promise<void>;
}

const { createUser: CREATE_USER, getUser: GET_USER, deleteUser: DELETE_USER, issueToken: ISSUE_TOKEN, createGuidanceSession: OPEN_GUIDANCE } = BRIDGE_ENDPOINTS;

// While another instance asks Bridge for a user's token (claimIssue), the shared cache is read this often, this long.
const ISSUE_POLL_MS = 50;
const ISSUE_WAIT_MS = 3_000;

// Ids reach Bridge only when they look like one: a malformed id is simply unknown.
const isUuid = (value: string) => bridgeUuidSchema.safeParse(value).success;
const toUser = (wire: BridgeUserWire): BridgeUser => ({ uuid: wire.uuid.toLowerCase(), externalUserId: wire.external_user_id });

/** The body of a guidance call: optional fields left out when absent, sent as null when cleared. */
function guidanceBody(bridgeUserUuid: string, input: GuidanceSessionInput): BridgeGuidanceSessionRequest {
  return {
    user_uuid: bridgeUserUuid,
    country_code: input.countryCode,
    company_identification_number: input.companyIdentificationNumber,
    ...(input.language === undefined ? {} : { language: input.language }),
    ...(input.contactEmail === undefined ? {} : { contact_email: input.contactEmail }),
    ...(input.contactPhoneNumber === undefined ? {} : { contact_phone_number: input.contactPhoneNumber }),
  };
}

export function createBridgeClient(config: BridgeClientConfig): BridgeClient {
  const { tokens = memoryUserTokenCache, ...httpConfig } = config;
  const http = createBridgeHttp(httpConfig);
  // One token request per user at a time in this process (the shared cache covers the other instances):
  // Bridge allows only 10 authentications per user per minute.
  const authenticating = new Map<string, Promise<string>>();

  async function issueToken(body: BridgeTokenRequest): Promise<BridgeTokenWire> {
    // Asking for a token twice is harmless, so it is retried like a read.
    const token = await http.request(ISSUE_TOKEN.method, bridgePath(ISSUE_TOKEN), { body, schema: bridgeTokenSchema, idempotent: true });
    // Known to the logger from now on, wherever it would appear.
    rememberSecret(token.access_token);
    return token;
  }

  /** The token another instance is getting, once it lands in the shared cache (or undefined after a few seconds). */
  async function tokenFromAnotherInstance(bridgeUserUuid: string): Promise<string | undefined> {
    for (let waited = 0; waited < ISSUE_WAIT_MS; waited += ISSUE_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, ISSUE_POLL_MS));
      const token = await tokens.get(bridgeUserUuid);
      if (token !== undefined) return token;
    }
    return undefined;
  }

  async function userAccessToken(bridgeUserUuid: string): Promise<string> {
    const cached = await tokens.get(bridgeUserUuid);
    if (cached !== undefined) return cached;
    // Looked up after the cache read: a request that started meanwhile is joined, not repeated.
    const pending = authenticating.get(bridgeUserUuid);
    if (pending) return pending;
    const fresh = (async () => {
      // Another instance asking for this user's token right now: its token is taken from the shared cache
      // rather than asking Bridge a second time (Bridge counts authentications per user).
      if (tokens.claimIssue && !(await tokens.claimIssue(bridgeUserUuid))) {
        const shared = await tokenFromAnotherInstance(bridgeUserUuid);
        if (shared !== undefined) return shared;
      }
      const token = await issueToken({ user_uuid: bridgeUserUuid });
      if (token.user.uuid.toLowerCase() !== bridgeUserUuid.toLowerCase()) throw new BridgeError('invalid_response');
      await tokens.put(bridgeUserUuid, token.access_token, token.expires_at);
      return token.access_token;
    })().finally(() => authenticating.delete(bridgeUserUuid));
    authenticating.set(bridgeUserUuid, fresh);
    return fresh;
  }

  async function createUser(externalUserId: string): Promise<BridgeUser> {
    // Not retried: a lost answer may still have created the user (the caller then meets the 409).
    const user = await http.request(CREATE_USER.method, bridgePath(CREATE_USER), {
      body: { external_user_id: externalUserId },
      schema: bridgeUserSchema,
      idempotent: false,
    });
    return toUser(user);
  }

  async function getUser(bridgeUserUuid: string): Promise<BridgeUser | undefined> {
    if (!isUuid(bridgeUserUuid)) return undefined;
    try {
      return toUser(await http.request(GET_USER.method, bridgePath(GET_USER, { user_uuid: bridgeUserUuid }), { schema: bridgeUserSchema, idempotent: true }));
    } catch (error) {
      if (isBridgeError(error, 'not_found')) return undefined;
      throw error;
    }
  }

  /** Bridge has no lookup by reference: authenticating with it tells the uuid, and the token is kept for the next call. */
  async function findUserByExternalId(externalUserId: string): Promise<string | undefined> {
    let token: BridgeTokenWire;
    try {
      token = await issueToken({ external_user_id: externalUserId });
    } catch (error) {
      if (isBridgeError(error, 'not_found')) return undefined;
      throw error;
    }
    const uuid = token.user.uuid.toLowerCase();
    await tokens.put(uuid, token.access_token, token.expires_at);
    return uuid;
  }

  async function deleteUser(bridgeUserUuid: string): Promise<void> {
    try {
      await http.request(DELETE_USER.method, bridgePath(DELETE_USER, { user_uuid: bridgeUserUuid }), { idempotent: true });
    } catch (error) {
      // Already gone at Bridge (a retried DELETE, or Bridge deleted it): the outcome we wanted.
      if (!isBridgeError(error, 'not_found')) throw error;
    }
    await tokens.forget(bridgeUserUuid);
  }

  async function openGuidanceSession(bridgeUserUuid: string, input: GuidanceSessionInput): Promise<GuidanceOpening> {
    const body = guidanceBody(bridgeUserUuid, input);
    let refused: BridgeError | undefined;
    // The cached token first; on a 401, once more with a token issued for this call (once only, so a
    // lasting refusal surfaces). A token request refused for the app's credentials is thrown as it is.
    for (let attempt = 1; attempt <= 2; attempt++) {
      let accessToken: string;
      try {
        accessToken = await userAccessToken(bridgeUserUuid);
      } catch (error) {
        // [seen] The token endpoint answers 404 for a user it does not know.
        if (isBridgeError(error, 'not_found')) return { ok: false, reason: 'user_not_found', error };
        throw error;
      }
      try {
        // Not retried: each call opens a new session with a new password.
        const session = await http.request(OPEN_GUIDANCE.method, bridgePath(OPEN_GUIDANCE), {
          body,
          accessToken,
          schema: bridgeGuidanceSessionSchema,
          idempotent: false,
        });
        rememberSecret(session.password);
        return { ok: true, session: { id: session.id, url: session.url, password: session.password } };
      } catch (error) {
        if (!isBridgeError(error, 'unauthorized')) throw error;
        // Expired or revoked early: Bridge says to authenticate again.
        await tokens.forget(bridgeUserUuid);
        refused = error;
      }
    }
    // [doc] "401 user not found": the token Bridge has just issued for this very user is refused too.
    return {
      ok: false,
      reason: 'user_not_found',
      error: new BridgeError('not_found', { status: refused?.status ?? 401, ...(refused?.type ? { type: refused.type } : {}) }),
    };
  }

  return {
    createUser,
    getUser,
    findUserByExternalId,
    deleteUser,
    userAccessToken,
    openGuidanceSession,
    forgetUserToken: (bridgeUserUuid) => tokens.forget(bridgeUserUuid),
  };
}

const holder = globalThis as unknown as { __guidepostBridgeClient?: { key: string; tokens: UserTokenCache; client: BridgeClient } };

/** The process-wide client for getEnv().bridge; in sandbox mode it calls the sandbox over loopback HTTP like any API. */
export function bridgeClient(): BridgeClient {
  const { apiUrl, clientId, clientSecret, version } = getEnv().bridge;
  const key = JSON.stringify([apiUrl, clientId, clientSecret, version]);
  const tokens = sharedUserTokenCache();
  // Rebuilt only when the configuration changes, which happens in tests, never in a running server.
  if (holder.__guidepostBridgeClient?.key !== key || holder.__guidepostBridgeClient.tokens !== tokens) {
    holder.__guidepostBridgeClient = { key, tokens, client: createBridgeClient({ apiUrl, clientId, clientSecret, version, tokens }) };
  }
  return holder.__guidepostBridgeClient.client;
}
