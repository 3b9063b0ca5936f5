'use client';

import type { FormEvent, ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmPasswordField } from '@/components/account/confirm-password-field';
import type { GuidanceState } from '@/lib/guidance/view';

type Reauth = Extract<GuidanceState, { kind: 'reauth' }>;

const CONFIRM: Record<Reauth['intent'], string> = {
  open: 'Confirm and open a session',
  reveal: 'Confirm and show password',
  leak: 'Confirm and report the leak',
};

/** Asks for the Guidepost password in place, then sends the same request again with it (step-up). */
export function ReauthForm({
  state,
  formAction,
  onSubmit,
  pending,
  idBase,
  children,
}: {
  state: Reauth;
  formAction: (data: FormData) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  pending: boolean;
  idBase?: string;
  /** Further hidden fields the request needs. */
  children?: ReactNode;
}) {
  return (
    <form action={formAction} onSubmit={onSubmit} className="flex flex-col gap-3 rounded-lg border border-slate-300 p-4">
      <input type="hidden" name="intent" value={state.intent} />
      {state.sessionId ? <input type="hidden" name="sessionId" value={state.sessionId} /> : null}
      {state.requestKey ? <input type="hidden" name="requestKey" value={state.requestKey} /> : null}
      {children}
      <p className="text-sm">For your safety, confirm it is you: you last typed your password a while ago.</p>
      <ConfirmPasswordField idBase={idBase} errors={state.message ? [state.message] : undefined} />
      <div>
        <Button type="submit" disabled={pending}>
          {CONFIRM[state.intent]}
        </Button>
      </div>
    </form>
  );
}
