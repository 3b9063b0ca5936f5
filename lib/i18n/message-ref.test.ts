import { describe, expect, it } from 'vitest';
import { isMessageRef, messageRef } from './message-ref';
import { messageResolver } from './resolve';

describe('message references', () => {
  const english = messageResolver('en');
  const french = messageResolver('fr');

  it('are said in the reader’s language, with their values', () => {
    const ref = messageRef('company.errors.otherIdLength', { min: 2, max: 30 });
    expect(isMessageRef(ref)).toBe(true);
    expect(english(ref)).toBe('Enter between 2 and 30 characters.');
    expect(french(ref)).toBe('Saisissez entre 2 et 30 caractères.');
    expect(french(messageRef('company.errors.sirenLength', { count: 1 }))).toBe('Saisissez un SIREN à 9 chiffres\u00a0: ce numéro comporte 1 chiffre.');
  });

  it('name a country in the reader’s language, and say a reference given as a value in the same language', () => {
    const phone = messageRef('company.errors.phoneInvalidIn', { country: { region: 'DE' } });
    expect(english(phone)).toBe('Enter a valid Germany phone number, or start it with + and its country code.');
    expect(french(phone)).toContain('(Allemagne)');
    const withReference = messageRef('actions.withReference', { sentence: messageRef('auth.errors.wrongCredentials'), reference: 'fq-1' });
    expect(french(withReference)).toBe('L’adresse e-mail ou le mot de passe est incorrect. (référence\u00a0: fq-1)');
    expect(english(withReference)).toBe('The email or password is not right. (Reference: fq-1)');
  });

  it('leave any other text as it is, a sentence already translated or one that only looks like a reference', () => {
    for (const text of ['Déjà traduit.', '', 'i18n:', 'i18n:["broken', 'i18n:[42]', 'i18n:{"a":1}']) {
      expect(french(text)).toBe(text);
    }
  });
});
