import { createBridgeSandbox, type BridgeSandbox, type BridgeSandboxOptions } from './index';

// Shared by the sandbox's tests: a sandbox on a fake clock and a request builder with valid app headers.

export const TEST_CREDENTIALS = { clientId: 'test-client-id', clientSecret: 'test-client-secret-0123456789' } as const;
export const START = Date.parse('2025-03-01T10:00:00.000Z');

export const SITE_ORIGIN = 'https://portal.test';
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const SIREN = '529196313';

export function testSandbox(options: Partial<BridgeSandboxOptions> = {}): { sandbox: BridgeSandbox; clock: { ms: number } } {
  const clock = { ms: START };
  const sandbox = createBridgeSandbox({
    ...TEST_CREDENTIALS,
    now: () => clock.ms,
    siteOrigin: SITE_ORIGIN,
    // Port 9 (discard) is never a portal: a test that sends webhooks passes its own URL.
    webhookUrl: 'http://127.0.0.1:9/api/webhooks/bridge',
    webhookSecrets: [TEST_WEBHOOK_SECRET],
    ...options,
  });
  return { sandbox, clock };
}

export function bridgeRequest(
  path: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string; credentials?: { clientId: string; clientSecret: string } } = {},
): Request {
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const headers: Record<string, string> = {
    'Client-Id': credentials.clientId,
    'Client-Secret': credentials.clientSecret,
    'Bridge-Version': '2025-01-15',
    accept: 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Request(`http://sandbox.test${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { ...headers, ...options.headers },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
}

export async function createUser(sandbox: BridgeSandbox, externalUserId?: string): Promise<{ uuid: string; external_user_id: string | null }> {
  const response = await sandbox.handle(
    bridgeRequest('/v3/aggregation/users', { body: externalUserId === undefined ? {} : { external_user_id: externalUserId } }),
  );
  if (response.status !== 201) throw new Error(`user creation answered ${response.status}`);
  return (await response.json()) as { uuid: string; external_user_id: string | null };
}

export async function issueToken(sandbox: BridgeSandbox, body: Record<string, unknown>): Promise<Response> {
  return sandbox.handle(bridgeRequest('/v3/aggregation/authorization/token', { body }));
}

/** A user and a fresh access token for them. */
export async function userWithToken(
  sandbox: BridgeSandbox,
  externalUserId?: string,
): Promise<{ user: { uuid: string; external_user_id: string | null }; token: string }> {
  const user = await createUser(sandbox, externalUserId);
  const response = await issueToken(sandbox, { user_uuid: user.uuid });
  if (response.status !== 200) throw new Error(`token answered ${response.status}`);
  return { user, token: ((await response.json()) as { access_token: string }).access_token };
}

export function createGuidanceSession(sandbox: BridgeSandbox, token: string | undefined, body: Record<string, unknown>): Promise<Response> {
  return sandbox.handle(bridgeRequest('/v3/guidance/sessions', { body, token }));
}

export interface GuidanceSessionBody {
  id: string;
  url: string;
  password: string;
}

/**
 * A guidance session for a new user (or the given one) on SIREN, in English, unless told otherwise (`language: null`
 * sends none, and the site follows the browser).
 */
export async function newGuidanceSession(
  sandbox: BridgeSandbox,
  options: { user?: { uuid: string }; token?: string; company?: string; language?: 'fr' | 'en' | null } = {},
): Promise<GuidanceSessionBody & { userUuid: string }> {
  const owner = options.user && options.token ? { user: options.user, token: options.token } : await userWithToken(sandbox);
  const language = options.language === undefined ? 'en' : options.language;
  const response = await createGuidanceSession(sandbox, owner.token, {
    user_uuid: owner.user.uuid,
    country_code: 'FR',
    company_identification_number: options.company ?? SIREN,
    ...(language === null ? {} : { language }),
  });
  if (response.status !== 200) throw new Error(`guidance session answered ${response.status}`);
  return { ...((await response.json()) as GuidanceSessionBody), userUuid: owner.user.uuid };
}

/** The sandbox's own path for a public site URL or path (drops the origin and the /sandbox/bridge mount). */
export function sandboxPath(publicUrlOrPath: string): string {
  const { pathname } = new URL(publicUrlOrPath, SITE_ORIGIN);
  return pathname.startsWith('/sandbox/bridge/') ? pathname.slice('/sandbox/bridge'.length) : pathname;
}

/** A browser's request to the guidance site: no app headers, an optional form, cookie and Accept-Language. */
export function siteRequest(publicUrlOrPath: string, options: { form?: Record<string, string>; cookie?: string; acceptLanguage?: string } = {}): Request {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  if (options.acceptLanguage !== undefined) headers['accept-language'] = options.acceptLanguage;
  if (options.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  return new Request(`http://sandbox.test${sandboxPath(publicUrlOrPath)}`, {
    method: options.form === undefined ? 'GET' : 'POST',
    headers,
    body: options.form === undefined ? undefined : new URLSearchParams(options.form).toString(),
  });
}

/** The `name=value` a browser would send back for a Set-Cookie header. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get('set-cookie');
  if (!header) throw new Error('no Set-Cookie');
  return header.split(';')[0] ?? '';
}

/** Control API call with the app's credentials. */
export function controlRequest(path: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://sandbox.test/_control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'Client-Id': TEST_CREDENTIALS.clientId,
      'Client-Secret': TEST_CREDENTIALS.clientSecret,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
