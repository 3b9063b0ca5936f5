import { describe, expect, it } from 'vitest';
import { finqwareAccountsSchema, finqwareBalancesSchema, finqwareConsentDeletedSchema, finqwareConsentGetSchema } from '@guidepost/provider-contracts/finqware';
import { TENANT_APP_NAME } from './consents';
import { accountsOf, balancesOf, type SandboxAccount, type SandboxBalance } from './accounts';
import { CONSENT_TTL_MS, DATA_RETENTION_GRACE_MS } from './state';
import {
  aispCredentials,
  call,
  completeAispSession,
  completeCardSession,
  controlRequest,
  exchangeTempToken,
  START,
  TEST_CREDENTIALS,
  testSandbox,
} from './testing';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const secretKeys = { client_id: TEST_CREDENTIALS.clientId, client_secret: TEST_CREDENTIALS.clientSecret };

describe('Finqware sandbox: tokens', () => {
  it('exchanges a temp_token for credentials with a 90-day consent', async () => {
    const { sandbox } = testSandbox();
    const { status, body } = await exchangeTempToken(sandbox, await completeCardSession(sandbox));
    expect(status).toBe(200);
    expect(body).toEqual({
      credentials_id: expect.stringMatching(UUID),
      access_token: expect.any(String),
      consent_exp: expect.stringMatching(ISO_UTC),
      max_data_retention: expect.stringMatching(ISO_UTC),
    });
    expect(Date.parse(body.consent_exp)).toBe(START + CONSENT_TTL_MS);
    expect(Date.parse(body.max_data_retention)).toBeGreaterThanOrEqual(Date.parse(body.consent_exp));
  });

  it('honours each temp_token once', async () => {
    const { sandbox } = testSandbox();
    const tempToken = await completeAispSession(sandbox);
    expect((await exchangeTempToken(sandbox, tempToken)).status).toBe(200);
    const again = await exchangeTempToken(sandbox, tempToken);
    expect(again).toEqual({
      status: 401,
      body: { id: expect.any(String), type: 'unauthorized', http: 401, code: 'invalid_temp_token', message: expect.any(String) },
    });
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
      expect(body.result.status).toBe('ACTIVE');
    }
  });
});

