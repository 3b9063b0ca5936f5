'use client';

import { useTranslations } from 'next-intl';
import type { FormEvent, ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmPasswordField } from '@/components/account/confirm-password-field';
import type { ActionFailure } from '@/lib/actions/result';

// The button names what the password confirms; a request without an intent (the notification's) opens a session.
const INTENTS = ['open', 'reveal', 'leak'] as const;

/** Asks for the Guidepost password in place, then sends the same request again with it (step-up). */
export function ReauthForm({
  state,
  formAction,
  onSubmit,
  pending,
  idBase,
  children,
}: {
  /** The 'reauth_required' result: the request's own fields in `values`, a wrong password's message next to the field. */
  state: ActionFailure;
  formAction: (data: FormData) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  pending: boolean;
  idBase?: string;
  /** Further hidden fields the request needs. */
  children?: ReactNode;
}) {
  const t = useTranslations('guidance.reauth');
  const { intent, sessionId, requestKey } = state.values ?? {};
  const confirm = INTENTS.find((known) => known === intent) ?? 'open';
  return (
    <form action={formAction} onSubmit={onSubmit} className="flex flex-col gap-3 rounded-lg border border-slate-300 p-4">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {sessionId ? <input type="hidden" name="sessionId" value={sessionId} /> : null}
      {requestKey ? <input type="hidden" name="requestKey" value={requestKey} /> : null}
      {children}
      <p className="text-sm">{t('why')}</p>
      <ConfirmPasswordField idBase={idBase} errors={state.fieldErrors?.password} codeErrors={state.fieldErrors?.code} />
      <div>
        <Button type="submit" disabled={pending}>
          {t(`confirm.${confirm}`)}
        </Button>
      </div>
    </form>
  );
}
