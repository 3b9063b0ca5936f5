'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { stateAction } from '@/lib/actions/action';
import { done, invalidFields, refused } from '@/lib/actions/result';
import { pendingLogin, type CurrentUser } from '@/lib/auth/dal';
import { waitMessage } from '@/lib/auth/rate-limit';
import { addPasskey, beginTotpSetup, confirmTotp } from '@/lib/auth/two-factor/factors';
import { completeLogin, finishLogin, giveSecondFactor } from '@/lib/auth/two-factor/login';
import { passkeyAuthenticationOptions, passkeyRegistrationOptions } from '@/lib/auth/two-factor/passkeys';
import { factorAddedResult, passkeyInput, passkeyName, totpCodeInput } from '@/lib/auth/two-factor/action-inputs';
import { translator } from '@/lib/i18n/server';
import type { FactorAddedData, TotpSetupData } from '@/components/two-factor/enrolment';

// The second half of a login (app/(auth)/login/two-factor/page.tsx). Each action takes only a half session of the
// kind it serves, through the data-access layer (pendingLogin): 'verify' gives the factor, 'enrol' sets one up
// (REQUIRE_2FA). Anything else goes back to the login page.

async function pendingFor(step: 'verify' | 'enrol'): Promise<CurrentUser> {
  const pending = await pendingLogin();
  if (!pending || pending.step !== step) redirect('/login');
  return pending.user;
}

const returnTo = z.string().max(2048).optional();

export const verifySecondFactorAction = stateAction({
  name: 'auth.second_factor',
  access: 'public',
  input: z.object({ code: z.string().max(100).optional(), passkey: z.string().max(20_000).optional(), returnTo }),
  async run(input) {
    const user = await pendingFor('verify');
    const outcome = await giveSecondFactor(user, { code: input.code, passkey: input.passkey });
    if (!outcome.ok) {
      const t = await translator('twoFactor');
      if (outcome.reason === 'rate_limited') return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
      if (outcome.reason === 'ended') return refused('unauthenticated', t('errors.ended'));
      if (input.passkey && !input.code) return refused('invalid_input', t('passkey.failed'));
      return invalidFields({ code: [outcome.reason === 'missing' ? t('errors.codeRequired') : t('errors.wrongCode')] });
    }
    redirect(await finishLogin(user.email, input.returnTo));
  },
});

/** A challenge for "Use a passkey" on the second-factor page. */
export const passkeyLoginOptionsAction = stateAction({
  name: 'auth.passkey_options',
  access: 'public',
  input: z.object({}),
  async run() {
    const user = await pendingFor('verify');
    return done(await passkeyAuthenticationOptions(user.id, user.sessionId));
  },
});

// --- REQUIRE_2FA: setting up the first factor inside the login ---------------------------------------------------

export const beginEnrolmentTotpAction = stateAction({
  name: 'auth.enrol_totp_begin',
  access: 'public',
  input: z.object({}),
  async run() {
    const user = await pendingFor('enrol');
    const setup = await beginTotpSetup(user);
    if (!setup.ok) return refused('conflict', (await translator('twoFactor'))('totp.exists'));
    return done<TotpSetupData>({ secret: setup.secret, groupedSecret: setup.groupedSecret, qrCode: setup.qrCode });
  },
});

/** After the first factor is set up, the login finishes: the recovery codes, then the page the user was going to. */
async function finishEnrolment(user: CurrentUser, codes: string[] | undefined, next: string | undefined) {
  const completed = await completeLogin(user);
  if (!completed.ok) return refused('unauthenticated', (await translator('twoFactor'))('errors.ended'));
  return done<FactorAddedData>({ recoveryCodes: codes ?? [], next: await finishLogin(user.email, next) });
}

export const confirmEnrolmentTotpAction = stateAction({
  name: 'auth.enrol_totp_confirm',
  access: 'public',
  input: totpCodeInput.extend({ returnTo }),
  async run(input) {
    const user = await pendingFor('enrol');
    const added = await confirmTotp(user.id, input.code);
    if (!added.ok) return factorAddedResult(added, 'totp');
    return finishEnrolment(user, added.recoveryCodes, input.returnTo);
  },
});

export const enrolmentPasskeyOptionsAction = stateAction({
  name: 'auth.enrol_passkey_options',
  access: 'public',
  input: z.object({}),
  async run() {
    const user = await pendingFor('enrol');
    return done(await passkeyRegistrationOptions(user, user.sessionId));
  },
});

export const enrolmentPasskeyAction = stateAction({
  name: 'auth.enrol_passkey',
  access: 'public',
  input: passkeyInput.extend({ returnTo }),
  async run(input) {
    const user = await pendingFor('enrol');
    const added = await addPasskey(user, user.sessionId, input.passkey, await passkeyName(input.name));
    if (!added.ok) return factorAddedResult(added, 'passkey');
    return finishEnrolment(user, added.recoveryCodes, input.returnTo);
  },
});
