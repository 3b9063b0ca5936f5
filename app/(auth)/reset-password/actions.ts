'use server';

import { redirect } from 'next/navigation';
import { stateAction } from '@/lib/actions/action';
import { invalidFields, refused } from '@/lib/actions/result';
import { resetPasswordSchema } from '@/lib/account/schemas';
import { resetPassword } from '@/lib/account/password-reset';
import { messageRef } from '@/lib/i18n/message-ref';

// Public: the link is the proof (a reset ends every session, so nobody is signed in here anyway).
export const resetPasswordAction = stateAction({
  name: 'auth.reset_password',
  access: 'public',
  input: resetPasswordSchema,
  async run({ token, password }) {
    const outcome = await resetPassword({ token, newPassword: password });
    if (!outcome.ok) {
      if (outcome.reason === 'weak') return invalidFields({ password: [outcome.message] });
      return refused('invalid_input', messageRef('auth.reset.invalidLink'));
    }
    redirect('/login?reset=1');
  },
});
