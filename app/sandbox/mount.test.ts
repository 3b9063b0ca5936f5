import { generateKeyPairSync } from 'node:crypto';
import { answer, apiRequest, jwksOf, OTHER_KEY_ID, signingClaims, SIGNING_KEY_ID, signJwt } from '@guidepost/sandbox/finqware/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getEnv, SANDBOX_DEFAULTS } from '@/lib/env';
import { envSetter } from '@/test/env';
import { bridgeSandbox, finqwareSandbox, mountSandbox } from './mount';

const globals = globalThis as unknown as { __guidepostBridgeSandbox?: unknown; __guidepostFinqwareSandbox?: unknown };
const resetEnv = envSetter();

beforeEach(() =>
  resetEnv({
    BRIDGE_API_URL: undefined,
    FINQWARE_API_URL: undefined,
    BRIDGE_CLIENT_ID: undefined,
    BRIDGE_CLIENT_SECRET: undefined,
    // Configured secrets, so getEnv() does not generate development ones under .data/.
    AUTH_SECRET: 'mount-test-auth-secret-0123456789abcdef',
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  }),
);

afterEach(() => {
  delete globals.__guidepostBridgeSandbox;
  delete globals.__guidepostFinqwareSandbox;
});

const bridgeHeaders = {
  'Client-Id': SANDBOX_DEFAULTS.BRIDGE_CLIENT_ID,
  'Client-Secret': SANDBOX_DEFAULTS.BRIDGE_CLIENT_SECRET,
  'Bridge-Version': '2025-01-15',
};

