import { describe, expect, it } from 'vitest';
import { CARD_SKILL } from './catalog';
import { aispCredentials, answer, apiRequest, call, completeCardSession, controlRequest, startSession, TEST_CREDENTIALS, testSandbox } from './testing';

const catalogBody = { client_id: TEST_CREDENTIALS.clientId, client_app_key: TEST_CREDENTIALS.clientAppKey };

/** A random that replays `values` in a loop. */
function scripted(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

describe('Finqware sandbox: control API access', () => {
  it.each([
    ['no credentials', { 'X-Client-Id': '', 'X-Client-Secret': '' }, 'invalid_client_id'],
    ['a wrong client id', { 'X-Client-Id': 'someone-else' }, 'invalid_client_id'],
    ['a wrong secret', { 'X-Client-Secret': 'wrong-secret' }, 'invalid_client_secret'],
    ['the app key instead of the secret', { 'X-Client-Secret': TEST_CREDENTIALS.clientAppKey }, 'invalid_client_secret'],
  ])('refuses %s with 401', async (_, headers, code) => {
    const { sandbox } = testSandbox();
    for (const request of [
      controlRequest('knobs', undefined, headers),
      controlRequest('knobs', { error_rate: 1 }, headers),
      controlRequest('reset', {}, headers),
      controlRequest('issued-secrets', undefined, headers),
      controlRequest('uploads', undefined, headers),
    ]) {
      const { status, body } = await answer(await sandbox.handle(request));
      expect(status).toBe(401);
      expect(body).toMatchObject({ type: 'unauthorized', http: 401, code });
    }
    // Nothing changed.
    expect(sandbox.knobs()).toEqual({ latency_ms: 0, error_rate: 0, clock_offset_ms: 0 });
  });

  it('refuses credentials sent without headers, as Finqware-style body fields', async () => {
    const { sandbox } = testSandbox();
    const request = new Request('http://sandbox.test/_control/knobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: TEST_CREDENTIALS.clientId, client_secret: TEST_CREDENTIALS.clientSecret }),
    });
    expect((await sandbox.handle(request)).status).toBe(401);
  });

  it('answers 404 for an unknown control path and 405 for a wrong method', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(controlRequest('nothing'))).status).toBe(404);
    const wrong = await sandbox.handle(controlRequest('reset'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe('Finqware sandbox: knobs', () => {
  it('starts off and reports the knobs in force after each change', async () => {
    const { sandbox } = testSandbox();
    expect((await answer(await sandbox.handle(controlRequest('knobs')))).body).toEqual({ latency_ms: 0, error_rate: 0, clock_offset_ms: 0 });
    expect((await answer(await sandbox.handle(controlRequest('knobs', { error_rate: 0.25 })))).body).toEqual({
      latency_ms: 0,
      error_rate: 0.25,
      clock_offset_ms: 0,
    });
    expect((await answer(await sandbox.handle(controlRequest('knobs', { latency_ms: 10, clock_offset_ms: -5 })))).body).toEqual({
      latency_ms: 10,
      error_rate: 0.25,
      clock_offset_ms: -5,
    });
  });

  it.each([
    ['latency_ms', { latency_ms: 10_001 }, 'invalid_field'],
    ['latency_ms', { latency_ms: 1.5 }, 'invalid_field'],
    ['error_rate', { error_rate: 1.1 }, 'invalid_field'],
    ['error_rate', { error_rate: '0.5' }, 'invalid_field'],
    ['clock_offset_ms', { clock_offset_ms: 0.5 }, 'invalid_field'],
    ['latency', { latency: 5 }, 'unknown_fields'],
  ])('answers 400 naming %s for %j', async (field, body, code) => {
    const { sandbox } = testSandbox();
    const response = await answer(await sandbox.handle(controlRequest('knobs', body)));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code, message: expect.stringContaining(field) });
  });

  it('error_rate 1 answers every API call 500 in the full error shape', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { error_rate: 1 }));
    for (const path of ['/catalogs/get', '/sessions', '/tokens']) {
      const { status, body } = await call(sandbox, path, catalogBody);
      expect(status).toBe(500);
      expect(body).toEqual({ id: expect.any(String), type: 'internal_error', http: 500, code: 'internal_error', message: expect.any(String) });
    }
    // The control API is not affected.
    expect((await sandbox.handle(controlRequest('knobs'))).status).toBe(200);
  });

  it('fails the fraction of calls the random draws pick', async () => {
    const { sandbox } = testSandbox({ random: scripted(0.1, 0.9, 0.4, 0.6) });
    sandbox.setKnobs({ error_rate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(sandbox, '/catalogs/get', catalogBody)).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
  });

  it('latency_ms delays API answers', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { latency_ms: 60 }));
    const started = performance.now();
    expect((await call(sandbox, '/catalogs/get', catalogBody)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('Finqware sandbox: issued secrets, uploads and reset', () => {
  it('lists every nonce, temp_token and access_token issued, uncached', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const tempToken = await completeCardSession(sandbox);
    const pair = await aispCredentials(sandbox);
    const response = await sandbox.handle(controlRequest('issued-secrets'));
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { body } = await answer(response);
    expect(Object.keys(body).sort()).toEqual(['access_tokens', 'nonces', 'temp_tokens']);
    expect(body.nonces).toContain(session.nonce);
    // Card: 1 + 4 steps + 2 uploads - 1 (the last upload answers a temp_token) = 6 nonces; AISP: 1.
    expect(body.nonces).toHaveLength(1 + 6 + 1);
    expect(body.temp_tokens).toContain(tempToken);
    expect(body.temp_tokens).toHaveLength(2);
    expect(body.access_tokens).toEqual([pair.access_token]);
  });

  it('reset forgets sessions, tokens, uploads and secrets, and turns the knobs off', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const pair = await aispCredentials(sandbox);
    await completeCardSession(sandbox);
    sandbox.setKnobs({ latency_ms: 5, clock_offset_ms: 1000 });

    const reset = await sandbox.handle(controlRequest('reset', {}));
    expect(reset.status).toBe(204);
    expect(sandbox.knobs()).toEqual({ latency_ms: 0, error_rate: 0, clock_offset_ms: 0 });
    expect((await answer(await sandbox.handle(controlRequest('uploads')))).body).toEqual({ uploads: [] });
    expect((await answer(await sandbox.handle(controlRequest('issued-secrets')))).body).toEqual({ nonces: [], temp_tokens: [], access_tokens: [] });
    const step = await call(sandbox, `/sessions/${session.session_id}/steps`, {
      client_id: TEST_CREDENTIALS.clientId,
      nonce: session.nonce,
      skill: CARD_SKILL,
      step: 'product_form',
      data: {},
    });
    expect(step.status).toBe(404);
    const consent = await call(sandbox, '/consents/get', { client_id: TEST_CREDENTIALS.clientId, client_secret: TEST_CREDENTIALS.clientSecret, ...pair });
    expect(consent.body).toMatchObject({ code: 'invalid_credentials_id' });
  });

  it('is not reachable under an API base', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(apiRequest('/_control/reset', {}))).status).toBe(404);
  });
});
