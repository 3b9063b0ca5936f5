import { describe, expect, it } from 'vitest';
import { bridgeRequest, controlRequest as bridgeControl, testSandbox as bridgeTestSandbox } from './bridge/testing';
import { FaultScript, type Fault } from './kit/faults';
import { apiRequest, controlRequest as finqwareControl, TEST_CREDENTIALS as FINQWARE_KEYS, testSandbox as finqwareTestSandbox } from './finqware/testing';
import { AISP_SKILL } from './finqware';

const fault = (operation: string, action: Fault['action'] = 'error', times = 1): Fault => ({ operation, action, times });

describe('FaultScript', () => {
  it('matches the method and each path segment, * standing for exactly one segment', () => {
    const script = new FaultScript();
    script.add([fault('GET /v3/aggregation/users/*', 'error', 100)]);
    expect(script.take('GET', '/v3/aggregation/users/2f1b7a52-0000-4000-8000-000000000001')).toEqual({ action: 'error' });
    expect(script.take('POST', '/v3/aggregation/users/abc')).toBeUndefined();
    expect(script.take('GET', '/v3/aggregation/users')).toBeUndefined();
    expect(script.take('GET', '/v3/aggregation/users/')).toBeUndefined();
    expect(script.take('GET', '/v3/aggregation/users/abc/items')).toBeUndefined();
    expect(script.take('GET', '/prefix/v3/aggregation/users/abc')).toBeUndefined();

    script.reset();
    script.add([fault('POST /steps/*/upload', 'drop', 100), fault('POST /consents/get', 'error', 100)]);
    expect(script.take('POST', '/steps/step-1/upload')).toEqual({ action: 'drop' });
    expect(script.take('POST', '/steps/upload')).toBeUndefined();
    expect(script.take('POST', '/steps/a/b/upload')).toBeUndefined();
    // A dot in the operation is a dot, not any character.
    expect(script.take('POST', '/consentsXget')).toBeUndefined();
    expect(script.take('POST', '/consents/get')).toEqual({ action: 'error' });
  });

  it('applies a fault `times` times, then lets the call through', () => {
    const script = new FaultScript();
    script.add([fault('POST /tokens', 'error', 2)]);
    expect(script.pending()).toEqual([fault('POST /tokens', 'error', 2)]);
    expect(script.take('POST', '/tokens')).toEqual({ action: 'error' });
    expect(script.pending()).toEqual([fault('POST /tokens', 'error', 1)]);
    expect(script.take('POST', '/tokens')).toEqual({ action: 'error' });
    expect(script.pending()).toEqual([]);
    expect(script.take('POST', '/tokens')).toBeUndefined();
  });

  it('keeps the order faults were added in, also across add() calls', () => {
    const script = new FaultScript();
    script.add([fault('POST /tokens', 'drop'), fault('POST /sessions', 'error')]);
    script.add([fault('POST /tokens', 'error')]);
    expect(script.pending().map((pending) => `${pending.operation} ${pending.action}`)).toEqual([
      'POST /tokens drop',
      'POST /sessions error',
      'POST /tokens error',
    ]);
    expect(script.take('POST', '/tokens')).toEqual({ action: 'drop' });
    expect(script.take('POST', '/tokens')).toEqual({ action: 'error' });
    expect(script.take('POST', '/tokens')).toBeUndefined();
    expect(script.take('POST', '/sessions')).toEqual({ action: 'error' });
  });

  it('hands over the code an error fault names, and lists it while pending', () => {
    const script = new FaultScript();
    script.add([{ operation: 'POST /transactions/get', action: 'error', times: 1, code: 'expired_credentials' }]);
    expect(script.pending()).toEqual([{ operation: 'POST /transactions/get', action: 'error', times: 1, code: 'expired_credentials' }]);
    expect(script.take('POST', '/transactions/get')).toEqual({ action: 'error', code: 'expired_credentials' });
    expect(script.take('POST', '/transactions/get')).toBeUndefined();
  });

  it('forgets every fault on reset', () => {
    const script = new FaultScript();
    script.add([fault('POST /tokens', 'error', 5), fault('GET /x/*')]);
    script.reset();
    expect(script.pending()).toEqual([]);
    expect(script.take('POST', '/tokens')).toBeUndefined();
  });
});

