import { describe, expect, it } from 'vitest';
import { boundedRequest } from './bounded-request';
import { bodyProblemResponse, guardBody, isBodyReadError, readBodyCapped, type BodyProblem } from './read-body';

const URL_ = 'http://portal.test/upload';
const KIB = 1024;
const MIB = 1024 * KIB;

/** A body produced as it is read, counting what was pulled; no Content-Length unless given. */
function lazyBody(options: { chunk: number; total: number; stallAfter?: number; failAfter?: number }) {
  const chunk = new Uint8Array(options.chunk).fill(0x61);
  const stats = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (options.failAfter !== undefined && stats.pulled >= options.failAfter) return controller.error(new Error('connection reset'));
        // A client that stops sending: the next chunk never comes.
        if (options.stallAfter !== undefined && stats.pulled >= options.stallAfter) return new Promise<void>(() => undefined);
        if (stats.pulled >= options.total) return controller.close();
        stats.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    // Nothing is pulled before someone reads.
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(URL_, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

async function problemOf(promise: Promise<unknown>): Promise<BodyProblem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBodyReadError(error)) throw new Error(`expected a BodyReadError, got ${String(error)}`);
  return error.problem;
}

describe('readBodyCapped', () => {
  it('returns a body under the cap, declared or chunked', async () => {
    const text = 'x'.repeat(1000);
    expect(new TextDecoder().decode(await readBodyCapped(post(text), { maxBytes: 1000 }))).toBe(text);
    const { stream } = lazyBody({ chunk: 4 * KIB, total: 64 * KIB });
    expect((await readBodyCapped(post(stream), { maxBytes: 64 * KIB })).byteLength).toBe(64 * KIB);
    expect((await readBodyCapped(new Request(URL_), { maxBytes: 10 })).byteLength).toBe(0);
  });

  it('refuses one byte over the cap', async () => {
    expect(await problemOf(readBodyCapped(post('x'.repeat(1001)), { maxBytes: 1000 }))).toBe('too_large');
    const { stream } = lazyBody({ chunk: 1000, total: 1001 });
    expect(await problemOf(readBodyCapped(post(stream), { maxBytes: 1000 }))).toBe('too_large');
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const { stream, stats } = lazyBody({ chunk: 16 * KIB, total: 10 * MIB });
    const request = post(stream, { 'content-length': String(10 * MIB) });
    expect(await problemOf(readBodyCapped(request, { maxBytes: 64 * KIB }))).toBe('too_large');
    expect(stats.pulled).toBe(0);
    expect(stats.cancelled).toBe(true);
  });

  it('stops a chunked 600 MiB body at the cap, having pulled at most a few chunks past it', async () => {
    const chunk = 16 * KIB;
    const cap = 64 * KIB;
    const { stream, stats } = lazyBody({ chunk, total: 600 * MIB });
    expect(await problemOf(readBodyCapped(post(stream), { maxBytes: cap }))).toBe('too_large');
    expect(stats.pulled).toBeLessThanOrEqual(cap + 4 * chunk);
    expect(stats.cancelled).toBe(true);
  });

  it('gives up on a body that stops arriving after idleTimeoutMs', async () => {
    const { stream, stats } = lazyBody({ chunk: KIB, total: MIB, stallAfter: 2 * KIB });
    const started = performance.now();
    expect(await problemOf(readBodyCapped(post(stream), { maxBytes: MIB, idleTimeoutMs: 100 }))).toBe('timeout');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(2000);
    expect(stats.cancelled).toBe(true);
  });

  it('answers a stall on time even when the sender never acknowledges the cancel', async () => {
    // A source whose cancel never settles, like a connection that is gone without a word.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull: () => new Promise<void>(() => undefined),
        cancel: () => new Promise<void>(() => undefined),
      },
      { highWaterMark: 0 },
    );
    const started = performance.now();
    expect(await problemOf(readBodyCapped(post(stream), { maxBytes: KIB, idleTimeoutMs: 100 }))).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a body shorter than its declared length: cut off, or stalled', async () => {
    const ended = lazyBody({ chunk: 10, total: 10 });
    expect(await problemOf(readBodyCapped(post(ended.stream, { 'content-length': '100' }), { maxBytes: 1000, idleTimeoutMs: 100 }))).toBe('aborted');
    const stalled = lazyBody({ chunk: 10, total: 100, stallAfter: 10 });
    expect(await problemOf(readBodyCapped(post(stalled.stream, { 'content-length': '100' }), { maxBytes: 1000, idleTimeoutMs: 100 }))).toBe('timeout');
  });

  it('calls a body whose connection fails half-way aborted', async () => {
    const { stream } = lazyBody({ chunk: KIB, total: MIB, failAfter: 3 * KIB });
    expect(await problemOf(readBodyCapped(post(stream), { maxBytes: MIB, idleTimeoutMs: 1000 }))).toBe('aborted');
  });
});

