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
