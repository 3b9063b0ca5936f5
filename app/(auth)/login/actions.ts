'use server';

import { AuthError } from 'next-auth';
import { cookies, headers } from 'next/headers';
import { noticeLoginFromNewDevice } from '@/lib/account/security-notices';
import { redirect } from 'next/navigation';
import { stateAction } from '@/lib/actions/action';
import { refused } from '@/lib/actions/result';
import { loginSchema } from '@/lib/account/schemas';
import { isLoginRateLimited, signIn } from '@/lib/auth/config';
import { FLOW_COOKIE, safeReturnPath, unsealFlowState } from '@/lib/auth/flow-state';
import { rememberThisDevice } from '@/lib/auth/known-device';
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
    const jar = await cookies();
    const requestHeaders = await headers();
    // A browser the account was never used in: the user is told by email, before the cookie below makes it known.
    await noticeLoginFromNewDevice(credentials.email, { cookieHeader: requestHeaders.get('cookie'), userAgent: requestHeaders.get('user-agent') });
    // This browser now knows the account: strangers' failures cannot lock it out (lib/auth/known-device.ts).
    await rememberThisDevice(credentials.email);
    const flow = await unsealFlowState(jar.get(FLOW_COOKIE)?.value);
    jar.delete(FLOW_COOKIE);
    // Back where the user was: the page the proxy sent here, else the one a session end sent here (the form's
    // returnTo, from the login page's `next`), checked as a path of ours.
    redirect(safeReturnPath(flow.returnTo) ?? safeReturnPath(fields.returnTo) ?? '/');
  },
});
