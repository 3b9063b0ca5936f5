import { currentUser } from '@/lib/auth/dal';
import { handoffStatus } from '@/lib/handoff/service';

export const dynamic = 'force-dynamic';

const noStore = { 'Cache-Control': 'no-store' };

// Polled by the desktop's "Continue on my phone" panel while a link waits or a phone works on the step, so
// the page moves on by itself once the phone has sent it. Ids, states and nothing else: never the link.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; index: string }> }) {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401, headers: noStore });
  const { id, index } = await params;
  const stepIndex = /^\d{1,2}$/.test(index) ? Number(index) : undefined;
  // Another user's onboarding answers exactly like one that does not exist.
  const status = stepIndex === undefined ? undefined : await handoffStatus({ userId: user.id, onboardingId: id, stepIndex });
  if (!status) return Response.json({ error: 'not_found' }, { status: 404, headers: noStore });
  return Response.json(status, { headers: noStore });
}
