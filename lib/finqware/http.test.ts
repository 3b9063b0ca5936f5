import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEPLOYED_ENV } from '@/test/deployed-env';
import { z } from 'zod';
import { SIGNING_AUDIENCE, SIGNING_TTL_SECONDS } from '@guidepost/provider-contracts/finqware';
import { parseEnv } from '@/lib/env';
import { CARD_SKILL, createFinqwareSandbox } from '@guidepost/sandbox/finqware';
import { FinqwareError, isFinqwareError } from './errors';
import { createFinqwareHttp, drawBoundary, encodeUpload, FINQWARE_HTTP_DEFAULTS, pathForLog, type FinqwareHttpConfig } from './http';
import { finqwareSessionCreatedSchema, finqwareStepResponseSchema } from '@guidepost/provider-contracts/finqware';

// A throwaway key pair per run: these tests only need the client to agree with itself and node:crypto.
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const SIGNING = { privateKeyPem: privateKey, email: 'signer@tenant.example', keyId: '0123456789abcdef0123456789abcdef01234567' };
const NOW = Date.parse('2025-03-01T10:00:00.000Z');

const SECRET = 'client-secret-do-not-leak';
const NONCE = 'nonce-do-not-leak-MDAxNmxvY2F0';
const TEMP_TOKEN = 'temp-token-do-not-leak';
const SESSION_ID = '58f92378-3c1d-4b7e-9a55-20a052aca460';
const STEP_ID = 'step_7489fe74cd5e05c0fc4b';
const SESSION = { nonce: 'n1', session_id: SESSION_ID, status: 'SESSION_CREATED' } as const;

interface Call {
  url: string;
  init: RequestInit;
  headers: Headers;
  bytes: Uint8Array;
}

type Answer = Response | Error | 'hang';

/** A fetch that records each call and plays the answers in order (the last one repeats). */
function fakeFetch(...answers: Answer[]) {
  const calls: Call[] = [];
  const fetch: typeof globalThis.fetch = async (input, init = {}) => {
    const body = init.body;
    // An upload's body is streamed (its parts, never joined): read here as the server would receive it.
    const bytes =
      body instanceof Uint8Array ? body : body instanceof ReadableStream ? new Uint8Array(await new Response(body).arrayBuffer()) : new Uint8Array();
    calls.push({ url: String(input), init, headers: new Headers(init.headers), bytes });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (answer === 'hang') return new Promise<Response>(() => undefined); // ignores its signal on purpose
    if (answer instanceof Error) throw answer;
    return answer.clone();
  };
  return { fetch, calls };
}

function harness(answers: Answer[], overrides: Partial<FinqwareHttpConfig> = {}) {
  const { fetch, calls } = fakeFetch(...answers);
  const sleeps: number[] = [];
  const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = [];
  const http = createFinqwareHttp({
    apiUrl: 'https://finqware.test/',
    fetch,
    now: () => NOW,
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

const json = (body: unknown, status = 200) => Response.json(body, { status });
const fqError = (status: number, type: string, code: string) =>
  json({ id: '2f1c0b9e-6d0a-4f6e-9a55-0c1e9f3b7a10', type, http: status, code, message: `technical: nonce=${NONCE}` }, status);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

async function failure(promise: Promise<unknown>): Promise<FinqwareError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FinqwareError);
  return error as FinqwareError;
}

/** Verifies the bearer JWT with node:crypto alone and returns its header and claims. */
function verifiedJwt(authorization: string | null) {
  expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const [header, claims, signature] = authorization!.slice('Bearer '.length).split('.') as [string, string, string];
  const valid = verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), createPublicKey(publicKey), Buffer.from(signature, 'base64url'));
  expect(valid).toBe(true);
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: decode(header), claims: decode(claims) };
}

const FILE = { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0x7f]), filename: 'id-card.jpg', contentType: 'image/jpeg' };
const UPLOAD_FIELDS = { client_id: 'client-id', nonce: NONCE, skill: 'xyz_card_sbx_#1.0' };

