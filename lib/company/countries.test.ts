import { describe, expect, it } from 'vitest';
import { COUNTRIES, countryFromText, countryName, countryNameIn, countryOptions, filterCountries, isCountryCode } from './countries';

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

describe('filterCountries', () => {
  const names = (query: string) => filterCountries(query).map((c) => c.name);

  it('lists every country for an empty query', () => {
    expect(filterCountries('  ')).toHaveLength(COUNTRIES.length);
  });

  it('finds by the start of the name first, then anywhere in it, ignoring case and accents', () => {
    // France by its name; the French territories through their French names (Guyane française…).
    expect(names('Fra')).toEqual(['France', 'French Guiana', 'French Polynesia', 'French Southern Territories']);
    expect(names('guinea').slice(0, 1)).toEqual(['Guinea']);
    expect(names('guinea')).toEqual(expect.arrayContaining(['Equatorial Guinea', 'Papua New Guinea', 'Guinea-Bissau']));
    expect(names('cote')).toEqual(['Côte d’Ivoire']);
  });

  it('puts the country whose code is typed first', () => {
    expect(names('de')[0]).toBe('Germany');
    expect(names('GB')).toEqual(['United Kingdom']);
  });

  it('finds nothing for nonsense', () => {
    expect(filterCountries('qqq')).toEqual([]);
  });
});

describe('a country typed without the list', () => {
  it('counts only an exact name (accents and case aside) or code', () => {
    expect(countryFromText('France')).toBe('FR');
    expect(countryFromText('  côte d’ivoire ')).toBe('CI');
    expect(countryFromText('de')).toBe('DE');
    expect(countryFromText('Fran')).toBeUndefined();
    expect(countryFromText('')).toBeUndefined();
  });
});

describe('countries in French', () => {
  const french = countryOptions('fr');
  const frenchNames = (query: string) => filterCountries(query, french).map((c) => c.name);

  it('are named and sorted the French way, every country once', () => {
    expect(french).toHaveLength(COUNTRIES.length);
    expect(french.find((c) => c.code === 'DE')?.name).toBe('Allemagne');
    expect(countryNameIn('GB', 'fr')).toBe('Royaume-Uni');
    expect(countryNameIn('US', 'fr')).toBe('États-Unis');
    expect(countryNameIn('CI', 'fr')).toBe('Côte d’Ivoire');
    expect(countryNameIn('ZZ', 'fr')).toBe('ZZ');
    // Accents sort with their letter: "Égypte" among the E, not after Z.
    const names = french.map((c) => c.name);
    expect(names.indexOf('Égypte')).toBeGreaterThan(names.indexOf('Dominique'));
    expect(names.indexOf('Égypte')).toBeLessThan(names.indexOf('Érythrée'));
    expect(names[0]).toBe('Afghanistan');
  });

  it('are found by their French or English name, accents, case and dashes aside, in either language’s list', () => {
    expect(frenchNames('Allemagne')[0]).toBe('Allemagne');
    expect(frenchNames('Germany')[0]).toBe('Allemagne');
    expect(frenchNames('etats')[0]).toBe('États-Unis');
    expect(frenchNames('royaume uni')[0]).toBe('Royaume-Uni');
    expect(frenchNames('cote')).toContain('Côte d’Ivoire');
    // The English list finds French names too (English users in France, a French colleague's habit).
    expect(filterCountries('Allemagne')[0]).toMatchObject({ code: 'DE', name: 'Germany' });
    expect(filterCountries('Royaume')[0]).toMatchObject({ code: 'GB', name: 'United Kingdom' });
    expect(filterCountries('Espagne')[0]).toMatchObject({ code: 'ES', name: 'Spain' });
    expect(filterCountries('etats unis')[0]?.code).toBe('US');
    expect(filterCountries('Germ')[0]?.code).toBe('DE');
    expect(filterCountries('suisse').map((c) => c.code)).toEqual(['CH']);
  });

  it('name the country of a form posted before JavaScript, in either language', () => {
    expect(countryFromText('Allemagne')).toBe('DE');
    expect(countryFromText('royaume-uni')).toBe('GB');
    expect(countryFromText('Germany')).toBe('DE');
    expect(countryFromText('etats-unis')).toBe('US');
  });
});