describe('guardBody', () => {
  /** Reads the guarded stream to its end or error: the bytes that came through, and whether it failed. */
  async function drain(body: ReadableStream<Uint8Array> | null): Promise<{ bytes: number; failed: boolean }> {
    let bytes = 0;
    if (!body) return { bytes, failed: false };
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { bytes, failed: false };
        bytes += value.byteLength;
      }
    } catch {
      return { bytes, failed: true };
    }
  }

  it('passes a body under the cap through as it is read, pulling nothing before its reader asks', async () => {
    const { stream, stats } = lazyBody({ chunk: 4 * KIB, total: 64 * KIB });
    const guarded = guardBody(post(stream), { maxBytes: 64 * KIB });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stats.pulled).toBe(0);
    expect(await drain(guarded.body)).toEqual({ bytes: 64 * KIB, failed: false });
    expect(guarded.problem()).toBeUndefined();
  });

  it('errors a chunked body one chunk past the cap and stops reading it', async () => {
    const { stream, stats } = lazyBody({ chunk: MIB, total: 600 * MIB });
    const guarded = guardBody(post(stream), { maxBytes: 10 * MIB });
    expect(await drain(guarded.body)).toEqual({ bytes: 10 * MIB, failed: true });
    expect(guarded.problem()).toBe('too_large');
    expect(stats.pulled).toBeLessThanOrEqual(11 * MIB);
    expect(stats.cancelled).toBe(true);
  });

  it('refuses a declared length over the cap at once, with no stream to read', async () => {
    const { stream, stats } = lazyBody({ chunk: KIB, total: 4 * KIB });
    const guarded = guardBody(post(stream, { 'Content-Length': String(20 * MIB) }), { maxBytes: 10 * MIB });
    expect(guarded.problem()).toBe('too_large');
    expect(guarded.body).toBeNull();
    expect(stats.pulled).toBe(0);
  });

  it('times out a body that stops arriving, and calls a reset connection cut off', async () => {
    const stalled = lazyBody({ chunk: KIB, total: 64 * KIB, stallAfter: 2 * KIB });
    const guarded = guardBody(post(stalled.stream), { maxBytes: MIB, idleTimeoutMs: 50 });
    expect(await drain(guarded.body)).toEqual({ bytes: 2 * KIB, failed: true });
    expect(guarded.problem()).toBe('timeout');

    const reset = lazyBody({ chunk: KIB, total: 64 * KIB, failAfter: 3 * KIB });
    const cut = guardBody(post(reset.stream), { maxBytes: MIB });
    expect(await drain(cut.body)).toEqual({ bytes: 3 * KIB, failed: true });
    expect(cut.problem()).toBe('aborted');
  });
});

describe('bodyProblemResponse', () => {
  it.each([
    ['too_large', 413, 'payload_too_large'],
    ['timeout', 408, 'body_timeout'],
    ['aborted', 400, 'body_incomplete'],
  ] as const)('answers %s with %i and a JSON body', async (problem, status, error) => {
    const response = bodyProblemResponse(problem, 'an upload (10 MB)');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe(error);
    expect(typeof body.message).toBe('string');
    if (problem === 'too_large') expect(body.message).toContain('an upload (10 MB)');
  });
});

describe('boundedRequest', () => {
  const options = { maxBytes: 16 * KIB, limitDescription: 'a sign-in form (16 KiB)' };

  it('passes a GET through untouched', async () => {
    const request = new Request(URL_, { headers: { 'x-test': '1' } });
    expect(await boundedRequest(request, options)).toBe(request);
  });

  it('gives back the same request with its body read, when the body is under the cap', async () => {
    const { stream } = lazyBody({ chunk: KIB, total: 8 * KIB });
    const bounded = await boundedRequest(post(stream, { 'content-type': 'application/x-www-form-urlencoded', 'x-test': 'kept' }), options);
    if (!(bounded instanceof Request)) throw new Error(`expected a Request, got ${bounded.status}`);
    expect(bounded.method).toBe('POST');
    expect(bounded.url).toBe(URL_);
    expect(bounded.headers.get('x-test')).toBe('kept');
    expect(bounded.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await bounded.text()).toBe('a'.repeat(8 * KIB));
  });

  it('answers 413 for a body over the cap, declared or chunked', async () => {
    const declared = await boundedRequest(post('x', { 'content-length': String(MIB) }), options);
    expect(declared).toBeInstanceOf(Response);
    expect((declared as Response).status).toBe(413);
    const { stream, stats } = lazyBody({ chunk: 4 * KIB, total: 600 * MIB });
    const chunked = (await boundedRequest(post(stream), options)) as Response;
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ error: 'payload_too_large' });
    expect(stats.pulled).toBeLessThanOrEqual(options.maxBytes + 4 * 4 * KIB);
  });
});
