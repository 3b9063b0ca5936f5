import { describe, expect, it } from 'vitest';
import { negotiateLocale, resolveLocale } from './locales';

describe('negotiateLocale', () => {
  it('takes the first of our languages in the browser’s order of preference', () => {
    expect(negotiateLocale('fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('fr');
    expect(negotiateLocale('en-GB,en;q=0.9,fr;q=0.8')).toBe('en');
    expect(negotiateLocale('de-DE,de;q=0.9,en;q=0.5,fr;q=0.4')).toBe('en');
    // Weights, not order, decide.
    expect(negotiateLocale('en;q=0.2,fr-CA;q=0.9')).toBe('fr');
  });

  it('names none of ours: undefined', () => {
    expect(negotiateLocale('de-DE,de;q=0.9')).toBeUndefined();
    expect(negotiateLocale('')).toBeUndefined();
    expect(negotiateLocale(null)).toBeUndefined();
    expect(negotiateLocale('*')).toBeUndefined();
    expect(negotiateLocale('fr;q=0')).toBeUndefined();
  });
});

describe('resolveLocale', () => {
  it('the saved preference, then the switch’s cookie, then the browser, then French', () => {
    expect(resolveLocale({ saved: 'en', chosen: 'fr', acceptLanguage: 'fr' })).toBe('en');
    expect(resolveLocale({ saved: null, chosen: 'en', acceptLanguage: 'fr' })).toBe('en');
    expect(resolveLocale({ saved: null, chosen: undefined, acceptLanguage: 'en-US,en;q=0.9' })).toBe('en');
    expect(resolveLocale({ acceptLanguage: 'de' })).toBe('fr');
    expect(resolveLocale({})).toBe('fr');
  });

  it('ignores values that are not one of our languages (a tampered cookie)', () => {
    expect(resolveLocale({ saved: 'de', chosen: 'xx"; drop', acceptLanguage: 'en' })).toBe('en');
  });
});
