import { z } from 'zod';
import { isCountryCode } from '@/lib/company/countries';
import { MAX_UPLOAD_BYTES, UPLOAD_LIMIT_TEXT, UPLOAD_TYPES, type StepKind } from '@guidepost/provider-contracts/finqware';
import '@/lib/zod-setup';

// One zod definition per step kind, shared by the step's form (instant messages) and the server
// action or route that sends it (the check that counts). No `server-only`: the browser uses it too.
// What Finqware receives for each step is the server's business: lib/onboarding/finqware-step-data.ts.

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'RON', 'PLN', 'SEK', 'DKK', 'NOK', 'CZK', 'HUF'] as const;
export const DOCUMENT_TYPES = { passport: 'Passport', id_card: 'National identity card', driving_licence: 'Driving licence' } as const;

const requiredText = (what: string, max = 100) =>
  z
    .string({ error: `Enter your ${what}.` })
    .trim()
    .min(1, { error: `Enter your ${what}.` })
    .max(max, { error: `Use at most ${max} characters.` });

const country = (what: string) =>
  z
    .string({ error: `Choose your ${what}.` })
    .trim()
    .toUpperCase()
    .refine((code) => code !== '', { error: `Choose your ${what}.` })
    .refine((code) => code === '' || isCountryCode(code), { error: 'Choose a country from the list.' });

// Money is a decimal string, never a float.
const amount = z
  .string({ error: 'Enter an amount.' })
  .trim()
  .transform((value) => value.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'))
  .pipe(
    z
      .string()
      .min(1, { error: 'Enter an amount.' })
      .regex(/^\d+(\.\d{1,2})?$/, { error: 'Enter an amount like 100000 or 2500.50 (at most 2 decimals).' })
      .refine((value) => Number(value) > 0, { error: 'The amount must be more than 0.' })
      .refine((value) => Number(value) <= 10_000_000, { error: 'The amount must be at most 10,000,000.' })
      .transform((value) => value.replace(/^0+(?=\d)/, '')),
  );

export const productFormSchema = z.object({
  amount,
  currency: z.enum(CURRENCIES, { error: 'Choose a currency from the list.' }),
  period: z
    .string({ error: 'Enter a period in months.' })
    .trim()
    .min(1, { error: 'Enter a period in months.' })
    .regex(/^\d+$/, { error: 'Enter a whole number of months, like 12.' })
    .refine((value) => Number(value) >= 1 && Number(value) <= 120, { error: 'Choose a period between 1 and 120 months.' }),
});

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

export const personalDataSchema = z.object({
  firstName: requiredText('first name'),
  lastName: requiredText('last name'),
  dateOfBirth: z
    .string({ error: 'Enter your date of birth.' })
    .trim()
    .min(1, { error: 'Enter your date of birth.' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Enter the date as YYYY-MM-DD, like 1985-04-23.' })
    .refine(isRealDate, { error: 'This date does not exist.' })
    .refine((value) => !isRealDate(value) || age(value, new Date()) >= 18, { error: 'You must be at least 18 years old.' })
    .refine((value) => !isRealDate(value) || age(value, new Date()) <= 120, { error: 'Check the year of your date of birth.' }),
  nationality: country('nationality'),
  addressLine1: requiredText('street address', 200),
  addressLine2: z.string().trim().max(200, { error: 'Use at most 200 characters.' }).optional().default(''),
  city: requiredText('city'),
  postalCode: z
    .string({ error: 'Enter your postal code.' })
    .trim()
    .min(1, { error: 'Enter your postal code.' })
    .max(12, { error: 'Use at most 12 characters.' })
    .regex(/^[A-Za-z0-9 -]+$/, { error: 'Use only letters, digits, spaces and dashes.' }),
  addressCountry: country('country of residence'),
});

export const identityDocumentSchema = z.object({
  documentType: z.enum(Object.keys(DOCUMENT_TYPES) as [keyof typeof DOCUMENT_TYPES], { error: 'Choose the kind of document.' }),
});

export const selfieSchema = z.object({});

export const consentSchema = z.object({
  accepted: z.literal('on', { error: 'Tick the box to give your consent, or leave the onboarding.' }),
});

export const stepSchemas = {
  consent: consentSchema,
  product_form: productFormSchema,
  personal_data: personalDataSchema,
  identity_document: identityDocumentSchema,
  selfie: selfieSchema,
} satisfies Record<StepKind, z.ZodType>;

export type StepAnswers<K extends StepKind> = z.output<(typeof stepSchemas)[K]>;

// --- Files -----------------------------------------------------------------------------------

export type UploadKind = keyof typeof UPLOAD_TYPES;
export const isUploadKind = (kind: string): kind is UploadKind => kind in UPLOAD_TYPES;

/** The steps answered with a form (a server action) rather than a file (the upload route). */
export type FormStepKind = Exclude<StepKind, UploadKind>;
export const isFormStepKind = (kind: string): kind is FormStepKind => kind in stepSchemas && !isUploadKind(kind);

const TYPE_NAMES: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF' };
export function acceptedTypesText(kind: UploadKind): string {
  const names = UPLOAD_TYPES[kind].map((type) => TYPE_NAMES[type] ?? type);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

/** The file's real type from its first bytes (never its name or declared type). */
export function detectFileType(head: Uint8Array): string | undefined {
  const starts = (bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}

// Rounded up, so a file just over the limit never reads as "10.0 MB; the limit is 10 MB".
const megabytesRoundedUp = (bytes: number) => (Math.ceil(bytes / 100_000) / 10).toFixed(1);

/** Why a file cannot be sent for this step, in words for the user; undefined when it can. */
export function fileProblem(kind: UploadKind, file: { size: number; head: Uint8Array }): string | undefined {
  if (file.size === 0) return 'This file is empty. Choose the photo or scan again.';
  if (file.size > MAX_UPLOAD_BYTES) return `This file is ${megabytesRoundedUp(file.size)} MB; the limit is ${UPLOAD_LIMIT_TEXT}. Use a smaller photo or scan.`;
  const type = detectFileType(file.head);
  if (!type) return `This file is not a ${acceptedTypesText(kind)} file, whatever its name says. Choose a photo or a scan in one of these formats.`;
  if (!UPLOAD_TYPES[kind].includes(type)) return `A ${TYPE_NAMES[type]} file cannot be used here. Use ${acceptedTypesText(kind)}.`;
  return undefined;
}
