'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction, stateAction } from '@/lib/actions/action';
import { done, invalidFields, refused } from '@/lib/actions/result';
import { changePasswordSchema, confirmPasswordSchema } from '@/lib/account/schemas';
import { changePassword, deleteAccount } from '@/lib/account/service';
import { saveEmailPreferences } from '@/lib/account/users';
import { signOut } from '@/lib/auth/config';
import { rotateAfterPassword } from '@/lib/auth/step-up';
import { waitMessage } from '@/lib/auth/rate-limit';
import { revokeOwnSession, revokeUserSessions } from '@/lib/auth/sessions';
import { rememberLocale } from '@/lib/i18n/locale-cookie';
import { isLocale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/server';

// Both ask for the password every time (the service checks it), whatever the recent-login rule says.

export const changePasswordAction = stateAction({
  name: 'account.change_password',
  input: changePasswordSchema,
  async run(input, { user }) {
    const outcome = await changePassword({ userId: user.id, sessionId: user.sessionId, ...input });
    const t = await translator('auth');
    if (outcome.ok) {
      // The password was just typed: this session goes on under a new id.
      await rotateAfterPassword(user);
      return done(undefined, { message: t('account.changePassword.done') });
    }
    switch (outcome.reason) {
      case 'invalid':
        return invalidFields({ currentPassword: [t('errors.notCurrentPassword')] });
      case 'weak':
        return invalidFields({ newPassword: [outcome.message] });
      case 'rate_limited':
        return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
    }
  },
});

export const logoutEverywhereAction = formAction(
  {
    name: 'auth.logout_everywhere',
    input: z.object({}),
    async run(_input, { user }) {
      await revokeUserSessions(user.id);
      await signOut({ redirectTo: '/login' });
      return done();
    },
  },
  () => undefined,
);

export const deleteAccountAction = stateAction({
  name: 'account.delete',
  input: confirmPasswordSchema,
  async run({ password }, { user }) {
    const outcome = await deleteAccount({ userId: user.id, password });
    if (!outcome.ok) {
      const t = await translator('auth');
      switch (outcome.reason) {
        case 'invalid':
          return invalidFields({ password: [t('errors.notCurrentPassword')] });
        case 'rate_limited':
          return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
        case 'cleanup_failed':
          return refused('upstream', t('account.delete.cleanupFailed', { provider: outcome.provider }));
      }
    }
    // The login page says so (?deleted=1) in the user's language: the saved one goes with the account, so this
    // browser keeps it.
    if (isLocale(user.locale)) await rememberLocale(user.locale);
    await signOut({ redirect: false });
    redirect('/login?deleted=1');
  },
});

/** Ends one of the user's other sessions (this one ends with "Log out"); someone else's id ends nothing. */
export const endSessionAction = formAction(
  {
    name: 'auth.end_session',
    input: z.object({ sessionId: z.string().max(64) }),
    async run({ sessionId }, { user }) {
      if (sessionId === user.sessionId || !(await revokeOwnSession(user.id, sessionId))) return refused('invalid_input', 'not an active session of yours');
      return done();
    },
  },
  (result) => (result.ok ? '/settings/account?ended=session' : '/settings/account'),
);

/** The guidance-ready email, on or off (an unticked box sends nothing: off). */
export const saveEmailPreferencesAction = formAction(
  {
    name: 'account.email_preferences',
    input: z.object({ guidanceEmail: z.literal('on').optional() }),
    async run({ guidanceEmail }, { user }) {
      await saveEmailPreferences(user.id, { guidanceEmail: guidanceEmail === 'on' });
      return done();
    },
  },
  (result) => (result.ok ? '/settings/account?saved=emails' : '/settings/account'),
);
