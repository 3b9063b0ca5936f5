import { z } from 'zod';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { countryFromText, countryName, isCountryCode } from './countries';
import { isValidSiren } from './siren';
import '@/lib/zod-setup';

// Shared by the form (instant feedback on submit) and the action (the check that counts), so no
// `server-only` here. Each rule has its own message: the user sees what to fix, next to the field.

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

export const OTHER_ID_MIN = 2;
export const OTHER_ID_MAX = 30;
const PHONE_MAX = 40;

const companyName = z
  .string({ error: 'Enter your company’s name.' })
  .trim()
  .min(1, { error: 'Enter your company’s name.' })
  .max(200, { error: 'Use at most 200 characters.' });
const countryCode = z
  .string({ error: 'Choose the country your company is registered in.' })
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    if (code === '') ctx.addIssue({ code: 'custom', message: 'Choose the country your company is registered in.' });
    else if (!isCountryCode(code)) ctx.addIssue({ code: 'custom', message: 'Choose a country from the list.' });
  });
// Checked per country in the object-level refinement below.
const identificationNumber = z.string({ error: 'Enter your company identification number.' }).trim();
const language = z.enum(LANGUAGES, { error: 'Choose English or Français.' });
const contactEmail = z
  .string({ error: 'Enter a contact email address.' })
  .trim()
  .min(1, { error: 'Enter a contact email address.' })
  .max(254, { error: 'This email address is too long.' })
  .pipe(z.email({ error: 'Enter a valid email address, like name@company.com.' }));
const contactPhone = z
  .string({ error: 'Enter a phone number, or leave the field empty.' })
  .trim()
  .max(PHONE_MAX, { error: 'This phone number is too long.' })
  .optional();

type Issue = { path: CompanyProfileField; message: string };

/** Strips the spaces people type in a SIREN ("529 196 313"), including non-breaking ones. */
function sirenDigits(value: string): string {
  return value.replace(/\s+/g, '');
}

function identificationIssue(country: string, value: string): string | undefined {
  if (country === 'FR') {
    if (value === '') return 'Enter your company’s SIREN: the 9-digit number on your Kbis.';
    const digits = sirenDigits(value);
    if (!/^\d+$/.test(digits)) return 'A SIREN has digits only, like 529 196 313.';
    if (digits.length === 14) return 'This looks like a SIRET (14 digits): enter the SIREN, its first 9 digits.';
    if (digits.length !== 9) return `Enter a 9-digit SIREN: this number has ${digits.length} digit${digits.length === 1 ? '' : 's'}.`;
    if (!isValidSiren(digits)) return 'This SIREN’s check digit is wrong: check the number on your Kbis.';
    return undefined;
  }
  if (value === '') return 'Enter your company identification number.';
  if (!/^[A-Za-z0-9 .-]+$/.test(value)) return 'Use only letters, digits, spaces, dots and dashes.';
  if (value.length < OTHER_ID_MIN || value.length > OTHER_ID_MAX) return `Enter between ${OTHER_ID_MIN} and ${OTHER_ID_MAX} characters.`;
  if (!/[A-Za-z0-9]/.test(value)) return 'Enter the number from your company’s registration documents.';
  return undefined;
}

function phoneCountry(country: string): CountryCode | undefined {
  return isSupportedCountry(country) ? country : undefined;
}

/** The number in E.164 (+33612345678), read relative to the company's country; undefined when it is not a valid number. */
function toE164(phone: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phone, phoneCountry(country));
  return parsed?.isValid() ? parsed.number : undefined;
}

function phoneIssue(country: string, phone: string): string | undefined {
  if (!/^\+?[\d\s().-]+$/.test(phone)) return 'Use only digits and spaces, with + first for an international number.';
  if (toE164(phone, country)) return undefined;
  if (country === 'FR') return 'Enter a valid phone number, like 06 12 34 56 78 or +33 6 12 34 56 78.';
  if (!phone.startsWith('+') && !phoneCountry(country)) return 'Start the number with + and its country code, like +33 6 12 34 56 78.';
  const where = isCountryCode(country) ? ` ${countryName(country)}` : '';
  return `Enter a valid${where} phone number, or start it with + and its country code.`;
}

