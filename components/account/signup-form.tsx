'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { PASSWORD_MIN } from '@/lib/account/password-limits';
import type { SignupInput } from '@/lib/account/schemas';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';
import { TimeZoneField } from './time-zone-field';

export function SignupForm({ action }: { action: StateAction<undefined, keyof SignupInput> }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.signup');
  const fieldErrors = fieldErrorsOf(state);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <TimeZoneField />
      <FormMessage tone="error" message={failureMessage(state)} />
      <FormMessage tone="success" message={state?.ok && state.values?.email ? t('checkEmail', { email: state.values.email }) : undefined} />
      <Field
        key={`email-${state?.values?.email ?? ''}`}
        name="email"
        label={t('email')}
        type="email"
        autoComplete="email"
        required
        defaultValue={state?.values?.email}
        errors={fieldErrors.email}
      />
      <Field
        name="password"
        label={t('password')}
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={t('passwordHint', { min: PASSWORD_MIN })}
        errors={fieldErrors.password}
      />
      <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
      <p className="text-sm text-slate-700">
        {t('haveAccount')}{' '}
        <Link href="/login" className="font-semibold text-blue-800 underline">
          {t('logIn')}
        </Link>
      </p>
    </form>
  );
}
