import { describe, expect, it } from 'vitest';
import { DEPLOYED_ENV } from '@/test/deployed-env';
import { z } from 'zod';
import { parseEnv } from '@/lib/env';
import type { ProviderError } from '@/lib/http/provider-client';
import { BridgeError, isBridgeError } from './errors';
import { createBridgeHttp, pathForLog, type BridgeHttpConfig } from './http';
import { bridgeTokenSchema, bridgeUserSchema } from '@guidepost/provider-contracts/bridge';

const CONFIG = {
  apiUrl: 'https://bridge.test/',
  clientId: 'client-id-123',
  clientSecret: 'client-secret-do-not-leak',
  version: '2025-01-15',
} as const;
const USER = { uuid: 'c2a26c9e-dc23-4f67-b887-bbae0f26c415', external_user_id: 'portal-user' };
const ACCESS_TOKEN = 'access-token-do-not-leak';

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string | null;
}

type Answer = Response | Error | 'hang';

/** A fetch that records each call and plays the answers in order (the last one repeats). */
function fakeFetch(...answers: Answer[]) {
  const calls: Call[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push({ url: request.url, method: request.method, headers: request.headers, body: init?.body == null ? null : String(init.body) });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (answer === 'hang') return new Promise<Response>(() => undefined); // ignores its signal on purpose
    if (answer instanceof Error) throw answer;
    return answer.clone();
  };
  return { fetch, calls };
}

function harness(answers: Answer[], overrides: Partial<BridgeHttpConfig> = {}) {
  const { fetch, calls } = fakeFetch(...answers);
  const sleeps: number[] = [];
  const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = [];
  const http = createBridgeHttp({
    ...CONFIG,
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    log: {
      debug: (object, message) => lines.push({ level: 'debug', object, message }),
      info: (object, message) => lines.push({ level: 'info', object, message }),
    },
    ...overrides,
  });
  return { http, calls, sleeps, lines };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers });
const bridgeError = (status: number, type: string, message = 'Something went wrong: token=abc secret=xyz') =>
  json({ type, message, documentation_url: 'https://docs.bridgeapi.io/' }, status);

async function failure(promise: Promise<unknown>): Promise<BridgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BridgeError);
  return error as BridgeError;
}

