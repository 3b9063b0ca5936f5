'use client';

import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { usePassed } from '@/components/guidance/clock';
import { ReauthForm } from '@/components/guidance/reauth-form';
import { ShownPassword } from '@/components/guidance/shown-password';
import { useGuidanceAction, type GuidanceAction } from '@/components/guidance/use-guidance-action';
import type { PortalNotification } from '@/lib/notifications/types';
import { useLiveNotifications } from './live-notifications';

/** A notification's sentence, worded now in the reader's language (the server stores what happened, not words). */
function useWording(): (notification: PortalNotification) => string {
  const t = useTranslations('notifications.guidanceReady');
  return ({ company }) => {
    if (company && 'name' in company) return t('named', { company: company.name });
    if (company) return t('numbered', { number: company.identificationNumber });
    return t('unnamed');
  };
}

/** New-guidance notifications on every portal page, without reloading, with a button that opens a session. */
export function NotificationCenter({ openAction, dismissAction }: { openAction: GuidanceAction; dismissAction: (data: FormData) => Promise<void> }) {
  const t = useTranslations('notifications');
  const guidance = useTranslations('guidance.shown');
  const wording = useWording();
  // Pushed by the server (live-notifications.ts); after this tab changed the list, read once so it shows at once here
  // and in the other tabs, whatever the stream is doing.
  const { notifications: data, refresh } = useLiveNotifications();
  const { state, formAction, onSubmit, pending, forget } = useGuidanceAction(openAction, refresh);

  // The notification whose opening asks for the password again (step-up), if any.
  const reauth = state?.ok === false && state.error === 'reauth_required' ? state : undefined;
  const reauthFor = reauth?.values?.notificationId;
  const shown = state?.ok && state.data.kind === 'shown' ? state.data : undefined;
  // Never rendered on the server with a password (the list comes from the browser), so no server time is needed.
  const expired = usePassed(shown?.expiresAt);
  // The password leaves the screen and memory at zero; a sentence says why it went.
  useEffect(() => {
    if (expired) forget();
  }, [expired]); // eslint-disable-line react-hooks/exhaustive-deps -- forget is a new function each render; once is enough

  async function dismiss(formData: FormData) {
    await dismissAction(formData);
    await refresh();
  }

  return (
    <div aria-live="polite" className="flex flex-col gap-3">
      {data.map((notification) => (
        <div key={notification.id} role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-blue-300 bg-blue-50 p-4">
          <p className="font-semibold text-blue-950">{wording(notification)}</p>
          <div className="flex gap-2">
            <form action={formAction} onSubmit={onSubmit}>
              <input type="hidden" name="notificationId" value={notification.id} />
              <Button type="submit" disabled={pending}>
                {t('openNew')}
              </Button>
            </form>
            <form action={dismiss}>
              <input type="hidden" name="notificationId" value={notification.id} />
              <Button type="submit" variant="secondary">
                {t('dismiss')}
              </Button>
            </form>
          </div>
        </div>
      ))}
      {reauth && reauthFor ? (
        <ReauthForm state={reauth} formAction={formAction} onSubmit={onSubmit} pending={pending} idBase="notification-password">
          <input type="hidden" name="notificationId" value={reauthFor} />
        </ReauthForm>
      ) : null}
      {shown && !expired ? <ShownPassword key={shown.sessionId} url={shown.url} password={shown.password} expiresAt={shown.expiresAt} /> : null}
      {expired ? <p className="text-sm">{guidance('expired')}</p> : null}
      {state?.ok === false && state.error !== 'reauth_required' ? <FormMessage tone="error" message={state.message} /> : null}
      <p role="status" className="sr-only">
        {shown && !expired ? guidance('announce') : ''}
      </p>
    </div>
  );
}
