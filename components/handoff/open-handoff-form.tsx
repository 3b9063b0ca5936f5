'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import type { StateAction } from '@/lib/actions/result';

/**
 * Takes the hand-off link as soon as the page has loaded, so opening the link is all the phone does; the
 * button is there before the script runs (or without it). Only a browser that runs the page takes the
 * link: a chat app's link preview, which fetches the page without running it, leaves it unused.
 */
export function OpenHandoffForm({ token, action }: { token: string; action: StateAction }) {
  const t = useTranslations('handoff');
  const [state, formAction, pending] = useActionState(action, undefined);
  const form = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);

  useEffect(() => {
    if (submitted.current) return;
    submitted.current = true;
    form.current?.requestSubmit();
  }, []);

  if (state && !state.ok)
    return (
      <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
        {state.message ?? t('refused.body')}
      </p>
    );
  return (
    <form ref={form} action={formAction}>
      <input type="hidden" name="token" value={token} />
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {pending ? t('open.opening') : t('open.continue')}
      </Button>
    </form>
  );
}
