'use client';

import { useActionState, useState, useTransition, type FormEvent } from 'react';
import type { GuidanceState } from '@/lib/guidance/view';

export type GuidanceAction = (state: GuidanceState, data: FormData) => Promise<GuidanceState>;

type Submit = (event: FormEvent<HTMLFormElement>) => void;

const shownOf = (client: GuidanceState | null, server: GuidanceState): GuidanceState => (client === null ? server : client);

// What is left of an answer once its password's time is up: when it expired, not the password.
const withoutPassword = (state: GuidanceState): GuidanceState =>
  state?.ok && state.data.kind === 'shown' ? { ...state, data: { ...state.data, password: '' } } : state;

/**
 * The guidance buttons' action, two ways. Before JavaScript runs (or without it), the form posts
 * natively and the server renders the result (useActionState's progressive enhancement). With
 * JavaScript, the submit calls the action directly: the previous state, which may hold a shown
 * password, is never sent back to the server (useActionState would send it), and when the server says
 * a request was a duplicate (a double click) the answer already on screen stays. `forget` drops the
 * password of the answer held in memory (its time is up), keeping when it expired.
 */
export function useGuidanceAction(
  action: GuidanceAction,
  after?: () => Promise<void>,
): { state: GuidanceState; formAction: (data: FormData) => void; onSubmit: Submit; pending: boolean; forget: () => void } {
  const [serverState, formAction] = useActionState(action, undefined);
  // null: nothing answered through JavaScript yet, the server's answer (if any) stands.
  const [clientState, setClientState] = useState<GuidanceState | null>(null);
  const [pending, startTransition] = useTransition();
  const onSubmit: Submit = (event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(async () => {
      const next = await action(undefined, data);
      await after?.();
      startTransition(() => setClientState((previous) => (next?.ok && next.data.kind === 'duplicate' ? shownOf(previous, serverState) : next)));
    });
  };
  return {
    state: shownOf(clientState, serverState),
    formAction,
    onSubmit,
    pending,
    forget: () => setClientState((previous) => withoutPassword(shownOf(previous, serverState))),
  };
}
