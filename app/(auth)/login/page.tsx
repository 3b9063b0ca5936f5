import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/account/login-form';
import { FormMessage } from '@/components/ui/form-message';
import { RestoreAfterLogin } from '@/components/account/form-drafts';
import { currentUser } from '@/lib/auth/dal';
import { safeReturnPath } from '@/lib/auth/flow-state';
import { getEnv } from '@/lib/env';
import { loginAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('auth.login')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

type Search = { deleted?: string; reset?: string; verified?: string; reason?: string; next?: string };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Search> }) {
  if (await currentUser()) redirect('/');
  const [{ deleted, reset, verified, reason, next }, t, idle, verify] = await Promise.all([
    searchParams,
    getTranslations('auth.login'),
    getTranslations('common.idle'),
    getTranslations('auth.verify'),
  ]);
  // A session that ended (idle timeout, or ended elsewhere) says why, and what was typed comes back after logging in.
  const ended = reason === 'idle' || reason === 'session_ended';
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold">{t('title')}</h1>
      {deleted || reset || verified ? (
        <div className="mb-4">
          <FormMessage tone="success" message={deleted ? t('deleted') : reset ? t('resetDone') : verify('done')} />
        </div>
      ) : null}
      {ended ? (
        <div className="mb-4">
          <p role="status" className="rounded-md border border-blue-300 bg-blue-50 p-3 text-sm text-blue-950">
            {reason === 'idle' ? idle('loginReason', { minutes: Math.round(getEnv().sessionIdleMs / 60_000) }) : idle('loginReasonEnded')}
          </p>
          <RestoreAfterLogin />
        </div>
      ) : null}
      <LoginForm action={loginAction} returnTo={ended ? safeReturnPath(next) : undefined} />
    </>
  );
}
