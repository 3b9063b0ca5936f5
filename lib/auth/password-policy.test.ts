import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './password-policy';

describe('passwordWeakness', () => {
  it('refuses passwords made of common French words, with the usual message', async () => {
    for (const password of ['Motdepasse2026!', 'motdepasse-2026', 'Jetaime2026!']) {
      expect(await passwordWeakness(password), password).toMatch(/^This password is too easy to guess.*Try a longer phrase of unrelated words\.$/);
    }
  });

  it('still refuses common English passwords', async () => {
    expect(await passwordWeakness('Password2026!')).toMatch(/too easy to guess/);
  });

  it('accepts a phrase of unrelated words, English or French', async () => {
    // The password the sign-up tests and the end-to-end specs use.
    expect(await passwordWeakness('orbit-lantern-velvet-73')).toBeUndefined();
    expect(await passwordWeakness('girafe-horloge-nuage-58')).toBeUndefined();
  });
});

describe('passwordWeakness for a French user', () => {
  it('says why in French, zxcvbn’s advice included, with French typography', async () => {
    const weak = await passwordWeakness('Motdepasse2026!', [], 'fr');
    expect(weak).toMatch(
      /^Ce mot de passe est trop facile à deviner(\u00a0: [a-zé][^'"]*)?\. Essayez une phrase plus longue, faite de mots sans rapport entre eux\.$/,
    );
    expect(await passwordWeakness('password1234', [], 'fr')).toBe(
      'Ce mot de passe est trop facile à deviner\u00a0: ce mot de passe est similaire à un mot de passe couramment utilisé. Essayez une phrase plus longue, faite de mots sans rapport entre eux.',
    );
    // The language pack's straight quotes become French ones.
    expect(await passwordWeakness('aaaaaaaaaaaaaa', [], 'fr')).toBe(
      'Ce mot de passe est trop facile à deviner\u00a0: les caractères répétés comme «\u00a0aaa\u00a0» sont faciles à deviner. Essayez une phrase plus longue, faite de mots sans rapport entre eux.',
    );
    expect(await passwordWeakness('court', [], 'fr')).toBe('Utilisez au moins 12 caractères.');
    expect(await passwordWeakness('marguerite.delacroix', ['marguerite.delacroix@example.com'], 'fr')).toBe(
      'N’utilisez pas votre adresse e-mail dans votre mot de passe.',
    );
  });

  it('keeps zxcvbn’s English advice for an English user', async () => {
    expect(await passwordWeakness('password1234', [], 'en')).toBe(
      'This password is too easy to guess: This is similar to a commonly used password. Try a longer phrase of unrelated words.',
    );
  });
});
