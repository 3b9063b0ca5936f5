import { describe, expect, it } from 'vitest';
import { finqwareTransactionsSchema, type FinqwareTransactionsFilter } from '@guidepost/provider-contracts/finqware';
import { accountsOf, balancesOf } from './accounts';
import { CONSENT_TTL_MS } from './state';
import {
  aispCredentials,
  answer,
  call,
  completeCardSession,
  controlRequest,
  exchangeTempToken,
  START,
  TEST_CREDENTIALS,
  testSandbox,
  type Json,
} from './testing';
import { HISTORY_MS, PENDING_MS, transactionsOf, type SandboxTransaction } from './transactions';
import type { FinqwareSandbox } from './index';

const DAY_MS = 24 * 60 * 60 * 1000;
const secretKeys = { client_id: TEST_CREDENTIALS.clientId, client_secret: TEST_CREDENTIALS.clientSecret };
type Pair = { credentials_id: string; access_token: string };

const dataBody = (pair: Pair, tenantUserId = 'user-1') => ({ ...secretKeys, ...pair, tenant_user_id: tenantUserId });

/** transactions/get as a client calls it; the answer checked against the contract's schema before anything else. */
async function transactions(sandbox: FinqwareSandbox, pair: Pair, filter?: FinqwareTransactionsFilter, tenantUserId = 'user-1'): Promise<SandboxTransaction[]> {
  const { status, body } = await call(sandbox, '/transactions/get', { ...dataBody(pair, tenantUserId), ...(filter ? { filter } : {}) });
  expect(status, JSON.stringify(body)).toBe(200);
  expect(finqwareTransactionsSchema.safeParse(body).success).toBe(true);
  return body as SandboxTransaction[];
}

async function control(sandbox: FinqwareSandbox, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  return answer(await sandbox.handle(controlRequest(path, body)));
}

/** A transaction without what names one consent's copy of it: what every consent of the user agrees on. */
const withoutCopy = ({ account_id, utx_id, data }: SandboxTransaction) => ({ account_id, utx_id, data });
const utxIds = (list: readonly SandboxTransaction[]) => list.map(({ utx_id }) => utx_id);

