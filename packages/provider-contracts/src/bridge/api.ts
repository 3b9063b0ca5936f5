// Bridge's API as Guidepost uses it: base, version, headers, and each endpoint with its method, path and
// statuses. Markers: [doc] Bridge's public documents (seeds/000 "Create your first guidance session",
// seeds/001 "Manage your guidance session", seeds/002 "User creation and authentication", and the
// reference pages summarised in PROVIDERS.md), [seen] third-party integrations only, [ours] our choice
// where the documents are silent. The client (lib/bridge) sends these; the simulator
// (@guidepost/sandbox/bridge) answers them; the contract suite (./contract-suite.ts) checks both.

/** [doc] Production base: `https://api.bridgeapi.io/v3`. Our paths carry the `/v3`, so a base URL is used by its origin. */
export const BRIDGE_API_ORIGIN = 'https://api.bridgeapi.io';
export const BRIDGE_API_VERSION_PATH = '/v3';

/** [doc] The `Bridge-Version` this contract is written against (PROVIDERS.md: "current: 2025-01-15"). */
export const BRIDGE_VERSION = '2025-01-15';
/** [ours] What a Bridge-Version looks like: Bridge's versions are dates (seeds/002 shows `2024-08-15`). */
export const BRIDGE_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The origin of a configured base URL: both documented `https://api.bridgeapi.io/v3` and the bare origin
 * work [ours: one form in configuration, either accepted].
 */
export function bridgeApiOrigin(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v3$/, '');
}

/** Header names, as Bridge spells them (HTTP header names are case-insensitive). */
export const BRIDGE_HEADERS = {
  /** [doc] Every call: the application's id. */
  clientId: 'Client-Id',
  /** [doc] Every call: the application's secret. */
  clientSecret: 'Client-Secret',
  /** [doc] Every call: the API version. */
  version: 'Bridge-Version',
  /** [doc] User-scoped calls: `Bearer <access_token>` from the token endpoint. */
  authorization: 'Authorization',
} as const;

/** [doc] The value of the Authorization header of a user-scoped call. */
export const bearer = (accessToken: string) => `Bearer ${accessToken}`;

/** [doc] Request and response bodies are JSON (`content-type: application/json`, `accept: application/json` in every example). */
export const BRIDGE_JSON = 'application/json';

/** [doc] Every status Bridge's reference lists; which one a call answers, per endpoint, is below. */
export const BRIDGE_STATUSES = [200, 201, 204, 400, 401, 403, 404, 409, 415, 422, 429, 500] as const;
export type BridgeStatus = (typeof BRIDGE_STATUSES)[number];

type Source = '[doc]' | '[seen]' | '[ours]';

/** A status an endpoint answers, why, and how we know. */
export interface BridgeStatusNote {
  readonly when: string;
  readonly source: Source;
}

export interface BridgeEndpoint {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** The path with `{name}` placeholders, e.g. `/v3/aggregation/users/{user_uuid}`. */
  readonly path: string;
  /** `app`: Client-Id, Client-Secret, Bridge-Version. `user`: those and the user's Bearer token. */
  readonly auth: 'app' | 'user';
  /** The success status; `[ours]` when the documents show the body without its status. */
  readonly success: { readonly status: 200 | 201 | 204 } & BridgeStatusNote;
  /** The endpoint's own errors; those of every call are in BRIDGE_COMMON_ERRORS. */
  readonly errors: Readonly<Partial<Record<BridgeStatus, BridgeStatusNote>>>;
}

/**
 * Errors any call can get. The body is the error shape of ./wire.ts. A body that is not JSON at all is
 * told apart from JSON of the wrong shape: 422 and 400 are both in the documented list, the documents
 * do not say which applies to what.
 */
export const BRIDGE_COMMON_ERRORS = {
  400: { when: 'the Bridge-Version header is missing or not a date; the JSON body does not fit the endpoint', source: '[ours]' },
  // 401 is what Bridge documents for a refused token; for refused app credentials it is assumed.
  401: { when: 'Client-Id or Client-Secret is missing or wrong', source: '[ours]' },
  415: { when: 'a body is sent without a JSON content type', source: '[ours]' },
  422: { when: 'the body is not valid JSON', source: '[ours]' },
  429: { when: 'rate limits: 2,000 requests per app per 5 min, 60 per user per minute, 10 authentications per user per minute (older docs)', source: '[doc]' },
  500: { when: 'Bridge failed', source: '[doc]' },
} as const satisfies Partial<Record<BridgeStatus, BridgeStatusNote>>;

