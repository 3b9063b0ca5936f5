import { describe, expect, it } from 'vitest';
import { COUNTRIES, countryFromText, countryName, filterCountries, isCountryCode } from './countries';
import { FRENCH_COUNTRY_NAMES } from './country-names-fr';

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

describe('French country names', () => {
  it('name every country, as the Node running the tests does (regenerate the table when ICU renames one)', () => {
    const french = new Intl.DisplayNames(['fr'], { type: 'region' });
    const changed = COUNTRIES.filter(({ code }) => FRENCH_COUNTRY_NAMES[code] !== french.of(code)).map(({ code }) => `${code}: ${french.of(code)}`);
    expect(changed).toEqual([]);
    expect(Object.keys(FRENCH_COUNTRY_NAMES).sort()).toEqual(COUNTRIES.map(({ code }) => code).sort());
  });

  it('find countries by their French name, shown in English', () => {
    expect(filterCountries('Allemagne')[0]).toEqual({ code: 'DE', name: 'Germany' });
    expect(filterCountries('Royaume')[0]).toEqual({ code: 'GB', name: 'United Kingdom' });
    expect(filterCountries('royaume uni')[0]?.code).toBe('GB');
    expect(filterCountries('Espagne')[0]).toEqual({ code: 'ES', name: 'Spain' });
    expect(filterCountries('etats unis')[0]?.code).toBe('US');
    // English still first-class, and a name starting with the query comes before one containing it.
    expect(filterCountries('Germ')[0]?.code).toBe('DE');
    expect(filterCountries('suisse').map((c) => c.code)).toEqual(['CH']);
  });

  it('name the country of a form posted before JavaScript, in either language', () => {
    expect(countryFromText('Allemagne')).toBe('DE');
    expect(countryFromText('royaume-uni')).toBe('GB');
    expect(countryFromText('Germany')).toBe('DE');
  });
});
