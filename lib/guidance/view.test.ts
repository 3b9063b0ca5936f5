import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Locale } from '@/lib/i18n/locales';
import { finished, notShown, shown } from './view';

// The request's language, as lib/i18n/request-locale.ts would resolve it (English outside a request).
const language = vi.hoisted(() => ({ current: 'en' as Locale }));
vi.mock('@/lib/i18n/request-locale', () => ({ serverLocale: async () => language.current }));

afterEach(() => {
  language.current = 'en';
});

const opened = {
  ok: true as const,
  session: { id: '3f2a9c1b-0000-4000-8000-000000000001', url: 'https://guidance.example/session/1' },
  password: 'p'.repeat(20),
  expiresAt: new Date('2026-03-01T10:30:00Z'),
};

describe('the guidance results', () => {
  it('carries the password only in the answer that shows it', async () => {
    expect(await shown(opened)).toEqual({
      ok: true,
      data: { kind: 'shown', sessionId: opened.session.id, url: opened.session.url, password: opened.password, expiresAt: '2026-03-01T10:30:00.000Z' },
    });
    expect(await shown(opened, 'old-session')).toMatchObject({ ok: true, data: { replaced: 'old-session' } });
    expect(await shown({ ok: false, reason: 'duplicate' })).toEqual({ ok: true, data: { kind: 'duplicate' } });
  });

  it('counts the wait in whole minutes, one or many', async () => {
    expect(await shown({ ok: false, reason: 'rate_limited', retryAfterSeconds: 30 })).toEqual({
      ok: false,
      error: 'rate_limited',
      message: 'You have opened the most guidance sessions allowed in a short time. Please wait 1 minute before opening another.',
    });
    expect(await shown({ ok: false, reason: 'rate_limited', retryAfterSeconds: 541 })).toMatchObject({
      message: expect.stringContaining('Please wait 10 minutes'),
    });
  });

  it('says first that a leaked password is gone when no replacement could be opened', async () => {
    expect(await shown({ ok: false, reason: 'provider', code: 'unavailable' }, 'old-session')).toEqual({
      ok: false,
      error: 'upstream',
      message: 'The old password is invalidated, but no new session could be opened. Bridge is not answering right now. Please try again in a few minutes.',
    });
    expect(await shown({ ok: false, reason: 'profile_incomplete', missing: ['A contact email address'] })).toEqual({
      ok: false,
      error: 'invalid_input',
      message: 'Your company profile is missing details.',
      details: ['A contact email address'],
    });
  });

  it('tells a report that came second whether a replacement exists', async () => {
    expect(await shown({ ok: false, reason: 'already_reported', replacedBy: 'new-session' })).toMatchObject({
      error: 'conflict',
      message: expect.stringContaining('replaced by a new session'),
    });
    expect(await shown({ ok: false, reason: 'already_reported', replacedBy: null })).toMatchObject({
      error: 'conflict',
      message: 'This password was already reported as leaked and is invalidated. Open a new session to get a new password.',
    });
  });

  it('says why a password cannot be shown again, and an unknown session like any other unknown id', async () => {
    expect(await notShown('not_found')).toEqual({ ok: false, error: 'not_found', message: 'This guidance session was not found.' });
    expect(await notShown('expired')).toEqual({
      ok: false,
      error: 'conflict',
      message: 'This password has expired and can no longer be shown. Open a new session to get a new one.',
    });
    expect(await notShown('invalidated')).toMatchObject({ error: 'conflict', message: 'This password was invalidated because it may have leaked.' });
    expect(await finished()).toEqual({ ok: true, data: { kind: 'done' }, message: 'Done: the password is deleted from Guidepost.' });
  });

  it('answers a French reader in French, Bridge’s failures included', async () => {
    language.current = 'fr';
    expect(await notShown('not_found')).toMatchObject({ message: 'Cette session d’accompagnement est introuvable.' });
    expect(await finished()).toMatchObject({ message: 'C’est fait\u00a0: le mot de passe est supprimé de Guidepost.' });
    expect(await shown({ ok: false, reason: 'provider', code: 'unavailable' }, 'old-session')).toMatchObject({
      message:
        'L’ancien mot de passe est invalidé, mais aucune nouvelle session n’a pu être ouverte. Bridge ne répond pas pour le moment. Veuillez réessayer dans quelques minutes.',
    });
    expect(await shown({ ok: false, reason: 'rate_limited', retryAfterSeconds: 120 })).toMatchObject({
      message: expect.stringContaining('patienter 2 minutes'),
    });
  });
});
