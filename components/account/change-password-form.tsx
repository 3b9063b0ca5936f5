'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { PASSWORD_MIN } from '@/lib/account/password-limits';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';

export function ChangePasswordForm({ action }: { action: StateAction<undefined, 'currentPassword' | 'newPassword'> }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.account.changePassword');
  const fieldErrors = fieldErrorsOf(state);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <Field name="currentPassword" label={t('current')} type="password" autoComplete="current-password" required errors={fieldErrors.currentPassword} />
      <Field
        name="newPassword"
        label={t('new')}
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={t('hint', { min: PASSWORD_MIN })}
        errors={fieldErrors.newPassword}
      />
      <FormMessage tone={state?.ok ? 'success' : 'error'} message={state?.ok ? state.message : failureMessage(state)} />
      <div>
        <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
      </div>
    </form>
  );
}
