'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { useGuidanceAction } from '@/components/guidance/guidance-workspace';
import { ReauthForm } from '@/components/guidance/reauth-form';
import { ShownPassword } from '@/components/guidance/shown-password';
import type { GuidanceState } from '@/lib/guidance/view';
import { queryKeys } from '@/lib/query-keys';

interface PortalNotification {
  id: string;
  message: string;
}

// Often enough to feel live, rare enough to cost nothing.
const POLL_MS = 5_000;

async function fetchNotifications(): Promise<PortalNotification[]> {
  const response = await fetch('/api/notifications', { cache: 'no-store' });
  if (!response.ok) return [];
  const body = (await response.json()) as { notifications: PortalNotification[] };
  return body.notifications;
}

type OpenAction = (state: GuidanceState, data: FormData) => Promise<GuidanceState>;

/** New-guidance notifications on every portal page, without reloading, with a button that opens a session. */
export function NotificationCenter({ openAction, dismissAction }: { openAction: OpenAction; dismissAction: (data: FormData) => Promise<void> }) {
  const queryClient = useQueryClient();
  const { data = [] } = useQuery({ queryKey: queryKeys.notifications, queryFn: fetchNotifications, refetchInterval: POLL_MS });
  const { state, formAction, onSubmit, pending } = useGuidanceAction(openAction, () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications }));

  // The notification whose opening asks for the password again (step-up), if any.
  const reauth = state?.ok === false && state.error === 'reauth_required' ? state : undefined;
  const reauthFor = reauth?.values?.notificationId;

  async function dismiss(formData: FormData) {
    await dismissAction(formData);
    await queryClient.invalidateQueries({ queryKey: queryKeys.notifications });
  }

  return (
    <div aria-live="polite" className="flex flex-col gap-3">
      {data.map((notification) => (
        <div key={notification.id} role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-blue-300 bg-blue-50 p-4">
          <p className="font-semibold text-blue-950">{notification.message}</p>
          <div className="flex gap-2">
            <form action={formAction} onSubmit={onSubmit}>
              <input type="hidden" name="notificationId" value={notification.id} />
              <Button type="submit" disabled={pending}>
                Open a new session
              </Button>
            </form>
            <form action={dismiss}>
              <input type="hidden" name="notificationId" value={notification.id} />
              <Button type="submit" variant="secondary">
                Dismiss
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
      {state?.ok && state.data.kind === 'shown' ? <ShownPassword url={state.data.url} password={state.data.password} expiresAt={state.data.expiresAt} /> : null}
      {state?.ok === false && state.error !== 'reauth_required' ? <FormMessage tone="error" message={state.message} /> : null}
    </div>
  );
}
