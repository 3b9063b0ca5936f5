import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveFieldErrors } from '@/lib/i18n/message-ref';
import { messageResolver } from '@/lib/i18n/resolve';
import { translatorFor } from '@/lib/i18n/server';
import { companyProfileSchema, companyProfileValues, missingForGuidance as missingIn, profileToValues, type CompanyProfile } from './schema';

const valid = {
  companyName: 'Acme Conseil',
  countryCode: 'FR',
  identificationNumber: '529196313',
  language: 'fr',
  contactEmail: 'finance@example.fr',
  contactPhone: '',
};

function parse(overrides: Record<string, unknown>) {
  return companyProfileSchema.safeParse({ ...valid, ...overrides });
}

// The schema's messages are references (lib/i18n/message-ref.ts): said here as an English request gets them.
function errorsOf(overrides: Record<string, unknown>, locale: 'en' | 'fr' = 'en') {
  const result = parse(overrides);
  if (result.success) throw new Error(`expected a failure for ${JSON.stringify(overrides)}`);
  return resolveFieldErrors(z.flattenError(result.error).fieldErrors, messageResolver(locale));
}

const english = translatorFor('en', 'company');
const missingForGuidance = (profile: CompanyProfile | undefined) => missingIn(profile, english);

describe('companyProfileSchema', () => {
  it('accepts a complete French profile and stores no phone when none is given', () => {
    expect(parse({})).toEqual({ success: true, data: { ...valid, contactPhone: null } });
    expect(parse({ contactPhone: undefined }).data?.contactPhone).toBeNull();
  });

  describe('country', () => {
    it('accepts a known code, whatever its case', () => {
      expect(parse({ countryCode: 'de', identificationNumber: 'HRB 12345' }).data?.countryCode).toBe('DE');
    });

    it('asks for a country when none is chosen', () => {
      expect(errorsOf({ countryCode: '' }).countryCode).toEqual(['Choose the country your company is registered in.']);
      expect(errorsOf({ countryCode: undefined }).countryCode).toEqual(['Choose the country your company is registered in.']);
    });

    it('refuses an unknown country', () => {
      expect(errorsOf({ countryCode: 'ZZ' }).countryCode).toEqual(['Choose a country from the list.']);
      expect(errorsOf({ countryCode: 'XK' }).countryCode).toEqual(['Choose a country from the list.']);
    });
  });

  describe('French SIREN', () => {
    it('accepts a valid SIREN typed with spaces and keeps the digits only', () => {
      expect(parse({ identificationNumber: '529 196 313' }).data?.identificationNumber).toBe('529196313');
      expect(parse({ identificationNumber: ' 529\u00a0196\u00a0313 ' }).data?.identificationNumber).toBe('529196313');
    });

    it('refuses a SIREN whose check digit is wrong', () => {
      expect(errorsOf({ identificationNumber: '123456789' }).identificationNumber).toEqual([
        'This SIREN’s check digit is wrong: check the number on your Kbis.',
      ]);
    });

    it.each([
      ['', 'Enter your company’s SIREN: the 9-digit number on your Kbis.'],
      ['52919631', 'Enter a 9-digit SIREN: this number has 8 digits.'],
      ['529-196-313', 'A SIREN has digits only, like 529 196 313.'],
      ['FR529196313', 'A SIREN has digits only, like 529 196 313.'],
      ['529 196 313 00011', 'This looks like a SIRET (14 digits): enter the SIREN, its first 9 digits.'],
    ])('refuses %j', (identificationNumber, message) => {
      expect(errorsOf({ identificationNumber }).identificationNumber).toEqual([message]);
    });
  });

  describe('identifier elsewhere', () => {
    it('accepts 2 to 30 letters, digits, spaces, dots and dashes', () => {
      expect(parse({ countryCode: 'GB', identificationNumber: '  SC 123-456.7 ' }).data?.identificationNumber).toBe('SC 123-456.7');
      expect(parse({ countryCode: 'DE', identificationNumber: 'HRB  12345' }).data?.identificationNumber).toBe('HRB 12345');
      expect(parse({ countryCode: 'GB', identificationNumber: 'A1' }).success).toBe(true);
    });

    it.each([
      ['', 'Enter your company identification number.'],
      ['A', 'Enter between 2 and 30 characters.'],
      ['A'.repeat(31), 'Enter between 2 and 30 characters.'],
      ['123/456', 'Use only letters, digits, spaces, dots and dashes.'],
      ['--', 'Enter the number from your company’s registration documents.'],
    ])('refuses %j', (identificationNumber, message) => {
      expect(errorsOf({ countryCode: 'GB', identificationNumber }).identificationNumber).toEqual([message]);
    });

    it('applies the generic rules while the country is unknown, and still reports the country', () => {
      const errors = errorsOf({ countryCode: 'ZZ', identificationNumber: '' });
      expect(errors.countryCode).toEqual(['Choose a country from the list.']);
      expect(errors.identificationNumber).toEqual(['Enter your company identification number.']);
    });
  });

  describe('language', () => {
    it('accepts en and fr only', () => {
      expect(parse({ language: 'en' }).data?.language).toBe('en');
      expect(errorsOf({ language: 'de' }).language).toEqual(['Choose English or Français.']);
      expect(errorsOf({ language: '' }).language).toEqual(['Choose English or Français.']);
    });
  });

  describe('contact email', () => {
    it('accepts an address and trims it', () => {
      expect(parse({ contactEmail: '  anne@example.com ' }).data?.contactEmail).toBe('anne@example.com');
    });

    it.each([
      ['', 'Enter a contact email address.'],
      ['anne@', 'Enter a valid email address, like name@company.com.'],
      ['not an email', 'Enter a valid email address, like name@company.com.'],
      [`${'a'.repeat(250)}@example.com`, 'This email address is too long.'],
    ])('refuses %j', (contactEmail, message) => {
      expect(errorsOf({ contactEmail }).contactEmail).toEqual([message]);
    });
  });

  describe('contact phone number', () => {
    it('reads a French national number relative to France and stores E.164', () => {
      expect(parse({ contactPhone: '06 12 34 56 78' }).data?.contactPhone).toBe('+33612345678');
      expect(parse({ contactPhone: '+33 6 12 34 56 78' }).data?.contactPhone).toBe('+33612345678');
    });

    it('reads numbers relative to the selected country', () => {
      const uk = { countryCode: 'GB', identificationNumber: '01234567' };
      expect(parse({ ...uk, contactPhone: '+44 20 7946 0958' }).data?.contactPhone).toBe('+442079460958');
      expect(parse({ ...uk, contactPhone: '020 7946 0958' }).data?.contactPhone).toBe('+442079460958');
      // A number from another country is fine with its + prefix.
      expect(parse({ ...uk, contactPhone: '+33 6 12 34 56 78' }).data?.contactPhone).toBe('+33612345678');
    });

    it('refuses garbage with its own message', () => {
      expect(errorsOf({ contactPhone: 'call me maybe' }).contactPhone).toEqual(['Use only digits and spaces, with + first for an international number.']);
      expect(errorsOf({ contactPhone: '12' }).contactPhone).toEqual(['Enter a valid phone number, like 06 12 34 56 78 or +33 6 12 34 56 78.']);
      expect(errorsOf({ countryCode: 'GB', identificationNumber: 'SC123', contactPhone: '020 1' }).contactPhone).toEqual([
        'Enter a valid United Kingdom phone number, or start it with + and its country code.',
      ]);
    });

    it('asks for the country code when it cannot tell the country', () => {
      expect(errorsOf({ countryCode: '', contactPhone: '06 12 34 56 78' }).contactPhone).toEqual([
        'Start the number with + and its country code, like +33 6 12 34 56 78.',
      ]);
    });
  });

  it('reports every bad field at once', () => {
    const errors = errorsOf({
      companyName: ' ',
      countryCode: 'FR',
      identificationNumber: '123456789',
      language: 'xx',
      contactEmail: 'nope',
      contactPhone: 'abc',
    });
    expect(Object.keys(errors).sort()).toEqual(['companyName', 'contactEmail', 'contactPhone', 'identificationNumber', 'language']);
    expect(errors.companyName).toEqual(['Enter your company’s name.']);
    expect(Object.values(errors).every((messages) => messages?.length === 1)).toBe(true);
  });

  it('still checks the SIREN when other fields are missing altogether', () => {
    const result = companyProfileSchema.safeParse({ countryCode: 'FR', identificationNumber: '123456789' });
    expect(result.success).toBe(false);
    const errors = resolveFieldErrors(z.flattenError(result.error!).fieldErrors, messageResolver('en'));
    expect(errors.identificationNumber).toEqual(['This SIREN’s check digit is wrong: check the number on your Kbis.']);
    expect(errors.contactEmail).toEqual(['Enter a contact email address.']);
  });
});

