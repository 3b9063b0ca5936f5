import { describe, expect, it } from 'vitest';
import { createFinqwareSandbox } from './index';
import { answer, apiRequest } from './testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sandbox() {
  return createFinqwareSandbox({ clientId: 'id', clientAppKey: 'app-key', clientSecret: 'secret' });
}

describe('Finqware sandbox: routing and the error model', () => {
  it('answers an unknown path with the documented error model', async () => {
    const response = await sandbox().handle(apiRequest('/nothing', {}));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      id: expect.stringMatching(UUID),
      type: 'invalid_request',
      http: 404,
      code: 'not_found',
      message: expect.any(String),
    });
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
