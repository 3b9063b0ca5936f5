import { getCountries } from 'libphonenumber-js/min';
import { FRENCH_COUNTRY_NAMES } from './country-names-fr';

export interface Country {
  code: string;
  name: string;
}

// libphonenumber lists calling-code regions: three are not ISO 3166-1 countries (Ascension,
// Tristan da Cunha, Kosovo), and seven ISO countries without a telephone plan of their own are absent.
const NOT_ISO = new Set(['AC', 'TA', 'XK']);
const WITHOUT_PHONE_PLAN = ['AQ', 'BV', 'GS', 'HM', 'PN', 'TF', 'UM'];

function buildCountries(): Country[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const collator = new Intl.Collator('en', { sensitivity: 'base' });
  const codes = [...getCountries().filter((code) => !NOT_ISO.has(code)), ...WITHOUT_PHONE_PLAN];
  return codes.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
}

/** ISO 3166-1 alpha-2 countries with their English names, sorted by name. */
export const COUNTRIES: readonly Country[] = buildCountries();

const BY_CODE = new Map(COUNTRIES.map((country) => [country.code, country]));

export function isCountryCode(code: string): boolean {
  return BY_CODE.has(code);
}

/** The English name of a country code, or the code itself when it is not one we know. */
export function countryName(code: string): string {
  return BY_CODE.get(code)?.name ?? code;
}

// "cote" finds "Côte d’Ivoire", "aland" finds "Åland Islands", "royaume uni" finds "Royaume-Uni".
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[-‐–]/g, ' ')
    .toLowerCase();
}

// Searchable in English and French (French users type "Allemagne"); the names shown stay English until the UI
// speaks French. The French names come from a static table so that browser and server filter the same way.
const FOLDED = COUNTRIES.map((country) => ({ country, names: [fold(country.name), fold(FRENCH_COUNTRY_NAMES[country.code] ?? country.name)] }));

/**
 * The country a typed text names exactly (its name, accents and case aside, or its two-letter code), or
 * undefined. For the country field posted before JavaScript runs, when only the typed text arrives.
 */
export function countryFromText(text: string): string | undefined {
  const q = fold(text.trim());
  if (q === '') return undefined;
  return FOLDED.find(({ country, names }) => names.includes(q) || country.code.toLowerCase() === q)?.country.code;
}

/**
 * For a searchable select: the country whose code is the query, then those whose English or French name starts with
 * it, then those whose name contains it.
 */
export function filterCountries(query: string): readonly Country[] {
  const q = fold(query.trim());
  if (q === '') return COUNTRIES;
  const exactCode = FOLDED.filter(({ country }) => country.code.toLowerCase() === q);
  const rest = FOLDED.filter(({ country }) => country.code.toLowerCase() !== q);
  const starting = rest.filter(({ names }) => names.some((name) => name.startsWith(q)));
  const containing = rest.filter(({ names }) => !names.some((name) => name.startsWith(q)) && names.some((name) => name.includes(q)));
  return [...exactCode, ...starting, ...containing].map(({ country }) => country);
}
