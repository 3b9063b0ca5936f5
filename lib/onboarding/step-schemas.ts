import type { createTranslator, Messages } from 'next-intl';
import { z } from 'zod';
import { isCountryCode } from '@/lib/company/countries';
import { DOCUMENT_TYPES, MAX_UPLOAD_BYTES, STEP_KINDS, UPLOAD_TYPES, type StepKind } from '@guidepost/provider-contracts/finqware';
import '@/lib/zod-setup';

// One zod definition per step kind, shared by the step's form (instant messages) and the server
// action or route that sends it (the check that counts). No `server-only`: the browser uses it too.
// What Finqware receives for each step is the server's business: lib/onboarding/finqware-step-data.ts.
//
// Messages in the user's language: the schemas are built with a translator of the `onboardingSteps`
// namespace, `useTranslations('onboardingSteps')` in a form, `await translator('onboardingSteps')` on the
// server, so a field error reads the same in the browser's instant check and in the server's answer.

/** The step forms' sentences in one language (next-intl's translator of the `onboardingSteps` namespace). */
export type StepsTranslator = ReturnType<typeof createTranslator<Messages, 'onboardingSteps'>>;

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'RON', 'PLN', 'SEK', 'DKK', 'NOK', 'CZK', 'HUF'] as const;
export { DOCUMENT_TYPES };

const MAX_AMOUNT = 10_000_000;
const PERIOD = { min: 1, max: 120 } as const;
const ADULT_YEARS = 18;

function age(dateOfBirth: string, today: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let years = today.getUTCFullYear() - year;
  if (today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day)) years -= 1;
  return years;
}

function isRealDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** Every step kind's schema, its messages in the translator's language. */
export function stepSchemasFor(t: StepsTranslator) {
  const requiredText = (missing: string, max = 100) =>
    z
      .string({ error: missing })
      .trim()
      .min(1, { error: missing })
      .max(max, { error: t('validation.tooLong', { max }) });

  const country = (missing: string) =>
    z
      .string({ error: missing })
      .trim()
      .toUpperCase()
      .refine((code) => code !== '', { error: missing })
      .refine((code) => code === '' || isCountryCode(code), { error: t('validation.countryFromList') });

  // Money is a decimal string, never a float.
  const amount = z
    .string({ error: t('validation.enterAmount') })
    .trim()
    .transform((value) => value.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'))
    .pipe(
      z
        .string()
        .min(1, { error: t('validation.enterAmount') })
        .regex(/^\d+(\.\d{1,2})?$/, { error: t('validation.amountFormat') })
        .refine((value) => Number(value) > 0, { error: t('validation.amountPositive') })
        .refine((value) => Number(value) <= MAX_AMOUNT, { error: t('validation.amountMax', { max: MAX_AMOUNT }) })
        .transform((value) => value.replace(/^0+(?=\d)/, '')),
    );

  const productForm = z.object({
    amount,
    currency: z.enum(CURRENCIES, { error: t('validation.currencyFromList') }),
    period: z
      .string({ error: t('validation.enterPeriod') })
      .trim()
      .min(1, { error: t('validation.enterPeriod') })
      .regex(/^\d+$/, { error: t('validation.periodWhole') })
      .refine((value) => Number(value) >= PERIOD.min && Number(value) <= PERIOD.max, { error: t('validation.periodRange', PERIOD) }),
  });

  const enterDateOfBirth = t('validation.enterDateOfBirth');
  const personalData = z.object({
    firstName: requiredText(t('validation.enterFirstName')),
    lastName: requiredText(t('validation.enterLastName')),
    dateOfBirth: z
      .string({ error: enterDateOfBirth })
      .trim()
      .min(1, { error: enterDateOfBirth })
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: t('validation.dateFormat') })
      .refine(isRealDate, { error: t('validation.dateNotReal') })
      .refine((value) => !isRealDate(value) || age(value, new Date()) >= ADULT_YEARS, { error: t('validation.tooYoung', { age: ADULT_YEARS }) })
      .refine((value) => !isRealDate(value) || age(value, new Date()) <= 120, { error: t('validation.checkYear') }),
    nationality: country(t('validation.chooseNationality')),
    addressLine1: requiredText(t('validation.enterStreetAddress'), 200),
    addressLine2: z
      .string()
      .trim()
      .max(200, { error: t('validation.tooLong', { max: 200 }) })
      .optional()
      .default(''),
    city: requiredText(t('validation.enterCity')),
    postalCode: z
      .string({ error: t('validation.enterPostalCode') })
      .trim()
      .min(1, { error: t('validation.enterPostalCode') })
      .max(12, { error: t('validation.tooLong', { max: 12 }) })
      .regex(/^[A-Za-z0-9 -]+$/, { error: t('validation.postalCodeCharacters') }),
    addressCountry: country(t('validation.chooseCountryOfResidence')),
  });

  return {
    consent: z.object({ accepted: z.literal('on', { error: t('validation.consentRequired') }) }),
    product_form: productForm,
    personal_data: personalData,
    identity_document: z.object({ documentType: z.enum(DOCUMENT_TYPES, { error: t('validation.chooseDocumentType') }) }),
    selfie: z.object({}),
  } satisfies Record<StepKind, z.ZodType>;
}

export type StepSchemas = ReturnType<typeof stepSchemasFor>;
export type StepAnswers<K extends StepKind> = z.output<StepSchemas[K]>;

// --- Files -----------------------------------------------------------------------------------

export type UploadKind = keyof typeof UPLOAD_TYPES;
export const isUploadKind = (kind: string): kind is UploadKind => kind in UPLOAD_TYPES;

/** The steps answered with a form (a server action) rather than a file (the upload route). */
export type FormStepKind = Exclude<StepKind, UploadKind>;
export const isFormStepKind = (kind: string): kind is FormStepKind => (STEP_KINDS as readonly string[]).includes(kind) && !isUploadKind(kind);

const TYPE_NAMES: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF' };

/** The file's real type from its first bytes (never its name or declared type). */
export function detectFileType(head: Uint8Array): string | undefined {
  const starts = (bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}

/** The limit as a number of megabytes, for messages ("10 MB", "10 Mo"). */
export const UPLOAD_LIMIT_MB = MAX_UPLOAD_BYTES / 1_000_000;

// Rounded up, so a file just over the limit never reads as "10.0 MB; the limit is 10 MB".
const megabytesRoundedUp = (bytes: number) => Math.ceil(bytes / 100_000) / 10;

/** Why a file cannot be sent for this step, in words for the user; undefined when it can. */
export function fileProblem(kind: UploadKind, file: { size: number; head: Uint8Array }, t: StepsTranslator): string | undefined {
  if (file.size === 0) return t('files.empty');
  if (file.size > MAX_UPLOAD_BYTES) return t('files.tooLarge', { size: megabytesRoundedUp(file.size), limit: UPLOAD_LIMIT_MB });
  const type = detectFileType(file.head);
  if (!type) return t('files.notAccepted', { types: t(`files.types.${kind}`) });
  if (!UPLOAD_TYPES[kind].includes(type)) return t('files.wrongType', { type: TYPE_NAMES[type] ?? type, types: t(`files.types.${kind}`) });
  return undefined;
}
