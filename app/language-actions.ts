'use server';

import { z } from 'zod';
import { formAction } from '@/lib/actions/action';
import { done } from '@/lib/actions/result';
import { saveLocale } from '@/lib/account/users';
import { rememberLocale } from '@/lib/i18n/locale-cookie';
import { LOCALES } from '@/lib/i18n/locales';

/**
 * The language switch (header, login and sign-up pages): remembered on this browser by a cookie and, for a
 * signed-in user, saved with the account so it follows them. Setting the cookie re-renders the page in place.
 */
export const switchLanguageAction = formAction(
  {
    name: 'language.switch',
    access: 'optional',
    input: z.object({ locale: z.enum(LOCALES) }),
    async run({ locale }, { user }) {
      if (user) await saveLocale(user.id, locale);
      await rememberLocale(locale);
      return done();
    },
  },
  () => undefined,
);