describe('Finqware sandbox: consents', () => {
  it('describes an active consent in the documented shape, deletes it idempotently, then reports DELETED', async () => {
    const { sandbox, clock } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const active = await call(sandbox, '/consents/get', { ...secretKeys, ...pair });
    const info = {
      credentials_id: pair.credentials_id,
      originator: { country: 'France', servicer: 'XYZ Bank (sandbox)', skill: 'xyz_aisp_sbx_#1.0' },
      tenant_app_info: { client_id: TEST_CREDENTIALS.clientId, name: TENANT_APP_NAME },
      utc_created: new Date(START).toISOString(),
      consent_exp: new Date(START + CONSENT_TTL_MS).toISOString(),
      max_data_retention: new Date(START + CONSENT_TTL_MS + DATA_RETENTION_GRACE_MS).toISOString(),
    };
    expect(active).toEqual({
      status: 200,
      body: {
        op_type: 'read',
        code: 'credentials_info',
        http: 200,
        message: expect.any(String),
        result: { ...info, status: 'ACTIVE', utc_last_update: info.utc_created },
      },
    });
    expect(finqwareConsentGetSchema.safeParse(active.body).success).toBe(true);

    clock.ms += 60_000;
    const deletedAt = new Date(clock.ms).toISOString();
    const deleted = {
      code: 'credentials_deleted',
      http: 200,
      op_type: 'delete',
      message: expect.any(String),
      result: { ...info, status: 'DELETED', utc_last_update: deletedAt },
    };
    const first = await call(sandbox, '/consents/delete', { ...secretKeys, ...pair });
    expect(first).toEqual({ status: 200, body: deleted });
    expect(finqwareConsentDeletedSchema.safeParse(first.body).success).toBe(true);
    // Idempotent: later deletes, with or without pcd_data_retention, answer the same; the deletion keeps its time.
    clock.ms += 60_000;
    for (const extra of [{}, { pcd_data_retention: 60 }]) {
      expect(await call(sandbox, '/consents/delete', { ...secretKeys, ...pair, ...extra })).toEqual({ status: 200, body: deleted });
    }
    expect((await call(sandbox, '/consents/get', { ...secretKeys, ...pair })).body.result).toEqual({ ...info, status: 'DELETED', utc_last_update: deletedAt });
    expect(await sandbox.handle(controlRequest('consents')).then((r) => r.json())).toEqual({
      consents: [{ tenant_user_id: 'user-1', skill: 'xyz_aisp_sbx_#1.0', status: 'DELETED' }],
    });
  });

  it('reports EXPIRED once consent_exp has passed, and DELETED over EXPIRED', async () => {
    const { sandbox, clock } = testSandbox();
    const pair = await aispCredentials(sandbox);
    clock.ms += CONSENT_TTL_MS;
    expect((await call(sandbox, '/consents/get', { ...secretKeys, ...pair })).body.result.status).toBe('EXPIRED');
    expect((await call(sandbox, '/consents/delete', { ...secretKeys, ...pair })).body.result.status).toBe('DELETED');
    expect((await call(sandbox, '/consents/get', { ...secretKeys, ...pair })).body.result.status).toBe('DELETED');
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
    // None of those deleted anything.
    expect((await call(sandbox, '/consents/get', { ...secretKeys, ...pair })).body.result.status).toBe('ACTIVE');
  });

  it('checks pcd_data_retention is a number of minutes', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const bad = await call(sandbox, '/consents/delete', { ...secretKeys, ...pair, pcd_data_retention: '60' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_field', message: expect.stringContaining('pcd_data_retention') } });
  });
});

describe('Finqware sandbox: accounts and balances', () => {
  const dataBody = (pair: { credentials_id: string; access_token: string }, tenantUserId = 'user-1') => ({
    ...secretKeys,
    ...pair,
    tenant_user_id: tenantUserId,
  });
  const ibanOf = (account: SandboxAccount) => account.data.account_schemes.find(({ scheme_name }) => scheme_name === 'IBAN')?.identification ?? '';

  it('serves the documented shapes: accounts with their IBAN (the card has none), BIC and balances; balances as decimal strings ≥ 0 with their side', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const accounts = await call(sandbox, '/accounts/get', dataBody(pair));
    expect(accounts.status).toBe(200);
    expect(finqwareAccountsSchema.safeParse(accounts.body).success).toBe(true);
    expect((accounts.body as SandboxAccount[]).map(({ data }) => data.account_sub_type)).toEqual(['CurrentAccount', 'Savings', 'CreditCard']);
    for (const account of accounts.body as SandboxAccount[]) {
      expect(account).toMatchObject({ servicer_name: 'XYZ Bank (sandbox)', timestamp: new Date(START).toISOString() });
      // A French IBAN: the bank's code and branch, an 11-digit account number and its RIB key.
      expect(ibanOf(account)).toMatch(account.data.account_sub_type === 'CreditCard' ? /^$/ : /^FR\d{2}9999900100\d{13}$/);
      expect(account.data.account_schemes).toContainEqual({ scheme_name: 'BICFI', identification: 'XYZBFRPPXXX' });
      expect(account.data.currency).toBe('EUR');
    }
    const balances = await call(sandbox, '/balances/get', { ...dataBody(pair), filter: {} });
    expect(balances.status).toBe(200);
    expect(finqwareBalancesSchema.safeParse(balances.body).success).toBe(true);
    const all = balances.body as SandboxBalance[];
    expect(new Set(all.map((b) => b.account_id))).toEqual(new Set(accounts.body.map((a: SandboxAccount) => a.id)));
    for (const balance of all) {
      expect(balance.data.amount).toMatch(/^\d+\.\d{2}$/);
      expect(['credit', 'debit']).toContain(balance.data.credit_debit_indicator);
      expect(['ClosingBooked', 'InterimAvailable']).toContain(balance.data.type);
    }
    // accounts/get carries the same balances.
    for (const account of accounts.body as SandboxAccount[]) {
      expect(account.data.balances).toEqual(
        all
          .filter((b) => b.account_id === account.id)
          .map(({ data }) => ({
            balance_amount: data.amount,
            balance_currency: data.currency,
            balance_type: data.type,
            credit_limit_included: data.credit_limit_included,
            credit_debit_indicator: data.credit_debit_indicator,
          })),
      );
    }
    // Deterministic: a second consent of the same user sees the same accounts.
    const again = await call(sandbox, '/accounts/get', dataBody(await aispCredentials(sandbox)));
    expect(again.body).toEqual(accounts.body);
    expect(accounts.body).toEqual(accountsOf('user-1', START));
  });

  it('shows what is owed as a debit with a positive amount, never a negative number', () => {
    // Every user's card is owed something; some current accounts are overdrawn.
    const balances = Array.from({ length: 50 }, (_, index) => balancesOf(`user-${index}`, START)).flat();
    const debits = balances.filter((balance) => balance.data.credit_debit_indicator === 'debit');
    expect(debits.length).toBeGreaterThanOrEqual(50);
    for (const { data } of balances) expect(data.amount).toMatch(/^\d+\.\d{2}$/);
    for (const { data } of debits) expect(Number(data.amount)).toBeGreaterThan(0);
  });

  it('narrows balances by the documented filter and refuses criteria it does not know', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const [current, savings, card] = accountsOf('user-1', START);
    const byAccount = await call(sandbox, '/balances/get', { ...dataBody(pair), filter: { account_id: savings!.id } });
    expect(byAccount.body).toEqual(balancesOf('user-1', START).filter((b) => b.account_id === savings!.id));
    expect(byAccount.body).toHaveLength(2);
    const byType = await call(sandbox, '/balances/get', { ...dataBody(pair), filter: { type: 'ClosingBooked', currency: 'EUR' } });
    expect(byType.body.map((b: SandboxBalance) => [b.account_id, b.data.type])).toEqual([
      [current!.id, 'ClosingBooked'],
      [savings!.id, 'ClosingBooked'],
      [card!.id, 'ClosingBooked'],
    ]);
    expect((await call(sandbox, '/balances/get', { ...dataBody(pair), filter: { currency: 'RON' } })).body).toEqual([]);
    expect(await call(sandbox, '/balances/get', { ...dataBody(pair), filter: { iban: 'x' } })).toMatchObject({ status: 400, body: { code: 'unknown_fields' } });
    expect(await call(sandbox, '/balances/get', { ...dataBody(pair), filter: { currency: 'euro' } })).toMatchObject({
      status: 400,
      body: { code: 'invalid_field' },
    });
  });

  it('gives valid IBAN check digits and RIB keys', () => {
    for (const account of accountsOf('someone', START).filter((a) => ibanOf(a) !== '')) {
      const iban = ibanOf(account);
      const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
      expect(BigInt(rearranged) % 97n).toBe(1n);
      // The French BBAN's own key: bank, branch, account number and key together are 0 mod 97.
      expect(BigInt(iban.slice(4)) % 97n).toBe(0n);
    }
  });

  it('refuses data after the consent is deleted or expired: 401 expired_credentials', async () => {
    const { sandbox } = testSandbox();
    const deleted = await aispCredentials(sandbox);
    await call(sandbox, '/consents/delete', { ...secretKeys, ...deleted });
    for (const path of ['/accounts/get', '/balances/get']) {
      expect(await call(sandbox, path, dataBody(deleted))).toMatchObject({ status: 401, body: { type: 'unauthorized', code: 'expired_credentials' } });
    }
    const expiring = await aispCredentials(sandbox);
    await sandbox.handle(controlRequest('knobs', { clock_offset_ms: CONSENT_TTL_MS + 1 }));
    expect(await call(sandbox, '/accounts/get', dataBody(expiring))).toMatchObject({ status: 401, body: { code: 'expired_credentials' } });
  });

  it('refuses a wrong access token, another user, and card credentials', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    expect(await call(sandbox, '/accounts/get', dataBody({ ...pair, access_token: 'x' }))).toMatchObject({
      status: 401,
      body: { code: 'invalid_access_token' },
    });
    expect(await call(sandbox, '/accounts/get', dataBody(pair, 'user-2'))).toMatchObject({ status: 400, body: { code: 'invalid_field' } });
    const card = (await exchangeTempToken(sandbox, await completeCardSession(sandbox))).body;
    expect(await call(sandbox, '/accounts/get', dataBody({ credentials_id: card.credentials_id, access_token: card.access_token }))).toMatchObject({
      status: 400,
      body: { code: 'invalid_credentials_id' },
    });
  });
});
