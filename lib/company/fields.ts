// The company form's fields and constants, apart from its schema (lib/company/schema.ts, with zod and libphonenumber),
// so the form's first load carries neither: it loads the schema after the page shows (components/company).

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

export const OTHER_ID_MIN = 2;
export const OTHER_ID_MAX = 30;

// What the form sends and shows again after a failed submit.
export type CompanyProfileField = 'companyName' | 'countryCode' | 'identificationNumber' | 'language' | 'contactEmail' | 'contactPhone';
export type CompanyProfileValues = Record<CompanyProfileField, string>;
