import { getCountries } from 'libphonenumber-js/min';
import type { Locale } from '@/lib/i18n/locales';
import { filterCountryOptions, fold, type Country, type CountryOption } from './country-filter';

export type { Country, CountryOption } from './country-filter';

// libphonenumber lists calling-code regions: three are not ISO 3166-1 countries (Ascension,
// Tristan da Cunha, Kosovo), and seven ISO countries without a telephone plan of their own are absent.
const NOT_ISO = new Set(['AC', 'TA', 'XK']);
const WITHOUT_PHONE_PLAN = ['AQ', 'BV', 'GS', 'HM', 'PN', 'TF', 'UM'];
const CODES: readonly string[] = [...getCountries().filter((code) => !NOT_ISO.has(code)), ...WITHOUT_PHONE_PLAN];
const KNOWN = new Set(CODES);
// The portal's languages (LOCALES): named here rather than imported, as lib/i18n/locales.ts brings its
// Accept-Language parser into the browser's bundle, and this module runs there too.
const SEARCHED_IN = ['fr', 'en'] as const satisfies readonly Locale[];

const namers = new Map<Locale, Intl.DisplayNames>();
function namer(locale: Locale): Intl.DisplayNames {
  let found = namers.get(locale);
  if (!found) namers.set(locale, (found = new Intl.DisplayNames([locale], { type: 'region' })));
  return found;
}

export function isCountryCode(code: string): boolean {
  return KNOWN.has(code);
}

/** The name of a country code in `locale` ("Allemagne"), or the code itself when it is not one we know. */
export function countryNameIn(code: string, locale: Locale): string {
  return isCountryCode(code) ? (namer(locale).of(code) ?? code) : code;
}

/** The English name of a country code, or the code itself when it is not one we know. */
export function countryName(code: string): string {
  return countryNameIn(code, 'en');
}

const OPTIONS = new Map<Locale, readonly CountryOption[]>();

/**
 * Every ISO 3166-1 alpha-2 country named in `locale` and sorted in its order, each findable by its name in every
 * language of the portal (French users type "Allemagne", English ones "Germany", whatever the page's language).
 * Called on the server, which passes the list to the browser: the browser's ICU may name countries differently,
 * and a list that differs from the server's fails hydration.
 */
export function countryOptions(locale: Locale): readonly CountryOption[] {
  let options = OPTIONS.get(locale);
  if (!options) {
    const collator = new Intl.Collator(locale, { sensitivity: 'base' });
    options = CODES.map((code) => ({
      code,
      name: countryNameIn(code, locale),
      search: [...new Set(SEARCHED_IN.map((language) => fold(countryNameIn(code, language))))],
    })).sort((a, b) => collator.compare(a.name, b.name));
    OPTIONS.set(locale, options);
  }
  return options;
}

/** ISO 3166-1 alpha-2 countries with their English names, sorted by name. */
export const COUNTRIES: readonly Country[] = countryOptions('en').map(({ code, name }) => ({ code, name }));

/**
 * The country a typed text names exactly (its name in any of our languages, accents and case aside, or its two-letter
 * code), or undefined. For the country field posted before JavaScript runs, when only the typed text arrives.
 */
export function countryFromText(text: string): string | undefined {
  const q = fold(text.trim());
  if (q === '') return undefined;
  return countryOptions('en').find(({ code, search }) => search.includes(q) || code.toLowerCase() === q)?.code;
}

/** For a searchable select (lib/company/country-filter.ts), over every country by default. */
export function filterCountries(query: string, options: readonly CountryOption[] = countryOptions('en')): readonly CountryOption[] {
  return filterCountryOptions(query, options);
}
