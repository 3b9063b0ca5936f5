import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/account/login-form';
import { FormMessage } from '@/components/ui/form-message';
import { currentUser } from '@/lib/auth/dal';
import { loginAction } from './actions';

export const metadata: Metadata = { title: 'Log in · Guidepost' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  if (await currentUser()) redirect('/');
  const { deleted } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold">Log in to Guidepost</h1>
      {deleted ? (
        <div className="mb-4">
          <FormMessage tone="success" message="Your account and its data have been deleted." />
        </div>
      ) : null}
      <LoginForm action={loginAction} />
    </>
  );
}
