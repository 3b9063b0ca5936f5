import { currentUser } from '@/lib/auth/dal';
import { MAX_UPLOAD_BYTES } from '@guidepost/provider-contracts/finqware';
import { receiveUpload, refuseCrossSite } from '@/lib/onboarding/upload';

export const dynamic = 'force-dynamic';

// Uploads come here rather than through a server action (1 MB body limit) or proxy.ts (which may cut
// bodies at 10 MB): a file over the limit gets a clear refusal, never a truncated upload.
export async function POST(request: Request, { params }: { params: Promise<{ id: string; index: string }> }) {
  // Before the session, the onboarding or a byte of the body is looked at.
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const user = await currentUser();
  if (!user) return Response.json({ ok: false, error: 'not_found', message: 'Log in again to continue your onboarding.' }, { status: 401 });
  const { id, index } = await params;
  return receiveUpload(request, { userId: user.id, onboardingId: id, stepIndex: Number(index), maxBytes: MAX_UPLOAD_BYTES });
}
