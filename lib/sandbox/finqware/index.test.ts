import { describe, expect, it } from 'vitest';
import { createFinqwareSandbox } from './index';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sandbox() {
  return createFinqwareSandbox({ clientId: 'id', clientAppKey: 'app-key', clientSecret: 'secret' });
}

describe('Finqware sandbox (first slice)', () => {
  it('answers an unknown path with the documented error model', async () => {
    const response = await sandbox().handle(
      new Request('http://sandbox.test/v1/nothing', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ id: expect.stringMatching(UUID), type: 'invalid_request', http: 404, code: 'not_found', message: expect.any(String) });
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE'])('answers %s with 405: every Finqware call is a POST', async (method) => {
    const response = await sandbox().handle(new Request('http://sandbox.test/v1/sessions', { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ type: 'invalid_request', http: 405 });
  });

  it('gives every error its own id', async () => {
    const call = () => sandbox().handle(new Request('http://sandbox.test/v1/x', { method: 'POST', body: '{}' }));
    const [a, b] = await Promise.all([call().then((r) => r.json()), call().then((r) => r.json())]);
    expect(a.id).not.toBe(b.id);
  });
});