describe('mountSandbox', () => {
  it('answers 404 { error: not_found } when a real Bridge URL is configured', async () => {
    resetEnv({ BRIDGE_API_URL: 'https://api.bridgeapi.io' });
    const response = await mountSandbox('bridge', new Request('http://127.0.0.1:3000/sandbox/bridge/v3/aggregation/users', { headers: bridgeHeaders }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found' });
  });

  it('answers 404 when a real Finqware URL is configured, even for a POST', async () => {
    resetEnv({ FINQWARE_API_URL: 'https://api.finqware.com' });
    const response = await mountSandbox('finqware', new Request('http://127.0.0.1:3000/sandbox/finqware/v1/sessions', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found' });
  });

  it('forwards the provider path, method, headers and body to the Bridge sandbox', async () => {
    const created = await mountSandbox(
      'bridge',
      new Request('http://127.0.0.1:3000/sandbox/bridge/v3/aggregation/users', {
        method: 'POST',
        headers: { ...bridgeHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ external_user_id: 'mounted-1' }),
      }),
    );
    expect(created.status).toBe(201);
    const user = await created.json();
    expect(user.external_user_id).toBe('mounted-1');

    const fetched = await mountSandbox(
      'bridge',
      new Request(`http://127.0.0.1:3000/sandbox/bridge/v3/aggregation/users/${user.uuid}`, { headers: bridgeHeaders }),
    );
    expect(await fetched.json()).toEqual(user);
  });

  it('keeps the query string', async () => {
    const response = await mountSandbox('bridge', new Request('http://127.0.0.1:3000/sandbox/bridge/v3/aggregation/users?limit=5', { headers: bridgeHeaders }));
    expect(response.status).toBe(200);
  });

  it('strips only its own prefix', async () => {
    // With the prefix left in, the sandbox would answer its own 404 body instead of a Bridge route.
    const response = await mountSandbox('bridge', new Request('http://127.0.0.1:3000/sandbox/bridge/v3/aggregation/users', { headers: bridgeHeaders }));
    expect(await response.json()).toEqual({ resources: [], pagination: { next_uri: null } });
    const elsewhere = await mountSandbox('bridge', new Request('http://127.0.0.1:3000/sandbox/bridgework/v3/aggregation/users', { headers: bridgeHeaders }));
    expect(elsewhere.status).toBe(404);
  });

  it('answers the control API only to a loopback socket, whatever the credentials and X-Forwarded-For say', async () => {
    const control = (peer: string | undefined, extra: Record<string, string> = {}) =>
      mountSandbox(
        'bridge',
        new Request('http://portal.test/sandbox/bridge/_control/issued-passwords', {
          headers: { ...bridgeHeaders, ...(peer === undefined ? {} : { 'x-guidepost-peer': peer }), ...extra },
        }),
      );
    expect((await control('127.0.0.1')).status).toBe(200);
    expect((await control('::1')).status).toBe(200);
    const remote = await control('203.0.113.9', { 'x-forwarded-for': '127.0.0.1' });
    expect(remote.status).toBe(404);
    expect(await remote.json()).toEqual({ error: 'not_found' });
    // Not through scripts/server.mjs: nobody vouches for the address.
    expect((await control(undefined)).status).toBe(404);
    const finqware = await mountSandbox(
      'finqware',
      new Request('http://portal.test/sandbox/finqware/_control/issued-secrets', {
        headers: {
          'X-Client-Id': SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID,
          'X-Client-Secret': SANDBOX_DEFAULTS.FINQWARE_CLIENT_SECRET,
          'x-guidepost-peer': '10.0.0.7',
        },
      }),
    );
    expect(finqware.status).toBe(404);
  });

  it('gives the Bridge sandbox the caller’s address from the peer header, for its IP allow-list', async () => {
    const from = (peer: string, path: string, init: RequestInit = {}) =>
      mountSandbox(
        'bridge',
        new Request(`http://127.0.0.1:3000/sandbox/bridge${path}`, { ...init, headers: { ...bridgeHeaders, 'x-guidepost-peer': peer, ...init.headers } }),
      );
    const set = await from('127.0.0.1', '/_control/knobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ip_allow_list: ['203.0.113.7'] }),
    });
    expect(set.status).toBe(200);
    expect((await from('203.0.113.7', '/v3/aggregation/users')).status).toBe(200);
    const refused = await from('198.51.100.1', '/v3/aggregation/users');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ type: 'ip_not_allowed' });
  });

  it('forwards to the Finqware sandbox, which answers in its own error model', async () => {
    const response = await mountSandbox('finqware', new Request('http://127.0.0.1:3000/sandbox/finqware/v1/unknown', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'invalid_request', http: 404, code: 'not_found' });
  });

  /** A chunked request body (no Content-Length): `chunks` pieces of `size` bytes, then it ends, or stalls with `stall`. */
  function chunkedBody(chunks: number, size: number, pulled: { count: number }, stall = false): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled.count === chunks) return stall ? new Promise<void>(() => undefined) : controller.close();
          pulled.count += 1;
          controller.enqueue(new Uint8Array(size).fill(0x7b));
        },
      },
      { highWaterMark: 0 },
    );
  }
  const streamed = (path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    new Request(`http://127.0.0.1:3000/sandbox/finqware${path}`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

  it('passes a body on as it arrives: a signed upload without its JWT is refused before the body is read', async () => {
    const pulled = { count: 0 };
    // A body that never ends: were it read first, the answer would never come.
    const response = await mountSandbox(
      'finqware',
      streamed('/v1s/steps/any/upload', chunkedBody(1, 1024, pulled, true), { 'Content-Type': 'multipart/form-data; boundary=x' }),
    );
    expect(response.status).toBe(401);
    expect(pulled.count).toBeLessThanOrEqual(1);
  });

  it('stops a chunked body at the cap of the route reading it, having read no more than that', async () => {
    const pulled = { count: 0 };
    const MiB = 1024 * 1024;
    const response = await mountSandbox(
      'finqware',
      streamed('/v1/steps/any/upload', chunkedBody(600, MiB, pulled), { 'Content-Type': 'multipart/form-data; boundary=x' }),
    );
    // The upload route's own cap (two 10 MB sides and their envelope), answered as Finqware answers it.
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'file too large (at most 10000000 bytes).' });
    expect(pulled.count).toBeLessThan(25);
  });

  it('answers 413 itself for a body declared over every simulator cap, without reading it', async () => {
    const pulled = { count: 0 };
    const response = await mountSandbox(
      'finqware',
      streamed('/v1/sessions', chunkedBody(3, 1024, pulled), { 'Content-Type': 'application/json', 'Content-Length': String(50_000_000) }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    expect(pulled.count).toBe(0);
  });
});

describe('bridgeSandbox()', () => {
  it('is one instance per process, configured from the environment', async () => {
    const first = bridgeSandbox();
    expect(bridgeSandbox()).toBe(first);
    const response = await first.handle(
      new Request('http://sandbox.test/v3/aggregation/users', {
        method: 'POST',
        headers: { 'Client-Id': SANDBOX_DEFAULTS.BRIDGE_CLIENT_ID, 'Client-Secret': SANDBOX_DEFAULTS.BRIDGE_CLIENT_SECRET, 'Bridge-Version': '2025-01-15' },
      }),
    );
    expect(response.status).toBe(201);
    // The user is visible through the next call, since both share one instance.
    const list = await bridgeSandbox().handle(
      new Request('http://sandbox.test/v3/aggregation/users', {
        headers: { 'Client-Id': SANDBOX_DEFAULTS.BRIDGE_CLIENT_ID, 'Client-Secret': SANDBOX_DEFAULTS.BRIDGE_CLIENT_SECRET, 'Bridge-Version': '2025-01-15' },
      }),
    );
    expect((await list.json()).resources).toHaveLength(1);
  });
});