describe('createBridgeHttp', () => {
  it('sends the app headers on every call, JSON content type only with a body', async () => {
    const { http, calls } = harness([json(USER, 201), json({ resources: [], pagination: { next_uri: null } })]);
    await http.request('POST', '/v3/aggregation/users', { body: { external_user_id: 'portal-user' }, schema: bridgeUserSchema, idempotent: false });
    await http.request('GET', '/v3/aggregation/users', { schema: z.unknown(), idempotent: true });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST https://bridge.test/v3/aggregation/users', 'GET https://bridge.test/v3/aggregation/users']);
    for (const call of calls) {
      expect(call.headers.get('client-id')).toBe(CONFIG.clientId);
      expect(call.headers.get('client-secret')).toBe(CONFIG.clientSecret);
      expect(call.headers.get('bridge-version')).toBe('2025-01-15');
      expect(call.headers.get('accept')).toBe('application/json');
      expect(call.headers.get('authorization')).toBeNull();
    }
    expect(calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ external_user_id: 'portal-user' });
    expect(calls[1]!.headers.get('content-type')).toBeNull();
    expect(calls[1]!.body).toBeNull();
  });

  it('adds the bearer token on user calls and returns the parsed answer', async () => {
    const { http, calls } = harness([json({ id: 's1', url: 'https://guidance.bridgeapi.io/session/s1', password: 'pw', extra: true })]);
    const session = await http.request('POST', '/v3/guidance/sessions', {
      body: { user_uuid: USER.uuid },
      accessToken: ACCESS_TOKEN,
      schema: z.object({ id: z.string(), url: z.string(), password: z.string() }),
      idempotent: false,
    });
    expect(session).toEqual({ id: 's1', url: 'https://guidance.bridgeapi.io/session/s1', password: 'pw' });
    expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${ACCESS_TOKEN}`);
  });

  it('resolves without a value when no schema is asked for (DELETE → 204)', async () => {
    const { http } = harness([new Response(null, { status: 204 })]);
    await expect(http.request('DELETE', `/v3/aggregation/users/${USER.uuid}`, { idempotent: true })).resolves.toBeUndefined();
  });

  it('times out a call whose answer never comes, even when fetch ignores its signal', async () => {
    const { http, calls } = harness(['hang'], { timeoutMs: 30, retries: 0 });
    const error = await failure(http.request('GET', '/v3/aggregation/users', { schema: z.unknown(), idempotent: true }));
    expect(error.code).toBe('timeout');
    expect(calls).toHaveLength(1);
  });

  it('gives up after the retries when every attempt times out', async () => {
    const { http, calls, sleeps } = harness(['hang'], { timeoutMs: 20, retries: 2, backoffMs: 100 });
    const error = await failure(http.request('GET', '/v3/aggregation/users', { schema: z.unknown(), idempotent: true }));
    expect(error.code).toBe('timeout');
    expect(calls).toHaveLength(3);
    // Exponential with up to 50 % jitter: 100–150 ms, then 200–300 ms.
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThanOrEqual(150);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    expect(sleeps[1]).toBeLessThanOrEqual(300);
  });

  it('retries an idempotent call after a 503 and succeeds', async () => {
    const { http, calls, sleeps } = harness([bridgeError(503, 'service_unavailable'), json(USER)]);
    const user = await http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: bridgeUserSchema, idempotent: true });
    expect(user).toEqual(USER);
    expect(calls).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('retries a network failure on an idempotent call', async () => {
    const { http, calls } = harness([new TypeError('fetch failed'), json(USER)]);
    await expect(http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: bridgeUserSchema, idempotent: true })).resolves.toEqual(USER);
    expect(calls).toHaveLength(2);
  });

  it('retries the token call, which is declared idempotent', async () => {
    const token = { access_token: ACCESS_TOKEN, expires_at: '2025-03-01T12:00:00.000Z', user: USER };
    const { http, calls } = harness([bridgeError(500, 'internal_server_error'), json(token)]);
    await http.request('POST', '/v3/aggregation/authorization/token', { body: { user_uuid: USER.uuid }, schema: bridgeTokenSchema, idempotent: true });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toBe(calls[0]!.body);
  });

  it('never retries a POST that creates something', async () => {
    for (const answer of [bridgeError(503, 'service_unavailable'), bridgeError(429, 'too_many_requests'), new TypeError('fetch failed')]) {
      const { http, calls, sleeps } = harness([answer, json(USER, 201)]);
      const error = await failure(http.request('POST', '/v3/aggregation/users', { body: {}, schema: bridgeUserSchema, idempotent: false }));
      expect(['unavailable', 'rate_limited', 'network']).toContain(error.code);
      expect(calls).toHaveLength(1);
      expect(sleeps).toEqual([]);
    }
  });

  it('does not retry a timed-out POST either', async () => {
    const { http, calls } = harness(['hang'], { timeoutMs: 20 });
    expect((await failure(http.request('POST', '/v3/guidance/sessions', { body: {}, schema: z.unknown(), idempotent: false }))).code).toBe('timeout');
    expect(calls).toHaveLength(1);
  });

  it('waits as long as Retry-After asks after a 429 or a 503, and gives up when asked to wait longer than the cap', async () => {
    const limited = (status: number, retryAfter: string) => json({ type: 'too_many_requests', message: 'slow down' }, status, { 'Retry-After': retryAfter });
    for (const status of [429, 503]) {
      const { http, sleeps } = harness([limited(status, '2'), json(USER)]);
      await http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: bridgeUserSchema, idempotent: true });
      expect(sleeps).toEqual([2000]);
    }

    const tooLong = harness([limited(429, '3600'), json(USER)], { maxRetryAfterMs: 5000 });
    const refused = await failure(tooLong.http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: bridgeUserSchema, idempotent: true }));
    expect(refused).toMatchObject({ code: 'rate_limited', status: 429, type: 'too_many_requests' });
    expect(tooLong.calls).toHaveLength(1);
    expect(tooLong.sleeps).toEqual([]);

    const exhausted = harness([limited(429, '1')], { retries: 2 });
    const error = await failure(exhausted.http.request('GET', '/v3/aggregation/users', { schema: z.unknown(), idempotent: true }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, type: 'too_many_requests' });
    expect(exhausted.calls).toHaveLength(3);
    expect(exhausted.sleeps).toEqual([1000, 1000]);
  });

  it('gives up rather than wait past the overall deadline', async () => {
    const { http, calls } = harness([json({ type: 'too_many_requests' }, 429, { 'Retry-After': '4' }), json(USER)], { deadlineMs: 2_000 });
    expect((await failure(http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: bridgeUserSchema, idempotent: true }))).code).toBe(
      'rate_limited',
    );
    expect(calls).toHaveLength(1);
  });

  it('maps statuses to codes and keeps Bridge’s error type, without retrying client errors', async () => {
    const cases: Array<[number, string]> = [
      [400, 'invalid_request'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [409, 'conflict'],
      [415, 'invalid_request'],
      [422, 'invalid_request'],
      [405, 'unknown'],
    ];
    for (const [status, code] of cases) {
      const { http, calls } = harness([bridgeError(status, 'some_bridge_type')]);
      const error = await failure(http.request('GET', '/v3/aggregation/users', { schema: z.unknown(), idempotent: true }));
      expect(error).toMatchObject({ provider: 'bridge', code, status, type: 'some_bridge_type' });
      expect(calls).toHaveLength(1);
    }
  });

  it('treats an error without a readable body as its status alone', async () => {
    for (const body of ['', 'Bad gateway <html>', '{"type": 42}', '["x"]']) {
      const { http } = harness([new Response(body, { status: 502 })], { retries: 0 });
      const error = await failure(http.request('GET', '/v3/aggregation/users', { schema: z.unknown(), idempotent: true }));
      expect(error.code).toBe('unavailable');
      expect(error.type).toBeUndefined();
    }
    // A "type" that is not an identifier could be anything; it is dropped.
    const { http } = harness([bridgeError(400, 'token=abc secret=xyz')]);
    expect((await failure(http.request('GET', '/v3/x', { schema: z.unknown(), idempotent: true }))).type).toBeUndefined();
  });

  it('refuses an answer that does not match the schema, or is not JSON, as invalid_response', async () => {
    for (const answer of [
      json({ uuid: 'not-a-uuid', external_user_id: null }),
      json({ external_user_id: 'x' }),
      new Response('<html>ok</html>', { status: 200 }),
      new Response('', { status: 201 }),
    ]) {
      const { http, calls } = harness([answer]);
      const error = await failure(http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: bridgeUserSchema, idempotent: true }));
      expect(error.code).toBe('invalid_response');
      expect(calls).toHaveLength(1);
    }
  });

  it('does not follow redirects, which would carry the client secret elsewhere', async () => {
    const { http, calls } = harness([new Response(null, { status: 307, headers: { Location: 'https://elsewhere.test/' } })]);
    const error = await failure(http.request('GET', '/v3/aggregation/users', { schema: z.unknown(), idempotent: true }));
    expect(error).toMatchObject({ code: 'unknown', status: 307 });
    expect(calls).toHaveLength(1);
  });

  it('keeps bodies, tokens and secrets out of error messages and logs', async () => {
    const leaky = 'password=hunter2 access_token=leaked-token';
    const { http, lines } = harness([json({ type: 'invalid_request', message: leaky }, 400)]);
    const error = await failure(
      http.request('POST', `/v3/guidance/sessions`, {
        body: { user_uuid: USER.uuid, secret: leaky },
        accessToken: ACCESS_TOKEN,
        schema: z.unknown(),
        idempotent: false,
      }),
    );
    const invalid = harness([json({ id: 's', url: 'javascript:alert(1)', password: 'guidance-password-do-not-leak' })]);
    const invalidError = await failure(
      invalid.http.request('POST', '/v3/guidance/sessions', {
        body: {},
        accessToken: ACCESS_TOKEN,
        schema: z.object({ id: z.string(), url: z.url({ protocol: /^https?$/ }), password: z.string() }),
        idempotent: false,
      }),
    );
    const network = harness([new TypeError(`connect failed ${CONFIG.clientSecret}`)], { retries: 0 });
    const networkError = await failure(network.http.request('GET', '/v3/x', { schema: z.unknown(), idempotent: true }));
    for (const e of [error, invalidError, networkError]) {
      const visible = `${e.message} ${JSON.stringify({ ...e })} ${String(e)}`;
      for (const secret of [leaky, 'hunter2', ACCESS_TOKEN, CONFIG.clientSecret, CONFIG.clientId, 'guidance-password-do-not-leak', 'javascript']) {
        expect(visible).not.toContain(secret);
      }
    }
    const logged = JSON.stringify([...lines, ...invalid.lines, ...network.lines]);
    for (const secret of ['hunter2', ACCESS_TOKEN, CONFIG.clientSecret, CONFIG.clientId, 'guidance-password-do-not-leak', USER.uuid]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('logs one line per call, with its attempts and the path’s ids replaced', async () => {
    const { http, lines } = harness([bridgeError(503, 'x'), new Response(null, { status: 204 })]);
    await http.request('DELETE', `/v3/aggregation/users/${USER.uuid}`, { idempotent: true });
    expect(lines.map((l) => ({ level: l.level, ...l.object, ms: 0 }))).toEqual([
      { level: 'debug', provider: 'bridge', method: 'DELETE', path: '/v3/aggregation/users/:id', status: 204, ms: 0, attempts: 2 },
    ]);
    const failed = harness([bridgeError(404, 'user_not_found')]);
    await failure(failed.http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: z.unknown(), idempotent: true }));
    expect(failed.lines.map((l) => ({ level: l.level, ...l.object, ms: 0 }))).toEqual([
      {
        level: 'info',
        provider: 'bridge',
        method: 'GET',
        path: '/v3/aggregation/users/:id',
        status: 404,
        ms: 0,
        attempts: 1,
        code: 'not_found',
        providerCode: 'user_not_found',
      },
    ]);
    expect(pathForLog('/v3/guidance/health/C2A26C9E-DC23-4F67-B887-BBAE0F26C415?x=1')).toBe('/v3/guidance/health/:id');
  });

  it('carries provider, status, code and Bridge’s type in the error, and no support id (Bridge documents none)', async () => {
    const { http } = harness([bridgeError(403, 'ip_not_allowed')]);
    const error = await failure(http.request('POST', '/v3/guidance/sessions', { body: {}, schema: z.unknown(), idempotent: false }));
    expect(isBridgeError(error, 'forbidden')).toBe(true);
    expect(error).toMatchObject({ provider: 'bridge', code: 'forbidden', status: 403, type: 'ip_not_allowed', providerCode: 'ip_not_allowed' });
    const asProviderError: ProviderError = error;
    expect(asProviderError.supportId).toBeUndefined();
  });
});

describe('Bridge base URL', () => {
  const DEPLOYED = DEPLOYED_ENV;

  it.each(['https://api.bridgeapi.io', 'https://api.bridgeapi.io/', 'https://api.bridgeapi.io/v3', 'https://api.bridgeapi.io/v3/'])(
    'sends calls to https://api.bridgeapi.io/v3/... when configured as %s, directly or through the environment',
    async (apiUrl) => {
      const { bridge } = parseEnv({ ...DEPLOYED, BRIDGE_API_URL: apiUrl });
      for (const configured of [apiUrl, bridge.apiUrl]) {
        const { http, calls } = harness([json(USER)], { apiUrl: configured });
        await http.request('GET', `/v3/aggregation/users/${USER.uuid}`, { schema: bridgeUserSchema, idempotent: true });
        expect(calls[0]!.url).toBe(`https://api.bridgeapi.io/v3/aggregation/users/${USER.uuid}`);
      }
    },
  );
});