// Bodies both control APIs must refuse, each with the provider's own 400.
const INVALID_BODIES: Array<[string, unknown]> = [
  ['an unknown method', { faults: [{ operation: 'FETCH /tokens', action: 'error' }] }],
  ['an operation without a path', { faults: [{ operation: 'POST tokens', action: 'error' }] }],
  ['an unknown action', { faults: [{ operation: 'POST /tokens', action: 'explode' }] }],
  ['times 0', { faults: [{ operation: 'POST /tokens', action: 'error', times: 0 }] }],
  ['times over 100', { faults: [{ operation: 'POST /tokens', action: 'error', times: 101 }] }],
  ['a fractional times', { faults: [{ operation: 'POST /tokens', action: 'error', times: 1.5 }] }],
  ['an unknown field in a fault', { faults: [{ operation: 'POST /tokens', action: 'error', delay: 5 }] }],
  ['an unknown top-level field', { faults: [], extra: true }],
  ['no faults list', {}],
  ['more than 20 faults', { faults: Array.from({ length: 21 }, () => ({ operation: 'POST /tokens', action: 'error' })) }],
  // Bridge's faults name no code at all; Finqware's only one of its own, and only on an error fault.
  ['an error code the simulator does not answer', { faults: [{ operation: 'POST /tokens', action: 'error', code: 'no_such_code' }] }],
  ['a code on a drop fault', { faults: [{ operation: 'POST /tokens', action: 'drop', code: 'invalid_client_id' }] }],
  ['a code that is not a string', { faults: [{ operation: 'POST /tokens', action: 'error', code: 401 }] }],
];

describe('Bridge sandbox: scripted faults', () => {
  it('accepts a valid list, defaults times to 1, and lists what is pending', async () => {
    const { sandbox } = bridgeTestSandbox();
    const response = await sandbox.handle(
      bridgeControl('faults', {
        faults: [
          { operation: 'POST /v3/guidance/sessions', action: 'error' },
          { operation: 'GET /v3/aggregation/users/*', action: 'drop', times: 3 },
        ],
      }),
    );
    expect(response.status).toBe(200);
    const expected = {
      faults: [
        { operation: 'POST /v3/guidance/sessions', action: 'error', times: 1 },
        { operation: 'GET /v3/aggregation/users/*', action: 'drop', times: 3 },
      ],
    };
    expect(await response.json()).toEqual(expected);
    expect(await (await sandbox.handle(bridgeControl('faults'))).json()).toEqual(expected);
  });

  it.each(INVALID_BODIES)('refuses %s with Bridge’s 400 and adds nothing', async (_, body) => {
    const { sandbox } = bridgeTestSandbox();
    const response = await sandbox.handle(bridgeControl('faults', body));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'invalid_request', message: expect.any(String), documentation_url: expect.any(String) });
    expect(await (await sandbox.handle(bridgeControl('faults'))).json()).toEqual({ faults: [] });
  });

  it('refuses a body that is not JSON', async () => {
    const { sandbox } = bridgeTestSandbox();
    const request = new Request('http://sandbox.test/_control/faults', { method: 'POST', headers: bridgeControl('faults', {}).headers, body: '{"faults": [' });
    const response = await sandbox.handle(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'invalid_request' });
  });

  it('an error fault answers Bridge’s 500 without running the call', async () => {
    const { sandbox } = bridgeTestSandbox();
    await sandbox.handle(bridgeControl('faults', { faults: [{ operation: 'POST /v3/aggregation/users', action: 'error' }] }));
    const failed = await sandbox.handle(bridgeRequest('/v3/aggregation/users', { body: { external_user_id: 'portal-user-1' } }));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ type: 'internal_server_error' });
    // Nothing was created: the same user can be created now, once.
    const listed = (await (await sandbox.handle(bridgeRequest('/v3/aggregation/users'))).json()) as { resources: unknown[] };
    expect(listed.resources).toEqual([]);
    expect((await sandbox.handle(bridgeRequest('/v3/aggregation/users', { body: { external_user_id: 'portal-user-1' } }))).status).toBe(201);
  });

  it('a drop fault runs the call, then cuts its answer off', async () => {
    const { sandbox } = bridgeTestSandbox();
    await sandbox.handle(bridgeControl('faults', { faults: [{ operation: 'POST /v3/aggregation/users', action: 'drop' }] }));
    const dropped = await sandbox.handle(bridgeRequest('/v3/aggregation/users', { body: { external_user_id: 'portal-user-2' } }));
    await expect(dropped.text()).rejects.toThrow();
    // The user exists: creating it again is a conflict, and it is listed with our reference.
    expect((await sandbox.handle(bridgeRequest('/v3/aggregation/users', { body: { external_user_id: 'portal-user-2' } }))).status).toBe(409);
    const listed = (await (await sandbox.handle(bridgeRequest('/v3/aggregation/users'))).json()) as { resources: Array<{ external_user_id: string }> };
    expect(listed.resources.map((user) => user.external_user_id)).toEqual(['portal-user-2']);
  });

  it('forgets its faults on reset', async () => {
    const { sandbox } = bridgeTestSandbox();
    await sandbox.handle(bridgeControl('faults', { faults: [{ operation: 'POST /v3/aggregation/users', action: 'error' }] }));
    expect((await sandbox.handle(bridgeControl('reset', {}))).status).toBe(204);
    expect(await (await sandbox.handle(bridgeControl('faults'))).json()).toEqual({ faults: [] });
    expect((await sandbox.handle(bridgeRequest('/v3/aggregation/users', { body: {} }))).status).toBe(201);
  });
});