export const BRIDGE_ENDPOINTS = {
  /** Body `{ external_user_id? }` (./requests.ts) → `{ uuid, external_user_id }`. */
  createUser: {
    method: 'POST',
    path: '/v3/aggregation/users',
    auth: 'app',
    success: { status: 201, when: 'the user is created', source: '[doc]' },
    errors: {
      400: { when: 'external_user_id is not [A-Za-z0-9-_]{1,128}', source: '[ours]' },
      409: { when: 'a user with this external_user_id exists', source: '[doc]' },
    },
  },
  /** → `{ resources: [user], pagination: { next_uri } }`. */
  listUsers: {
    method: 'GET',
    path: '/v3/aggregation/users',
    auth: 'app',
    success: { status: 200, when: 'always', source: '[doc]' },
    errors: {},
  },
  /** → the user. */
  getUser: {
    method: 'GET',
    path: '/v3/aggregation/users/{user_uuid}',
    auth: 'app',
    success: { status: 200, when: 'the user exists', source: '[doc]' },
    errors: { 404: { when: 'no user has this uuid (404 is in the documented list; its use here is not spelled out)', source: '[ours]' } },
  },
  /** Bridge asks integrators to call this when their customer deletes the account [doc]. */
  deleteUser: {
    method: 'DELETE',
    path: '/v3/aggregation/users/{user_uuid}',
    auth: 'app',
    success: { status: 204, when: 'the user is deleted', source: '[doc]' },
    errors: { 404: { when: 'no user has this uuid (already deleted)', source: '[ours]' } },
  },
  /** Body `{ user_uuid }` or `{ external_user_id }` → `{ access_token, expires_at, user }`; the token lives 2 h [doc]. */
  issueToken: {
    method: 'POST',
    path: '/v3/aggregation/authorization/token',
    auth: 'app',
    success: { status: 200, when: 'the token is issued', source: '[ours]' },
    errors: {
      400: { when: 'neither or both of user_uuid and external_user_id, or a malformed one', source: '[ours]' },
      404: { when: 'no such user', source: '[seen]' },
    },
  },
  /** Partner-only. Body ./requests.ts → `{ id, url, password }`; `url` is on the guidance site (BRIDGE_GUIDANCE_SITE). */
  createGuidanceSession: {
    method: 'POST',
    // [ours] The reference page's id is `createguidancesession`; its siblings are POST /v3/guidance/consents
    // and GET /v3/guidance/health/{user_uuid}.
    path: '/v3/guidance/sessions',
    auth: 'user',
    success: { status: 200, when: 'the session is opened (a new id and password each time)', source: '[ours]' },
    errors: {
      400: { when: 'invalid body', source: '[doc]' },
      401: { when: 'user not found; also a missing, unknown or expired access token', source: '[doc]' },
      403: { when: "the caller's IP is not on the app's allow-list (specific IPs or /32 ranges)", source: '[doc]' },
    },
  },
} as const satisfies Record<string, BridgeEndpoint>;

export type BridgeEndpointName = keyof typeof BRIDGE_ENDPOINTS;

/** An endpoint's path with its `{name}` placeholders filled (URL-encoded); a missing one throws. */
export function bridgePath(endpoint: BridgeEndpoint, params: Readonly<Record<string, string>> = {}): string {
  return endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`Bridge path ${endpoint.path} needs ${name}`);
    return encodeURIComponent(value);
  });
}

/** An anchored pattern for an endpoint's path; each placeholder is one capture group (still URL-encoded). */
export function bridgePathPattern(endpoint: BridgeEndpoint): RegExp {
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${endpoint.path
      .split(/\{\w+\}/)
      .map(literal)
      .join('([^/]+)')}$`,
  );
}

/**
 * [doc] Where a guidance session's `url` points: `https://guidance.bridgeapi.io/session/{id}` (seeds/000).
 * A session lasts 8 h today, but Bridge says not to rely on it: not part of the contract.
 */
export const BRIDGE_GUIDANCE_SITE = 'https://guidance.bridgeapi.io';
export const bridgeGuidanceSessionUrl = (sessionId: string, site: string = BRIDGE_GUIDANCE_SITE) =>
  `${site.replace(/\/+$/, '')}/session/${encodeURIComponent(sessionId)}`;

/** [doc] A user access token is valid for two hours after it is issued; an expired one gets 401 and the caller re-authenticates. */
export const BRIDGE_ACCESS_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
