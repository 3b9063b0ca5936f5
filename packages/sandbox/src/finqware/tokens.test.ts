import { describe, expect, it } from 'vitest';
import { accountsOf } from './data';
import { CONSENT_TTL_MS } from './state';
import { aispCredentials, call, completeAispSession, completeCardSession, controlRequest, exchangeTempToken, START, TEST_CREDENTIALS, testSandbox } from './testing';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const secretKeys = { client_id: TEST_CREDENTIALS.clientId, client_secret: TEST_CREDENTIALS.clientSecret };

describe('Finqware sandbox: tokens', () => {
  it('exchanges a temp_token for credentials with a 90-day consent', async () => {
    const { sandbox } = testSandbox();
    const { status, body } = await exchangeTempToken(sandbox, await completeCardSession(sandbox));
    expect(status).toBe(200);
    expect(body).toEqual({ credentials_id: expect.stringMatching(UUID), access_token: expect.any(String), consent_exp: expect.stringMatching(ISO_UTC), max_data_retention: expect.stringMatching(ISO_UTC) });
    expect(Date.parse(body.consent_exp)).toBe(START + CONSENT_TTL_MS);
    expect(Date.parse(body.max_data_retention)).toBeGreaterThanOrEqual(Date.parse(body.consent_exp));
  });

  it('honours each temp_token once', async () => {
    const { sandbox } = testSandbox();
    const tempToken = await completeAispSession(sandbox);
    expect((await exchangeTempToken(sandbox, tempToken)).status).toBe(200);
    const again = await exchangeTempToken(sandbox, tempToken);
    expect(again).toEqual({ status: 401, body: { id: expect.any(String), type: 'unauthorized', http: 401, code: 'invalid_temp_token', message: expect.any(String) } });
    expect((await exchangeTempToken(sandbox, 'made-up')).body).toMatchObject({ code: 'invalid_temp_token' });
  });

  it('refuses a wrong client_secret without spending the temp_token', async () => {
    const { sandbox } = testSandbox();
    const tempToken = await completeAispSession(sandbox);
    const wrong = await call(sandbox, '/tokens', { ...secretKeys, client_secret: 'guess', temp_token: tempToken });
    expect(wrong).toMatchObject({ status: 401, body: { type: 'unauthorized', code: 'invalid_client_secret' } });
    expect((await exchangeTempToken(sandbox, tempToken)).status).toBe(200);
  });

  it('gives one user several credential pairs', async () => {
    const { sandbox } = testSandbox();
    const first = await aispCredentials(sandbox, 'user-1');
    const second = await aispCredentials(sandbox, 'user-1');
    expect(second.credentials_id).not.toBe(first.credentials_id);
    expect(second.access_token).not.toBe(first.access_token);
    for (const pair of [first, second]) {
      const { body } = await call(sandbox, '/consents/get', { ...secretKeys, ...pair });
      expect(body.status).toBe('ACTIVE');
    }
  });
});

describe('Finqware sandbox: consents', () => {
  it('reports an active consent, revokes it idempotently, then reports REVOKED', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const active = await call(sandbox, '/consents/get', { ...secretKeys, ...pair });
    expect(active).toEqual({
      status: 200,
      body: { credentials_id: pair.credentials_id, skill: 'xyz_aisp_sbx_#1.0', status: 'ACTIVE', consent_exp: new Date(START + CONSENT_TTL_MS).toISOString() },
    });
    for (const extra of [{}, { pcd_data_retention: 60 }]) {
      const deleted = await call(sandbox, '/consents/delete', { ...secretKeys, ...pair, ...extra });
      expect(deleted).toEqual({ status: 200, body: { credentials_id: pair.credentials_id, status: 'REVOKED' } });
    }
    expect((await call(sandbox, '/consents/get', { ...secretKeys, ...pair })).body.status).toBe('REVOKED');
  });

  it('reports EXPIRED once consent_exp has passed', async () => {
    const { sandbox, clock } = testSandbox();
    const pair = await aispCredentials(sandbox);
    clock.ms += CONSENT_TTL_MS;
    expect((await call(sandbox, '/consents/get', { ...secretKeys, ...pair })).body.status).toBe('EXPIRED');
  });

  it('refuses an unknown credentials_id (400), a wrong access_token (401) and a wrong secret (401)', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    for (const path of ['/consents/get', '/consents/delete']) {
      const unknown = await call(sandbox, path, { ...secretKeys, ...pair, credentials_id: '00000000-0000-4000-8000-000000000000' });
      expect(unknown).toMatchObject({ status: 400, body: { type: 'invalid_request', code: 'invalid_credentials_id' } });
      const token = await call(sandbox, path, { ...secretKeys, ...pair, access_token: 'stolen' });
      expect(token).toMatchObject({ status: 401, body: { type: 'unauthorized', code: 'invalid_access_token' } });
      const secret = await call(sandbox, path, { ...secretKeys, ...pair, client_secret: 'guess' });
      expect(secret).toMatchObject({ status: 401, body: { code: 'invalid_client_secret' } });
    }
    // None of those revoked anything.
    expect((await call(sandbox, '/consents/get', { ...secretKeys, ...pair })).body.status).toBe('ACTIVE');
  });

  it('checks pcd_data_retention is a number of minutes', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const bad = await call(sandbox, '/consents/delete', { ...secretKeys, ...pair, pcd_data_retention: '60' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_field', message: expect.stringContaining('pcd_data_retention') } });
  });
});