describe('Finqware sandbox: transactions/get', () => {
  it('serves a year of a few hundred transactions per account in the documented shape: EUR, French labels, amounts as strings ≥ 0 with their side', async () => {
    const { sandbox } = testSandbox();
    const all = await transactions(sandbox, await aispCredentials(sandbox));
    const accounts = accountsOf('user-1', START);
    for (const account of accounts) {
      const mine = all.filter(({ account_id }) => account_id === account.id);
      expect(mine.length, account.data.account_sub_type).toBeGreaterThanOrEqual(200);
      expect(mine.length, account.data.account_sub_type).toBeLessThan(1000);
      expect(new Set(mine.map(({ data }) => data.currency))).toEqual(new Set([account.data.currency]));
    }
    expect(new Set(all.map(({ account_id }) => account_id))).toEqual(new Set(accounts.map(({ id }) => id)));
    expect(new Set(all.map(({ data }) => data.currency))).toEqual(new Set(['EUR']));

    for (const { utx_id, timestamp, data } of all) {
      expect(data.amount).toMatch(/^\d+\.\d{2}$/);
      expect(Number(data.amount)).toBeGreaterThan(0);
      // As documented: base64 of 32 bytes.
      expect(utx_id).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      // Stored when the consent was given; booked in the year before it.
      expect(timestamp).toBe(new Date(START).toISOString());
      expect(Date.parse(data.booking_date_time)).toBeGreaterThanOrEqual(START - HISTORY_MS);
      expect(Date.parse(data.booking_date_time)).toBeLessThan(START);
      // The last two days are not booked yet, and have no balance after them.
      expect(data.status).toBe(Date.parse(data.booking_date_time) >= START - PENDING_MS ? 'pending' : 'booked');
      expect(data.balance === null).toBe(data.status === 'pending');
      expect(data.details).toBeNull();
      expect(data.exchange_rate).toBeNull();
    }
    expect(new Set(utxIds(all)).size).toBe(all.length);
    expect(new Set(all.map(({ data }) => data.credit_debit_indicator))).toEqual(new Set(['credit', 'debit']));
    expect(all.some(({ data }) => data.status === 'pending')).toBe(true);
    // Oldest first.
    expect(all.map(({ data }) => Date.parse(data.booking_date_time))).toEqual(all.map(({ data }) => Date.parse(data.booking_date_time)).sort((a, b) => a - b));

    const labels = all.map(({ data }) => data.info);
    for (const expected of [
      /^PRLV SEPA EDF$/,
      /^PRLV SEPA URSSAF$/,
      /^CB [A-Z ]+ \d{2}\/\d{2}$/,
      /^VIR SEPA RECU \/DE [A-Z ]+ \/MOTIF /,
      /^VIR SEPA EMIS /,
      /^FRAIS BANCAIRES$/,
    ])
      expect(
        labels.some((label) => expected.test(label)),
        String(expected),
      ).toBe(true);
  });

  it('ends each account where balances/get stands: the newest booked transaction leaves the ClosingBooked balance', async () => {
    const { sandbox } = testSandbox();
    const all = await transactions(sandbox, await aispCredentials(sandbox));
    for (const { account_id, data } of balancesOf('user-1', START, { type: 'ClosingBooked' })) {
      const newest = all.filter((t) => t.account_id === account_id && t.data.status === 'booked').at(-1)!;
      expect(newest.data.balance).toBe(data.credit_debit_indicator === 'debit' ? `-${data.amount}` : data.amount);
    }
    // Each booked balance is the one before it moved by the transaction's amount, in whole cents.
    const current = all.filter((t) => t.account_id === accountsOf('user-1', START)[0]!.id && t.data.status === 'booked');
    const cents = (value: string) => Math.round(Number(value) * 100);
    for (let index = 1; index < current.length; index++) {
      const { amount, credit_debit_indicator, balance } = current[index]!.data;
      expect(cents(balance!) - cents(current[index - 1]!.data.balance!)).toBe(credit_debit_indicator === 'credit' ? cents(amount) : -cents(amount));
    }
  });

  it('is deterministic: the same consent answers the same every time, and another sandbox the same transactions', async () => {
    const first = testSandbox().sandbox;
    const second = testSandbox().sandbox;
    const pair = await aispCredentials(first);
    const answered = await transactions(first, pair);
    expect(await transactions(first, pair)).toEqual(answered);
    const elsewhere = await transactions(second, await aispCredentials(second));
    expect(elsewhere.map(withoutCopy)).toEqual(answered.map(withoutCopy));
    // Only the copy's id differs: it names each consent's copy.
    expect(elsewhere[0]!.id).not.toBe(answered[0]!.id);
    // And it is a function of the consent alone.
    expect(transactionsOf({ credentialsId: pair.credentials_id, tenantUserId: 'user-1', createdAt: START }, () => [])).toEqual(answered);
    // Another user's accounts are others, with transactions of their own.
    const theirs = new Set(utxIds(await transactions(first, await aispCredentials(first, 'user-2'), undefined, 'user-2')));
    expect(answered.filter(({ utx_id }) => theirs.has(utx_id))).toEqual([]);
  });

  it('keeps utx_id across a re-consent: the same transactions under new ids, booked since, and the days in between on top', async () => {
    const { sandbox, clock } = testSandbox();
    const firstPair = await aispCredentials(sandbox);
    const first = await transactions(sandbox, firstPair);
    clock.ms += 10 * DAY_MS;
    const secondPair = await aispCredentials(sandbox);
    const second = await transactions(sandbox, secondPair);

    const byUtx = new Map(second.map((transaction) => [transaction.utx_id, transaction]));
    const stillInWindow = first.filter(({ data }) => Date.parse(data.booking_date_time) >= clock.ms - HISTORY_MS);
    expect(stillInWindow.length).toBeGreaterThan(500);
    for (const before of stillInWindow) {
      const after = byUtx.get(before.utx_id);
      expect(after, before.data.info).toBeDefined();
      expect(after!.id).not.toBe(before.id);
      expect(after!.timestamp).toBe(new Date(clock.ms).toISOString());
      // The same transaction; what was pending under the first consent has been booked by the second.
      expect({ ...after!.data, balance: null }).toEqual({ ...before.data, status: 'booked', balance: null });
    }
    const since = second.filter(({ data }) => Date.parse(data.booking_date_time) >= START);
    expect(since.length).toBeGreaterThan(10);
    expect(since.every(({ utx_id }) => !first.some((old) => old.utx_id === utx_id))).toBe(true);
    // The first consent's data stays as it was when it was given.
    expect(await transactions(sandbox, firstPair)).toEqual(first);
  });

  it('honours every documented criterion: account, currency, status, side, category, amount, booking date and timestamp', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const all = await transactions(sandbox, pair);
    const [current, savings, card] = accountsOf('user-1', START);
    const amount = Number(all[100]!.data.amount);
    const middle = all[Math.floor(all.length / 2)]!.data.booking_date_time;
    const booked = (t: SandboxTransaction) => Date.parse(t.data.booking_date_time);
    const stored = (t: SandboxTransaction) => Date.parse(t.timestamp);
    const cases: Array<[FinqwareTransactionsFilter, (t: SandboxTransaction) => boolean]> = [
      [{ account_id: card!.id }, (t) => t.account_id === card!.id],
      [{ account_id: savings!.id, credit_debit_indicator: 'credit' }, (t) => t.account_id === savings!.id && t.data.credit_debit_indicator === 'credit'],
      [{ currency: 'EUR' }, () => true],
      [{ currency: 'RON' }, () => false],
      [{ status: 'pending' }, (t) => t.data.status === 'pending'],
      [{ status: 'booked', account_id: current!.id }, (t) => t.data.status === 'booked' && t.account_id === current!.id],
      [{ credit_debit_indicator: 'debit' }, (t) => t.data.credit_debit_indicator === 'debit'],
      // details is null ("future use"): no transaction has a category.
      [{ category: 'shopping' }, () => false],
      [{ eq: amount }, (t) => Number(t.data.amount) === amount],
      [{ gte: amount }, (t) => Number(t.data.amount) >= amount],
      [{ gt: amount }, (t) => Number(t.data.amount) > amount],
      [{ lte: amount }, (t) => Number(t.data.amount) <= amount],
      [{ gt: 100, lt: 200 }, (t) => Number(t.data.amount) > 100 && Number(t.data.amount) < 200],
      [{ booking_date_eq: middle }, (t) => t.data.booking_date_time === middle],
      [{ booking_date_gte: middle }, (t) => booked(t) >= Date.parse(middle)],
      [{ booking_date_gt: middle }, (t) => booked(t) > Date.parse(middle)],
      [{ booking_date_lte: middle }, (t) => booked(t) <= Date.parse(middle)],
      // A date-time without an offset is UTC.
      [{ booking_date_lt: middle.replace(/Z$/, '') }, (t) => booked(t) < Date.parse(middle)],
      [{ timestamp_eq: new Date(START).toISOString() }, () => true],
      [{ timestamp_gte: '2025-03-01T10:00:00Z' }, () => true],
      [{ timestamp_gt: '2025-03-01T10:00:00Z' }, () => false],
      [{ timestamp_lte: '2025-03-01T09:59:59Z' }, () => false],
      [{ timestamp_lt: '2025-03-01T10:00:01Z' }, (t) => stored(t) < START + 1000],
    ];
    for (const [filter, keep] of cases) {
      const expected = all.filter(keep);
      expect(await transactions(sandbox, pair, filter), JSON.stringify(filter)).toEqual(expected);
    }
    expect(cases.filter(([, keep]) => all.some(keep)).length, 'most criteria keep something').toBeGreaterThan(15);
  });

  it('refuses a body or a filter it does not know, as accounts/get and balances/get do', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const refusals: Array<[string, unknown, number, string]> = [
      ['no tenant_user_id', { ...secretKeys, ...pair }, 400, 'missing_fields'],
      ['an unknown field', { ...dataBody(pair), page: 2 }, 400, 'unknown_fields'],
      ['a filter that is not an object', { ...dataBody(pair), filter: 'booked' }, 400, 'invalid_field'],
      ['a filter that is a list', { ...dataBody(pair), filter: [] }, 400, 'invalid_field'],
      ['an undocumented criterion', { ...dataBody(pair), filter: { merchant: 'SNCF' } }, 400, 'unknown_fields'],
      ['an amount as a string', { ...dataBody(pair), filter: { lt: '4.27' } }, 400, 'invalid_field'],
      ['a negative amount', { ...dataBody(pair), filter: { gte: -1 } }, 400, 'invalid_field'],
      ['a status it does not know', { ...dataBody(pair), filter: { status: 'BOOKED' } }, 400, 'invalid_field'],
      ['a currency that is not ISO 4217', { ...dataBody(pair), filter: { currency: 'eur' } }, 400, 'invalid_field'],
      ['a date without a time', { ...dataBody(pair), filter: { timestamp_gte: '2025-03-01' } }, 400, 'invalid_field'],
      ['a date-time as a number', { ...dataBody(pair), filter: { booking_date_gt: START } }, 400, 'invalid_field'],
      ['a wrong access token', dataBody({ ...pair, access_token: 'x' }), 401, 'invalid_access_token'],
      ['another user', dataBody(pair, 'user-2'), 400, 'invalid_field'],
      ['a wrong client secret', { ...dataBody(pair), client_secret: 'guess' }, 401, 'invalid_client_secret'],
    ];
    for (const [what, body, status, code] of refusals) {
      const refused = await call(sandbox, '/transactions/get', body);
      expect(refused, what).toMatchObject({ status, body: { http: status, code } });
    }
    const named = await call(sandbox, '/transactions/get', { ...dataBody(pair), filter: { lt: '4.27' } });
    expect(named.body.message).toContain('filter.lt');
    expect(named.body.message).not.toContain('4.27');
    const card = (await exchangeTempToken(sandbox, await completeCardSession(sandbox))).body;
    expect(await call(sandbox, '/transactions/get', dataBody({ credentials_id: card.credentials_id, access_token: card.access_token }))).toMatchObject({
      status: 400,
      body: { code: 'invalid_credentials_id' },
    });
    expect((await sandbox.handle(new Request('http://sandbox.test/v1/transactions/get'))).status).toBe(405);
  });

  it('refuses data once the consent is deleted or expired: 401 expired_credentials', async () => {
    const { sandbox, clock } = testSandbox();
    const deleted = await aispCredentials(sandbox);
    await call(sandbox, '/consents/delete', { ...secretKeys, ...deleted });
    expect(await call(sandbox, '/transactions/get', dataBody(deleted))).toMatchObject({
      status: 401,
      body: { type: 'unauthorized', code: 'expired_credentials' },
    });
    const expiring = await aispCredentials(sandbox);
    clock.ms += CONSENT_TTL_MS;
    expect(await call(sandbox, '/transactions/get', dataBody(expiring))).toMatchObject({ status: 401, body: { code: 'expired_credentials' } });
  });
});

