import { currentUserPassive } from '@/lib/auth/dal';
import { unreadNotifications } from '@/lib/notifications/service';

export const dynamic = 'force-dynamic';

// Polled by the portal (TanStack Query) so a notification appears on any page without a reload.
export async function GET() {
  // Passive: the poll is the page's doing, not the user's activity (the idle timeout still applies).
  const user = await currentUserPassive();
  if (!user) return Response.json({ error: 'unauthenticated', message: 'Log in to see your notifications.' }, { status: 401 });
  return Response.json({ notifications: await unreadNotifications(user.id) }, { headers: { 'Cache-Control': 'no-store' } });
}
