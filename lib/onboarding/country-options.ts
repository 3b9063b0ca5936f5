import { COUNTRIES } from '@/lib/company/countries';
import type { Locale } from '@/lib/i18n/locales';

// Country names in the user's language for the personal-data step. Computed on the server and handed to the
// form: a browser's ICU may name a country differently, which would fail hydration.

export interface CountryOption {
  code: string;
  name: string;
}

/** Every country Guidepost knows, named and sorted in the user's language. */
export function countryOptions(locale: Locale): CountryOption[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  return COUNTRIES.map(({ code }) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
}

/** One country's name in the user's language, or the code itself when it is not a country. */
export function countryNameIn(code: string, locale: Locale): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}
