import { describe, expect, it } from 'vitest';
import { bridgeRequest, testSandbox } from './testing';

describe('Bridge sandbox: routing', () => {
  it('answers 404 not_found for an unknown path', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest('/v3/aggregation/nothing'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ type: 'not_found', message: expect.any(String), documentation_url: expect.any(String) });
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest('/v3/aggregation/users', { method: 'PUT' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, GET');
    expect(await response.json()).toMatchObject({ type: 'method_not_allowed' });
  });

  it('answers 405 for GET on the token endpoint', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(bridgeRequest('/v3/aggregation/authorization/token'))).status).toBe(405);
  });

  it('ignores the query string when routing', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(bridgeRequest('/v3/aggregation/users?limit=10'))).status).toBe(200);
  });
});
