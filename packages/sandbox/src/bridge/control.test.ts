import { afterEach, describe, expect, it, vi } from 'vitest';
import { bridgeRequest, controlRequest, issueToken, newGuidanceSession, siteRequest, START, testSandbox, userWithToken } from './testing';

const USERS = '/v3/aggregation/users';

afterEach(() => {
  vi.useRealTimers();
});

/** A random that replays `values` in a loop. */
function scripted(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

describe('Bridge sandbox: control API access', () => {
  it.each([
    ['no credentials', { 'Client-Id': '', 'Client-Secret': '' }],
    ['a wrong secret', { 'Client-Secret': 'wrong-secret' }],
    ['a wrong client id', { 'Client-Id': 'someone-else' }],
  ])('refuses %s with 401', async (_, headers) => {
    const { sandbox } = testSandbox();
    for (const request of [
      controlRequest('knobs', undefined, headers),
      controlRequest('knobs', { error_rate: 1 }, headers),
      controlRequest('reset', {}, headers),
      controlRequest('issued-passwords', undefined, headers),
    ]) {
      const response = await sandbox.handle(request);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ type: 'invalid_client_credentials' });
    }
    // Nothing changed.
    expect(await (await sandbox.handle(controlRequest('knobs'))).json()).toEqual({ latency_ms: 0, error_rate: 0, rate_limit_rate: 0, ip_allow_list: null });
  });

  it('needs no Bridge-Version header', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(controlRequest('knobs'))).status).toBe(200);
  });

  it('answers 404 for an unknown control path and 405 for a wrong method', async () => {
    const { sandbox } = testSandbox();
    expect((await sandbox.handle(controlRequest('nothing'))).status).toBe(404);
    expect((await sandbox.handle(controlRequest('reset'))).status).toBe(405);
  });
});

describe('Bridge sandbox: knobs', () => {
  it('starts off and reports the knobs in force after each change', async () => {
    const { sandbox } = testSandbox();
    expect(await (await sandbox.handle(controlRequest('knobs'))).json()).toEqual({ latency_ms: 0, error_rate: 0, rate_limit_rate: 0, ip_allow_list: null });
    const first = await sandbox.handle(controlRequest('knobs', { error_rate: 0.25 }));
    expect(await first.json()).toEqual({ latency_ms: 0, error_rate: 0.25, rate_limit_rate: 0, ip_allow_list: null });
    const second = await sandbox.handle(controlRequest('knobs', { latency_ms: 10 }));
    expect(await second.json()).toEqual({ latency_ms: 10, error_rate: 0.25, rate_limit_rate: 0, ip_allow_list: null });
  });

  it.each([
    ['latency_ms', { latency_ms: 10_001 }],
    ['latency_ms', { latency_ms: -1 }],
    ['latency_ms', { latency_ms: 1.5 }],
    ['error_rate', { error_rate: 1.1 }],
    ['error_rate', { error_rate: '0.5' }],
    ['rate_limit_rate', { rate_limit_rate: -0.1 }],
    ['latency', { latency: 5 }],
  ])('answers 400 naming %s for %j', async (field, body) => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(controlRequest('knobs', body));
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain(field);
  });

  it('error_rate 1 answers every API call 500', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { error_rate: 1 }));
    for (let i = 0; i < 5; i++) {
      const response = await sandbox.handle(bridgeRequest(USERS));
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ type: 'internal_server_error' });
    }
  });

  it('rate_limit_rate 1 answers every API call 429 with Retry-After', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { rate_limit_rate: 1 }));
    const response = await sandbox.handle(bridgeRequest('/v3/aggregation/authorization/token', { body: {} }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await response.json()).toMatchObject({ type: 'too_many_requests' });
  });

  it('hits the fraction of calls the random draws pick', async () => {
    // error_rate 0.5: draws below 0.5 fail. rate_limit_rate 0.5 draws only for calls that did not fail.
    const { sandbox } = testSandbox({ random: scripted(0.1, 0.9, 0.2, 0.9, 0.7) });
    await sandbox.handle(controlRequest('knobs', { error_rate: 0.5, rate_limit_rate: 0.5 }));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await sandbox.handle(bridgeRequest(USERS))).status);
    // 0.1 → 500; 0.9 then 0.2 → 429; 0.9 then 0.7 → 200.
    expect(statuses).toEqual([500, 429, 200]);
  });

  it('applies latency to API calls', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { latency_ms: 150 }));
    const started = performance.now();
    expect((await sandbox.handle(bridgeRequest(USERS))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('waits exactly the latency (fake timers)', async () => {
    vi.useFakeTimers();
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { latency_ms: 5_000 }));
    let settled = false;
    const pending = sandbox.handle(bridgeRequest(USERS)).then((response) => {
      settled = true;
      return response;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
  });

  it('leaves the guidance site and the control API alone', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    await sandbox.handle(controlRequest('knobs', { error_rate: 1, rate_limit_rate: 1, latency_ms: 10_000 }));
    const started = performance.now();
    expect((await sandbox.handle(siteRequest(session.url))).status).toBe(200);
    expect((await sandbox.handle(controlRequest('knobs'))).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('still refuses wrong app credentials with 401, not a knob’s answer', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { error_rate: 1 }));
    expect((await sandbox.handle(bridgeRequest(USERS, { headers: { 'Client-Secret': 'wrong' } }))).status).toBe(401);
  });

  it('reset turns the knobs off', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { error_rate: 1 }));
    expect((await sandbox.handle(controlRequest('reset', {}))).status).toBe(204);
    expect((await sandbox.handle(bridgeRequest(USERS))).status).toBe(200);
  });
});