describe('Finqware sandbox: accounts and balances', () => {
  const dataBody = (pair: { credentials_id: string; access_token: string }, tenantUserId = 'user-1') => ({ ...secretKeys, ...pair, tenant_user_id: tenantUserId });

  it('serves the same accounts and balances for an active account-information consent', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const accounts = await call(sandbox, '/accounts/get', dataBody(pair));
    expect(accounts.status).toBe(200);
    expect(accounts.body.length).toBeGreaterThanOrEqual(2);
    for (const account of accounts.body) {
      expect(account).toEqual({ account_id: expect.any(String), iban: expect.stringMatching(/^RO\d{2}XYZB\d{16}$/), name: expect.any(String), currency: expect.stringMatching(/^[A-Z]{3}$/) });
    }
    const balances = await call(sandbox, '/balances/get', { ...dataBody(pair), filter: {} });
    expect(balances.status).toBe(200);
    expect(balances.body.map((b: { account_id: string }) => b.account_id)).toEqual(accounts.body.map((a: { account_id: string }) => a.account_id));
    for (const balance of balances.body) {
      expect(balance).toEqual({ account_id: expect.any(String), amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: expect.any(String), type: 'closingBooked' });
    }
    // Deterministic: a second consent of the same user sees the same accounts.
    const again = await call(sandbox, '/accounts/get', dataBody(await aispCredentials(sandbox)));
    expect(again.body).toEqual(accounts.body);
    expect(accounts.body).toEqual(accountsOf('user-1'));
  });

  it('gives valid IBAN check digits', () => {
    for (const { iban } of accountsOf('someone')) {
      const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
      expect(BigInt(rearranged) % 97n).toBe(1n);
    }
  });

  it('refuses data after the consent is revoked or expired: 401 expired_credentials', async () => {
    const { sandbox } = testSandbox();
    const revoked = await aispCredentials(sandbox);
    await call(sandbox, '/consents/delete', { ...secretKeys, ...revoked });
    for (const path of ['/accounts/get', '/balances/get']) {
      expect(await call(sandbox, path, dataBody(revoked))).toMatchObject({ status: 401, body: { type: 'unauthorized', code: 'expired_credentials' } });
    }
    const expiring = await aispCredentials(sandbox);
    await sandbox.handle(controlRequest('knobs', { clock_offset_ms: CONSENT_TTL_MS + 1 }));
    expect(await call(sandbox, '/accounts/get', dataBody(expiring))).toMatchObject({ status: 401, body: { code: 'expired_credentials' } });
  });

  it('refuses a wrong access token, another user, and card credentials', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    expect(await call(sandbox, '/accounts/get', dataBody({ ...pair, access_token: 'x' }))).toMatchObject({ status: 401, body: { code: 'invalid_access_token' } });
    expect(await call(sandbox, '/accounts/get', dataBody(pair, 'user-2'))).toMatchObject({ status: 400, body: { code: 'invalid_field' } });
    const card = (await exchangeTempToken(sandbox, await completeCardSession(sandbox))).body;
    expect(await call(sandbox, '/accounts/get', dataBody({ credentials_id: card.credentials_id, access_token: card.access_token }))).toMatchObject({ status: 400, body: { code: 'invalid_credentials_id' } });
  });
});
