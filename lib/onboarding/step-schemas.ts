import { z } from 'zod';
import { isCountryCode } from '@/lib/company/countries';
import { DOCUMENT_TYPES, type StepKind } from '@guidepost/provider-contracts/finqware';
import '@/lib/zod-setup';
import { CURRENCIES, type StepsTranslator } from './step-fields';

// One zod definition per step kind, shared by the step's form (instant messages) and the server
// action or route that sends it (the check that counts). No `server-only`: the browser uses it too.
// What Finqware receives for each step is the server's business: lib/onboarding/finqware-step-data.ts. What the forms
// need before their first check (the currencies, the file rules) is in step-fields.ts, without zod: the forms load
// this module after the page shows.
//
// Messages in the user's language: the schemas are built with a translator of the `onboardingSteps`
// namespace, `useTranslations('onboardingSteps')` in a form, `await translator('onboardingSteps')` on the
// server, so a field error reads the same in the browser's instant check and in the server's answer.

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

// Re-exported for the server's callers, which take everything about steps from here.
export { CURRENCIES, DOCUMENT_TYPES, detectFileType, fileProblem, isFormStepKind, isUploadKind, UPLOAD_LIMIT_MB } from './step-fields';
export type { FormStepKind, StepsTranslator, UploadKind } from './step-fields';

/**
 * A step form's check in the browser: each field's messages when the values are refused, undefined when they pass.
 * `read` gives a field's value by its name. Here rather than in the forms, so zod comes with the schemas.
 */
export function stepFieldErrors(
  t: StepsTranslator,
  kind: StepKind,
  read: (name: string) => string | undefined,
): Record<string, string[] | undefined> | undefined {
  const schema = stepSchemasFor(t)[kind];
  const parsed = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((name) => [name, read(name)])));
  return parsed.success ? undefined : (z.flattenError(parsed.error as z.ZodError).fieldErrors as Record<string, string[] | undefined>);
}
