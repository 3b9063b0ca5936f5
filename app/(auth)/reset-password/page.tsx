import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { ResetPasswordForm } from '@/components/account/reset-password-form';
import { resetPasswordAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.reset')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function ResetPasswordPage() {
  const t = await getTranslations('auth.reset');
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">{t('title')}</h1>
      <p className="mb-6 text-slate-800">{t('intro')}</p>
      <ResetPasswordForm action={resetPasswordAction} />
    </>
  );
}
