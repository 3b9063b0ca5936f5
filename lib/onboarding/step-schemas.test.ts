import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MAX_UPLOAD_BYTES } from '@guidepost/provider-contracts/finqware';
import { translatorFor } from '@/lib/i18n/server';
import { detectFileType, fileProblem as fileProblemIn, isFormStepKind, isUploadKind, stepSchemasFor, type UploadKind } from './step-schemas';

// The schemas as an English request builds them (a French one: at the end).
const en = translatorFor('en', 'onboardingSteps');
const stepSchemas = stepSchemasFor(en);
const {
  consent: consentSchema,
  product_form: productFormSchema,
  personal_data: personalDataSchema,
  identity_document: identityDocumentSchema,
  selfie: selfieSchema,
} = stepSchemas;
const fileProblem = (kind: UploadKind, file: { size: number; head: Uint8Array }) => fileProblemIn(kind, file, en);

// The form shows the first message of a field, so that is the one asserted.
function firstErrors(schema: z.ZodType, input: Record<string, unknown>): Record<string, string | undefined> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected a failure for ${JSON.stringify(input)}`);
  const fieldErrors = z.flattenError(result.error).fieldErrors as Record<string, string[] | undefined>;
  return Object.fromEntries(Object.entries(fieldErrors).map(([name, messages]) => [name, messages?.[0]]));
}

const AMOUNT_FORMAT = 'Enter an amount like 100000 or 2500.50 (at most 2 decimals).';

describe('productFormSchema', () => {
  const valid = { amount: '100000', currency: 'EUR', period: '12' };
  const parse = (overrides: Record<string, unknown>) => productFormSchema.safeParse({ ...valid, ...overrides });
  const errorOf = (overrides: Record<string, unknown>) => firstErrors(productFormSchema, { ...valid, ...overrides });

  it('accepts the example of the provider’s documentation as it is', () => {
    expect(parse({})).toEqual({ success: true, data: valid });
  });

  it('reads an amount typed with thousands spaces and a decimal comma', () => {
    expect(parse({ amount: '2 500,50' }).data?.amount).toBe('2500.50');
    expect(parse({ amount: ' 2\u00a0500,5 ' }).data?.amount).toBe('2500.5');
    expect(parse({ amount: '007' }).data?.amount).toBe('7');
  });

  it.each([
    ['-5', AMOUNT_FORMAT],
    ['0', 'The amount must be more than 0.'],
    ['0.00', 'The amount must be more than 0.'],
    ['1.234', AMOUNT_FORMAT],
    ['abc', AMOUNT_FORMAT],
    ['1e5', AMOUNT_FORMAT],
    ['10000000.01', 'The amount must be at most 10,000,000.'],
    ['', 'Enter an amount.'],
    ['   ', 'Enter an amount.'],
  ])('refuses the amount %j: “%s”', (amount, message) => {
    expect(errorOf({ amount }).amount).toBe(message);
  });

  it('asks for an amount when the field is missing', () => {
    expect(errorOf({ amount: undefined }).amount).toBe('Enter an amount.');
  });

  it('accepts every listed currency and refuses any other', () => {
    expect(parse({ currency: 'GBP' }).success).toBe(true);
    expect(errorOf({ currency: 'XYZ' }).currency).toBe('Choose a currency from the list.');
    expect(errorOf({ currency: 'eur' }).currency).toBe('Choose a currency from the list.');
    expect(errorOf({ currency: '' }).currency).toBe('Choose a currency from the list.');
  });

  it('accepts a period from 1 to 120 months', () => {
    expect(parse({ period: '1' }).data?.period).toBe('1');
    expect(parse({ period: ' 120 ' }).data?.period).toBe('120');
  });

  it.each([
    ['0', 'Choose a period between 1 and 120 months.'],
    ['121', 'Choose a period between 1 and 120 months.'],
    ['1.5', 'Enter a whole number of months, like 12.'],
    ['-1', 'Enter a whole number of months, like 12.'],
    ['', 'Enter a period in months.'],
  ])('refuses the period %j: “%s”', (period, message) => {
    expect(errorOf({ period }).period).toBe(message);
  });
});

describe('personalDataSchema', () => {
  // Age checks depend on today: the clock is fixed so the boundaries are exact.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-15T10:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const valid = {
    firstName: 'Ana',
    lastName: 'Popescu',
    dateOfBirth: '1985-04-23',
    nationality: 'RO',
    addressLine1: 'Strada Lipscani 12',
    addressLine2: '',
    city: 'București',
    postalCode: '030031',
    addressCountry: 'RO',
  };
  const parse = (overrides: Record<string, unknown>) => personalDataSchema.safeParse({ ...valid, ...overrides });
  const errorOf = (overrides: Record<string, unknown>) => firstErrors(personalDataSchema, { ...valid, ...overrides });

  it('accepts complete details, trimming what was typed and upper-casing country codes', () => {
    const result = parse({ firstName: '  Ana ', nationality: 'ro', addressCountry: ' de ' });
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ firstName: 'Ana', nationality: 'RO', addressCountry: 'DE' });
  });

  it('keeps address line 2 optional', () => {
    expect(parse({ addressLine2: undefined }).data?.addressLine2).toBe('');
    expect(parse({ addressLine2: ' Bloc A ' }).data?.addressLine2).toBe('Bloc A');
  });

  it('asks for each required field by name', () => {
    const errors = firstErrors(personalDataSchema, {});
    expect(errors).toEqual({
      firstName: 'Enter your first name.',
      lastName: 'Enter your last name.',
      dateOfBirth: 'Enter your date of birth.',
      nationality: 'Choose your nationality.',
      addressLine1: 'Enter your street address.',
      city: 'Enter your city.',
      postalCode: 'Enter your postal code.',
      addressCountry: 'Choose your country of residence.',
    });
    expect(errorOf({ firstName: '   ' }).firstName).toBe('Enter your first name.');
    expect(errorOf({ nationality: '' }).nationality).toBe('Choose your nationality.');
  });

  it('refuses names that are too long', () => {
    expect(errorOf({ lastName: 'x'.repeat(101) }).lastName).toBe('Use at most 100 characters.');
    expect(errorOf({ addressLine1: 'x'.repeat(201) }).addressLine1).toBe('Use at most 200 characters.');
  });

  it('refuses a date that does not exist', () => {
    expect(errorOf({ dateOfBirth: '2023-02-30' }).dateOfBirth).toBe('This date does not exist.');
    expect(errorOf({ dateOfBirth: '1990-13-01' }).dateOfBirth).toBe('This date does not exist.');
  });

  it('accepts 29 February of a leap year', () => {
    expect(parse({ dateOfBirth: '2000-02-29' }).success).toBe(true);
  });

  it.each(['23/04/1985', '1985-4-23', '85-04-23', 'yesterday'])('refuses the date format %j', (dateOfBirth) => {
    expect(errorOf({ dateOfBirth }).dateOfBirth).toBe('Enter the date as YYYY-MM-DD, like 1985-04-23.');
  });

  it('refuses anyone under 18, counting to the day', () => {
    expect(parse({ dateOfBirth: '2007-06-15' }).success).toBe(true);
    expect(errorOf({ dateOfBirth: '2007-06-16' }).dateOfBirth).toBe('You must be at least 18 years old.');
    expect(errorOf({ dateOfBirth: '2020-01-01' }).dateOfBirth).toBe('You must be at least 18 years old.');
  });

  it('refuses a date of birth more than 120 years ago', () => {
    expect(parse({ dateOfBirth: '1905-06-15' }).success).toBe(true);
    expect(errorOf({ dateOfBirth: '1904-06-14' }).dateOfBirth).toBe('Check the year of your date of birth.');
  });

  it('refuses a country that is not in the list', () => {
    expect(errorOf({ nationality: 'ZZ' }).nationality).toBe('Choose a country from the list.');
    expect(errorOf({ addressCountry: 'XK' }).addressCountry).toBe('Choose a country from the list.');
  });

  it('accepts postal codes with letters, spaces and dashes, and refuses other characters', () => {
    expect(parse({ postalCode: 'SW1A 1AA' }).success).toBe(true);
    expect(parse({ postalCode: '00-950' }).success).toBe(true);
    expect(errorOf({ postalCode: '75#001' }).postalCode).toBe('Use only letters, digits, spaces and dashes.');
    expect(errorOf({ postalCode: '1234567890123' }).postalCode).toBe('Use at most 12 characters.');
  });
});

describe('identityDocumentSchema and selfieSchema', () => {
  it('accepts each listed document type and refuses others', () => {
    for (const documentType of ['passport', 'id_card', 'driving_licence']) {
      expect(identityDocumentSchema.safeParse({ documentType }).success).toBe(true);
    }
    expect(firstErrors(identityDocumentSchema, { documentType: 'library_card' }).documentType).toBe('Choose the kind of document.');
    expect(firstErrors(identityDocumentSchema, {}).documentType).toBe('Choose the kind of document.');
  });

  it('asks nothing besides the file for a selfie', () => {
    expect(selfieSchema.safeParse({}).success).toBe(true);
  });
});

describe('consentSchema', () => {
  it('accepts a ticked box, as a browser sends it', () => {
    expect(consentSchema.safeParse({ accepted: 'on' }).success).toBe(true);
  });

  it('refuses a missing consent with a message that says what to do', () => {
    const message = 'Tick the box to give your consent, or leave the onboarding.';
    expect(firstErrors(consentSchema, {}).accepted).toBe(message);
    expect(firstErrors(consentSchema, { accepted: '' }).accepted).toBe(message);
    expect(firstErrors(consentSchema, { accepted: 'true' }).accepted).toBe(message);
  });
});

describe('stepSchemas', () => {
  it('has one schema per step kind', () => {
    expect(Object.keys(stepSchemas).sort()).toEqual(['consent', 'identity_document', 'personal_data', 'product_form', 'selfie']);
  });

  it('tells the steps answered with a form from those answered with a file', () => {
    expect(Object.keys(stepSchemas).filter(isFormStepKind).sort()).toEqual(['consent', 'personal_data', 'product_form']);
    expect(isFormStepKind('unknown')).toBe(false);
  });
});

// --- Files -----------------------------------------------------------------------------------

const bytes = (...values: number[]) => {
  const head = new Uint8Array(16);
  head.set(values);
  return head;
};
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d);
const PDF = new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3');
const TEXT = new TextEncoder().encode('hello');

describe('detectFileType', () => {
  it('recognises each accepted format by its first bytes', () => {
    expect(detectFileType(JPEG)).toBe('image/jpeg');
    expect(detectFileType(PNG)).toBe('image/png');
    expect(detectFileType(PDF)).toBe('application/pdf');
  });

  it('recognises nothing else, whatever the file is called', () => {
    expect(detectFileType(TEXT)).toBeUndefined();
    expect(detectFileType(new Uint8Array())).toBeUndefined();
    // GIF and a PNG signature cut short.
    expect(detectFileType(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(detectFileType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeUndefined();
  });
});

describe('fileProblem', () => {
  it('accepts JPEG, PNG and PDF for an identity document', () => {
    expect(fileProblem('identity_document', { size: 200_000, head: JPEG })).toBeUndefined();
    expect(fileProblem('identity_document', { size: 200_000, head: PNG })).toBeUndefined();
    expect(fileProblem('identity_document', { size: 200_000, head: PDF })).toBeUndefined();
  });

  it('accepts JPEG and PNG for a selfie', () => {
    expect(fileProblem('selfie', { size: 200_000, head: JPEG })).toBeUndefined();
    expect(fileProblem('selfie', { size: 200_000, head: PNG })).toBeUndefined();
  });

  it('refuses a PDF for a selfie', () => {
    expect(fileProblem('selfie', { size: 200_000, head: PDF })).toBe('A PDF file cannot be used here. Use JPEG or PNG.');
  });

  it('refuses an empty file', () => {
    expect(fileProblem('selfie', { size: 0, head: new Uint8Array() })).toBe('This file is empty. Choose the photo or scan again.');
  });

  it('accepts exactly 10 MB (10,000,000 bytes, as the message says) and refuses one byte more', () => {
    expect(MAX_UPLOAD_BYTES).toBe(10_000_000);
    expect(fileProblem('identity_document', { size: 10_000_000, head: JPEG })).toBeUndefined();
    // Rounded up, so a file over the limit never reads as the limit itself.
    expect(fileProblem('identity_document', { size: 10_000_001, head: JPEG })).toBe('This file is 10.1 MB; the limit is 10 MB. Use a smaller photo or scan.');
    // 10 MiB, which the old limit allowed.
    expect(fileProblem('identity_document', { size: 10 * 1024 * 1024, head: JPEG })).toBe(
      'This file is 10.5 MB; the limit is 10 MB. Use a smaller photo or scan.',
    );
  });

  it('refuses a text file renamed .jpg, judging by its content', () => {
    expect(fileProblem('identity_document', { size: 5, head: TEXT })).toBe(
      'This file is not a JPEG, PNG or PDF file, whatever its name says. Choose a photo or a scan in one of these formats.',
    );
    expect(fileProblem('selfie', { size: 5, head: TEXT })).toBe(
      'This file is not a JPEG or PNG file, whatever its name says. Choose a photo or a scan in one of these formats.',
    );
  });

  it('knows which kinds are uploads', () => {
    expect(isUploadKind('selfie')).toBe(true);
    expect(isUploadKind('identity_document')).toBe(true);
    expect(isUploadKind('consent')).toBe(false);
  });
});

describe('in French', () => {
  const fr = translatorFor('fr', 'onboardingSteps');
  const schemas = stepSchemasFor(fr);

  it('says each field error in French, with French numbers', () => {
    expect(firstErrors(schemas.product_form, { amount: '10000000.01', currency: 'EUR', period: '121' })).toEqual({
      amount: 'Le montant ne peut pas dépasser 10\u202f000\u202f000.',
      period: 'Choisissez une durée comprise entre 1 et 120\u00a0mois.',
    });
    expect(firstErrors(schemas.personal_data, {}).firstName).toBe('Saisissez votre prénom.');
    expect(firstErrors(schemas.identity_document, {}).documentType).toBe('Choisissez le type de pièce d’identité.');
    expect(firstErrors(schemas.consent, {}).accepted).toBe('Cochez la case pour donner votre consentement, ou quittez la souscription.');
  });

  it('says why a file cannot be used in French, sizes in Mo with a decimal comma', () => {
    expect(fileProblemIn('identity_document', { size: 10_000_001, head: JPEG }, fr)).toBe(
      'Ce fichier fait 10,1\u00a0Mo\u00a0; la limite est de 10\u00a0Mo. Utilisez une photo ou un scan plus léger.',
    );
    expect(fileProblemIn('selfie', { size: 200_000, head: PDF }, fr)).toBe('Un fichier PDF ne convient pas ici. Utilisez le format JPEG ou PNG.');
  });
});
