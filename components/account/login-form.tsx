'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import type { LoginState } from '@/app/(auth)/login/actions';

export function LoginForm({ action }: { action: (state: LoginState, data: FormData) => Promise<LoginState> }) {
  const [state, formAction] = useActionState(action, undefined);
  const fieldErrors = state && !state.ok && 'fieldErrors' in state ? state.fieldErrors : {};
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage tone="error" message={state && !state.ok && 'error' in state ? state.message : undefined} />
      <Field
        key={`email-${state?.values?.email ?? ''}`}
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state?.values?.email}
        errors={fieldErrors.email}
      />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required errors={fieldErrors.password} />
      <SubmitButton pendingLabel="Logging in…">Log in</SubmitButton>
      <p className="text-sm text-slate-700">
        New here?{' '}
        <Link href="/signup" className="font-semibold text-blue-800 underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
