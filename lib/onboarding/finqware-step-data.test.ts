import { describe, expect, it, vi } from 'vitest';
import { toFinqwareData } from './finqware-step-data';
import { translatorFor } from '@/lib/i18n/server';
import { stepSchemasFor } from './step-schemas';

const { personal_data: personalDataSchema, product_form: productFormSchema } = stepSchemasFor(translatorFor('en', 'onboardingSteps'));

// Finqware's step `data` from answers the step schemas accepted (the server's side of a step).

describe('toFinqwareData', () => {
  it('sends the product form as the provider documents it: value, currency and period as strings', () => {
    const answers = productFormSchema.parse({ amount: '100 000', currency: 'EUR', period: '12' });
    expect(toFinqwareData('product_form', answers)).toEqual({ value: '100000', currency: 'EUR', period: '12' });
  });

  it('keeps the amount a decimal string, never a float', () => {
    const answers = productFormSchema.parse({ amount: '2500,50', currency: 'USD', period: '6' });
    expect(toFinqwareData('product_form', answers)).toEqual({ value: '2500.50', currency: 'USD', period: '6' });
  });

  it('maps personal details to snake_case with a nested address', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-15T10:00:00Z'));
    try {
      const answers = personalDataSchema.parse({
        firstName: 'Ana',
        lastName: 'Popescu',
        dateOfBirth: '1985-04-23',
        nationality: 'ro',
        addressLine1: 'Strada Lipscani 12',
        addressLine2: 'Bloc A',
        city: 'București',
        postalCode: '030031',
        addressCountry: 'RO',
      });
      expect(toFinqwareData('personal_data', answers)).toEqual({
        first_name: 'Ana',
        last_name: 'Popescu',
        date_of_birth: '1985-04-23',
        nationality: 'RO',
        address: { line1: 'Strada Lipscani 12', line2: 'Bloc A', city: 'București', postal_code: '030031', country: 'RO' },
      });
      const withoutLine2 = toFinqwareData('personal_data', { ...answers, addressLine2: '' }) as { address: Record<string, string> };
      expect(withoutLine2.address).not.toHaveProperty('line2');
    } finally {
      vi.useRealTimers();
    }
  });

  it('maps consent, the document type and the selfie', () => {
    expect(toFinqwareData('consent', { accepted: 'on' })).toEqual({ accepted: true });
    expect(toFinqwareData('identity_document', { documentType: 'passport' })).toEqual({ document_type: 'passport' });
    expect(toFinqwareData('selfie', {})).toEqual({});
  });
});
