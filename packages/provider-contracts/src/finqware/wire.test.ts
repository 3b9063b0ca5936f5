import { describe, expect, it } from 'vitest';
import { exampleAccounts, exampleBalances, exampleConsentDeleted, exampleConsentGet, exampleTokens, exampleTransactions } from './examples';
import {
  finqwareAccountsSchema,
  finqwareAmountSchema,
  finqwareBalancesSchema,
  finqwareConsentDeletedAckSchema,
  finqwareConsentDeletedSchema,
  finqwareConsentGetSchema,
  finqwareDateTimeSchema,
  finqwareTokensSchema,
  finqwareTransactionsFilterSchema,
  finqwareTransactionsSchema,
} from './wire';

describe('Finqware wire schemas', () => {
  it('take the documented examples as they are', () => {
    expect(finqwareTokensSchema.safeParse(exampleTokens()).success).toBe(true);
    for (const status of ['ACTIVE', 'DELETED', 'EXPIRED'] as const) expect(finqwareConsentGetSchema.safeParse(exampleConsentGet(status)).success).toBe(true);
    expect(finqwareConsentDeletedSchema.safeParse(exampleConsentDeleted()).success).toBe(true);
    expect(finqwareConsentDeletedAckSchema.safeParse(exampleConsentDeleted()).success).toBe(true);
    expect(finqwareAccountsSchema.safeParse(exampleAccounts()).success).toBe(true);
    expect(finqwareBalancesSchema.safeParse(exampleBalances()).success).toBe(true);
    expect(finqwareTransactionsSchema.safeParse(exampleTransactions()).success).toBe(true);
  });

  it('refuse the shapes the client and the sandbox once shared: a consent REVOKED, an account without data, a bare amount', () => {
    expect(finqwareConsentGetSchema.safeParse({ credentials_id: 'c', skill: 's', status: 'ACTIVE', consent_exp: '2025-06-01T10:00:00Z' }).success).toBe(false);
    expect(finqwareConsentDeletedSchema.safeParse({ credentials_id: 'c', status: 'REVOKED' }).success).toBe(false);
    expect(
      finqwareConsentDeletedSchema.safeParse({ ...exampleConsentDeleted(), result: { ...exampleConsentDeleted().result, status: 'ACTIVE' } }).success,
    ).toBe(false);
    expect(finqwareAccountsSchema.safeParse([{ account_id: 'a', iban: 'RO49AAAA1B31007593840000', name: 'x', currency: 'RON' }]).success).toBe(false);
    expect(finqwareBalancesSchema.safeParse([{ account_id: 'a', amount: '1.00', currency: 'RON', type: 'closingBooked' }]).success).toBe(false);
  });

  it('keep money a decimal string ≥ 0: no JSON number, no sign, no exponent', () => {
    for (const amount of ['0', '0.00', '123.34', '1000000']) expect(finqwareAmountSchema.safeParse(amount).success).toBe(true);
    for (const amount of [123.34, '-1.00', '+1.00', '1e3', '1,00', '', '.5']) expect(finqwareAmountSchema.safeParse(amount).success).toBe(false);
  });

  it('read a date-time without an offset as UTC, as Finqware stores it', () => {
    expect(finqwareDateTimeSchema.parse('2020-01-29T07:31:51.689168')).toBe('2020-01-29T07:31:51.689168Z');
    expect(finqwareDateTimeSchema.parse('2020-07-05T21:48:06Z')).toBe('2020-07-05T21:48:06Z');
    expect(finqwareDateTimeSchema.parse('2020-07-05T23:48:06+02:00')).toBe('2020-07-05T23:48:06+02:00');
    expect(Date.parse(finqwareDateTimeSchema.parse('2020-01-29T07:31:51'))).toBe(Date.UTC(2020, 0, 29, 7, 31, 51));
    expect(finqwareDateTimeSchema.safeParse('2020-07-05').success).toBe(false);
  });
});

describe('Finqware transactions/get', () => {
  const [booked] = exampleTransactions();
  const withData = (data: Record<string, unknown>) => [{ ...booked, data: { ...booked!.data, ...data } }];

  it('takes the older documented shapes too: details as an object, a numeric exchange_rate, both left out', () => {
    const older = withData({ details: { category: 'Subscriptions', merchant: 'Google Play', tags: ['#subs'] }, exchange_rate: 0.21 });
    expect(finqwareTransactionsSchema.safeParse(older).success).toBe(true);
    const bare: Record<string, unknown> = { ...booked!.data };
    delete bare.details;
    delete bare.exchange_rate;
    expect(finqwareTransactionsSchema.parse([{ ...booked, data: bare }])[0]!.data).toMatchObject({ details: null, exchange_rate: null });
  });

  it('keeps amounts decimal strings ≥ 0; a balance may be below zero or absent, never a number', () => {
    for (const amount of [4.27, '-4.27', '']) expect(finqwareTransactionsSchema.safeParse(withData({ amount })).success, String(amount)).toBe(false);
    for (const balance of ['-120.50', '0.00', null]) expect(finqwareTransactionsSchema.safeParse(withData({ balance })).success, String(balance)).toBe(true);
    expect(finqwareTransactionsSchema.safeParse(withData({ balance: 9434.52 })).success).toBe(false);
    expect(finqwareTransactionsSchema.safeParse(withData({ credit_debit_indicator: 'DBIT' })).success).toBe(false);
  });

  it('needs utx_id, the upsert key', () => {
    const withoutUtx: Record<string, unknown> = { ...booked! };
    delete withoutUtx.utx_id;
    expect(finqwareTransactionsSchema.safeParse([withoutUtx]).success).toBe(false);
  });

  it('filters by the documented criteria only: amounts as numbers, dates as UTC date-times', () => {
    const documented = {
      account_id: 'a',
      currency: 'EUR',
      status: 'booked',
      credit_debit_indicator: 'debit',
      category: 'shopping',
      eq: 4.27,
      gte: 0,
      gt: 1,
      lte: 10,
      lt: 4.2700000000000001,
      booking_date_eq: '2025-05-03T00:00:00Z',
      booking_date_gte: '2025-05-03T00:00:00Z',
      booking_date_gt: '2025-05-03T00:00:00Z',
      booking_date_lte: '2025-05-03T00:00:00Z',
      booking_date_lt: '2025-05-03T00:00:00Z',
      timestamp_eq: '2025-05-11T00:00:00Z',
      timestamp_gte: '2025-05-11T00:00:00Z',
      timestamp_gt: '2025-05-11T00:00:00Z',
      timestamp_lte: '2025-05-11T00:00:00Z',
      timestamp_lt: '2025-05-11T00:00:00',
    };
    expect(finqwareTransactionsFilterSchema.parse(documented).timestamp_lt).toBe('2025-05-11T00:00:00Z');
    for (const [criterion, value] of [
      ['merchant', 'Google Play'],
      ['lt', '4.27'],
      ['gte', -1],
      ['status', 'BOOK'],
      ['currency', 'eur'],
      ['timestamp_gte', '2025-05-11'],
    ] as const)
      expect(finqwareTransactionsFilterSchema.safeParse({ [criterion]: value }).success, criterion).toBe(false);
  });
});
