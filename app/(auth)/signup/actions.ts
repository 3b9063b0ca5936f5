'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { stateAction } from '@/lib/actions/action';
import { invalidFields, refused } from '@/lib/actions/result';
import { signupSchema } from '@/lib/account/schemas';
import { signUp } from '@/lib/account/service';
import { signIn } from '@/lib/auth/config';
import { rememberThisDevice } from '@/lib/auth/known-device';
import { clientIp } from '@/lib/auth/login';
import { waitMessage } from '@/lib/auth/rate-limit';

export const signupAction = stateAction({
  name: 'auth.signup',
  access: 'public',
  input: signupSchema,
  keep: ['email'],
  async run(account) {
    const outcome = await signUp({ ...account, ip: clientIp(await headers()) });
    if (!outcome.ok) {
      if ('reason' in outcome) return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
      return invalidFields({ [outcome.field]: [outcome.message] });
    }
    await signIn('credentials', { email: account.email, password: account.password, redirect: false });
    await rememberThisDevice(account.email);
    redirect('/settings/company');
  },
});
