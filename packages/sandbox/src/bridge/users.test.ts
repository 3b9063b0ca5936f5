import { describe, expect, it } from 'vitest';
import { BRIDGE_ENDPOINTS } from '@guidepost/provider-contracts/bridge';
import { bridgeRequest, createUser, testSandbox } from './testing';

const USERS = BRIDGE_ENDPOINTS.createUser.path;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Bridge sandbox: users', () => {
  it('creates a user with an external_user_id: 201 { uuid, external_user_id }', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { body: { external_user_id: 'A6JEJIID1919BDS' } }));
    expect(response.status).toBe(201);
    const user = await response.json();
    expect(user).toEqual({ uuid: expect.stringMatching(UUID), external_user_id: 'A6JEJIID1919BDS' });
  });

  it('creates a user without a body; external_user_id is null', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { method: 'POST' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ uuid: expect.stringMatching(UUID), external_user_id: null });
  });

  it('answers 409 when the external_user_id is taken', async () => {
    const { sandbox } = testSandbox();
    await createUser(sandbox, 'customer-42');
    const response = await sandbox.handle(bridgeRequest(USERS, { body: { external_user_id: 'customer-42' } }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ type: 'user_already_exists' });
  });

  it('lets several users go without an external_user_id', async () => {
    const { sandbox } = testSandbox();
    const first = await createUser(sandbox);
    const second = await createUser(sandbox);
    expect(first.uuid).not.toBe(second.uuid);
  });

  it.each([
    ['an empty string', ''],
    ['a space', 'has space'],
    ['129 characters', 'a'.repeat(129)],
    ['a dot', 'a.b'],
    ['a number', 42],
  ])('answers 400 naming external_user_id for %s', async (_, value) => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { body: { external_user_id: value } }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.type).toBe('invalid_request');
    expect(body.message).toContain('external_user_id');
  });

  it('accepts 128 characters of letters, digits, - and _', async () => {
    const { sandbox } = testSandbox();
    const id = `${'aZ09-_'.repeat(21)}ab`;
    expect(id).toHaveLength(128);
    expect((await sandbox.handle(bridgeRequest(USERS, { body: { external_user_id: id } }))).status).toBe(201);
  });

  it('answers 422 for a body that is not JSON, with documentation_url null', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { body: '{"external_user_id": ' }));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ type: 'invalid_json', message: 'The request body is not valid JSON.', documentation_url: null });
  });

  it('answers 400 for a JSON body that is not an object', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(bridgeRequest(USERS, { body: '["x"]' }))).status).toBe(400);
  });

  it('answers 400 naming an unknown field', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(bridgeRequest(USERS, { body: { externalUserId: 'x' } }));
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain('externalUserId');
  });

  it('answers 415 for a body that is not declared as JSON', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(
      bridgeRequest(USERS, { body: 'external_user_id=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    );
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ type: 'unsupported_media_type' });
  });

  it('lists users in creation order with an empty next page', async () => {
    const { sandbox } = testSandbox();
    const first = await createUser(sandbox, 'first');
    const second = await createUser(sandbox);
    const response = await sandbox.handle(bridgeRequest(USERS));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ resources: [first, second], pagination: { next_uri: null } });
  });

  it('gets a user by uuid, or 404', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'someone');
    const found = await sandbox.handle(bridgeRequest(`${USERS}/${user.uuid}`));
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual(user);
    const missing = await sandbox.handle(bridgeRequest(`${USERS}/00000000-0000-4000-8000-000000000000`));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: 'user_not_found' });
  });

  it('deletes a user: 204 with no body, then 404, and the list no longer has it', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'leaving');
    const deleted = await sandbox.handle(bridgeRequest(`${USERS}/${user.uuid}`, { method: 'DELETE' }));
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await sandbox.handle(bridgeRequest(`${USERS}/${user.uuid}`, { method: 'DELETE' }))).status).toBe(404);
    expect((await sandbox.handle(bridgeRequest(`${USERS}/${user.uuid}`))).status).toBe(404);
    expect((await (await sandbox.handle(bridgeRequest(USERS))).json()).resources).toEqual([]);
  });

  it('frees the external_user_id of a deleted user', async () => {
    const { sandbox } = testSandbox();
    const user = await createUser(sandbox, 'reused');
    await sandbox.handle(bridgeRequest(`${USERS}/${user.uuid}`, { method: 'DELETE' }));
    expect((await sandbox.handle(bridgeRequest(USERS, { body: { external_user_id: 'reused' } }))).status).toBe(201);
  });
});
