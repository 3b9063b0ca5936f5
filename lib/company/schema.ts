import { z } from 'zod';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { messageRef } from '@/lib/i18n/message-ref';
import { countryFromText, isCountryCode } from './countries';
import { LANGUAGES, OTHER_ID_MAX, OTHER_ID_MIN, type CompanyProfileField, type CompanyProfileValues, type Language } from './fields';
import { isValidSiren } from './siren';
import '@/lib/zod-setup';

// Shared by the form (instant feedback on submit) and the action (the check that counts), so no
// `server-only` here. Each rule has its own message: the user sees what to fix, next to the field. The messages
// are references (lib/i18n/message-ref.ts), said in the user's language by the action wrapper and by the form.

export { LANGUAGE_NAMES, LANGUAGES, OTHER_ID_MAX, OTHER_ID_MIN, type CompanyProfileField, type CompanyProfileValues, type Language } from './fields';
const PHONE_MAX = 40;

const COMPANY_NAME_MAX = 200;

const companyName = z
  .string({ error: messageRef('company.errors.companyName') })
  .trim()
  .min(1, { error: messageRef('company.errors.companyName') })
  .max(COMPANY_NAME_MAX, { error: messageRef('company.errors.tooLong', { max: COMPANY_NAME_MAX }) });
const countryCode = z
  .string({ error: messageRef('company.errors.countryRequired') })
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    if (code === '') ctx.addIssue({ code: 'custom', message: messageRef('company.errors.countryRequired') });
    else if (!isCountryCode(code)) ctx.addIssue({ code: 'custom', message: messageRef('company.errors.countryUnknown') });
  });
// Checked per country in the object-level refinement below.
const identificationNumber = z.string({ error: messageRef('company.errors.identificationRequired') }).trim();
const language = z.enum(LANGUAGES, { error: messageRef('company.errors.language') });
const contactEmail = z
  .string({ error: messageRef('company.errors.contactEmailRequired') })
  .trim()
  .min(1, { error: messageRef('company.errors.contactEmailRequired') })
  .max(254, { error: messageRef('company.errors.emailTooLong') })
  .pipe(z.email({ error: messageRef('company.errors.emailInvalid') }));
const contactPhone = z
  .string({ error: messageRef('company.errors.phoneType') })
  .trim()
  .max(PHONE_MAX, { error: messageRef('company.errors.phoneTooLong') })
  .optional();

type Issue = { path: CompanyProfileField; message: string };

/** Strips the spaces people type in a SIREN ("529 196 313"), including non-breaking ones. */
function sirenDigits(value: string): string {
  return value.replace(/\s+/g, '');
}

function identificationIssue(country: string, value: string): string | undefined {
  if (country === 'FR') {
    if (value === '') return messageRef('company.errors.sirenRequired');
    const digits = sirenDigits(value);
    if (!/^\d+$/.test(digits)) return messageRef('company.errors.sirenDigitsOnly');
    if (digits.length === 14) return messageRef('company.errors.sirenIsSiret');
    if (digits.length !== 9) return messageRef('company.errors.sirenLength', { count: digits.length });
    if (!isValidSiren(digits)) return messageRef('company.errors.sirenCheckDigit');
    return undefined;
  }
  if (value === '') return messageRef('company.errors.identificationRequired');
  if (!/^[A-Za-z0-9 .-]+$/.test(value)) return messageRef('company.errors.otherIdCharacters');
  if (value.length < OTHER_ID_MIN || value.length > OTHER_ID_MAX) return messageRef('company.errors.otherIdLength', { min: OTHER_ID_MIN, max: OTHER_ID_MAX });
  if (!/[A-Za-z0-9]/.test(value)) return messageRef('company.errors.otherIdNoAlphanumeric');
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
  if (!/^\+?[\d\s().-]+$/.test(phone)) return messageRef('company.errors.phoneCharacters');
  if (toE164(phone, country)) return undefined;
  if (country === 'FR') return messageRef('company.errors.phoneInvalidFr');
  if (!phone.startsWith('+') && !phoneCountry(country)) return messageRef('company.errors.phoneNeedsPrefix');
  // The country's name in the reader's language, when the message is said.
  if (isCountryCode(country)) return messageRef('company.errors.phoneInvalidIn', { country: { region: country } });
  return messageRef('company.errors.phoneInvalid');
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

/**
 * The form's check in the browser: each field's messages (references, lib/i18n/message-ref.ts) when the values are
 * refused, undefined when they pass. Here rather than in the form so zod loads with the schema, after the page shows.
 */
export function companyProfileIssues(formData: FormData): Partial<Record<CompanyProfileField, string[]>> | undefined {
  const parsed = companyProfileSchema.safeParse(companyProfileValues(formData));
  return parsed.success ? undefined : z.flattenError(parsed.error).fieldErrors;
}

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

/** A saved profile as form values; a new profile starts in `language` (English unless given) with every other field empty. */
export function profileToValues(profile: CompanyProfile | undefined, language: Language = 'en'): CompanyProfileValues {
  return {
    companyName: profile?.companyName ?? '',
    countryCode: profile?.countryCode ?? '',
    identificationNumber: profile?.identificationNumber ?? '',
    language: profile?.language ?? language,
    contactEmail: profile?.contactEmail ?? '',
    contactPhone: profile?.contactPhone ?? '',
  };
}

/** What may stand between a profile and Bridge guidance; said by the `missing` messages of the company namespace. */
export type MissingDetail = 'profile' | 'companyName' | 'country' | 'siren' | 'contactEmail';

/**
 * What is still needed before Bridge guidance can open (empty when nothing is), in words for the user: `t` is the
 * company namespace's translator in their language (getTranslations('company') or translator('company')).
 * Bridge takes a country and a 9-digit company number: the French SIREN.
 */
export function missingForGuidance(profile: CompanyProfile | undefined, t: (key: `missing.${MissingDetail}`) => string): string[] {
  const missing: MissingDetail[] = [];
  if (!profile) missing.push('profile');
  else {
    if (!profile.companyName) missing.push('companyName');
    if (!isCountryCode(profile.countryCode)) missing.push('country');
    if (profile.countryCode === 'FR' ? !isValidSiren(profile.identificationNumber) : !/^\d{9}$/.test(profile.identificationNumber)) missing.push('siren');
    if (!profile.contactEmail) missing.push('contactEmail');
  }
  return missing.map((detail) => t(`missing.${detail}`));
}