describe('companyProfileSchema for a French reader', () => {
  it('says each field error in French, with its numbers and the country in French', () => {
    expect(errorsOf({ identificationNumber: '123456789' }, 'fr').identificationNumber).toEqual([
      'La clé de contrôle de ce SIREN est incorrecte\u00a0: vérifiez le numéro sur votre Kbis.',
    ]);
    expect(errorsOf({ identificationNumber: '52919631' }, 'fr').identificationNumber).toEqual([
      'Saisissez un SIREN à 9 chiffres\u00a0: ce numéro comporte 8 chiffres.',
    ]);
    expect(errorsOf({ identificationNumber: '5' }, 'fr').identificationNumber).toEqual([
      'Saisissez un SIREN à 9 chiffres\u00a0: ce numéro comporte 1 chiffre.',
    ]);
    expect(errorsOf({ countryCode: 'GB', identificationNumber: 'A' }, 'fr').identificationNumber).toEqual(['Saisissez entre 2 et 30 caractères.']);
    expect(errorsOf({ countryCode: 'DE', identificationNumber: 'HRB 1', contactPhone: '030 1' }, 'fr').contactPhone).toEqual([
      'Saisissez un numéro de téléphone valide pour ce pays (Allemagne), ou commencez-le par + et l’indicatif de son pays.',
    ]);
    expect(errorsOf({ companyName: ' ', contactEmail: 'nope' }, 'fr')).toMatchObject({
      companyName: ['Saisissez le nom de votre entreprise.'],
      contactEmail: ['Saisissez une adresse e-mail valide, comme nom@entreprise.fr.'],
    });
  });

  it('names what guidance still needs in French', () => {
    expect(missingIn(undefined, translatorFor('fr', 'company'))).toEqual(['Le profil de votre entreprise']);
  });
});

