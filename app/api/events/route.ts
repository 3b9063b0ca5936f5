import { currentUserPassive } from '@/lib/auth/dal';
import { eventStreamResponse } from '@/lib/events/sse';
import { translator } from '@/lib/i18n/server';
import { notificationStream } from '@/lib/notifications/stream';

export const dynamic = 'force-dynamic';

// The portal's pushed events (server-sent): the user's notifications now and whenever they change, on whichever
// instance the change happened (lib/events). One stream per browser: the notification centre shares it between tabs
// (components/notifications/live-notifications.ts).
export async function GET(request: Request) {
  // Passive: an open tab is not the user's activity (the idle timeout still ends the session, and the stream with it).
  const user = await currentUserPassive();
  if (!user) {
    const t = await translator('notifications');
    return Response.json({ error: 'unauthenticated', message: t('unauthenticated') }, { status: 401, headers: { 'Cache-Control': 'no-store' } });
  }
  return eventStreamResponse(notificationStream({ userId: user.id, sessionId: user.sessionId, endsAt: user.expiresAt }, { signal: request.signal }), request);
}