describe('Bridge sandbox: IP allow-list', () => {
  const PEER = 'x-test-peer';
  const fromAddress = (address: string | undefined, path = USERS, options: Parameters<typeof bridgeRequest>[1] = {}) =>
    bridgeRequest(path, { ...options, headers: { ...options.headers, ...(address === undefined ? {} : { [PEER]: address }) } });

  it('answers Bridge’s 403 to API calls from an address not on the list, and lets listed ones through', async () => {
    const { sandbox } = testSandbox({ peerHeader: PEER });
    const set = await sandbox.handle(controlRequest('knobs', { ip_allow_list: ['203.0.113.7', '2001:db8::1/128', '198.51.100.9/32'] }));
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ ip_allow_list: ['203.0.113.7', '2001:db8::1/128', '198.51.100.9/32'] });

    for (const address of ['203.0.113.7', '::ffff:203.0.113.7', '2001:0db8:0:0:0:0:0:1', '198.51.100.9']) {
      expect((await sandbox.handle(fromAddress(address))).status).toBe(200);
    }
    for (const address of ['203.0.113.8', '127.0.0.1', 'not-an-address', undefined]) {
      const refused = await sandbox.handle(fromAddress(address));
      expect(refused.status).toBe(403);
      const text = await refused.text();
      expect(JSON.parse(text)).toEqual({ type: 'ip_not_allowed', message: expect.any(String), documentation_url: expect.any(String) });
      if (address !== undefined) expect(text).not.toContain(address);
    }
  });

  it('refuses the guidance call too, before running it, and only after the app is known', async () => {
    const { sandbox } = testSandbox({ peerHeader: PEER });
    const { user, token } = await userWithToken(sandbox);
    await sandbox.handle(controlRequest('knobs', { ip_allow_list: ['203.0.113.7'] }));
    const body = { user_uuid: user.uuid, country_code: 'FR', company_identification_number: '529196313' };
    const refused = await sandbox.handle(fromAddress('192.0.2.1', '/v3/guidance/sessions', { body, token }));
    expect(refused.status).toBe(403);
    expect(await (await sandbox.handle(controlRequest('issued-passwords'))).json()).toEqual({ passwords: [] });
    expect((await sandbox.handle(fromAddress('203.0.113.7', '/v3/guidance/sessions', { body, token }))).status).toBe(200);
    // Wrong app credentials are still the 401 they always are.
    expect((await sandbox.handle(fromAddress('192.0.2.1', USERS, { headers: { 'Client-Secret': 'wrong' } }))).status).toBe(401);
  });

  it('leaves the control API and the guidance site reachable, and is lifted by null or reset', async () => {
    const { sandbox } = testSandbox({ peerHeader: PEER });
    const session = await newGuidanceSession(sandbox);
    await sandbox.handle(controlRequest('knobs', { ip_allow_list: ['203.0.113.7'] }));
    expect((await sandbox.handle(siteRequest(session.url))).status).toBe(200);
    expect((await sandbox.handle(fromAddress('192.0.2.1'))).status).toBe(403);
    await sandbox.handle(controlRequest('knobs', { ip_allow_list: null }));
    expect((await sandbox.handle(fromAddress('192.0.2.1'))).status).toBe(200);
    await sandbox.handle(controlRequest('knobs', { ip_allow_list: [] }));
    expect((await sandbox.handle(fromAddress('203.0.113.7'))).status).toBe(403);
    await sandbox.handle(controlRequest('reset', {}));
    expect((await sandbox.handle(fromAddress('192.0.2.1'))).status).toBe(200);
  });

  it('judges every caller unknown when the host names no peer header', async () => {
    const { sandbox } = testSandbox();
    await sandbox.handle(controlRequest('knobs', { ip_allow_list: ['203.0.113.7'] }));
    expect((await sandbox.handle(fromAddress('203.0.113.7'))).status).toBe(403);
  });

  it.each([
    ['a wider range', ['203.0.113.0/24']],
    ['an IPv6 range', ['2001:db8::/64']],
    ['a name', ['bridge.example']],
    ['a number', [42]],
    ['not a list', '203.0.113.7'],
  ])('refuses %s with 400 naming ip_allow_list', async (_, ip_allow_list) => {
    const { sandbox } = testSandbox({ peerHeader: PEER });
    const response = await sandbox.handle(controlRequest('knobs', { ip_allow_list }));
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain('ip_allow_list');
    expect((await (await sandbox.handle(controlRequest('knobs'))).json()).ip_allow_list).toBeNull();
  });
});

