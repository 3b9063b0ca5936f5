import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/account/login-form';
import { FormMessage } from '@/components/ui/form-message';
import { currentUser } from '@/lib/auth/dal';
import { loginAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.login')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  if (await currentUser()) redirect('/');
  const [{ deleted }, t] = await Promise.all([searchParams, getTranslations('auth.login')]);
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold">{t('title')}</h1>
      {deleted ? (
        <div className="mb-4">
          <FormMessage tone="success" message={t('deleted')} />
        </div>
      ) : null}
      <LoginForm action={loginAction} />
    </>
  );
}
