'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, type StateAction } from '@/lib/actions/result';

/** Why guidance or onboarding is closed for now, and the way to open it: a new confirmation link. */
export function VerifyNotice({ email, action }: { email: string; action: StateAction }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.verify');
  return (
    <section aria-labelledby="verify-notice" className="flex flex-col gap-3 rounded-lg border-2 border-amber-600 bg-amber-50 p-6 text-amber-950">
      <h2 id="verify-notice" className="text-lg font-semibold">
        {t('title')}
      </h2>
      <p>{t('required', { email })}</p>
      <form action={formAction} className="flex flex-col gap-3">
        <FormMessage tone="error" message={failureMessage(state)} />
        <FormMessage tone="success" message={state?.ok ? state.message : undefined} />
        <div>
          <SubmitButton variant="secondary" pendingLabel={t('resendPending')}>
            {t('resend')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