describe('Bridge sandbox: control of tokens, clock and state', () => {
  it('expire-tokens expires every token issued so far', async () => {
    const { sandbox } = testSandbox();
    const { token } = await userWithToken(sandbox);
    const response = await sandbox.handle(controlRequest('expire-tokens', {}));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ expired: 1 });
    const refused = sandbox.authenticateUser(bridgeRequest('/v3/anything', { token })) as Response;
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ type: 'expired_access_token' });
  });

  it('issued-tokens counts the tokens issued per user, never showing one, until a reset', async () => {
    const { sandbox } = testSandbox();
    const first = await userWithToken(sandbox);
    const second = await userWithToken(sandbox);
    await issueToken(sandbox, { user_uuid: first.user.uuid });
    const response = await sandbox.handle(controlRequest('issued-tokens'));
    expect(response.headers.get('cache-control')).toContain('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ tokens_issued: { [first.user.uuid]: 2, [second.user.uuid]: 1 } });
    expect(text).not.toContain(first.token);
    await sandbox.handle(controlRequest('reset', {}));
    expect(await (await sandbox.handle(controlRequest('issued-tokens'))).json()).toEqual({ tokens_issued: {} });
  });

  it('clock sets the offset and answers the sandbox time', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.handle(controlRequest('clock', { offset_ms: 60_000 }));
    expect(await response.json()).toEqual({ offset_ms: 60_000, now: new Date(START + 60_000).toISOString() });
    expect(sandbox.now()).toBe(START + 60_000);
    expect((await sandbox.handle(controlRequest('clock', { offset_ms: 'soon' }))).status).toBe(400);
  });

  it('reset forgets users, sessions, passwords and the clock offset', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    await sandbox.handle(controlRequest('clock', { offset_ms: 1_000 }));
    await sandbox.handle(controlRequest('reset', {}));
    expect(sandbox.now()).toBe(START);
    expect((await sandbox.handle(bridgeRequest(`${USERS}/${session.userUuid}`))).status).toBe(404);
    expect((await sandbox.handle(siteRequest(session.url))).status).toBe(404);
    expect(await (await sandbox.handle(controlRequest('issued-passwords'))).json()).toEqual({ passwords: [] });
  });
});
