import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { redirect } from 'next/navigation';
import { logoutAction } from '@/app/(portal)/actions';
import { Enrolment } from '@/components/two-factor/enrolment';
import { SecondFactorForm } from '@/components/two-factor/second-factor-form';
import { Button } from '@/components/ui/button';
import { pendingLogin } from '@/lib/auth/dal';
import { safeReturnPath } from '@/lib/auth/flow-state';
import { factorSummary } from '@/lib/auth/two-factor/factors';
import {
  beginEnrolmentTotpAction,
  confirmEnrolmentTotpAction,
  enrolmentPasskeyAction,
  enrolmentPasskeyOptionsAction,
  passkeyLoginOptionsAction,
  verifySecondFactorAction,
} from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, login, enrol, pending] = await Promise.all([
    getTranslations('common'),
    getTranslations('twoFactor.login'),
    getTranslations('twoFactor.enrol'),
    pendingLogin(),
  ]);
  return { title: common('app.title', { page: pending?.step === 'enrol' ? enrol('metaTitle') : login('metaTitle') }) };
}

// The second half of a login (lib/auth/two-factor): the password was right, and this half session opens this page
// only. A user with a second factor gives it; under REQUIRE_2FA a user without one sets one up first.
export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const pending = await pendingLogin();
  if (!pending) redirect('/login');
  const [{ next }, enrol, login] = await Promise.all([searchParams, getTranslations('twoFactor.enrol'), getTranslations('twoFactor.login')]);
  const returnTo = safeReturnPath(next);
  const cancel = (
    <form action={logoutAction}>
      <Button type="submit" variant="secondary">
        {login('cancel')}
      </Button>
    </form>
  );
  if (pending.step === 'enrol') {
    return (
      <>
        <h1 className="mb-2 text-2xl font-bold">{enrol('title')}</h1>
        <p className="mb-6 text-sm">{enrol('intro')}</p>
        <Enrolment
          offerTotp
          returnTo={returnTo}
          doneHref="/"
          actions={{
            beginTotp: beginEnrolmentTotpAction,
            confirmTotp: confirmEnrolmentTotpAction,
            passkeyOptions: enrolmentPasskeyOptionsAction,
            addPasskey: enrolmentPasskeyAction,
          }}
        />
        <div className="mt-6">{cancel}</div>
      </>
    );
  }
  const summary = await factorSummary(pending.user.id);
  const passkey = summary.passkeys.length > 0;
  return (
    <>
      <h1 className="mb-2 text-2xl font-bold">{login('title')}</h1>
      <p className="mb-6 text-sm">{passkey ? (summary.totp ? login('introPasskey') : login('introPasskeyOnly')) : login('intro')}</p>
      <SecondFactorForm
        action={verifySecondFactorAction}
        returnTo={returnTo}
        factors={{ totp: summary.totp, passkey, passkeyOptions: passkeyLoginOptionsAction }}
      />
      <div className="mt-6">{cancel}</div>
    </>
  );
}
