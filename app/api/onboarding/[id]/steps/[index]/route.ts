import { currentUser } from '@/lib/auth/dal';
import { getEnv } from '@/lib/env';
import { translator } from '@/lib/i18n/server';
import { isCrossSite } from '@/lib/http/form-gate';
import { MAX_UPLOAD_BYTES } from '@guidepost/provider-contracts/finqware';
import type { OnboardingErrorCode, UploadResponse } from '@/lib/onboarding/types';
import { receiveUpload, type FileRefusal, type UploadOutcome } from '@/lib/onboarding/upload';

export const dynamic = 'force-dynamic';

// What each outcome of an upload answers over HTTP; the onboarding service itself speaks only of outcomes.
const STATUS: Record<OnboardingErrorCode, number> = {
  invalid_input: 400,
  too_many: 400,
  not_found: 404,
  in_progress: 409,
  already_submitted: 409,
  completed: 409,
  exchange_lost: 409,
  nonce_expired: 410,
  upstream: 502,
};
const FILE_STATUS: Record<FileRefusal, number> = { too_large: 413, unreadable: 400, refused: 422, unsupported: 415 };

const answer = (status: number, body: UploadResponse) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

function answerOutcome(outcome: UploadOutcome): Response {
  if (outcome.ok) return answer(200, outcome);
  // A refusal about the file itself is shown next to the file field.
  if (outcome.error === 'file')
    return answer(FILE_STATUS[outcome.file], { ok: false, error: 'file', message: outcome.message, fieldErrors: { [outcome.field]: [outcome.message] } });
  return answer(STATUS[outcome.error], outcome);
}

// Uploads come here rather than through a server action (1 MB body limit) or proxy.ts (which may cut
// bodies at 10 MB): a file over the limit gets a clear refusal, never a truncated upload. Every answer's
// sentence is in the user's language (lib/i18n/request-locale.ts).
export async function POST(request: Request, { params }: { params: Promise<{ id: string; index: string }> }) {
  // A browser's POST from another site gets 403 before the session, the onboarding or a byte of the body
  // is looked at, by the rule server actions follow (lib/http/form-gate.ts).
  const { appUrl, trustedProxyHops } = getEnv();
  if (isCrossSite({ headers: Object.fromEntries(request.headers) }, { appUrl, trustedProxyHops })) {
    request.body?.cancel().catch(() => undefined);
    return answer(403, { ok: false, error: 'cross_site', message: (await translator('onboarding'))('uploads.crossSite') });
  }
  const user = await currentUser();
  if (!user) return Response.json({ ok: false, error: 'not_found', message: (await translator('onboarding'))('uploads.logIn') }, { status: 401 });
  const { id, index } = await params;
  return answerOutcome(await receiveUpload(request, { userId: user.id, onboardingId: id, stepIndex: Number(index), maxBytes: MAX_UPLOAD_BYTES }));
}
