import { describe, expect, it } from 'vitest';
import { COUNTRIES, countryName, isCountryCode } from './countries';

describe('COUNTRIES', () => {
  it('lists every ISO 3166-1 alpha-2 country once, with an English name', () => {
    expect(COUNTRIES).toHaveLength(249);
    expect(new Set(COUNTRIES.map((c) => c.code)).size).toBe(COUNTRIES.length);
    for (const country of COUNTRIES) expect(country.code).toMatch(/^[A-Z]{2}$/);
    expect(COUNTRIES).toContainEqual({ code: 'FR', name: 'France' });
    expect(COUNTRIES).toContainEqual({ code: 'GB', name: 'United Kingdom' });
    expect(COUNTRIES).toContainEqual({ code: 'AQ', name: 'Antarctica' });
  });

  it('is sorted by name', () => {
    const names = COUNTRIES.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(names[0]).toBe('Afghanistan');
  });

  it('leaves out the telephone regions that are not countries', () => {
    for (const code of ['AC', 'TA', 'XK']) expect(isCountryCode(code)).toBe(false);
  });
});

describe('isCountryCode', () => {
  it('knows real codes and nothing else', () => {
    expect(isCountryCode('FR')).toBe(true);
    expect(isCountryCode('DE')).toBe(true);
    expect(isCountryCode('fr')).toBe(false);
    expect(isCountryCode('ZZ')).toBe(false);
    expect(isCountryCode('')).toBe(false);
  });
});

describe('countryName', () => {
  it('names a code, and falls back to the code', () => {
    expect(countryName('FR')).toBe('France');
    expect(countryName('ZZ')).toBe('ZZ');
  });
});
