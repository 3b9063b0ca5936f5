import 'server-only';
import { z } from 'zod';
import { UPLOAD_LIMIT_TEXT } from '@guidepost/provider-contracts/finqware';
import { declaredLength, isBodyReadError, readBodyCapped } from '@/lib/http/read-body';
import { defaultDeps, type OnboardingDeps } from './deps';
import { isOnboardingError } from './errors';
import { sanitiseUpload, type SanitiseRefusal } from './sanitise-upload';
import { submitUploadStep } from './steps';
import { detectFileType, fileProblem, isUploadKind, stepSchemas } from './step-schemas';
import type { OnboardingErrorCode } from './types';
import { getOnboarding } from './views';

// Multipart overhead (boundaries, the document type field) on top of the file itself.
const ENVELOPE_BYTES = 64 * 1024;

/** Why a file was refused: too large, not readable as what it claims, refused once looked into, or of a type we do not take. */
export type FileRefusal = SanitiseRefusal | 'unreadable';

/**
 * What became of an upload, in the onboarding's terms; the route handler answers it over HTTP
 * (app/api/onboarding/[id]/steps/[index]/route.ts). A refusal about the file itself ('file') is shown
 * next to the file field.
 */
export type UploadOutcome =
  | { ok: true; next: string }
  | { ok: false; error: 'file'; file: FileRefusal; message: string }
  | { ok: false; error: OnboardingErrorCode; message: string; fieldErrors?: Record<string, string[]>; restart?: boolean };

const refuseFile = (file: FileRefusal, message: string): UploadOutcome => ({ ok: false, error: 'file', file, message });

/**
 * Checks an upload step's request and file, cleans the file (sanitiseUpload), then sends it to Finqware;
 * nothing is written to disk or the database.
 */
export async function receiveUpload(
  request: Request,
  target: { userId: string; onboardingId: string; stepIndex: number; maxBytes: number },
  deps: OnboardingDeps = defaultDeps(),
): Promise<UploadOutcome> {
  const tooLarge = `The file is larger than ${UPLOAD_LIMIT_TEXT}. Use a smaller photo or scan.`;
  // Refused before the database is asked anything (readBodyCapped would refuse it too, later).
  if ((declaredLength(request.headers) ?? 0) > target.maxBytes + ENVELOPE_BYTES) return refuseFile('too_large', tooLarge);
  const onboarding = Number.isInteger(target.stepIndex) ? await getOnboarding(target.userId, target.onboardingId) : undefined;
  const kind = onboarding?.steps[target.stepIndex]?.kind;
  if (!onboarding || !kind || !isUploadKind(kind)) return { ok: false, error: 'not_found', message: 'This step was not found. Reload the page.' };

  const unreadable = 'The upload could not be read. Choose the file again.';
  let form: FormData;
  try {
    // Never more than the limit is read or held, whether or not the browser declared the length.
    const body = await readBodyCapped(request, { maxBytes: target.maxBytes + ENVELOPE_BYTES });
    form = await new Response(body, { headers: { 'Content-Type': request.headers.get('content-type') ?? '' } }).formData();
  } catch (error) {
    if (isBodyReadError(error) && error.problem === 'too_large') return refuseFile('too_large', tooLarge);
    return refuseFile('unreadable', isBodyReadError(error) ? 'The upload was cut off before it was complete. Choose the file again and retry.' : unreadable);
  }
  const file = form.get('file');
  if (!(file instanceof File)) return refuseFile('unreadable', 'Choose a file.');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const problem = fileProblem(kind, { size: bytes.byteLength, head: bytes.subarray(0, 16) });
  if (problem) return refuseFile(bytes.byteLength > target.maxBytes ? 'too_large' : 'unreadable', problem);

  const fields = Object.fromEntries([...form].filter(([key, value]) => key !== 'file' && typeof value === 'string')) as Record<string, string>;
  const schema: z.ZodType<Record<string, unknown>> = stepSchemas[kind];
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    return { ok: false, error: 'invalid_input', message: 'Some details need fixing.', fieldErrors };
  }
  // fileProblem() accepted the file, so its type is known; the bytes must now prove it.
  const sanitised = await sanitiseUpload(bytes, detectFileType(bytes.subarray(0, 16))!);
  if (!sanitised.ok) return refuseFile(sanitised.reason, sanitised.message);
  try {
    await submitUploadStep(
      target.userId,
      target.onboardingId,
      target.stepIndex,
      Object.fromEntries(Object.entries(parsed.data).map(([key, value]) => [key, String(value)])),
      // The user's own name is only shown back to them; Finqware gets a name of ours.
      { file: sanitised.file, shownName: file.name.slice(0, 200) || 'upload' },
      deps,
    );
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
    return { ok: false, error: error.code, message: error.message, restart: error.restart };
  }
  return { ok: true, next: `/onboarding/${target.onboardingId}` };
}
