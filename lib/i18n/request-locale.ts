import 'server-only';
import { cookies, headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { cache } from 'react';
import { currentUser } from '@/lib/auth/dal';
import { LOCALE_COOKIE, resolveLocale, type Locale } from './locales';

/**
 * The language of this request: the signed-in user's saved preference, else the switch's cookie, else the browser's
 * Accept-Language, else French. Pages, server actions and route handlers all answer in it.
 */
export const requestLocale = cache(async (): Promise<Locale> => {
  const [cookieStore, headerList, user] = await Promise.all([cookies(), headers(), currentUser()]);
  return resolveLocale({ saved: user?.locale, chosen: cookieStore.get(LOCALE_COOKIE)?.value, acceptLanguage: headerList.get('accept-language') });
});

/** The request's language, or English outside a request (a worker, a script, a unit test: nobody reads it but us). */
export async function serverLocale(): Promise<Locale> {
  try {
    return await requestLocale();
  } catch (error) {
    unstable_rethrow(error);
    return 'en';
  }
}
