import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@/lib/log';
import {
  createProviderClient,
  providerOrigin,
  retryAfterMs,
  type ProviderCall,
  type ProviderDefaults,
  type ProviderError,
  type ProviderErrorKit,
  type ProviderHttpSettings,
} from './provider-client';

// The base on its own, with a minimal error kit: what both adapters get from it. The adapters' own tests
// (lib/bridge/http.test.ts, lib/finqware/http.test.ts) show the same behaviour through each provider.

class TestError extends Error implements ProviderError {
  readonly provider = 'bridge' as const;
  readonly testError = true;
  constructor(
    readonly code: string,
    readonly status?: number,
    readonly providerCode?: string,
    readonly supportId?: string,
  ) {
    super(`provider call failed: ${code}${status ? ` (HTTP ${status})` : ''}`);
  }
}

const ERROR_BODY = z.object({ code: z.string().optional(), id: z.string().optional() }).catch({});
function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const KIT: ProviderErrorKit<TestError> = {
  is: (error): error is TestError => typeof error === 'object' && error !== null && (error as { testError?: unknown }).testError === true,
  fromAnswer: (status, text) => {
    const body = ERROR_BODY.parse(readJson(text));
    return new TestError(status === 429 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'refused', status, body.code, body.id);
  },
  timeout: () => new TestError('timeout'),
  network: () => new TestError('network'),
  invalidResponse: (status) => new TestError('invalid_response', status),
  retryable: (error) => ['rate_limited', 'unavailable', 'timeout', 'network'].includes(error.code),
};

const DEFAULTS: ProviderDefaults = { timeoutMs: 1_000, deadlineMs: 10_000, retries: 2, backoffMs: 100, maxRetryAfterMs: 5_000, maxResponseBytes: 10_000 };
const SECRET = 'client-secret-do-not-leak';
const ID = '0b7c8a52-7c43-4d7e-9f3a-3f0c2a4e7b11';

type Answer = Response | Error | 'hang';

/**
 * A client whose fetch plays `answers` in order (the last one repeats). Waits between attempts take no
 * real time but move the clock the deadline runs on, so a test sees exactly which waits were asked for.
 */
function harness(answers: Answer[], settings: ProviderHttpSettings = {}) {
  const calls: Request[] = [];
  const sleeps: number[] = [];
  const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = [];
  let slept = 0;
  const client = createProviderClient({
    provider: 'bridge',
    origin: 'https://provider.test',
    defaults: DEFAULTS,
    errors: KIT,
    fetch: async (input, init) => {
      calls.push(new Request(input, init));
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
      if (answer === 'hang') return new Promise<Response>(() => undefined); // ignores its signal on purpose
      if (answer instanceof Error) throw answer;
      return answer.clone();
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      slept += ms;
    },
    clock: () => performance.now() + slept,
    log: {
      debug: (object, message) => lines.push({ level: 'debug', object, message }),
      info: (object, message) => lines.push({ level: 'info', object, message }),
    },
    ...settings,
  });
  return { client, calls, sleeps, lines };
}

function call(overrides: Partial<ProviderCall<unknown, TestError>> = {}): ProviderCall<unknown, TestError> {
  return {
    method: 'GET',
    path: `/v3/things/${ID}`,
    logPath: '/v3/things/:id',
    headers: () => ({ 'Client-Secret': SECRET }),
    idempotent: true,
    schema: z.unknown(),
    ...overrides,
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers });
const refusal = (status: number, headers: Record<string, string> = {}) =>
  json({ code: 'some_code', id: 'support-123', message: `details: ${SECRET}` }, status, headers);

async function failure(promise: Promise<unknown>): Promise<TestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!KIT.is(error)) throw new Error(`expected a provider error, got ${String(error)}`);
  return error;
}

describe('retries', () => {
  it('retries transient failures of an idempotent call, with exponential backoff and jitter', async () => {
    const { client, calls, sleeps } = harness([refusal(503), new TypeError('fetch failed'), json({ ok: true })]);
    await expect(client.send(call())).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    // 100–150 ms, then 200–300 ms.
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThanOrEqual(150);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    expect(sleeps[1]).toBeLessThanOrEqual(300);
  });

  it('never retries a call that is not idempotent, whatever the failure', async () => {
    for (const answer of [refusal(503), refusal(429, { 'Retry-After': '1' }), new TypeError('fetch failed'), 'hang' as const]) {
      const { client, calls, sleeps } = harness([answer, json({ ok: true })], { timeoutMs: 20 });
      const error = await failure(client.send(call({ method: 'POST', idempotent: false })));
      expect(['unavailable', 'rate_limited', 'network', 'timeout']).toContain(error.code);
      expect(calls).toHaveLength(1);
      expect(sleeps).toEqual([]);
    }
  });

  it('does not retry a refusal, even on an idempotent call', async () => {
    const { client, calls } = harness([refusal(400), json({ ok: true })]);
    expect(await failure(client.send(call()))).toMatchObject({ code: 'refused', status: 400 });
    expect(calls).toHaveLength(1);
  });

  it('gives up after the retries, with the last answer', async () => {
    const { client, calls } = harness([refusal(503)], { retries: 3 });
    expect(await failure(client.send(call()))).toMatchObject({ code: 'unavailable', status: 503 });
    expect(calls).toHaveLength(4);
  });

  it('sends the same bytes and fresh headers on every attempt', async () => {
    let built = 0;
    const { client, calls } = harness([refusal(503), json({})]);
    const body = new TextEncoder().encode('{"a":1}');
    await client.send(call({ method: 'POST', body, headers: () => ({ 'X-Attempt': String(++built) }) }));
    expect(await Promise.all(calls.map((c) => c.text()))).toEqual(['{"a":1}', '{"a":1}']);
    expect(calls.map((c) => c.headers.get('x-attempt'))).toEqual(['1', '2']);
  });
});

