'use server';

import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { findUserByEmail } from '@/lib/account/users';
import { stateAction } from '@/lib/actions/action';
import { refused } from '@/lib/actions/result';
import { loginSchema } from '@/lib/account/schemas';
import { isLoginRateLimited, signIn } from '@/lib/auth/config';
import { safeReturnPath } from '@/lib/auth/flow-state';
import { secondFactorStepFor } from '@/lib/auth/two-factor/factors';
import { finishLogin } from '@/lib/auth/two-factor/login';
import { translator } from '@/lib/i18n/server';

export const loginAction = stateAction({
  name: 'auth.login',
  access: 'public',
  input: loginSchema,
  keep: ['email'],
  async run(credentials, { fields }) {
    try {
      // The time zone only when the browser sent one: next-auth would post an absent value as the text "undefined".
      const { timeZone, ...rest } = credentials;
      await signIn('credentials', { ...rest, ...(timeZone ? { timeZone } : {}), redirect: false });
    } catch (error) {
      // A rate limit is an AuthError too: the wrapper says how long to wait (lib/actions/errors.ts).
      if (error instanceof AuthError && !isLoginRateLimited(error)) return refused('invalid_input', (await translator('auth'))('errors.wrongCredentials'));
      throw error;
    }
    // The password was right; a second factor may still be due (or, under REQUIRE_2FA, one to set up first).
    const user = await findUserByEmail(credentials.email);
    if (user && (await secondFactorStepFor(user.id))) {
      const next = safeReturnPath(fields.returnTo);
      redirect(`/login/two-factor${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
    }
    // Back where the user was: the page the proxy sent here, else the one a session end sent here (the form's
    // returnTo, from the login page's `next`), checked as a path of ours.
    redirect(await finishLogin(credentials.email, fields.returnTo));
  },
});
