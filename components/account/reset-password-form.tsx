'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useActionState, useEffect, useState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { PASSWORD_MIN, type ResetPasswordInput } from '@/lib/account/schemas';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';

/**
 * The link's token is in the address's fragment, which the server never sees: read here once, then taken out of the
 * address bar and the history (a shared screen or a synced history must not show it), and posted with the form.
 */
export function ResetPasswordForm({ action }: { action: StateAction<undefined, keyof ResetPasswordInput> }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('auth.reset');
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const fromLink = window.location.hash.slice(1);
    if (fromLink) window.history.replaceState(null, '', window.location.pathname);
    // Read once after hydration: the server cannot know the fragment, and the first render must match its HTML.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setToken(fromLink || null);
  }, []);
  const fieldErrors = fieldErrorsOf(state);
  const linkRefused = state?.ok === false && state.error === 'invalid_input' && !fieldErrors.password;
  if (token === undefined) return null;
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
