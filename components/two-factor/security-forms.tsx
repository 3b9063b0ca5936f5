'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { ConfirmPasswordField } from '@/components/account/confirm-password-field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';
import { RecoveryCodes, type FactorAddedData } from './enrolment';

/** "Confirm it's you" before changing the sign-in methods: the password, and the second factor when there is one. */
export function ConfirmIdentityForm({ action }: { action: StateAction }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('twoFactor.settings');
  const errors = fieldErrorsOf(state);
  return (
    <form action={formAction} className="flex flex-col gap-3" noValidate>
      <p className="text-sm">{t('confirmWhy')}</p>
      <FormMessage
        tone="error"
        message={errors.password || errors.code ? undefined : state?.ok === false && state.error !== 'reauth_required' ? failureMessage(state) : undefined}
      />
      <ConfirmPasswordField idBase="confirm-identity" errors={errors.password} codeErrors={errors.code} />
      <div>
        <SubmitButton pendingLabel={t('confirm')}>{t('confirm')}</SubmitButton>
      </div>
    </form>
  );
}

/** "Make new recovery codes": the ten new ones are shown once, here. */
export function ReplaceRecoveryCodesForm({ action, confirmLabel }: { action: StateAction<FactorAddedData>; confirmLabel: string }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('twoFactor.codes');
  if (state?.ok) return <RecoveryCodes codes={state.data.recoveryCodes} next="/settings/security?done=codes" />;
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <FormMessage tone="error" message={failureMessage(state)} />
      <p className="text-sm">{confirmLabel}</p>
      <div>
        <SubmitButton variant="secondary" pendingLabel={t('replace')}>
          {t('replace')}
        </SubmitButton>
      </div>
    </form>
  );
}
