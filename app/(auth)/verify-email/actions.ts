'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { verifyEmail } from '@/lib/account/email-verification';
import { stateAction } from '@/lib/actions/action';
import { refused } from '@/lib/actions/result';
import { rememberThisDevice } from '@/lib/auth/known-device';
import { messageRef } from '@/lib/i18n/message-ref';

// Public: the link is the proof. The browser that opened it now knows the account (lib/auth/known-device.ts), so the
// login that follows is not reported as a new device.
export const verifyEmailAction = stateAction({
  name: 'auth.verify_email',
  access: 'optional',
  input: z.object({ token: z.string().max(100) }),
  async run({ token }, { user }) {
    const outcome = await verifyEmail(token);
    if (!outcome.ok) return refused('invalid_input', messageRef('auth.verify.invalidLink'));
    await rememberThisDevice(outcome.email);
    redirect(user?.id === outcome.userId ? '/?verified=1' : '/login?verified=1');
  },
});
