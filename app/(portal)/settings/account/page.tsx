import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { DeleteAccountForm } from '@/components/account/delete-account-form';
import { LocalTime } from '@/components/account/local-time';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/dal';
import { changePasswordAction, deleteAccountAction, logoutEverywhereAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.account')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function AccountPage() {
  const user = await requireUser();
  const t = await getTranslations('auth.account');
  return (
    <>
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <Card title={t('signIn')}>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="font-medium">{t('email')}</dt>
          <dd>{user.email}</dd>
          <dt className="font-medium">{t('lastLogin')}</dt>
          <dd>{user.lastLoginAt ? <LocalTime date={user.lastLoginAt} timeZone={user.timeZone} /> : t('never')}</dd>
        </dl>
      </Card>
      <Card title={t('changePassword.title')}>
        <ChangePasswordForm action={changePasswordAction} />
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
