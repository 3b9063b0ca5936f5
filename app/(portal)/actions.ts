'use server';

import { revalidatePath } from 'next/cache';
import { signOut } from '@/lib/auth/config';
import { currentUser, requireUser } from '@/lib/auth/dal';
import { stepUp } from '@/lib/auth/step-up';
import { revokeSession } from '@/lib/auth/sessions';
import { openGuidance } from '@/lib/guidance/service';
import { shown, type GuidanceState } from '@/lib/guidance/view';
import { dismissNotification } from '@/lib/notifications/service';

export async function logoutAction(): Promise<void> {
  const user = await currentUser();
  // Revoked here first so a failure ends the action with an error and the cookie kept; signOut() then
  // revokes again through next-auth's events.signOut (lib/auth/signout.ts), a no-op by then.
  if (user) await revokeSession(user.sessionId);
  await signOut({ redirectTo: '/login' });
}

export async function dismissNotificationAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const id = formData.get('notificationId');
  if (typeof id === 'string') await dismissNotification(user.id, id);
}

/** The notification's button: opens a new guidance session right where the user is. */
export async function openGuidanceFromNotificationAction(_prev: GuidanceState, formData: FormData): Promise<GuidanceState> {
  const user = await requireUser();
  const id = formData.get('notificationId');
  const password = formData.get('password');
  // One session per notification, however often its button is pressed.
  const requestKey = typeof id === 'string' ? `notification:${id}` : undefined;
  // Opening yields a password: a recent login, or the password typed now (step-up).
  const fit = await stepUp(user, typeof password === 'string' ? password : undefined);
  if (!fit.ok) return { kind: 'reauth', intent: 'open', requestKey, ...(fit.message ? { message: fit.message } : {}) };
  if (typeof id === 'string') await dismissNotification(user.id, id);
  const state = shown(await openGuidance(user.id, { requestKey }));
  revalidatePath('/guidance');
  return state;
}
