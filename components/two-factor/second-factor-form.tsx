'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';
import { SecondFactorFields, type SecondFactors } from './second-factor-fields';

/** The second half of a login: a code, or a passkey. */
export function SecondFactorForm({ action, factors, returnTo }: { action: StateAction; factors: SecondFactors; returnTo?: string }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('twoFactor.login');
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      <FormMessage tone="error" message={failureMessage(state)} />
      <SecondFactorFields factors={factors} errors={fieldErrorsOf(state).code} />
      <div>
        <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
      </div>
    </form>
  );
}
