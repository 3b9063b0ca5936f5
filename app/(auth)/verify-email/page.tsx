import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { VerifyEmailForm } from '@/components/account/verify-email-form';
import { verifyEmailAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.verify')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function VerifyEmailPage() {
  const t = await getTranslations('auth.verify');
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">{t('title')}</h1>
      <p className="mb-6 text-slate-800">{t('intro')}</p>
      <VerifyEmailForm action={verifyEmailAction} />
    </>
  );
}