describe('Finqware sandbox: new transactions arriving (POST /_control/transactions)', () => {
  it('makes transactions arrive now, which timestamp_gte from the last sync returns alone', async () => {
    const { sandbox, clock } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const before = await transactions(sandbox, pair);
    const [current] = accountsOf('user-1', START);

    clock.ms += 60 * 60 * 1000;
    const lastSync = new Date(clock.ms).toISOString();
    clock.ms += 60 * 1000;
    const arrived = await control(sandbox, 'transactions', { tenant_user_id: 'user-1', count: 3 });
    expect(arrived.status).toBe(200);
    expect(arrived.body.transactions).toHaveLength(3);
    for (const added of arrived.body.transactions) {
      expect(added).toEqual({
        account_id: current!.id,
        utx_id: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
        booking_date_time: expect.any(String),
        amount: expect.stringMatching(/^\d+\.\d{2}$/),
        credit_debit_indicator: expect.stringMatching(/^(credit|debit)$/),
        currency: 'EUR',
        info: expect.any(String),
        status: 'booked',
      });
      expect(Date.parse(added.booking_date_time)).toBeLessThanOrEqual(clock.ms);
    }

    const incremental = await transactions(sandbox, pair, { timestamp_gte: lastSync });
    expect(utxIds(incremental)).toEqual(arrived.body.transactions.map((added: Json) => added.utx_id));
    expect(incremental.map(({ timestamp }) => timestamp)).toEqual(Array(3).fill(new Date(clock.ms).toISOString()));
    expect(incremental.map(({ account_id, utx_id, data }) => ({ account_id, utx_id, ...data }))).toEqual(
      arrived.body.transactions.map((added: Json) => expect.objectContaining(added)),
    );
    // Booked: each moves the balance on from where the account stood.
    expect(incremental.every(({ data }) => data.balance !== null)).toBe(true);
    // Everything else is as it was: a full read is the old one plus the new.
    const after = await transactions(sandbox, pair);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(utxIds(after.slice(before.length))).toEqual(utxIds(incremental));
    expect(await transactions(sandbox, pair, { timestamp_gt: new Date(START).toISOString() })).toEqual(incremental);
  });

  it('lets a consent given later see them as stored when it was given, under the same utx_id', async () => {
    const { sandbox, clock } = testSandbox();
    const [, savings] = accountsOf('user-1', START);
    const arrived = await control(sandbox, 'transactions', { tenant_user_id: 'user-1', account_id: savings!.id, count: 2, status: 'pending' });
    expect(arrived.body.transactions.map((added: Json) => [added.account_id, added.status])).toEqual([
      [savings!.id, 'pending'],
      [savings!.id, 'pending'],
    ]);
    clock.ms += DAY_MS;
    const later = await transactions(sandbox, await aispCredentials(sandbox), { account_id: savings!.id, timestamp_gte: new Date(clock.ms).toISOString() });
    const arrivedIds = arrived.body.transactions.map((added: Json) => added.utx_id);
    expect(later.filter(({ utx_id }) => arrivedIds.includes(utx_id)).map(({ timestamp, data }) => [timestamp, data.status, data.balance])).toEqual([
      [new Date(clock.ms).toISOString(), 'pending', null],
      [new Date(clock.ms).toISOString(), 'pending', null],
    ]);
  });

  it('draws the same arrivals in every sandbox, and each arrival anew', async () => {
    const first = testSandbox().sandbox;
    const second = testSandbox().sandbox;
    const one = await control(first, 'transactions', { tenant_user_id: 'user-1', count: 2 });
    const other = await control(second, 'transactions', { tenant_user_id: 'user-1', count: 2 });
    expect(other.body).toEqual(one.body);
    const next = await control(first, 'transactions', { tenant_user_id: 'user-1' });
    expect(next.body.transactions).toHaveLength(1);
    expect(utxIds([...one.body.transactions, ...next.body.transactions]).length).toBe(
      new Set(utxIds([...one.body.transactions, ...next.body.transactions])).size,
    );
  });

  it('forgets arrivals on reset', async () => {
    const { sandbox } = testSandbox();
    await control(sandbox, 'transactions', { tenant_user_id: 'user-1', count: 5 });
    expect((await control(sandbox, 'reset', {})).status).toBe(204);
    const pair = await aispCredentials(sandbox);
    expect(await transactions(sandbox, pair, { timestamp_gt: new Date(START).toISOString() })).toEqual([]);
  });

  it.each([
    ['tenant_user_id', {}, 'invalid_field'],
    ['count', { tenant_user_id: 'user-1', count: 0 }, 'invalid_field'],
    ['count', { tenant_user_id: 'user-1', count: 101 }, 'invalid_field'],
    ['count', { tenant_user_id: 'user-1', count: 1.5 }, 'invalid_field'],
    ['status', { tenant_user_id: 'user-1', status: 'BOOK' }, 'invalid_field'],
    ['account_id', { tenant_user_id: 'user-1', account_id: accountsOf('user-2', START)[0]!.id }, 'invalid_field'],
    ['amount', { tenant_user_id: 'user-1', amount: '10.00' }, 'unknown_fields'],
  ])('refuses a body naming %s wrongly, adding nothing', async (field, body, code) => {
    const { sandbox } = testSandbox();
    const refused = await control(sandbox, 'transactions', body);
    expect(refused).toMatchObject({ status: 400, body: { type: 'invalid_request', code, message: expect.stringContaining(field) } });
    const pair = await aispCredentials(sandbox);
    expect(await transactions(sandbox, pair, { timestamp_gt: new Date(START).toISOString() })).toEqual([]);
  });
});

