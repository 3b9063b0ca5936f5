import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeJson, parseJsonBody, readBodyLimited } from './body';

const bytes = (text: string) => new TextEncoder().encode(text);
const JSON_TYPE = 'application/json; charset=utf-8';

describe('kit: request bodies', () => {
  it('reads a body up to its cap, and refuses a larger one, declared or streamed, without reading it all', async () => {
    expect(await readBodyLimited(new Request('http://kit.test/', { method: 'POST', body: 'abc' }), 3)).toEqual(bytes('abc'));
    expect(await readBodyLimited(new Request('http://kit.test/', { method: 'POST', body: 'abcd' }), 3)).toBeNull();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const streamed = new Request('http://kit.test/', { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
    expect(await readBodyLimited(streamed, 4096)).toBeNull();
    expect(pulled).toBeLessThan(10);
  });

  it('takes a blank body as {}, and otherwise wants declared, UTF-8, well-formed JSON', () => {
    expect(decodeJson(bytes(''), null)).toEqual({ ok: true, value: {} });
    expect(decodeJson(bytes(' \n'), null)).toEqual({ ok: true, value: {} });
    expect(decodeJson(bytes('{"a":1}'), JSON_TYPE)).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeJson(bytes('{"a":1}'), 'application/problem+json')).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeJson(bytes('{"a":1}'), 'text/plain')).toEqual({ ok: false, problem: { kind: 'media_type' } });
    expect(decodeJson(bytes('{"a":'), JSON_TYPE)).toEqual({ ok: false, problem: { kind: 'not_json' } });
    expect(decodeJson(new Uint8Array([0x7b, 0xff, 0x7d]), JSON_TYPE)).toEqual({ ok: false, problem: { kind: 'not_json' } });
    expect(decodeJson(new Uint8Array([0x7b, 0xff, 0x7d]), null)).toEqual({ ok: false, problem: { kind: 'media_type' } });
  });

  it('names the first field a schema refuses, never its value', () => {
    const schema = z.strictObject({ user: z.strictObject({ age: z.number({ error: 'must be a number' }) }) });
    expect(parseJsonBody(bytes('{"user":{"age":"secret-value"}}'), JSON_TYPE, schema)).toEqual({
      ok: false,
      problem: { kind: 'invalid_field', field: 'user.age', problem: 'must be a number' },
    });
    expect(parseJsonBody(bytes('{"user":{"age":1},"password":"x"}'), JSON_TYPE, schema)).toEqual({
      ok: false,
      problem: { kind: 'unknown_fields', fields: ['password'] },
    });
    expect(parseJsonBody(bytes('[]'), JSON_TYPE, schema)).toMatchObject({ ok: false, problem: { kind: 'invalid_field', field: 'body' } });
  });
});
