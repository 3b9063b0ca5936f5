import { currentUserPassive } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

// When this browser's session ends unless the user does something, for the idle warning (components/account/
// idle-warning.tsx). Passive: asking does not count as activity. Nothing else about the session is said.
export async function GET() {
  const user = await currentUserPassive();
  const headers = { 'Cache-Control': 'no-store' };
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401, headers });
  return Response.json({ expiresAt: user.expiresAt.toISOString() }, { headers });
}