describe('form values', () => {
  it('reads every field from FormData, missing ones as empty strings', () => {
    const formData = new FormData();
    formData.set('countryCode', 'FR');
    formData.set('contactEmail', 'a@b.co');
    expect(companyProfileValues(formData)).toEqual({
      companyName: '',
      countryCode: 'FR',
      identificationNumber: '',
      language: '',
      contactEmail: 'a@b.co',
      contactPhone: '',
    });
  });

  it('starts a new profile in English and shows a saved one as it is', () => {
    expect(profileToValues(undefined)).toEqual({
      companyName: '',
      countryCode: '',
      identificationNumber: '',
      language: 'en',
      contactEmail: '',
      contactPhone: '',
    });
    expect(profileToValues({ ...valid, language: 'fr', contactPhone: null })).toEqual({ ...valid, contactPhone: '' });
    // A new profile's guidance starts in the portal's language.
    expect(profileToValues(undefined, 'fr').language).toBe('fr');
    expect(profileToValues({ ...valid, language: 'en', contactPhone: null }, 'fr').language).toBe('en');
  });
});

describe('missingForGuidance', () => {
  const profile: CompanyProfile = {
    companyName: 'Acme Conseil',
    countryCode: 'FR',
    identificationNumber: '529196313',
    language: 'fr',
    contactEmail: 'a@b.co',
    contactPhone: null,
  };

  it('needs nothing more for a complete French profile', () => {
    expect(missingForGuidance(profile)).toEqual([]);
  });

  it('asks for the profile when there is none', () => {
    expect(missingForGuidance(undefined)).toEqual(['Your company profile']);
  });

  it('asks for a 9-digit SIREN when the number would not be accepted', () => {
    expect(missingForGuidance({ ...profile, identificationNumber: '123456789' })).toEqual(['A valid 9-digit SIREN']);
    expect(missingForGuidance({ ...profile, countryCode: 'GB', identificationNumber: 'SC123' })).toEqual(['A valid 9-digit SIREN']);
    expect(missingForGuidance({ ...profile, countryCode: 'ZZ', contactEmail: '' })).toEqual([
      'The country your company is registered in',
      'A contact email address',
    ]);
  });
});
