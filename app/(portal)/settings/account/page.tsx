import type { Metadata } from 'next';
import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { DeleteAccountForm } from '@/components/account/delete-account-form';
import { LocalTime } from '@/components/account/local-time';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/form-message';
import { findUserById } from '@/lib/account/users';
import { requireUser } from '@/lib/auth/dal';
import { deviceName } from '@/lib/auth/device-name';
import { listActiveSessions } from '@/lib/auth/sessions';
import { secondFactorKinds } from '@/lib/auth/two-factor/factors';
import Link from 'next/link';
import { isLocale } from '@/lib/i18n/locales';
import { changePasswordAction, deleteAccountAction, endSessionAction, logoutEverywhereAction, saveEmailPreferencesAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.account')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ ended?: string; saved?: string }> }) {
  const user = await requireUser();
  const [t, twoFactor, factors, { ended, saved }, sessions, locale, account] = await Promise.all([
    getTranslations('auth.account'),
    getTranslations('twoFactor'),
    secondFactorKinds(user.id),
    searchParams,
    listActiveSessions(user.id),
    getLocale(),
    findUserById(user.id),
  ]);
  return (
    <>
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <FormMessage tone="success" message={ended === 'session' ? t('sessions.ended') : saved === 'emails' ? t('emails.saved') : undefined} />
      <Card title={t('signIn')}>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="font-medium">{t('email')}</dt>
          <dd>{user.email}</dd>
          <dt className="font-medium">{t('lastLogin')}</dt>
          <dd>{user.lastLoginAt ? <LocalTime date={user.lastLoginAt} timeZone={user.timeZone} /> : t('never')}</dd>
        </dl>
      </Card>
      <Card title={twoFactor('settings.title')}>
        <p className="text-sm">{factors.totp || factors.passkey ? twoFactor('settings.statusOn') : twoFactor('settings.statusOff')}</p>
        <Link href="/settings/security" className="self-start text-sm font-semibold text-blue-800 underline">
          {twoFactor('settings.manage')}
        </Link>
      </Card>
      <Card title={t('changePassword.title')}>
        <ChangePasswordForm action={changePasswordAction} />
      </Card>
      <Card title={t('sessions.title')}>
        <p className="text-sm text-slate-800">{t('sessions.intro')}</p>
        <ul className="flex flex-col gap-3">
          {sessions.map((session) => {
            const device = deviceName(session.userAgent, isLocale(locale) ? locale : 'fr');
            const current = session.id === user.sessionId;
            return (
              <li key={session.id} className="flex flex-col gap-2 rounded-md border border-slate-300 p-3 sm:flex-row sm:items-center sm:justify-between">
                <div className="flex flex-col gap-0.5 text-sm">
                  <p className="font-semibold">
                    {device}
                    {current ? <span className="ml-2 rounded-full bg-blue-100 px-2 py-0.5 text-xs text-blue-950">{t('sessions.thisDevice')}</span> : null}
                  </p>
                  <p>{t.rich('sessions.signedIn', { time: () => <LocalTime date={session.createdAt} timeZone={user.timeZone} /> })}</p>
                  <p>{t.rich('sessions.lastActive', { time: () => <LocalTime date={session.lastSeenAt} timeZone={user.timeZone} /> })}</p>
                </div>
                {current ? null : (
                  <form action={endSessionAction}>
                    <input type="hidden" name="sessionId" value={session.id} />
                    <Button type="submit" variant="secondary" aria-label={t('sessions.endNamed', { device })}>
                      {t('sessions.end')}
                    </Button>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      </Card>
      <Card title={t('emails.title')}>
        <form action={saveEmailPreferencesAction} className="flex flex-col gap-3">
          <div className="flex items-start gap-2">
            <input
              id="guidance-email"
              type="checkbox"
              name="guidanceEmail"
              defaultChecked={account?.guidanceEmail ?? false}
              aria-describedby="guidance-email-hint"
              className="mt-1 h-4 w-4"
            />
            <div className="flex flex-col gap-0.5">
              <label htmlFor="guidance-email" className="text-sm font-medium text-slate-800">
                {t('emails.guidance')}
              </label>
              <p id="guidance-email-hint" className="text-sm text-slate-600">
                {t('emails.guidanceHint')}
              </p>
            </div>
          </div>
          <div>
            <Button type="submit" variant="secondary">
              {t('emails.submit')}
            </Button>
          </div>
        </form>
      </Card>
      <Card title={t('logoutEverywhere.title')}>
        <form action={logoutEverywhereAction} className="flex flex-col gap-3">
          <p className="text-sm text-slate-800">{t('logoutEverywhere.body')}</p>
          <div>
            <Button type="submit" variant="secondary">
              {t('logoutEverywhere.submit')}
            </Button>
          </div>
        </form>
      </Card>
      <Card title={t('delete.title')}>
        <DeleteAccountForm action={deleteAccountAction} />
      </Card>
    </>
  );
}