describe('createFinqwareHttp', () => {
  it('posts compact JSON to /v1 without an Authorization header when signing is off', async () => {
    const { http, calls } = harness([json(SESSION)]);
    const body = { tenant_user_id: 'u1', client_id: 'c', client_app_key: 'k', skill: 's' };
    await expect(http.post('/sessions', body, { schema: finqwareSessionCreatedSchema, idempotent: false })).resolves.toEqual(SESSION);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://finqware.test/v1/sessions');
    expect(calls[0]!.init.method).toBe('POST');
    expect(text(calls[0]!.bytes)).toBe(JSON.stringify(body));
    expect(calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(calls[0]!.headers.get('accept')).toBe('application/json');
    expect(calls[0]!.headers.get('authorization')).toBeNull();
  });

  it('posts to /v1s with a JWT that verifies and signs the digest of exactly the bytes sent', async () => {
    const { http, calls } = harness([json(SESSION)], { signing: SIGNING });
    await http.post('/sessions', { skill: 'xyz_aisp_sbx_#1.0', data: { note: 'é' } }, { schema: finqwareSessionCreatedSchema, idempotent: false });
    expect(calls[0]!.url).toBe('https://finqware.test/v1s/sessions');
    const { header, claims } = verifiedJwt(calls[0]!.headers.get('authorization'));
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: SIGNING.keyId });
    const iat = Math.floor(NOW / 1000);
    expect(claims).toEqual({
      iat,
      exp: iat + SIGNING_TTL_SECONDS,
      iss: SIGNING.email,
      sub: SIGNING.email,
      email: SIGNING.email,
      aud: SIGNING_AUDIENCE,
      digest: sha256(calls[0]!.bytes),
    });
  });

  it('signs every attempt afresh', async () => {
    let clock = NOW;
    const { http, calls } = harness([fqError(503, 'internal_error', 'internal_error'), json([])], { signing: SIGNING, now: () => (clock += 5000) });
    await http.post('/accounts/get', {}, { schema: z.array(z.unknown()), idempotent: true });
    const [first, second] = calls.map((c) => verifiedJwt(c.headers.get('authorization')).claims);
    expect((second!.iat as number) - (first!.iat as number)).toBe(5);
  });

  it('uploads the platform’s multipart encoding: the three fields and the file, digest over those bytes', async () => {
    const done = { step_id: STEP_ID, status: 'SESSION_COMPLETED', temp_token: TEMP_TOKEN, data: {} };
    const { http, calls } = harness([json(done)], { signing: SIGNING });
    await expect(http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, FILE, { schema: finqwareStepResponseSchema })).resolves.toEqual(done);
    const call = calls[0]!;
    expect(call.url).toBe(`https://finqware.test/v1s/steps/${STEP_ID}/upload`);
    const contentType = call.headers.get('content-type')!;
    expect(contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
    expect(verifiedJwt(call.headers.get('authorization')).claims.digest).toBe(sha256(call.bytes));

    // A standard multipart parser reads the same bytes back.
    const form = await new Request('https://x.test/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: call.bytes as Uint8Array<ArrayBuffer>,
    }).formData();
    expect([...form.keys()]).toEqual(['client_id', 'nonce', 'skill', 'file']);
    expect(form.get('client_id')).toBe(UPLOAD_FIELDS.client_id);
    expect(form.get('nonce')).toBe(NONCE);
    expect(form.get('skill')).toBe(UPLOAD_FIELDS.skill);
    const file = form.get('file') as File;
    expect(file.name).toBe('id-card.jpg');
    expect(file.type).toBe('image/jpeg');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(FILE.bytes);
  });

  it('uploads more files in the same request, each under its own field, after the first', async () => {
    const { http, calls } = harness([json({ step_id: STEP_ID, status: 'SESSION_IN_PROGRESS', nonce: 'n2', data: {} })]);
    const back = { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0x01, 0x02]), filename: 'back.jpg', contentType: 'image/jpeg' };
    await http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, FILE, { schema: finqwareStepResponseSchema, more: { file_back: back } });
    const form = await new Request('https://x.test/', {
      method: 'POST',
      headers: { 'content-type': calls[0]!.headers.get('content-type')! },
      body: calls[0]!.bytes as Uint8Array<ArrayBuffer>,
    }).formData();
    expect([...form.keys()]).toEqual(['client_id', 'nonce', 'skill', 'file', 'file_back']);
    expect(new Uint8Array(await (form.get('file') as File).arrayBuffer())).toEqual(FILE.bytes);
    expect((form.get('file_back') as File).name).toBe('back.jpg');
    expect(new Uint8Array(await (form.get('file_back') as File).arrayBuffer())).toEqual(back.bytes);
  });

  it('signs the digest of exactly the bytes the server receives, for an upload and a JSON call', async () => {
    // The "server" reads the request as it arrives over the wire, body and headers together.
    const received: Array<{ bytes: Uint8Array; authorization: string | null; contentType: string | null }> = [];
    const http = createFinqwareHttp({
      apiUrl: 'https://finqware.test',
      signing: SIGNING,
      now: () => NOW,
      log: { debug: () => undefined, info: () => undefined },
      fetch: async (input, init) => {
        const request = new Request(input, init);
        received.push({
          bytes: new Uint8Array(await request.arrayBuffer()),
          authorization: request.headers.get('authorization'),
          contentType: request.headers.get('content-type'),
        });
        return json({ step_id: STEP_ID, status: 'SESSION_IN_PROGRESS', nonce: 'n2', data: {} });
      },
    });
    await http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, { ...FILE, filename: 'é "quoted".jpg' }, { schema: finqwareStepResponseSchema });
    await http.post(
      `/sessions/${SESSION_ID}/steps`,
      { nonce: NONCE, data: { city: 'Brașov' } },
      { schema: finqwareStepResponseSchema, idempotent: false, spendsNonce: true },
    );
    expect(received).toHaveLength(2);
    for (const { bytes, authorization } of received) {
      expect(bytes.byteLength).toBeGreaterThan(0);
      expect(verifiedJwt(authorization).claims.digest).toBe(sha256(bytes));
    }
    const form = await new Request('https://x.test/', {
      method: 'POST',
      headers: { 'content-type': received[0]!.contentType! },
      body: received[0]!.bytes as Uint8Array<ArrayBuffer>,
    }).formData();
    expect(new Uint8Array(await (form.get('file') as File).arrayBuffer())).toEqual(FILE.bytes);
  });

  it('keeps a hostile filename or content type from breaking the multipart headers', async () => {
    const { http, calls } = harness([json({ step_id: STEP_ID, status: 'SESSION_IN_PROGRESS', nonce: 'n2', data: {} })]);
    const hostile = 'a"\r\nX-Evil: 1.jpg';
    await http.upload(
      `/steps/${STEP_ID}/upload`,
      UPLOAD_FIELDS,
      { ...FILE, filename: hostile, contentType: 'image/jpeg\r\nX-Evil: 1' },
      { schema: finqwareStepResponseSchema },
    );
    // The platform escapes the name as browsers do; no header of our parts is added or cut.
    expect(text(calls[0]!.bytes)).not.toContain('\r\nX-Evil');
    const form = await new Request('https://x.test/', {
      method: 'POST',
      headers: { 'content-type': calls[0]!.headers.get('content-type')! },
      body: calls[0]!.bytes as Uint8Array<ArrayBuffer>,
    }).formData();
    expect([...form.keys()]).toEqual(['client_id', 'nonce', 'skill', 'file']);
    const file = form.get('file') as File;
    expect(file.name).toBe(hostile);
    expect(file.type).toBe('application/octet-stream');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(FILE.bytes);
  });

  it('never uses a boundary that occurs inside the file', async () => {
    // The boundary is random; the first one drawn here is made to occur inside the file.
    const colliding = new TextEncoder().encode('\r\n--boundary-one--\r\n');
    const boundaries: string[] = [];
    const boundary = () => {
      boundaries.push(boundaries.length === 0 ? 'boundary-one' : drawBoundary());
      return boundaries.at(-1)!;
    };
    const { parts, contentType } = encodeUpload(UPLOAD_FIELDS, { file: { ...FILE, bytes: colliding } }, boundary);
    expect(boundaries).toHaveLength(2);
    expect(contentType).toBe(`multipart/form-data; boundary=${boundaries[1]}`);
    const form = await new Request('https://x.test/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Blob(parts as Uint8Array<ArrayBuffer>[]),
    }).formData();
    expect(new Uint8Array(await (form.get('file') as File).arrayBuffer())).toEqual(colliding);
  });

  it('writes the platform’s multipart encoding byte for byte, the file kept as one part of its own, and sends its length', async () => {
    const fields = { client_id: 'client-id', 'na"me\r': 'line\none\rtwo' };
    const files = { file: { ...FILE, filename: 'a\nb"c\rd.jpg' }, file_back: { ...FILE, contentType: 'not a type' } };
    const { parts, length, contentType } = encodeUpload(fields, files, () => 'fixed-boundary');
    // The platform's own encoding of the same form, its boundary replaced by ours.
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([FILE.bytes], { type: 'image/jpeg' }), files.file.filename);
    form.append('file_back', new Blob([FILE.bytes], { type: 'application/octet-stream' }), FILE.filename);
    const platform = new Response(form);
    const platformBoundary = /boundary=(\S+)/.exec(platform.headers.get('content-type')!)![1]!;
    const expected = Buffer.from(await platform.arrayBuffer())
      .toString('latin1')
      .replaceAll(platformBoundary, 'fixed-boundary');
    expect(Buffer.concat(parts).toString('latin1')).toBe(expected);
    expect(contentType).toBe('multipart/form-data; boundary=fixed-boundary');
    expect(length).toBe(Buffer.byteLength(expected, 'latin1'));
    // Each file's bytes (both are FILE's here) are sent as they are, not copied into a new body.
    expect(parts.filter((part) => part === FILE.bytes)).toHaveLength(2);

    const { http, calls } = harness([json({ step_id: STEP_ID, status: 'SESSION_IN_PROGRESS', nonce: 'n2', data: {} })]);
    await http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, FILE, { schema: finqwareStepResponseSchema });
    expect(Number(calls[0]!.headers.get('content-length'))).toBe(calls[0]!.bytes.byteLength);
  });

  it('times out a call whose answer never comes, even when fetch ignores its signal', async () => {
    const { http, calls } = harness(['hang'], { timeoutMs: 30, retries: 0 });
    expect((await failure(http.post('/catalogs/get', {}, { schema: z.unknown(), idempotent: true }))).code).toBe('timeout');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('gives uploads their own, longer timeout and never retries them', async () => {
    expect(FINQWARE_HTTP_DEFAULTS).toMatchObject({ timeoutMs: 15_000, uploadTimeoutMs: 60_000 });
    const slow = harness(['hang'], { timeoutMs: 10, uploadTimeoutMs: 80 });
    const started = performance.now();
    expect((await failure(slow.http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, FILE, { schema: z.unknown() }))).code).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(slow.calls).toHaveLength(1);

    const failing = harness([fqError(503, 'internal_error', 'internal_error'), json({})]);
    await failure(failing.http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, FILE, { schema: z.unknown() }));
    expect(failing.calls).toHaveLength(1);
  });

  it('retries an idempotent call with growing backoff, and succeeds', async () => {
    const { http, calls, sleeps } = harness([fqError(500, 'internal_error', 'internal_error'), new TypeError('fetch failed'), json([])], { backoffMs: 100 });
    await expect(http.post('/catalogs/get', {}, { schema: z.array(z.unknown()), idempotent: true })).resolves.toEqual([]);
    expect(calls).toHaveLength(3);
    expect(text(calls[2]!.bytes)).toBe(text(calls[0]!.bytes));
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThanOrEqual(150);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    expect(sleeps[1]).toBeLessThanOrEqual(300);
  });

  it('retries a transient bank error or rate limit on a read, and gives up after the retries', async () => {
    const upstream = harness([fqError(400, 'external_api_error', 'external_api_error'), json([])]);
    await upstream.http.post('/balances/get', {}, { schema: z.array(z.unknown()), idempotent: true });
    expect(upstream.calls).toHaveLength(2);

    const limited = harness([fqError(429, 'external_api_error', 'external_api_too_many_requests')], { retries: 2 });
    expect((await failure(limited.http.post('/accounts/get', {}, { schema: z.unknown(), idempotent: true }))).code).toBe('rate_limited');
    expect(limited.calls).toHaveLength(3);
    expect(limited.sleeps).toHaveLength(2);
  });

  it('never retries a call that is not idempotent, whatever the failure', async () => {
    for (const answer of [
      fqError(503, 'internal_error', 'internal_error'),
      fqError(429, 'external_api_error', 'external_api_too_many_requests'),
      new TypeError('fetch failed'),
      'hang' as const,
    ]) {
      const { http, calls, sleeps } = harness([answer, json(SESSION)], { timeoutMs: 20 });
      await failure(http.post(`/sessions/${SESSION_ID}/steps`, {}, { schema: z.unknown(), idempotent: false }));
      expect(calls).toHaveLength(1);
      expect(sleeps).toEqual([]);
    }
  });

  it('does not retry client errors on idempotent calls', async () => {
    const { http, calls } = harness([fqError(401, 'unauthorized', 'invalid_access_token')]);
    expect(await failure(http.post('/consents/get', {}, { schema: z.unknown(), idempotent: true }))).toMatchObject({
      code: 'unauthorized',
      status: 401,
      finqwareCode: 'invalid_access_token',
    });
    expect(calls).toHaveLength(1);
  });

  it('reads both error shapes', async () => {
    const fullShape = harness([fqError(401, 'unauthorized', 'invalid_nonce')]);
    expect(await failure(fullShape.http.post('/sessions/x/steps', {}, { schema: z.unknown(), idempotent: false }))).toMatchObject({
      code: 'nonce_invalid',
      status: 401,
      id: '2f1c0b9e-6d0a-4f6e-9a55-0c1e9f3b7a10',
    });
    const bare = harness([json({ message: 'data.amount must be a number' }, 400)]);
    expect(await failure(bare.http.post('/sessions/x/steps', {}, { schema: z.unknown(), idempotent: false }))).toMatchObject({
      code: 'invalid_request',
      status: 400,
    });
  });

  it('does not follow redirects, which would carry the client secret elsewhere', async () => {
    const { http, calls } = harness([new Response(null, { status: 307, headers: { Location: 'https://elsewhere.test/' } })]);
    expect(await failure(http.post('/tokens', { client_secret: SECRET }, { schema: z.unknown(), idempotent: false }))).toMatchObject({
      code: 'unknown',
      status: 307,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init.redirect).toBe('manual');
  });

  it('refuses an answer that does not match the schema, or is not JSON, as invalid_response', async () => {
    for (const answer of [json({ ...SESSION, status: 'SESSION_IN_PROGRESS' }), json({ nonce: '' }), new Response('<html>ok</html>'), new Response('')]) {
      const { http, calls } = harness([answer]);
      expect((await failure(http.post('/catalogs/get', {}, { schema: finqwareSessionCreatedSchema, idempotent: true }))).code).toBe('invalid_response');
      expect(calls).toHaveLength(1);
    }
  });

  it('logs one line per call with ids replaced, and never bodies, nonces, tokens or secrets', async () => {
    const { http, lines } = harness(
      [fqError(503, 'internal_error', 'internal_error'), json({ step_id: STEP_ID, status: 'SESSION_COMPLETED', temp_token: TEMP_TOKEN })],
      {
        signing: SIGNING,
      },
    );
    await http.post('/consents/delete', { client_secret: SECRET, access_token: TEMP_TOKEN }, { schema: z.unknown(), idempotent: true });
    expect(lines.map((l) => ({ level: l.level, ...l.object, ms: 0 }))).toEqual([
      { level: 'debug', provider: 'finqware', method: 'POST', path: '/v1s/consents/delete', status: 200, ms: 0, attempts: 2 },
    ]);

    const steps = harness([fqError(401, 'unauthorized', 'expired_nonce')]);
    const error = await failure(
      steps.http.post(`/sessions/${SESSION_ID}/steps`, { nonce: NONCE, client_secret: SECRET }, { schema: z.unknown(), idempotent: false }),
    );
    expect(steps.lines.map((l) => ({ level: l.level, ...l.object, ms: 0 }))).toEqual([
      {
        level: 'info',
        provider: 'finqware',
        method: 'POST',
        path: '/v1/sessions/:id/steps',
        status: 401,
        ms: 0,
        attempts: 1,
        code: 'nonce_expired',
        providerCode: 'expired_nonce',
        supportId: '2f1c0b9e-6d0a-4f6e-9a55-0c1e9f3b7a10',
      },
    ]);
    const logged = JSON.stringify([...lines, ...steps.lines]);
    const visible = `${error.message} ${JSON.stringify({ ...error })}`;
    for (const secret of [SECRET, NONCE, TEMP_TOKEN, SESSION_ID, 'technical', 'Bearer']) {
      expect(logged).not.toContain(secret);
      expect(visible).not.toContain(secret);
    }
  });

  it('carries provider, status, code, Finqware’s code and its error id for support, never the message', async () => {
    const { http } = harness([fqError(400, 'invalid_request', 'invalid_field')]);
    const error = await failure(http.post(`/sessions/${SESSION_ID}/steps`, { nonce: NONCE }, { schema: z.unknown(), idempotent: false, spendsNonce: true }));
    expect(isFinqwareError(error, 'invalid_request')).toBe(true);
    expect(error).toMatchObject({
      provider: 'finqware',
      status: 400,
      code: 'invalid_request',
      providerCode: 'invalid_field',
      supportId: '2f1c0b9e-6d0a-4f6e-9a55-0c1e9f3b7a10',
    });
    expect(`${error.message} ${JSON.stringify({ ...error })} ${String(error)}`).not.toContain('technical');
  });

  it('waits as long as Retry-After asks after a 429 or a 503, and gives up when asked to wait longer than the cap', async () => {
    const limited = (status: number, retryAfter: string) => Response.json({ message: 'slow down' }, { status, headers: { 'Retry-After': retryAfter } });
    for (const status of [429, 503]) {
      const { http, sleeps } = harness([limited(status, '3'), json([])]);
      await http.post('/accounts/get', {}, { schema: z.array(z.unknown()), idempotent: true });
      expect(sleeps).toEqual([3000]);
    }
    const tooLong = harness([limited(429, '60'), json([])], { maxRetryAfterMs: 5_000 });
    expect(await failure(tooLong.http.post('/balances/get', {}, { schema: z.unknown(), idempotent: true }))).toMatchObject({
      code: 'rate_limited',
      status: 429,
    });
    expect(tooLong.calls).toHaveLength(1);
    expect(tooLong.sleeps).toEqual([]);
  });

  it('replaces session and step ids in logged paths', () => {
    expect(pathForLog(`/v1/sessions/${SESSION_ID}/steps`)).toBe('/v1/sessions/:id/steps');
    expect(pathForLog(`/v1s/steps/${encodeURIComponent('a b/c')}/upload?x=1`)).toBe('/v1s/steps/:id/upload');
    expect(pathForLog('/v1/sessions')).toBe('/v1/sessions');
  });
});

