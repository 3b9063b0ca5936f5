import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIME_ZONE,
  formatAmount,
  formatDate,
  formatDateTime,
  formatDateTimeSeconds,
  formatPhoneNational,
  supportedTimeZone,
  dayOf,
  startOfDay,
} from './format';

// French amounts are grouped with narrow no-break spaces (U+202F) and the € follows a no-break space (U+00A0); the
// tests spell them out so a plain space where Intl puts another fails. English times have a plain space before AM/PM
// in Node 24's ICU.
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('formatDateTime', () => {
  // 2026-03-29 is the night Europe/Paris moves to summer time (02:00 → 03:00); New York moved on 2026-03-08.
  const beforeParisDst = new Date('2026-03-29T00:30:00Z');
  const afterParisDst = new Date('2026-03-29T01:30:00Z');

  it('shows the time in the user’s zone, across a DST change', () => {
    expect(formatDateTime(beforeParisDst, { locale: 'fr', timeZone: 'Europe/Paris' })).toBe('29 mars 2026, 01:30');
    expect(formatDateTime(afterParisDst, { locale: 'fr', timeZone: 'Europe/Paris' })).toBe('29 mars 2026, 03:30');
    expect(formatDateTime(afterParisDst, { locale: 'en', timeZone: 'America/New_York' })).toBe('Mar 28, 2026, 9:30 PM');
    expect(formatDateTime(new Date('2026-01-15T13:05:00Z'), { locale: 'en', timeZone: 'America/New_York' })).toBe('Jan 15, 2026, 8:05 AM');
  });

  it('uses Europe/Paris when the zone is unknown or invalid, and never says UTC', () => {
    const date = new Date('2026-07-14T10:00:00Z');
    expect(DEFAULT_TIME_ZONE).toBe('Europe/Paris');
    expect(formatDateTime(date, { locale: 'en', timeZone: null })).toBe('Jul 14, 2026, 12:00 PM');
    expect(formatDateTime(date, { locale: 'en', timeZone: 'Mars/Olympus_Mons' })).toBe('Jul 14, 2026, 12:00 PM');
    expect(formatDateTime(date, { locale: 'fr' })).not.toMatch(/UTC|GMT/);
  });

  it('keeps seconds for audit trails', () => {
    expect(formatDateTimeSeconds(new Date('2026-07-14T10:00:07Z'), { locale: 'fr', timeZone: 'Europe/Paris' })).toBe('14 juil. 2026, 12:00:07');
  });
});

describe('formatDate', () => {
  it('gives the calendar day in the user’s zone, which may differ from the UTC day', () => {
    const lateUtc = new Date('2026-12-31T23:30:00Z');
    expect(formatDate(lateUtc, { locale: 'fr', timeZone: 'Europe/Paris' })).toBe('1 janv. 2027');
    expect(formatDate(lateUtc, { locale: 'en', timeZone: 'America/New_York' })).toBe('Dec 31, 2026');
  });
});

describe('formatAmount', () => {
  it('writes euros the French and the English way', () => {
    expect(formatAmount('2500.50', 'EUR', 'fr')).toBe(`2${NNBSP}500,50${NBSP}€`);
    expect(formatAmount('2500.50', 'EUR', 'en')).toBe('€2,500.50');
    expect(formatAmount('7', 'GBP', 'en')).toBe('£7.00');
  });

  it('keeps every digit of a large amount (no float on the way)', () => {
    // 12345678901234567.89 as a double is 12345678901234568.
    expect(formatAmount('12345678901234567.89', 'EUR', 'en')).toBe('€12,345,678,901,234,567.89');
    expect(formatAmount('12345678901234567.89', 'EUR', 'fr')).toBe(`12${NNBSP}345${NNBSP}678${NNBSP}901${NNBSP}234${NNBSP}567,89${NBSP}€`);
  });

  it('shows a debit with its minus sign', () => {
    expect(formatAmount('-1500.05', 'EUR', 'fr')).toBe(`-1${NNBSP}500,05${NBSP}€`);
    expect(formatAmount('-1500.05', 'EUR', 'en')).toBe('-€1,500.05');
  });

  it('refuses what is not a decimal string', () => {
    for (const bad of ['', '1e5', '12,50', 'NaN', '1.2.3', ' 12']) expect(() => formatAmount(bad, 'EUR', 'en')).toThrow(RangeError);
  });
});

describe('formatPhoneNational', () => {
  it('writes a number of the company’s country in its national form', () => {
    expect(formatPhoneNational('+33612345678', 'FR')).toBe('06 12 34 56 78');
    expect(formatPhoneNational('+442079460958', 'GB')).toBe('020 7946 0958');
    expect(formatPhoneNational('+12125550123', 'US')).toBe('(212) 555-0123');
  });

  it('keeps the international form for a number of another country, and unparseable text as is', () => {
    expect(formatPhoneNational('+442079460958', 'FR')).toBe('+44 20 7946 0958');
    expect(formatPhoneNational('+33612345678', 'ZZ')).toBe('+33 6 12 34 56 78');
    expect(formatPhoneNational('not a phone', 'FR')).toBe('not a phone');
  });
});

describe('supportedTimeZone', () => {
  it('accepts IANA zones and resolves aliases, refuses the rest', () => {
    expect(supportedTimeZone('America/New_York')).toBe('America/New_York');
    expect(supportedTimeZone('UTC')).toBe('UTC');
    // ICU's canonical name, which Intl.supportedValuesOf lists, is still Asia/Calcutta.
    expect(supportedTimeZone('Asia/Kolkata')).toBe('Asia/Calcutta');
    expect(supportedTimeZone('Etc/UTC')).toBe('UTC');
    for (const bad of ['', 'Mars/Olympus_Mons', 'Europe/Paris\u0000', 'x'.repeat(100), 42, undefined, null]) expect(supportedTimeZone(bad)).toBeUndefined();
  });
});

describe('startOfDay and dayOf', () => {
  it('gives the instant a day begins in the user’s zone, in winter and in summer time', () => {
    expect(startOfDay('2026-01-15', 'Europe/Paris')?.toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDay('2026-07-15', 'Europe/Paris')?.toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(startOfDay('2026-07-15', 'America/New_York')?.toISOString()).toBe('2026-07-15T04:00:00.000Z');
    expect(startOfDay('2026-07-15', null)?.toISOString()).toBe('2026-07-14T22:00:00.000Z');
  });

  it('starts a day of DST change at its first local minute', () => {
    // Paris moves from +1 to +2 at 02:00 on 29 March 2026: midnight is still +1.
    expect(startOfDay('2026-03-29', 'Europe/Paris')?.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/Paris')?.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay('2026-10-25', 'Europe/Paris')?.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDay('2026-10-26', 'Europe/Paris')?.toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('refuses what is not a real day', () => {
    for (const day of ['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', '', 'yesterday']) expect(startOfDay(day, 'Europe/Paris')).toBeUndefined();
  });

  it('reads back the day of an instant in the zone, the inverse of startOfDay', () => {
    expect(dayOf(new Date('2026-07-14T22:30:00Z'), 'Europe/Paris')).toBe('2026-07-15');
    expect(dayOf(new Date('2026-07-14T22:30:00Z'), 'UTC')).toBe('2026-07-14');
    for (const day of ['2026-03-29', '2026-10-25', '2026-12-31']) expect(dayOf(startOfDay(day, 'Europe/Paris')!, 'Europe/Paris')).toBe(day);
  });
});