// The object-level rules: they depend on the country, so they live here rather than on one field.
function crossFieldIssues(value: { countryCode?: unknown; identificationNumber?: unknown; contactPhone?: unknown }): Issue[] {
  const issues: Issue[] = [];
  // With no usable country the generic identifier rules apply; the country has its own message.
  const knownCountry = typeof value.countryCode === 'string' && isCountryCode(value.countryCode) ? value.countryCode : '';
  if (typeof value.identificationNumber === 'string') {
    const message = identificationIssue(knownCountry, value.identificationNumber);
    if (message) issues.push({ path: 'identificationNumber', message });
  }
  if (typeof value.contactPhone === 'string' && value.contactPhone !== '') {
    const message = phoneIssue(knownCountry, value.contactPhone);
    if (message) issues.push({ path: 'contactPhone', message });
  }
  return issues;
}

export const companyProfileSchema = z
  .object({ companyName, countryCode, identificationNumber, language, contactEmail, contactPhone })
  .superRefine(
    (value, ctx) => {
      for (const issue of crossFieldIssues(value)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    },
    // Run even when another field is missing or mistyped, so every bad field gets its message at once.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .transform((value) => ({
    ...value,
    identificationNumber: value.countryCode === 'FR' ? sirenDigits(value.identificationNumber) : value.identificationNumber.replace(/\s+/g, ' '),
    contactPhone: value.contactPhone ? (toE164(value.contactPhone, value.countryCode) ?? null) : null,
  }));

export type CompanyProfile = z.output<typeof companyProfileSchema>;

// What the form sends and shows again after a failed submit.
export type CompanyProfileField = 'companyName' | 'countryCode' | 'identificationNumber' | 'language' | 'contactEmail' | 'contactPhone';
export type CompanyProfileValues = Record<CompanyProfileField, string>;

export function companyProfileValues(formData: FormData): CompanyProfileValues {
  const read = (name: CompanyProfileField) => {
    const value = formData.get(name);
    return typeof value === 'string' ? value : '';
  };
  // Before JavaScript runs the searchable field sends only what was typed: a country named exactly counts.
  const typedCountry = formData.get('countryQuery');
  return {
    companyName: read('companyName'),
    countryCode: read('countryCode') || (typeof typedCountry === 'string' ? (countryFromText(typedCountry) ?? '') : ''),
    identificationNumber: read('identificationNumber'),
    language: read('language'),
    contactEmail: read('contactEmail'),
    contactPhone: read('contactPhone'),
  };
}

/** A saved profile as form values; a new profile starts in English with every other field empty. */
export function profileToValues(profile: CompanyProfile | undefined): CompanyProfileValues {
  return {
    companyName: profile?.companyName ?? '',
    countryCode: profile?.countryCode ?? '',
    identificationNumber: profile?.identificationNumber ?? '',
    language: profile?.language ?? 'en',
    contactEmail: profile?.contactEmail ?? '',
    contactPhone: profile?.contactPhone ?? '',
  };
}

/**
 * What is still needed before Bridge guidance can open, in words for the user (empty when nothing is).
 * Bridge takes a country and a 9-digit company number: the French SIREN.
 */
export function missingForGuidance(profile: CompanyProfile | undefined): string[] {
  if (!profile) return ['Your company profile'];
  const missing: string[] = [];
  if (!profile.companyName) missing.push('Your company’s name');
  if (!isCountryCode(profile.countryCode)) missing.push('The country your company is registered in');
  if (profile.countryCode === 'FR' ? !isValidSiren(profile.identificationNumber) : !/^\d{9}$/.test(profile.identificationNumber)) {
    missing.push('A valid 9-digit SIREN');
  }
  if (!profile.contactEmail) missing.push('A contact email address');
  return missing;
}
