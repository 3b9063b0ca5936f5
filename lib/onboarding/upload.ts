import 'server-only';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { UPLOAD_LIMIT_TEXT } from '@guidepost/provider-contracts/finqware';
import { declaredLength, isBodyReadError, readBodyCapped } from '@/lib/http/read-body';
import { isCrossSite } from '@/lib/http/form-gate';
import type { UploadResponse } from './types';
import { isOnboardingError } from './errors';
import { sanitiseUpload } from './sanitise-upload';
import { getOnboarding, submitUploadStep } from './service';
import { detectFileType, fileProblem, isUploadKind, stepSchemas } from './step-schemas';

// Multipart overhead (boundaries, the document type field) on top of the file itself.
const ENVELOPE_BYTES = 64 * 1024;

const STATUS: Record<string, number> = {
  not_found: 404,
  in_progress: 409,
  already_submitted: 409,
  completed: 409,
  exchange_lost: 409,
  nonce_expired: 410,
  upstream: 502,
  invalid_input: 400,
};

const answer = (status: number, body: UploadResponse) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
// A refusal about the file itself, shown next to the file field.
const refuseFile = (status: number, message: string) => answer(status, { ok: false, error: 'file', message, fieldErrors: { file: [message] } });

/**
 * A browser's POST from another site gets 403 before anything else happens, by the rule server actions
 * follow (lib/http/form-gate.ts); undefined when the request may go on.
 */
export function refuseCrossSite(request: Request): Response | undefined {
  const { appUrl, trustedProxyHops } = getEnv();
  if (!isCrossSite({ headers: Object.fromEntries(request.headers) }, { appUrl, trustedProxyHops })) return undefined;
  request.body?.cancel().catch(() => undefined);
  return answer(403, { ok: false, error: 'cross_site', message: 'This upload came from another website, so it was refused. Upload your file from the onboarding page.' });
}

/**
 * Checks an upload step's request and file, cleans the file (sanitiseUpload), then sends it to Finqware;
 * nothing is written to disk or the database.
 */
export async function receiveUpload(
  request: Request,
  target: { userId: string; onboardingId: string; stepIndex: number; maxBytes: number },
): Promise<Response> {
  const tooLarge = `The file is larger than ${UPLOAD_LIMIT_TEXT}. Use a smaller photo or scan.`;
  // Refused before the database is asked anything (readBodyCapped would refuse it too, later).
  if ((declaredLength(request.headers) ?? 0) > target.maxBytes + ENVELOPE_BYTES) return refuseFile(413, tooLarge);
  const onboarding = Number.isInteger(target.stepIndex) ? await getOnboarding(target.userId, target.onboardingId) : undefined;
  const kind = onboarding?.steps[target.stepIndex]?.kind;
  if (!onboarding || !kind || !isUploadKind(kind)) return answer(404, { ok: false, error: 'not_found', message: 'This step was not found. Reload the page.' });

  const unreadable = 'The upload could not be read. Choose the file again.';
  let form: FormData;
  try {
    // Never more than the limit is read or held, whether or not the browser declared the length.
    const body = await readBodyCapped(request, { maxBytes: target.maxBytes + ENVELOPE_BYTES });
    form = await new Response(body, { headers: { 'Content-Type': request.headers.get('content-type') ?? '' } }).formData();
  } catch (error) {
    if (isBodyReadError(error) && error.problem === 'too_large') return refuseFile(413, tooLarge);
    return refuseFile(400, isBodyReadError(error) ? 'The upload was cut off before it was complete. Choose the file again and retry.' : unreadable);
  }
  const file = form.get('file');
  if (!(file instanceof File)) return refuseFile(400, 'Choose a file.');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const problem = fileProblem(kind, { size: bytes.byteLength, head: bytes.subarray(0, 16) });
  if (problem) return refuseFile(bytes.byteLength > target.maxBytes ? 413 : 400, problem);

  const fields = Object.fromEntries([...form].filter(([key, value]) => key !== 'file' && typeof value === 'string')) as Record<string, string>;
  const schema: z.ZodType<Record<string, unknown>> = stepSchemas[kind];
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    return answer(400, { ok: false, error: 'invalid_input', message: 'Some details need fixing.', fieldErrors });
  }
  // fileProblem() accepted the file, so its type is known; the bytes must now prove it.
  const sanitised = await sanitiseUpload(bytes, detectFileType(bytes.subarray(0, 16))!);
  if (!sanitised.ok) return refuseFile(sanitised.status, sanitised.message);
  try {
    await submitUploadStep(
      target.userId,
      target.onboardingId,
      target.stepIndex,
      Object.fromEntries(Object.entries(parsed.data).map(([key, value]) => [key, String(value)])),
      // The user's own name is only shown back to them; Finqware gets a name of ours.
      { file: sanitised.file, shownName: file.name.slice(0, 200) || 'upload' },
    );
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
    return answer(STATUS[error.code] ?? 400, { ok: false, error: error.code, message: error.message, restart: error.restart });
  }
  return answer(200, { ok: true, next: `/onboarding/${target.onboardingId}` });
}