describe('Finqware base URL', () => {
  const DEPLOYED = DEPLOYED_ENV;

  it.each([
    'https://api.finqware.com',
    'https://api.finqware.com/',
    'https://api.finqware.com/v1',
    'https://api.finqware.com/v1/',
    'https://api.finqware.com/v1s',
  ])(
    'sends calls to /v1/... (and /v1s/... when signing) at https://api.finqware.com when configured as %s, directly or through the environment',
    async (apiUrl) => {
      const { finqware } = parseEnv({ ...DEPLOYED, FINQWARE_API_URL: apiUrl });
      for (const configured of [apiUrl, finqware.apiUrl]) {
        for (const signing of [undefined, SIGNING]) {
          const { http, calls } = harness([json([]), json({ step_id: STEP_ID, status: 'SESSION_IN_PROGRESS', nonce: 'n2', data: {} })], {
            apiUrl: configured,
            signing,
          });
          await http.post('/catalogs/get', {}, { schema: z.unknown(), idempotent: true });
          await http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, FILE, { schema: z.unknown() });
          const base = signing ? 'https://api.finqware.com/v1s' : 'https://api.finqware.com/v1';
          expect(calls.map((c) => c.url)).toEqual([`${base}/catalogs/get`, `${base}/steps/${STEP_ID}/upload`]);
        }
      }
    },
  );
});

