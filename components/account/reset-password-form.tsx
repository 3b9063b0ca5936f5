'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { PASSWORD_MIN } from '@/lib/account/password-limits';
import type { ResetPasswordInput } from '@/lib/account/schemas';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';
import { useLinkToken } from './link-token';

/** The reset link's page: the token (from the link's fragment, ./link-token.ts) is posted with the new password. */
type ResetAction = StateAction<undefined, keyof ResetPasswordInput>;

export function ResetPasswordForm({ action }: { action: ResetAction }) {
  const token = useLinkToken();
  if (token === undefined) return null;
  // A new link starts afresh.
  return <NewPasswordForm key={token ?? ''} token={token} action={action} />;
}

function NewPasswordForm({ token, action }: { token: string | null; action: ResetAction }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.reset');
  const fieldErrors = fieldErrorsOf(state);
  const linkRefused = state?.ok === false && state.error === 'invalid_input' && !fieldErrors.password;
  if (token === null || linkRefused) {
    return (
      <div className="flex flex-col gap-4">
        <p role={linkRefused ? 'alert' : 'status'} className="rounded-md border border-amber-600 bg-amber-50 p-3 text-sm text-amber-950">
          {linkRefused ? failureMessage(state) : t('noLink')}
        </p>
        <Link href="/forgot-password" className="self-start font-semibold text-blue-800 underline">
          {t('askAgain')}
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <FormMessage tone="error" message={fieldErrors.password ? undefined : failureMessage(state)} />
      <Field
        name="password"
        label={t('password')}
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={t('hint', { min: PASSWORD_MIN })}
        errors={fieldErrors.password}
      />
      <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
    </form>
  );
}
