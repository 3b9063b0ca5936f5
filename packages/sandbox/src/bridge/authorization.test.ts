import { describe, expect, it } from 'vitest';
import { BRIDGE_ENDPOINTS } from '@guidepost/provider-contracts/bridge';
import { bridgeRequest, createUser, issueToken, START, testSandbox } from './testing';

const TWO_HOURS = 2 * 60 * 60 * 1000;

async function tokenFor(sandbox: ReturnType<typeof testSandbox>['sandbox'], body: Record<string, unknown>): Promise<string> {
  const response = await issueToken(sandbox, body);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function userCall(token?: string, headers?: Record<string, string>): Request {
  return bridgeRequest('/v3/guidance/anything', { token, headers });
}

describe('Bridge sandbox: authorization token', () => {
  it('issues a token by user_uuid, valid for 2 hours', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'customer-1');
    const response = await issueToken(sandbox, { user_uuid: user.uuid });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/),
      expires_at: new Date(START + TWO_HOURS).toISOString(),
      user: { uuid: user.uuid, external_user_id: 'customer-1' },
    });
  });

  it('issues a token by external_user_id', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'customer-2');
    const body = await (await issueToken(sandbox, { external_user_id: 'customer-2' })).json();
    expect(body.user).toEqual(user);
  });

  it('issues a fresh token on every call', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox);
    expect(await tokenFor(sandbox, { user_uuid: user.uuid })).not.toBe(await tokenFor(sandbox, { user_uuid: user.uuid }));
  });

  it.each([
    ['neither field', {}],
    ['both fields', { user_uuid: '00000000-0000-4000-8000-000000000000', external_user_id: 'x' }],
    ['a user_uuid that is not a UUID', { user_uuid: 'not-a-uuid' }],
    ['a malformed external_user_id', { external_user_id: 'no spaces' }],
  ])('answers 400 for %s', async (_, body) => {
    const { sandbox } = testSandbox();
    const response = await issueToken(sandbox, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'invalid_request' });
  });

  it('answers 422 for a body that is not JSON', async () => {
    const { sandbox } = testSandbox();
    const raw = await sandbox.handle(bridgeRequest(BRIDGE_ENDPOINTS.issueToken.path, { body: 'user_uuid=x' }));
    expect(raw.status).toBe(422);
    expect(await raw.json()).toMatchObject({ type: 'invalid_json' });
  });

  it('answers 404 for an unknown user', async () => {
    const { sandbox } = testSandbox();
    expect((await issueToken(sandbox, { user_uuid: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const response = await issueToken(sandbox, { external_user_id: 'nobody' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'user_not_found' });
  });
});

describe('Bridge sandbox: authenticateUser', () => {
  it('returns the user of a valid token', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'customer-3');
    const token = await tokenFor(sandbox, { user_uuid: user.uuid });
    expect(sandbox.authenticateUser(userCall(token))).toEqual({ user });
  });

  it('accepts the token just before 2 hours and refuses it at 2 hours (fake clock)', async () => {
    const { sandbox, clock } = testSandbox();
    const user = await createUser(sandbox);
    const token = await tokenFor(sandbox, { user_uuid: user.uuid });
    clock.ms = START + TWO_HOURS - 1;
    expect(sandbox.authenticateUser(userCall(token))).toEqual({ user });
    clock.ms = START + TWO_HOURS;
    const refused = sandbox.authenticateUser(userCall(token));
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(401);
    expect(await (refused as Response).json()).toMatchObject({ type: 'expired_access_token' });
  });

  it('lets tests move the clock with setClockOffset', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox);
    const token = await tokenFor(sandbox, { user_uuid: user.uuid });
    sandbox.setClockOffset(TWO_HOURS);
    expect(sandbox.now()).toBe(START + TWO_HOURS);
    expect((sandbox.authenticateUser(userCall(token)) as Response).status).toBe(401);
    sandbox.setClockOffset(0);
    expect(sandbox.authenticateUser(userCall(token))).toEqual({ user });
  });

  it('refuses a missing, malformed or unknown token with 401 invalid_access_token', async () => {
    const { sandbox } = testSandbox();
    for (const request of [userCall(), userCall(undefined, { authorization: 'Basic abc' }), userCall('never-issued')]) {
      const refused = sandbox.authenticateUser(request) as Response;
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ type: 'invalid_access_token' });
    }
  });

  it("refuses a deleted user's token", async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'gone');
    const token = await tokenFor(sandbox, { user_uuid: user.uuid });
    await sandbox.handle(bridgeRequest(`/v3/aggregation/users/${user.uuid}`, { method: 'DELETE' }));
    expect((sandbox.authenticateUser(userCall(token)) as Response).status).toBe(401);
  });

  it('expireAllTokens expires every token issued so far, not later ones', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox);
    const before = await tokenFor(sandbox, { user_uuid: user.uuid });
    sandbox.expireAllTokens();
    expect((sandbox.authenticateUser(userCall(before)) as Response).status).toBe(401);
    const after = await tokenFor(sandbox, { user_uuid: user.uuid });
    expect(sandbox.authenticateUser(userCall(after))).toEqual({ user });
  });

  it('reset forgets users, tokens and the clock offset', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'forgotten');
    const token = await tokenFor(sandbox, { user_uuid: user.uuid });
    sandbox.setClockOffset(1000);
    sandbox.reset();
    expect(sandbox.now()).toBe(START);
    expect((sandbox.authenticateUser(userCall(token)) as Response).status).toBe(401);
    expect((await sandbox.handle(bridgeRequest(`/v3/aggregation/users/${user.uuid}`))).status).toBe(404);
    expect((await sandbox.handle(bridgeRequest('/v3/aggregation/users', { body: { external_user_id: 'forgotten' } }))).status).toBe(201);
  });
});