describe('refusals without a code at a step or an upload', () => {
  // Finqware says step submissions may answer a bare { message } and documents no code for an expired or
  // reused nonce: such a refusal must lead to "Restart this onboarding", not "did not accept these details".
  const bare = (status: number, body: string = JSON.stringify({ message: `The nonce ${NONCE} is no longer valid.` })) =>
    new Response(body, { status, headers: { 'content-type': 'application/json' } });
  const step = (answer: Response) =>
    failure(harness([answer]).http.post(`/sessions/${SESSION_ID}/steps`, { nonce: NONCE }, { schema: z.unknown(), idempotent: false, spendsNonce: true }));
  const upload = (answer: Response) => failure(harness([answer]).http.upload(`/steps/${STEP_ID}/upload`, UPLOAD_FIELDS, FILE, { schema: z.unknown() }));

  it('reads a bare 4xx as a nonce problem, at a step and at an upload', async () => {
    for (const answer of [
      bare(400),
      bare(401),
      bare(403),
      bare(410),
      bare(422),
      bare(400, ''),
      bare(400, '<html>Bad request</html>'),
      bare(401, JSON.stringify({ type: 'unauthorized', message: 'x' })),
    ]) {
      expect(await step(answer.clone())).toMatchObject({ code: 'nonce_invalid', status: answer.status });
      expect(await upload(answer)).toMatchObject({ code: 'nonce_invalid', status: answer.status });
    }
    const error = await step(bare(400));
    expect(`${error.message} ${JSON.stringify({ ...error })}`).not.toContain(NONCE);
  });

  it('keeps the meaning of a refusal with a code, and of statuses that say nothing about the nonce', async () => {
    expect(await step(fqError(400, 'invalid_request', 'invalid_field'))).toMatchObject({ code: 'invalid_request', providerCode: 'invalid_field' });
    expect(await upload(fqError(400, 'invalid_request', 'invalid_field'))).toMatchObject({ code: 'invalid_request', providerCode: 'invalid_field' });
    expect(await step(fqError(401, 'unauthorized', 'invalid_client_id'))).toMatchObject({ code: 'unauthorized' });
    expect(await step(fqError(404, 'invalid_request', 'invalid_session_id'))).toMatchObject({ code: 'not_found' });
    // An unlisted code is still a code: not accepted, not a nonce problem.
    expect(await step(fqError(400, 'invalid_request', 'something_new'))).toMatchObject({ code: 'invalid_request' });
    expect(await step(bare(429))).toMatchObject({ code: 'rate_limited' });
    expect(await step(bare(413))).toMatchObject({ code: 'invalid_request' });
    expect(await step(bare(500))).toMatchObject({ code: 'unavailable' });
    expect(await step(bare(400, JSON.stringify({ type: 'external_api_error', message: 'bank down' })))).toMatchObject({ code: 'upstream' });
  });

  it('reads a bare 4xx elsewhere by its status, as before', async () => {
    const { http } = harness([bare(400)]);
    expect(await failure(http.post('/sessions', {}, { schema: z.unknown(), idempotent: false }))).toMatchObject({ code: 'invalid_request', status: 400 });
    const tokens = harness([bare(401)]);
    expect(await failure(tokens.http.post('/tokens', {}, { schema: z.unknown(), idempotent: false }))).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('through the sandbox: a reused nonce and a step out of order, both answered bare, are nonce problems (restart)', async () => {
    const keys = { clientId: 'it-client-id', clientAppKey: 'it-client-app-key', clientSecret: 'it-client-secret-0123456789' };
    const sandbox = createFinqwareSandbox({ ...keys, now: () => NOW });
    // The simulator answers step refusals as Finqware documents them: a bare { message }.
    const http = createFinqwareHttp({
      apiUrl: 'http://finqware.test/v1',
      log: { debug: () => undefined, info: () => undefined },
      fetch: async (input, init) => sandbox.handle(new Request(input, init)),
    });
    const session = await http.post(
      '/sessions',
      { tenant_user_id: 'u1', client_id: keys.clientId, client_app_key: keys.clientAppKey, skill: CARD_SKILL },
      { schema: finqwareSessionCreatedSchema, idempotent: false },
    );
    const submit = (nonce: string, step: string, data: unknown) =>
      http.post(
        `/sessions/${session.session_id}/steps`,
        { client_id: keys.clientId, nonce, skill: CARD_SKILL, step, data },
        { schema: finqwareStepResponseSchema, idempotent: false, spendsNonce: true },
      );

    // Out of order: nothing the user can fix but a new session.
    const wrongStep = await failure(submit(session.nonce, 'selfie', {}));
    expect(wrongStep).toMatchObject({ code: 'nonce_invalid', status: 400 });
    expect(wrongStep.providerCode).toBeUndefined();

    await submit(session.nonce, 'product_form', { value: '100000', currency: 'EUR', period: '12' });
    const reused = await failure(submit(session.nonce, 'product_form', { value: '100000', currency: 'EUR', period: '12' }));
    expect(reused).toMatchObject({ code: 'nonce_invalid', status: 401 });
    expect(reused.providerCode).toBeUndefined();
  });
});