describe('Retry-After', () => {
  it('waits as long as a 429 or a 503 asks, in seconds or as an HTTP date', async () => {
    for (const status of [429, 503]) {
      const { client, sleeps } = harness([refusal(status, { 'Retry-After': '2' }), json({})]);
      await client.send(call());
      expect(sleeps).toEqual([2000]);
    }
    // Whole seconds, as HTTP dates are: three to four seconds from now.
    const inFourSeconds = new Date(Math.floor(Date.now() / 1000) * 1000 + 4000).toUTCString();
    const { client, sleeps } = harness([refusal(429, { 'Retry-After': inFourSeconds }), json({})]);
    await client.send(call());
    expect(sleeps[0]).toBeGreaterThan(2500);
    expect(sleeps[0]).toBeLessThanOrEqual(4000);
  });

  it('is only read on 429 and 503; other failures back off as usual', async () => {
    const { client, sleeps } = harness([refusal(500, { 'Retry-After': '4' }), json({})]);
    await client.send(call());
    expect(sleeps[0]).toBeLessThanOrEqual(150);
  });

  it('gives up at once with the provider’s error when asked to wait longer than the cap', async () => {
    const { client, calls, sleeps, lines } = harness([refusal(429, { 'Retry-After': '3600' }), json({})], { maxRetryAfterMs: 5_000 });
    expect(await failure(client.send(call()))).toMatchObject({ code: 'rate_limited', status: 429, providerCode: 'some_code', supportId: 'support-123' });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(lines[0]!.object).toMatchObject({ attempts: 1, stopped: 'retry_after' });
  });

  it('gives up when the wait would end past the deadline', async () => {
    const { client, calls, sleeps, lines } = harness([refusal(503, { 'Retry-After': '4' }), json({})], { deadlineMs: 3_000 });
    expect(await failure(client.send(call()))).toMatchObject({ code: 'unavailable', status: 503 });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(lines[0]!.object).toMatchObject({ stopped: 'deadline' });
  });

  it('reads delta-seconds and IMF dates, and nothing else', () => {
    const now = Date.parse('2025-03-01T10:00:00.000Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Sat, 01 Mar 2025 10:00:07 GMT', now)).toBe(7000);
    expect(retryAfterMs('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
    for (const unreadable of [null, '', '1.5', '-1', 'soon', '2025-03-01T10:00:07Z', 'Sat, 01 Mar 2025 10:00:07'])
      expect(retryAfterMs(unreadable, now)).toBeUndefined();
  });
});

describe('timeouts', () => {
  it('times out an attempt whose answer never comes, even when fetch ignores its signal', async () => {
    const { client, calls } = harness(['hang'], { timeoutMs: 30, retries: 0 });
    const started = performance.now();
    expect((await failure(client.send(call()))).code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(calls).toHaveLength(1);
  });

  it('retries a timed-out attempt of an idempotent call, each with its own timeout', async () => {
    const { client, calls } = harness(['hang', json({ ok: true })], { timeoutMs: 30 });
    await expect(client.send(call())).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it('stops at the overall deadline however many retries are left', async () => {
    // Without the deadline, 21 attempts of 50 ms would take over a second.
    const { client, calls, lines } = harness(['hang'], { timeoutMs: 50, retries: 20, backoffMs: 1, deadlineMs: 120 });
    const started = performance.now();
    expect((await failure(client.send(call()))).code).toBe('timeout');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(110);
    expect(elapsed).toBeLessThan(700);
    expect(calls.length).toBeLessThanOrEqual(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.object).toMatchObject({ code: 'timeout', attempts: calls.length, stopped: 'deadline' });
  });

  it('cuts a single long attempt at the deadline', async () => {
    const { client } = harness(['hang'], { timeoutMs: 10_000, deadlineMs: 40 });
    const started = performance.now();
    expect((await failure(client.send(call({ method: 'POST', idempotent: false })))).code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('lets one call have a longer timeout and deadline than the others (uploads)', async () => {
    const { client } = harness(['hang'], { timeoutMs: 10, deadlineMs: 10 });
    const started = performance.now();
    expect((await failure(client.send(call({ timeoutMs: 80, deadlineMs: 80, idempotent: false })))).code).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
  });
});

describe('answers', () => {
  it('parses a success with the schema, and refuses one that does not match or is not JSON', async () => {
    const schema = z.object({ id: z.string() });
    await expect(harness([json({ id: 'x', extra: 1 })]).client.send(call({ schema }))).resolves.toEqual({ id: 'x' });
    for (const answer of [json({ id: 42, password: 'leaked-password' }), new Response('<html>ok</html>'), new Response('')]) {
      const { client, calls } = harness([answer]);
      const error = await failure(client.send(call({ schema })));
      expect(error.code).toBe('invalid_response');
      expect(`${error.message} ${JSON.stringify({ ...error })}`).not.toContain('leaked-password');
      expect(calls).toHaveLength(1);
    }
  });

  it('resolves to undefined without a schema (e.g. a 204)', async () => {
    await expect(harness([new Response(null, { status: 204 })]).client.send(call({ method: 'DELETE', schema: undefined }))).resolves.toBeUndefined();
  });

  it('does not follow redirects', async () => {
    const { client, calls } = harness([new Response(null, { status: 307, headers: { Location: 'https://elsewhere.test/' } })]);
    expect(await failure(client.send(call()))).toMatchObject({ code: 'refused', status: 307 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.redirect).toBe('manual');
  });

  it('reads no more than the cap: a longer success is an invalid response, a longer refusal its status alone', async () => {
    const big = JSON.stringify({ filler: 'x'.repeat(5_000) });
    const chunked = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(big));
            controller.close();
          },
        }),
      );
    for (const answer of [new Response(big, { headers: { 'content-type': 'application/json' } }), chunked()]) {
      const { client } = harness([answer], { maxResponseBytes: 1_000 });
      expect((await failure(client.send(call()))).code).toBe('invalid_response');
    }
    const { client } = harness([json({ code: 'some_code', filler: 'x'.repeat(5_000) }, 400)], { maxResponseBytes: 1_000 });
    const error = await failure(client.send(call()));
    expect(error).toMatchObject({ code: 'refused', status: 400 });
    expect(error.providerCode).toBeUndefined();
  });
});

describe('the call log', () => {
  it('writes one line per call, with the attempts it took', async () => {
    const { client, lines } = harness([refusal(503), refusal(503), json({})]);
    await client.send(call());
    expect(lines).toHaveLength(1);
    expect({ ...lines[0], object: { ...lines[0]!.object, ms: 0 } }).toEqual({
      level: 'debug',
      message: 'bridge call',
      object: { provider: 'bridge', method: 'GET', path: '/v3/things/:id', status: 200, attempts: 3, ms: 0 },
    });

    const failed = harness([refusal(400)]);
    await failure(failed.client.send(call({ method: 'POST', idempotent: false })));
    expect({ ...failed.lines[0], object: { ...failed.lines[0]!.object, ms: 0 } }).toEqual({
      level: 'info',
      message: 'bridge call failed',
      object: {
        provider: 'bridge',
        method: 'POST',
        path: '/v3/things/:id',
        status: 400,
        attempts: 1,
        ms: 0,
        code: 'refused',
        providerCode: 'some_code',
        supportId: 'support-123',
      },
    });
  });

  it('never logs a body, a header, a query or an id, as the process logger writes it', async () => {
    const written: string[] = [];
    const log = createLogger({
      level: 'trace',
      destination: new Writable({
        write(chunk, _encoding, done) {
          written.push(chunk.toString());
          done();
        },
      }),
    });
    const { client } = harness([refusal(503), json({ token: 'answer-token-do-not-leak' })], { log });
    await client.send(
      call({
        method: 'POST',
        path: `/v3/things/${ID}?access_token=query-token-do-not-leak`,
        body: JSON.stringify({ password: 'body-password-do-not-leak' }),
        headers: () => ({ Authorization: 'Bearer header-token-do-not-leak', 'Client-Secret': SECRET }),
      }),
    );
    await failure(harness([refusal(400)], { log }).client.send(call({ idempotent: false })));
    expect(written).toHaveLength(2);
    const output = written.join('');
    for (const secret of [SECRET, ID, 'query-token', 'body-password', 'header-token', 'answer-token', 'details:']) expect(output).not.toContain(secret);
    expect(JSON.parse(written[1]!)).toMatchObject({ provider: 'bridge', path: '/v3/things/:id', status: 400, code: 'refused', supportId: 'support-123' });
  });
});

describe('providerOrigin', () => {
  it('takes the documented base URL or the bare origin to the same origin', () => {
    for (const url of ['https://api.bridgeapi.io', 'https://api.bridgeapi.io/', 'https://api.bridgeapi.io/v3', 'https://api.bridgeapi.io/v3/']) {
      expect(providerOrigin(url, /\/v3$/)).toBe('https://api.bridgeapi.io');
    }
    for (const url of ['https://api.finqware.com', 'https://api.finqware.com/v1', 'https://api.finqware.com/v1s/']) {
      expect(providerOrigin(url, /\/v1s?$/)).toBe('https://api.finqware.com');
    }
    // A prefix such as the sandbox's mount is kept.
    expect(providerOrigin('http://127.0.0.1:3000/sandbox/bridge', /\/v3$/)).toBe('http://127.0.0.1:3000/sandbox/bridge');
  });
});
