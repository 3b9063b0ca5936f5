import 'server-only';
import { cookies } from 'next/headers';
import { getEnv } from '@/lib/env';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, type Locale } from './locales';

/** Remembers a language on this browser (the switch's cookie, lib/i18n/locales.ts), for every visitor, signed in or not. */
export async function rememberLocale(locale: Locale): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, locale, {
    httpOnly: true,
    sameSite: 'lax',
    secure: getEnv().appUrl.startsWith('https:'),
    path: '/',
    maxAge: LOCALE_COOKIE_MAX_AGE,
  });
}
