import { currentUserPassive } from '@/lib/auth/dal';
import { translator } from '@/lib/i18n/server';
import { unreadNotifications } from '@/lib/notifications/service';

export const dynamic = 'force-dynamic';

// The user's notifications, read once: by a tab right after it changed them, and when the pushed stream
// (app/api/events) fails, to tell an ended session (401) from a server that is away, and as the slow poll that stands
// in for a stream a proxy holds back (components/notifications/live-notifications.ts). The notifications are facts
// the page words itself; only this route's own refusal is a sentence, in the reader's language.
export async function GET() {
  // Passive: the page's doing, not the user's activity (the idle timeout still applies).
  const user = await currentUserPassive();
  if (!user) {
    const t = await translator('notifications');
    return Response.json({ error: 'unauthenticated', message: t('unauthenticated') }, { status: 401 });
  }
  return Response.json({ notifications: await unreadNotifications(user.id) }, { headers: { 'Cache-Control': 'no-store' } });
}
