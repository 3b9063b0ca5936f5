import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignupForm } from '@/components/account/signup-form';
import { currentUser } from '@/lib/auth/dal';
import { signupAction } from './actions';

export const metadata: Metadata = { title: 'Create an account · Guidepost' };

export default async function SignupPage() {
  if (await currentUser()) redirect('/');
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold">Create your Guidepost account</h1>
      <SignupForm action={signupAction} />
    </>
  );
}
