'use server';

import { z } from 'zod';
import { resendVerificationLink } from '@/lib/account/email-verification';
import { stateAction } from '@/lib/actions/action';
import { done, refused } from '@/lib/actions/result';
import { waitMessage } from '@/lib/auth/rate-limit';
import { translator } from '@/lib/i18n/server';

/** "Send the link again" (three an hour): a new confirmation link to the signed-in user's address. */
export const resendVerificationAction = stateAction({
  name: 'auth.resend_verification',
  input: z.object({}),
  async run(_input, { user }) {
    const outcome = await resendVerificationLink(user.id);
    if (!outcome.ok && outcome.reason === 'rate_limited') return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
    const t = await translator('auth');
    return done(undefined, { message: outcome.ok ? t('verify.resent', { email: user.email }) : t('verify.doneSignedIn') });
  },
});
