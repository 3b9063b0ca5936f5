import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import { LocalTime } from '@/components/account/local-time';
import { Enrolment } from '@/components/two-factor/enrolment';
import { ConfirmIdentityForm, ReplaceRecoveryCodesForm } from '@/components/two-factor/security-forms';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-message';
import { isRecentLogin, requireUser } from '@/lib/auth/dal';
import { factorSummary, hasSecondFactor } from '@/lib/auth/two-factor/factors';
import { getEnv } from '@/lib/env';
import {
  addPasskeyAction,
  beginTotpAction,
  confirmIdentityAction,
  confirmTotpAction,
  passkeyRegistrationOptionsAction,
  removePasskeyAction,
  removeTotpAction,
  replaceRecoveryCodesAction,
} from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('twoFactor.settings')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

type Search = { done?: string; error?: string };

export default async function SecurityPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const [{ done, error }, t, summary] = await Promise.all([searchParams, getTranslations('twoFactor'), factorSummary(user.id)]);
  const on = hasSecondFactor(summary);
  // Changing how one signs in needs a recent login; the actions check it again themselves.
  const recent = isRecentLogin(user);
  const success =
    done === 'removed' ? t('settings.removed') : done === 'added' ? t('settings.added') : done === 'codes' ? t('settings.codesReplaced') : undefined;
  const failure = error === 'last_required' ? t('errors.lastRequired') : error === 'not_found' ? t('errors.notFound') : undefined;
  const when = (date: Date) => <LocalTime date={date} timeZone={user.timeZone} />;
  return (
    <>
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold">{t('settings.title')}</h1>
        <p className="text-sm">{t('settings.intro')}</p>
        <p className="text-sm font-semibold">{on ? t('settings.statusOn') : t('settings.statusOff')}</p>
        {getEnv().requireTwoFactor ? <p className="text-sm">{t('settings.required')}</p> : null}
        <Link href="/settings/account" className="self-start text-sm font-semibold text-blue-800 underline">
          {t('settings.back')}
        </Link>
      </div>
      <FormMessage tone="success" message={success} />
      <FormMessage tone="error" message={failure} />
      {recent ? null : (
        <Card title={t('settings.confirmTitle')}>
          <ConfirmIdentityForm action={confirmIdentityAction} />
        </Card>
      )}
      <Card title={t('totp.title')}>
        <p className="text-sm">{summary.totp ? t('totp.on') : t('totp.off')}</p>
        {summary.totp && recent ? (
          <div>
            <form id="remove-totp" action={removeTotpAction} />
            <ConfirmDialog formId="remove-totp" triggerLabel={t('totp.remove')} title={t('totp.remove')} confirmLabel={t('passkeys.remove')}>
              <p>{t('totp.removeConfirm')}</p>
            </ConfirmDialog>
          </div>
        ) : null}
      </Card>
      <Card title={t('passkeys.title')}>
        {summary.passkeys.length === 0 ? (
          <p className="text-sm">{t('passkeys.none')}</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {summary.passkeys.map((passkey) => (
              <li key={passkey.id} className="flex flex-col gap-2 rounded-md border border-slate-300 p-3 sm:flex-row sm:items-center sm:justify-between">
                <div className="flex flex-col gap-0.5 text-sm">
                  <p className="font-semibold">{passkey.name}</p>
                  <p>
                    {t.rich('passkeys.added', { time: () => when(passkey.createdAt) })}
                    {', '}
                    {passkey.lastUsedAt ? t.rich('passkeys.lastUsed', { time: () => when(passkey.lastUsedAt!) }) : t('passkeys.neverUsed')}
                  </p>
                </div>
                {recent ? (
                  <div>
                    <form id={`remove-passkey-${passkey.id}`} action={removePasskeyAction}>
                      <input type="hidden" name="passkeyId" value={passkey.id} />
                    </form>
                    <ConfirmDialog
                      formId={`remove-passkey-${passkey.id}`}
                      triggerLabel={t('passkeys.removeLabel', { name: passkey.name })}
                      title={t('passkeys.removeLabel', { name: passkey.name })}
                      confirmLabel={t('passkeys.remove')}
                    >
                      <p>{t('passkeys.removeConfirm', { name: passkey.name })}</p>
                    </ConfirmDialog>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {recent ? (
        <Card title={t('settings.addTitle')}>
          <Enrolment
            headingLevel={3}
            offerTotp={!summary.totp}
            doneHref="/settings/security?done=added"
            actions={{
              beginTotp: beginTotpAction,
              confirmTotp: confirmTotpAction,
              passkeyOptions: passkeyRegistrationOptionsAction,
              addPasskey: addPasskeyAction,
            }}
          />
        </Card>
      ) : null}
      {on ? (
        <Card title={t('codes.title')}>
          <p className="text-sm">{t('codes.left', { left: summary.recoveryCodesLeft })}</p>
          {recent ? <ReplaceRecoveryCodesForm action={replaceRecoveryCodesAction} confirmLabel={t('codes.replaceConfirm')} /> : null}
        </Card>
      ) : null}
    </>
  );
}
