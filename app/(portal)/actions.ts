'use server';

import { unverifiedRefusal } from '@/lib/actions/verified';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction, stateAction } from '@/lib/actions/action';
import { done } from '@/lib/actions/result';
import { signOut } from '@/lib/auth/config';
import { revokeSession } from '@/lib/auth/sessions';
import { openGuidance } from '@/lib/guidance/service';
import { shown, type GuidanceResult } from '@/lib/guidance/view';
import { dismissNotification } from '@/lib/notifications/service';

export const logoutAction = formAction(
  {
    name: 'auth.logout',
    // Signed in or not (the session may have ended already), "Log out" ends at the login page.
    access: 'optional',
    input: z.object({}),
    async run(_input, { user }) {
      // Revoked here first so a failure ends the action with an error and the cookie kept; signOut() then
      // revokes again through next-auth's events.signOut (lib/auth/signout.ts), a no-op by then.
      if (user) await revokeSession(user.sessionId);
      await signOut({ redirectTo: '/login' });
      return done();
    },
  },
  () => undefined,
);

const notification = z.object({ notificationId: z.string().min(1).max(100) });

export const dismissNotificationAction = formAction(
  {
    name: 'notifications.dismiss',
    input: notification,
    async run({ notificationId }, { user }) {
      await dismissNotification(user.id, notificationId);
      return done();
    },
  },
  // The notification centre refetches its list itself.
  () => undefined,
);

/** The notification's button: opens a new guidance session right where the user is. */
export const openGuidanceFromNotificationAction = stateAction({
  name: 'notifications.open_guidance',
  input: z.object({ notificationId: z.string().min(1).max(100).optional(), password: z.string().max(128).optional() }),
  // The notification centre's re-auth form posts the same notification again, with the password.
  keep: ['notificationId'],
  // Opening yields a password: a recent login, or the password typed now (step-up).
  recentLogin: true,
  async run({ notificationId }, { user }): Promise<GuidanceResult> {
    const unverified = unverifiedRefusal(user);
    if (unverified) return unverified;
    // One session per notification, however often its button is pressed.
    const requestKey = notificationId ? `notification:${notificationId}` : undefined;
    if (notificationId) await dismissNotification(user.id, notificationId);
    const state = await shown(await openGuidance(user.id, { requestKey }));
    revalidatePath('/guidance');
    return state;
  },
});
