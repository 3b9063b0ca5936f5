'use client';

import Link from 'next/link';
import { useActionState, useState, useTransition, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import type { GuidanceState } from '@/lib/guidance/view';
import { Countdown } from './countdown';
import { ReauthForm } from './reauth-form';
import { ShownPassword } from './shown-password';

export interface LatestSession {
  id: string;
  passwordState: 'held' | 'deleted' | 'expired' | 'invalidated';
  passwordExpiresAt: string;
}

type Action = (state: GuidanceState, data: FormData) => Promise<GuidanceState>;

type Submit = (event: FormEvent<HTMLFormElement>) => void;

function IntentForm({
  action,
  onSubmit,
  intent,
  sessionId,
  requestKey,
  children,
}: {
  action: (data: FormData) => void;
  onSubmit: Submit;
  intent: string;
  sessionId?: string;
  requestKey?: string;
  children: React.ReactNode;
}) {
  return (
    <form action={action} onSubmit={onSubmit}>
      <input type="hidden" name="intent" value={intent} />
      {sessionId ? <input type="hidden" name="sessionId" value={sessionId} /> : null}
      {requestKey ? <input type="hidden" name="requestKey" value={requestKey} /> : null}
      {children}
    </form>
  );
}

/**
 * The guidance buttons' action, two ways. Before JavaScript runs (or without it), the form posts
 * natively and the server renders the result (useActionState's progressive enhancement). With
 * JavaScript, the submit calls the action directly: the previous state, which may hold a shown
 * password, is never sent back to the server (useActionState would send it), and when the server says
 * a request was a duplicate (a double click) the answer already on screen stays.
 */
export function useGuidanceAction(
  action: Action,
  after?: () => Promise<void>,
): { state: GuidanceState; formAction: (data: FormData) => void; onSubmit: Submit; pending: boolean } {
  const [serverState, formAction] = useActionState(action, undefined);
  const [clientState, setClientState] = useState<GuidanceState | null>(null);
  const [pending, startTransition] = useTransition();
  const onSubmit: Submit = (event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(async () => {
      const next = await action(undefined, data);
      await after?.();
      startTransition(() => setClientState((previous) => (next?.ok && next.data.kind === 'duplicate' ? (previous ?? serverState) : next)));
    });
  };
  return { state: clientState ?? serverState, formAction, onSubmit, pending };
}

/** Opening guidance, the password shown once, show-again, "I'm done" and the leak flow. */
export function GuidanceWorkspace({ action, latest, missing, openKey }: { action: Action; latest?: LatestSession; missing: string[]; openKey: string }) {
  const { state, formAction, onSubmit, pending } = useGuidanceAction(action);
  const [endedAt, setEndedAt] = useState<string | null>(null);

  if (missing.length > 0) {
    return (
      <div className="flex flex-col gap-3">
        <p>Bridge needs a few details about your company before it can prepare your guidance:</p>
        <ul className="list-disc pl-6">
          {missing.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <p>
          <Link href="/settings/company" className="font-semibold text-blue-800 underline">
            Complete your company profile
          </Link>
        </p>
      </div>
    );
  }

  const held = latest?.passwordState === 'held' && endedAt !== latest.passwordExpiresAt;
  const shownNow = state?.ok && state.data.kind === 'shown' ? state.data : undefined;
  const failed = state?.ok === false && state.error !== 'reauth_required' ? state : undefined;
  const reauth = state?.ok === false && state.error === 'reauth_required' ? state : undefined;
  return (
    <div className="flex flex-col gap-5">
      {shownNow?.replaced ? (
        <FormMessage tone="success" message="The old password is invalidated and a new guidance session is open with a new password." />
      ) : null}
      {failed ? (
        <div className="flex flex-col gap-2">
          <FormMessage tone="error" message={failed.message} />
          {failed.details ? (
            <p className="text-sm">
              Missing: {failed.details.join(', ')}.{' '}
              <Link href="/settings/company" className="font-semibold text-blue-800 underline">
                Complete your company profile
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {state?.ok && state.data.kind === 'done' ? <FormMessage tone="success" message={state.message} /> : null}

      {shownNow ? (
        <ShownPassword key={`${shownNow.sessionId}-${shownNow.expiresAt}`} url={shownNow.url} password={shownNow.password} expiresAt={shownNow.expiresAt} />
      ) : null}

      {reauth ? <ReauthForm state={reauth} formAction={formAction} onSubmit={onSubmit} pending={pending} /> : null}

      {latest && held && !shownNow ? (
        <p>
          The password of your current session can be shown again for{' '}
          <Countdown until={latest.passwordExpiresAt} onEnd={() => setEndedAt(latest.passwordExpiresAt)} />.
        </p>
      ) : null}
      {latest && !held && latest.passwordState !== 'invalidated' && !shownNow ? (
        <p>
          {latest.passwordState === 'deleted'
            ? 'The password of your last session was deleted after use.'
            : 'The password of your last session has expired and can no longer be shown.'}{' '}
          Open a new session to get a new password.
        </p>
      ) : null}

      <div className="flex flex-wrap gap-3">
        {latest ? (
          <>
            <IntentForm action={formAction} onSubmit={onSubmit} intent="reveal" sessionId={latest.id}>
              <Button type="submit" variant="secondary" disabled={pending || !held}>
                Show password again
              </Button>
            </IntentForm>
            {held ? (
              <>
                <IntentForm action={formAction} onSubmit={onSubmit} intent="done" sessionId={latest.id}>
                  <Button type="submit" variant="secondary" disabled={pending}>
                    I’m done
                  </Button>
                </IntentForm>
                <IntentForm action={formAction} onSubmit={onSubmit} intent="leak" sessionId={latest.id}>
                  <Button type="submit" variant="danger" disabled={pending}>
                    I think the password leaked
                  </Button>
                </IntentForm>
              </>
            ) : null}
          </>
        ) : null}
        <IntentForm action={formAction} onSubmit={onSubmit} intent="open" requestKey={openKey}>
          <Button type="submit" disabled={pending}>
            {latest ? 'Open a new session' : 'Open my guidance'}
          </Button>
        </IntentForm>
      </div>
      <p aria-live="polite" className="sr-only">
        {pending ? 'Working…' : ''}
      </p>
    </div>
  );
}
