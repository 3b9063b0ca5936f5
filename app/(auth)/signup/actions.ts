'use server';

import { headers } from 'next/headers';
import { stateAction } from '@/lib/actions/action';
import { done, invalidFields, refused } from '@/lib/actions/result';
import { signupSchema } from '@/lib/account/schemas';
import { signUp } from '@/lib/account/service';
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
    // The same answer for a new address and one that has an account (which gets an email saying so): nobody learns
    // here whether an address is registered. A new account logs in once its address is confirmed.
    return done(undefined, { values: { email: account.email } });
  },
});
