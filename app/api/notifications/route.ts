import { currentUser } from '@/lib/auth/dal';
import { unreadNotifications } from '@/lib/notifications/service';

export const dynamic = 'force-dynamic';

// Polled by the portal (TanStack Query) so a notification appears on any page without a reload.
export async function GET() {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'unauthenticated', message: 'Log in to see your notifications.' }, { status: 401 });
  return Response.json({ notifications: await unreadNotifications(user.id) }, { headers: { 'Cache-Control': 'no-store' } });
}