describe('finqwareSandbox() singleton', () => {
  function configure(changes: Record<string, string | undefined>): void {
    resetEnv(changes);
    delete globals.__guidepostFinqwareSandbox;
  }

  it('accepts the configured sandbox credentials and keeps one instance', async () => {
    configure({
      FINQWARE_API_URL: undefined,
      FINQWARE_CLIENT_ID: undefined,
      FINQWARE_CLIENT_APP_KEY: undefined,
      FINQWARE_SIGNING_KEY: undefined,
      FINQWARE_SIGNING_EMAIL: undefined,
      FINQWARE_SIGNING_KEY_ID: undefined,
      FINQWARE_SANDBOX_JWKS: undefined,
    });
    expect(finqwareSandbox()).toBe(finqwareSandbox());
    const { status, body } = await answer(
      await finqwareSandbox().handle(
        apiRequest('/catalogs/get', { client_id: SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID, client_app_key: SANDBOX_DEFAULTS.FINQWARE_CLIENT_APP_KEY }),
      ),
    );
    expect(status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
    // Signing is off without a key: /v1s refuses.
    const signed = await finqwareSandbox().handle(
      apiRequest(
        '/catalogs/get',
        { client_id: SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID, client_app_key: SANDBOX_DEFAULTS.FINQWARE_CLIENT_APP_KEY },
        { base: '/v1s' },
      ),
    );
    expect(signed.status).toBe(401);
  });

  it('verifies /v1s against FINQWARE_SANDBOX_JWKS by kid, with the configured email, never against our own key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signer = {
      FINQWARE_API_URL: undefined,
      FINQWARE_SIGNING_KEY: pem,
      FINQWARE_SIGNING_EMAIL: 'signer@tenant.example',
      FINQWARE_SIGNING_KEY_ID: SIGNING_KEY_ID,
    };
    configure({ ...signer, FINQWARE_SANDBOX_JWKS: JSON.stringify(jwksOf([publicKey, SIGNING_KEY_ID], [other.publicKey, OTHER_KEY_ID])) });
    const body = JSON.stringify({ client_id: SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID, client_app_key: SANDBOX_DEFAULTS.FINQWARE_CLIENT_APP_KEY });
    const send = async (jwt: string) =>
      (await finqwareSandbox().handle(apiRequest('/catalogs/get', body, { base: '/v1s', headers: { authorization: `Bearer ${jwt}` } }))).status;
    expect(await send(signJwt(privateKey, signingClaims(body, Date.now(), 'signer@tenant.example')))).toBe(200);
    // Another published key (rotation) verifies under its own kid only.
    expect(await send(signJwt(other.privateKey, signingClaims(body, Date.now(), 'signer@tenant.example'), { kid: OTHER_KEY_ID }))).toBe(200);
    expect(await send(signJwt(other.privateKey, signingClaims(body, Date.now(), 'signer@tenant.example')))).toBe(401);
    expect(await send(signJwt(privateKey, signingClaims(body, Date.now(), 'someone@else.example')))).toBe(401);

    // Published keys that are not ours: our own correctly signed calls are refused, since nothing is derived from our private key.
    configure({ ...signer, FINQWARE_SANDBOX_JWKS: JSON.stringify(jwksOf([other.publicKey, SIGNING_KEY_ID])) });
    expect(await send(signJwt(privateKey, signingClaims(body, Date.now(), 'signer@tenant.example')))).toBe(401);
  });

  it('refuses to start with signing on and the sandbox but no JWKS, or a JWKS without our key id', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signer = {
      FINQWARE_API_URL: undefined,
      FINQWARE_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      FINQWARE_SIGNING_EMAIL: 'signer@tenant.example',
      FINQWARE_SIGNING_KEY_ID: SIGNING_KEY_ID,
    };
    configure({ ...signer, FINQWARE_SANDBOX_JWKS: undefined });
    expect(() => getEnv()).toThrow(/FINQWARE_SANDBOX_JWKS: is required/);
    configure({ ...signer, FINQWARE_SANDBOX_JWKS: JSON.stringify(jwksOf([publicKey, OTHER_KEY_ID])) });
    expect(() => getEnv()).toThrow(/FINQWARE_SANDBOX_JWKS: has no key with the id FINQWARE_SIGNING_KEY_ID/);
  });
});
