'use server';

import { headers } from 'next/headers';
import { stateAction } from '@/lib/actions/action';
import { done, refused } from '@/lib/actions/result';
import { forgotPasswordSchema } from '@/lib/account/schemas';
import { requestPasswordReset } from '@/lib/account/password-reset';
import { clientIp } from '@/lib/auth/login';
import { waitMessage } from '@/lib/auth/rate-limit';

// The same answer whether or not the address has an account (the form says so with the address typed).
export const forgotPasswordAction = stateAction({
  name: 'auth.forgot_password',
  access: 'public',
  input: forgotPasswordSchema,
  keep: ['email'],
  async run({ email }) {
    const outcome = await requestPasswordReset({ email, ip: clientIp(await headers()) });
    if (!outcome.ok) return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
    // The address as typed comes back so the answer can name it.
    return done(undefined, { values: { email } });
  },
});
