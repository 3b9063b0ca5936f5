import { getCountries } from 'libphonenumber-js/min';

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

// "cote" finds "Côte d’Ivoire", "aland" finds "Åland Islands".
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

const FOLDED = COUNTRIES.map((country) => ({ country, name: fold(country.name) }));

/**
 * The country a typed text names exactly (its name, accents and case aside, or its two-letter code), or
 * undefined. For the country field posted before JavaScript runs, when only the typed text arrives.
 */
export function countryFromText(text: string): string | undefined {
  const q = fold(text.trim());
  if (q === '') return undefined;
  return FOLDED.find(({ country, name }) => name === q || country.code.toLowerCase() === q)?.country.code;
}

/** For a searchable select: the country whose code is the query, then names starting with it, then names containing it. */
export function filterCountries(query: string): readonly Country[] {
  const q = fold(query.trim());
  if (q === '') return COUNTRIES;
  const exactCode = FOLDED.filter(({ country }) => country.code.toLowerCase() === q);
  const rest = FOLDED.filter(({ country }) => country.code.toLowerCase() !== q);
  const starting = rest.filter(({ name }) => name.startsWith(q));
  const containing = rest.filter(({ name }) => !name.startsWith(q) && name.includes(q));
  return [...exactCode, ...starting, ...containing].map(({ country }) => country);
}
