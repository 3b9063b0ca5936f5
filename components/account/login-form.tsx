'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import type { LoginInput } from '@/lib/account/schemas';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';
import { TimeZoneField } from './time-zone-field';

export function LoginForm({ action, returnTo }: { action: StateAction<undefined, keyof LoginInput>; returnTo?: string }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.login');
  const fieldErrors = fieldErrorsOf(state);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <TimeZoneField />
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      <FormMessage tone="error" message={failureMessage(state)} />
      <Field
        key={`email-${state?.values?.email ?? ''}`}
        name="email"
        label={t('email')}
        type="email"
        autoComplete="username"
        required
        defaultValue={state?.values?.email}
        errors={fieldErrors.email}
      />
      <Field name="password" label={t('password')} type="password" autoComplete="current-password" required errors={fieldErrors.password} />
      <Link href="/forgot-password" className="self-start text-sm font-semibold text-blue-800 underline">
        {t('forgot')}
      </Link>
      <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
      <p className="text-sm text-slate-700">
        {t('newHere')}{' '}
        <Link href="/signup" className="font-semibold text-blue-800 underline">
          {t('createAccount')}
        </Link>
      </p>
    </form>
  );
}
