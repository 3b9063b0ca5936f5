import { describe, expect, it } from 'vitest';
import { exampleAccounts, exampleBalances, exampleConsentDeleted, exampleConsentGet, exampleTokens } from './examples';
import {
  finqwareAccountsSchema,
  finqwareAmountSchema,
  finqwareBalancesSchema,
  finqwareConsentDeletedAckSchema,
  finqwareConsentDeletedSchema,
  finqwareConsentGetSchema,
  finqwareDateTimeSchema,
  finqwareTokensSchema,
} from './wire';

describe('Finqware wire schemas', () => {
  it('take the documented examples as they are', () => {
    expect(finqwareTokensSchema.safeParse(exampleTokens()).success).toBe(true);
    for (const status of ['ACTIVE', 'DELETED', 'EXPIRED'] as const) expect(finqwareConsentGetSchema.safeParse(exampleConsentGet(status)).success).toBe(true);
    expect(finqwareConsentDeletedSchema.safeParse(exampleConsentDeleted()).success).toBe(true);
    expect(finqwareConsentDeletedAckSchema.safeParse(exampleConsentDeleted()).success).toBe(true);
    expect(finqwareAccountsSchema.safeParse(exampleAccounts()).success).toBe(true);
    expect(finqwareBalancesSchema.safeParse(exampleBalances()).success).toBe(true);
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