describe('Finqware sandbox: data calls failing as a scripted fault says', () => {
  it.each([
    ['expired_credentials', 401, 'unauthorized'],
    ['inactive_credentials', 401, 'unauthorized'],
    ['external_api_connection_error', 400, 'external_api_error'],
    ['external_api_too_many_requests', 400, 'external_api_error'],
    ['external_api_unauthorized', 400, 'external_api_error'],
    ['external_api_forbidden', 400, 'external_api_error'],
  ])('answers %s in the full error shape, as often as told, then serves again', async (code, status, type) => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    const scripted = await control(sandbox, 'faults', { faults: [{ operation: 'POST /transactions/get', action: 'error', code, times: 2 }] });
    expect(scripted.body).toEqual({ faults: [{ operation: 'POST /transactions/get', action: 'error', code, times: 2 }] });
    // Only the operation named fails.
    expect((await call(sandbox, '/accounts/get', dataBody(pair))).status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await call(sandbox, '/transactions/get', dataBody(pair))).toEqual({
        status,
        body: { id: expect.any(String), type, http: status, code, message: expect.any(String) },
      });
    }
    expect((await call(sandbox, '/transactions/get', dataBody(pair))).status).toBe(200);
  });

  it('fails accounts/get and balances/get the same way', async () => {
    const { sandbox } = testSandbox();
    const pair = await aispCredentials(sandbox);
    await control(sandbox, 'faults', {
      faults: [
        { operation: 'POST /accounts/get', action: 'error', code: 'inactive_credentials' },
        { operation: 'POST /balances/get', action: 'error', code: 'external_api_connection_error' },
      ],
    });
    expect(await call(sandbox, '/accounts/get', dataBody(pair))).toMatchObject({ status: 401, body: { code: 'inactive_credentials' } });
    expect(await call(sandbox, '/balances/get', dataBody(pair))).toMatchObject({
      status: 400,
      body: { type: 'external_api_error', code: 'external_api_connection_error' },
    });
  });
});