describe('Finqware sandbox: scripted faults', () => {
  const sessionBody = { tenant_user_id: 'user-1', client_id: FINQWARE_KEYS.clientId, client_app_key: FINQWARE_KEYS.clientAppKey, skill: AISP_SKILL };

  it('accepts a valid list, defaults times to 1, and lists what is pending', async () => {
    const { sandbox } = finqwareTestSandbox();
    const response = await sandbox.handle(
      finqwareControl('faults', {
        faults: [
          { operation: 'POST /tokens', action: 'drop' },
          { operation: 'POST /steps/*/upload', action: 'error', times: 2 },
        ],
      }),
    );
    expect(response.status).toBe(200);
    const expected = {
      faults: [
        { operation: 'POST /tokens', action: 'drop', times: 1 },
        { operation: 'POST /steps/*/upload', action: 'error', times: 2 },
      ],
    };
    expect(await response.json()).toEqual(expected);
    expect(await (await sandbox.handle(finqwareControl('faults'))).json()).toEqual(expected);
  });

  it.each(INVALID_BODIES)('refuses %s with Finqware’s 400 and adds nothing', async (_, body) => {
    const { sandbox } = finqwareTestSandbox();
    const response = await sandbox.handle(finqwareControl('faults', body));
    expect(response.status).toBe(400);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ id: expect.any(String), type: 'invalid_request', http: 400, message: expect.any(String) });
    expect(['invalid_field', 'unknown_fields']).toContain(answer.code);
    expect(await (await sandbox.handle(finqwareControl('faults'))).json()).toEqual({ faults: [] });
  });

  it('refuses a body that is not JSON', async () => {
    const { sandbox } = finqwareTestSandbox();
    const request = new Request('http://sandbox.test/_control/faults', {
      method: 'POST',
      headers: finqwareControl('faults', {}).headers,
      body: '{"faults": [',
    });
    const response = await sandbox.handle(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_field', http: 400 });
  });

  it('an error fault answers Finqware’s 500 without running the call', async () => {
    const { sandbox } = finqwareTestSandbox();
    await sandbox.handle(finqwareControl('faults', { faults: [{ operation: 'POST /sessions', action: 'error' }] }));
    const failed = await sandbox.handle(apiRequest('/sessions', sessionBody));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ id: expect.any(String), type: 'internal_error', http: 500, code: 'internal_error' });
    expect(sandbox.issuedSecrets().nonces).toEqual([]);
    // The next call goes through.
    expect((await sandbox.handle(apiRequest('/sessions', sessionBody))).status).toBe(200);
    expect(sandbox.issuedSecrets().nonces).toHaveLength(1);
  });

  it('a drop fault runs the call, then cuts its answer off', async () => {
    const { sandbox } = finqwareTestSandbox();
    await sandbox.handle(finqwareControl('faults', { faults: [{ operation: 'POST /sessions', action: 'drop' }] }));
    const dropped = await sandbox.handle(apiRequest('/sessions', sessionBody));
    await expect(dropped.text()).rejects.toThrow();
    // The session was opened: its nonce was issued, though nobody received it.
    expect(sandbox.issuedSecrets().nonces).toHaveLength(1);
  });

  it('an error fault naming a code answers that Finqware error, with its status and type, without running the call', async () => {
    const { sandbox } = finqwareTestSandbox();
    const scripted = await sandbox.handle(
      finqwareControl('faults', { faults: [{ operation: 'POST /sessions', action: 'error', code: 'invalid_client_app_key' }] }),
    );
    expect(await scripted.json()).toEqual({ faults: [{ operation: 'POST /sessions', action: 'error', times: 1, code: 'invalid_client_app_key' }] });
    const failed = await sandbox.handle(apiRequest('/sessions', sessionBody));
    expect(failed.status).toBe(401);
    expect(await failed.json()).toEqual({
      id: expect.any(String),
      type: 'unauthorized',
      http: 401,
      code: 'invalid_client_app_key',
      message: expect.any(String),
    });
    expect(sandbox.issuedSecrets().nonces).toEqual([]);
  });

  it('names operations by their path below the API base', async () => {
    const { sandbox } = finqwareTestSandbox();
    await sandbox.handle(finqwareControl('faults', { faults: [{ operation: 'POST /v1/sessions', action: 'error' }] }));
    // "/v1/sessions" is not an operation of the API below its base: the call goes through.
    expect((await sandbox.handle(apiRequest('/sessions', sessionBody))).status).toBe(200);
    expect(await (await sandbox.handle(finqwareControl('faults'))).json()).toEqual({ faults: [{ operation: 'POST /v1/sessions', action: 'error', times: 1 }] });
  });
});
