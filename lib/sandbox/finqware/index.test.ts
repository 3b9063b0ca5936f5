import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULTS } from '@/lib/env';
import { createFinqwareSandbox, finqwareSandbox } from './index';
import { answer, apiRequest, signingClaims, signJwt } from './testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sandbox() {
  return createFinqwareSandbox({ clientId: 'id', clientAppKey: 'app-key', clientSecret: 'secret' });
}

describe('Finqware sandbox: routing and the error model', () => {
  it('answers an unknown path with the documented error model', async () => {
    const response = await sandbox().handle(apiRequest('/nothing', {}));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ id: expect.stringMatching(UUID), type: 'invalid_request', http: 404, code: 'not_found', message: expect.any(String) });
  });

  it.each(['/', '/v2/sessions', '/sessions', '/v1', '/v1ssessions'])('answers 404 for %s, outside both bases', async (path) => {
    const response = await sandbox().handle(new Request(`http://sandbox.test${path}`, { method: 'POST', body: '{}' }));
    expect(response.status).toBe(404);
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE'])('answers %s with 405: every Finqware call is a POST', async (method) => {
    for (const base of ['/v1', '/v1s']) {
      const response = await sandbox().handle(new Request(`http://sandbox.test${base}/sessions`, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ type: 'invalid_request', http: 405, code: 'method_not_allowed' });
    }
  });

  it('gives every error its own id', async () => {
    const call = () => sandbox().handle(apiRequest('/x', {}));
    const [a, b] = await Promise.all([call().then((r) => r.json()), call().then((r) => r.json())]);
    expect(a.id).not.toBe(b.id);
  });

  it('answers a body that is not JSON with 400 invalid_field', async () => {
    const notJson = await answer(await sandbox().handle(apiRequest('/catalogs/get', '{"client_id": ')));
    expect(notJson).toMatchObject({ status: 400, body: { type: 'invalid_request', http: 400, code: 'invalid_field' } });
    const array = await answer(await sandbox().handle(apiRequest('/catalogs/get', [])));
    expect(array).toMatchObject({ status: 400, body: { code: 'invalid_field' } });
    const wrongType = await answer(
      await sandbox().handle(new Request('http://sandbox.test/v1/catalogs/get', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })),
    );
    expect(wrongType).toMatchObject({ status: 400, body: { code: 'invalid_field', message: expect.stringContaining('application/json') } });
  });

  it('refuses an oversized JSON body from its Content-Length without reading it', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request('http://sandbox.test/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const { status, body } = await answer(await sandbox().handle(request));
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'invalid_field', message: expect.stringContaining('too large') });
    expect(pulled).toBeLessThanOrEqual(1);
  });
});

describe('finqwareSandbox() singleton', () => {
  const globals = globalThis as unknown as { __guidepostEnv?: unknown; __guidepostFinqwareSandbox?: unknown };
  const saved = { ...process.env };

  function configure(changes: Record<string, string | undefined>): void {
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    delete globals.__guidepostEnv;
    delete globals.__guidepostFinqwareSandbox;
  }

  afterEach(() => {
    process.env = { ...saved };
    delete globals.__guidepostEnv;
    delete globals.__guidepostFinqwareSandbox;
  });

  it('accepts the configured sandbox credentials and keeps one instance', async () => {
    configure({ FINQWARE_API_URL: undefined, FINQWARE_CLIENT_ID: undefined, FINQWARE_CLIENT_APP_KEY: undefined, FINQWARE_SIGNING_KEY: undefined });
    expect(finqwareSandbox()).toBe(finqwareSandbox());
    const { status, body } = await answer(
      await finqwareSandbox().handle(apiRequest('/catalogs/get', { client_id: SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID, client_app_key: SANDBOX_DEFAULTS.FINQWARE_CLIENT_APP_KEY })),
    );
    expect(status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
    // Signing is off without a key: /v1s refuses.
    const signed = await finqwareSandbox().handle(
      apiRequest('/catalogs/get', { client_id: SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID, client_app_key: SANDBOX_DEFAULTS.FINQWARE_CLIENT_APP_KEY }, { base: '/v1s' }),
    );
    expect(signed.status).toBe(401);
  });

  it('verifies /v1s with the public half of FINQWARE_SIGNING_KEY and the configured email', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    configure({ FINQWARE_API_URL: undefined, FINQWARE_SIGNING_KEY: pem, FINQWARE_SIGNING_EMAIL: 'signer@tenant.example' });
    const body = JSON.stringify({ client_id: SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID, client_app_key: SANDBOX_DEFAULTS.FINQWARE_CLIENT_APP_KEY });
    const jwt = signJwt(privateKey, signingClaims(body, Date.now(), 'signer@tenant.example'));
    const response = await finqwareSandbox().handle(apiRequest('/catalogs/get', body, { base: '/v1s', headers: { authorization: `Bearer ${jwt}` } }));
    expect(response.status).toBe(200);
    const otherEmail = signJwt(privateKey, signingClaims(body, Date.now(), 'someone@else.example'));
    const refused = await finqwareSandbox().handle(apiRequest('/catalogs/get', body, { base: '/v1s', headers: { authorization: `Bearer ${otherEmail}` } }));
    expect(refused.status).toBe(401);
  });
});
