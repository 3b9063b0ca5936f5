'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { FactorAddedData, TotpSetupData } from '@/components/two-factor/enrolment';
import { formAction, stateAction } from '@/lib/actions/action';
import { done, refused } from '@/lib/actions/result';
import { factorAddedResult, passkeyInput, passkeyName, totpCodeInput } from '@/lib/auth/two-factor/action-inputs';
import {
  addPasskey,
  beginTotpSetup,
  confirmTotp,
  removePasskey,
  removeTotp,
  replaceRecoveryCodes,
  factorSummary,
  hasSecondFactor,
} from '@/lib/auth/two-factor/factors';
import { passkeyAuthenticationOptions, passkeyRegistrationOptions } from '@/lib/auth/two-factor/passkeys';
import { messageRef } from '@/lib/i18n/message-ref';

// The security page (two-step sign-in). Changing how one signs in is as sensitive as it gets: every action here needs
// a recent login (the password, and the second factor when there is one, within RECENT_LOGIN_SECONDS), checked by the
// action itself; the page only asks for it up front.

const PAGE = '/settings/security';

/** "Confirm it's you": the step-up itself, then back to the page. */
export const confirmIdentityAction = stateAction({
  name: 'two_factor.confirm_identity',
  input: z.object({}),
  recentLogin: true,
  reauthMessage: messageRef('twoFactor.settings.confirmWhy'),
  async run() {
    redirect(PAGE);
  },
});

export const beginTotpAction = stateAction({
  name: 'two_factor.totp_begin',
  input: z.object({}),
  recentLogin: true,
  async run(_input, { user }) {
    const setup = await beginTotpSetup(user);
    if (!setup.ok) return refused('conflict', messageRef('twoFactor.totp.exists'));
    return done<TotpSetupData>({ secret: setup.secret, groupedSecret: setup.groupedSecret, qrCode: setup.qrCode });
  },
});

export const confirmTotpAction = stateAction({
  name: 'two_factor.totp_confirm',
  input: totpCodeInput,
  recentLogin: true,
  async run({ code }, { user }) {
    const added = await confirmTotp(user.id, code);
    if (!added.ok) return factorAddedResult(added, 'totp');
    return done<FactorAddedData>({ recoveryCodes: added.recoveryCodes ?? [] });
  },
});

export const passkeyRegistrationOptionsAction = stateAction({
  name: 'two_factor.passkey_options',
  input: z.object({}),
  recentLogin: true,
  async run(_input, { user }) {
    return done(await passkeyRegistrationOptions(user, user.sessionId));
  },
});

export const addPasskeyAction = stateAction({
  name: 'two_factor.passkey_add',
  input: passkeyInput,
  recentLogin: true,
  async run(input, { user }) {
    const added = await addPasskey(user, user.sessionId, input.passkey, await passkeyName(input.name));
    if (!added.ok) return factorAddedResult(added, 'passkey');
    return done<FactorAddedData>({ recoveryCodes: added.recoveryCodes ?? [] });
  },
});

/** A removal refused: the page says why (the redirect below picks the sentence from the code). */
const removalRefused = (reason: 'last_required' | 'not_found') =>
  reason === 'last_required'
    ? refused('conflict', messageRef('twoFactor.errors.lastRequired'))
    : refused('invalid_input', messageRef('twoFactor.errors.notFound'));

const afterRemoval = (result: { ok: boolean; error?: string; message?: string }) =>
  result.ok ? `${PAGE}?done=removed` : result.error === 'conflict' ? `${PAGE}?error=last_required` : `${PAGE}?error=not_found`;

export const removeTotpAction = formAction(
  {
    name: 'two_factor.totp_remove',
    input: z.object({}),
    recentLogin: true,
    async run(_input, { user }) {
      const removed = await removeTotp(user.id);
      if (!removed.ok) return removalRefused(removed.reason);
      return done();
    },
  },
  (result) => (!result.ok && result.error === 'reauth_required' ? PAGE : afterRemoval(result)),
);

export const removePasskeyAction = formAction(
  {
    name: 'two_factor.passkey_remove',
    input: z.object({ passkeyId: z.uuid() }),
    recentLogin: true,
    async run({ passkeyId }, { user }) {
      const removed = await removePasskey(user.id, passkeyId);
      if (!removed.ok) return removalRefused(removed.reason);
      return done();
    },
  },
  (result) => (!result.ok && result.error === 'reauth_required' ? PAGE : afterRemoval(result)),
);

export const replaceRecoveryCodesAction = stateAction({
  name: 'two_factor.recovery_codes_replace',
  input: z.object({}),
  recentLogin: true,
  async run(_input, { user }) {
    if (!hasSecondFactor(await factorSummary(user.id))) return refused('conflict', messageRef('twoFactor.settings.statusOff'));
    return done<FactorAddedData>({ recoveryCodes: await replaceRecoveryCodes(user.id) });
  },
});

/** A challenge for "Use a passkey" when a sensitive action asks the user to confirm it's them (step-up). */
export const passkeyStepUpOptionsAction = stateAction({
  name: 'two_factor.passkey_step_up_options',
  input: z.object({}),
  async run(_input, { user }) {
    return done(await passkeyAuthenticationOptions(user.id, user.sessionId));
  },
});
