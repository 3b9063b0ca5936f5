import { describe, expect, it } from 'vitest';
import { bridgeRequest, TEST_CREDENTIALS, testSandbox } from './testing';

const USERS = '/v3/aggregation/users';

describe('Bridge sandbox: app headers', () => {
  it('accepts a call with the configured Client-Id, Client-Secret and a Bridge-Version', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(bridgeRequest(USERS))).status).toBe(200);
  });

  it('answers 401 invalid_client_credentials for a wrong secret, without echoing it', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { headers: { 'Client-Secret': 'wrong-secret-value' } }));
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ type: 'invalid_client_credentials', message: expect.any(String), documentation_url: expect.any(String) });
    expect(text).not.toContain('wrong-secret-value');
    expect(text).not.toContain(TEST_CREDENTIALS.clientSecret);
  });

  it('answers 401 for a wrong client id', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { headers: { 'Client-Id': 'someone-else' } }));
    expect(response.status).toBe(401);
  });

  it('answers 401 when the credentials are missing', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(new Request(`http://sandbox.test${USERS}`, { headers: { 'Bridge-Version': '2025-01-15' } }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'invalid_client_credentials' });
  });

  it('answers 400 missing_bridge_version without a Bridge-Version header', async () => {
    const { sandbox } = testSandbox();
    const request = bridgeRequest(USERS);
    request.headers.delete('bridge-version');
    const response = await sandbox.handle(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'missing_bridge_version' });
  });

  it.each(['latest', '2025-13-01', '2025-02-30', '15-01-2025'])('answers 400 invalid_bridge_version for %s', async (version) => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { headers: { 'Bridge-Version': version } }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'invalid_bridge_version' });
  });

  it('refuses a call without credentials before saying whether the path exists', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(new Request('http://sandbox.test/v3/nothing-here'));
    expect(response.status).toBe(401);
  });
});
