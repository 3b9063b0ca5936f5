'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, type StateAction } from '@/lib/actions/result';
import { useLinkToken } from './link-token';

type VerifyAction = StateAction<undefined, 'token'>;

/** The confirmation link's page: the token is posted when the user presses the button (a mail scanner that fetches the link confirms nothing). */
export function VerifyEmailForm({ action }: { action: VerifyAction }) {
  const t = useTranslations('auth.verify');
  const token = useLinkToken();
  if (token === undefined) return null;
  if (token === null) {
    return (
      <p role="status" className="rounded-md border border-amber-600 bg-amber-50 p-3 text-sm text-amber-950">
        {t('noLink')}
      </p>
    );
  }
  // A new link starts afresh.
  return <ConfirmForm key={token} token={token} action={action} />;
}

function ConfirmForm({ token, action }: { token: string; action: VerifyAction }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.verify');
  return (
    <form action={formAction} className="flex flex-col gap-4">
      <input type="hidden" name="token" value={token} />
      <FormMessage tone="error" message={failureMessage(state)} />
      <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
    </form>
  );
}
