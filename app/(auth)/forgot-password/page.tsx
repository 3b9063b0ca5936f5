import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { ForgotPasswordForm } from '@/components/account/forgot-password-form';
import { forgotPasswordAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.forgot')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations('auth.forgot');
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">{t('title')}</h1>
      <p className="mb-6 text-slate-800">{t('intro')}</p>
      <ForgotPasswordForm action={forgotPasswordAction} />
    </>
  );
}
