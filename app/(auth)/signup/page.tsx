import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { redirect } from 'next/navigation';
import { SignupForm } from '@/components/account/signup-form';
import { currentUser } from '@/lib/auth/dal';
import { signupAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.signup')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function SignupPage() {
  if (await currentUser()) redirect('/');
  const t = await getTranslations('auth.signup');
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold">{t('title')}</h1>
      <SignupForm action={signupAction} />
    </>
  );
}
