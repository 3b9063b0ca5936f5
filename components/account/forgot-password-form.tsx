'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';

/** One answer for every address (known or not), naming the address typed so a typo shows. */
export function ForgotPasswordForm({ action }: { action: StateAction<undefined, 'email'> }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.forgot');
  const fieldErrors = fieldErrorsOf(state);
  const sentTo = state?.ok ? state.values?.email : undefined;
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage tone="error" message={failureMessage(state)} />
      <FormMessage tone="success" message={sentTo ? t('sent', { email: sentTo }) : undefined} />
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
      <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
      <p className="text-sm text-slate-700">
        <Link href="/login" className="font-semibold text-blue-800 underline">
          {t('backToLogin')}
        </Link>
      </p>
    </form>
  );
}
