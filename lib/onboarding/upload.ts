import 'server-only';
import { z } from 'zod';
import { uploadPages, type DocumentPage } from '@guidepost/provider-contracts/finqware';
import { translator } from '@/lib/i18n/server';
import { declaredLength, isBodyReadError, readBodyCapped } from '@/lib/http/read-body';
import { defaultDeps, type OnboardingDeps } from './deps';
import { isOnboardingError } from './errors';
import { sanitiseUpload, type SanitiseRefusal } from './sanitise-upload';
import { submitUploadStep, type UploadedFile, type UploadPages } from './steps';
import { detectFileType, fileProblem, isUploadKind, stepSchemasFor, UPLOAD_LIMIT_MB } from './step-schemas';
import type { OnboardingErrorCode } from './types';
import { getOnboarding } from './views';

// Multipart overhead (boundaries, the document type field) on top of the files themselves.
const ENVELOPE_BYTES = 64 * 1024;

/** The request's field of each side of a document: the front (or only page) is `file`, the back `fileBack`. */
export const PAGE_FIELDS = { front: 'file', back: 'fileBack' } as const satisfies Record<DocumentPage, string>;
export type PageField = (typeof PAGE_FIELDS)[DocumentPage];

/** Why a file was refused: too large, not readable as what it claims, refused once looked into, or of a type we do not take. */
export type FileRefusal = SanitiseRefusal | 'unreadable';

/**
 * What became of an upload, in the onboarding's terms; the route handler answers it over HTTP
 * (app/api/onboarding/[id]/steps/[index]/route.ts). A refusal about a file itself ('file') is shown
 * next to that file's field (`field`).
 */
export type UploadOutcome =
  | { ok: true; next: string }
  | { ok: false; error: 'file'; file: FileRefusal; field: PageField; message: string }
  | { ok: false; error: OnboardingErrorCode; message: string; fieldErrors?: Record<string, string[]>; restart?: boolean };

const refuseFile = (file: FileRefusal, message: string, field: PageField = PAGE_FIELDS.front): UploadOutcome => ({
  ok: false,
  error: 'file',
  file,
  field,
  message,
});

/**
 * Checks an upload step's request and files (a document's front and, where it has one, its back), cleans
 * each file (sanitiseUpload), then sends them to Finqware together; nothing is written to disk or the
 * database. Every sentence is in the request's language.
 */
export async function receiveUpload(
  request: Request,
  target: { userId: string; onboardingId: string; stepIndex: number; maxBytes: number },
  deps: OnboardingDeps = defaultDeps(),
): Promise<UploadOutcome> {
  const t = await translator('onboarding');
  // A request carries at most two files (a document's two sides), each within the limit.
  const maxBody = 2 * target.maxBytes + ENVELOPE_BYTES;
  const tooLarge = t('uploads.tooLarge', { limit: UPLOAD_LIMIT_MB });
  // Refused before the database is asked anything (readBodyCapped would refuse it too, later).
  if ((declaredLength(request.headers) ?? 0) > maxBody) return refuseFile('too_large', tooLarge);
  const onboarding = Number.isInteger(target.stepIndex) ? await getOnboarding(target.userId, target.onboardingId) : undefined;
  const kind = onboarding?.steps[target.stepIndex]?.kind;
  if (!onboarding || !kind || !isUploadKind(kind)) return { ok: false, error: 'not_found', message: t('errors.stepNotFound') };

  let form: FormData;
  try {
    // Never more than the limit is read or held, whether or not the browser declared the length.
    const body = await readBodyCapped(request, { maxBytes: maxBody });
    form = await new Response(body, { headers: { 'Content-Type': request.headers.get('content-type') ?? '' } }).formData();
  } catch (error) {
    if (isBodyReadError(error) && error.problem === 'too_large') return refuseFile('too_large', tooLarge);
    return refuseFile('unreadable', isBodyReadError(error) ? t('uploads.cutOff') : t('uploads.unreadable'));
  }

  const fields = Object.fromEntries([...form].filter(([, value]) => typeof value === 'string')) as Record<string, string>;
  const steps = await translator('onboardingSteps');
  const schema: z.ZodType<Record<string, unknown>> = stepSchemasFor(steps)[kind];
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    return { ok: false, error: 'invalid_input', message: t('uploads.fixDetails'), fieldErrors };
  }
  const answers = Object.fromEntries(Object.entries(parsed.data).map(([key, value]) => [key, String(value)]));

  // The document's sides, each checked, then cleaned; the first refusal is said next to its field.
  const pages: Partial<UploadPages> = {};
  for (const page of uploadPages(kind, answers.documentType)) {
    const field = PAGE_FIELDS[page];
    const file = form.get(field);
    if (!(file instanceof File)) return refuseFile('unreadable', t('uploads.chooseFile'), field);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const problem = fileProblem(kind, { size: bytes.byteLength, head: bytes.subarray(0, 16) }, steps);
    if (problem) return refuseFile(bytes.byteLength > target.maxBytes ? 'too_large' : 'unreadable', problem, field);
    // fileProblem() accepted the file, so its type is known; the bytes must now prove it.
    const sanitised = await sanitiseUpload(bytes, detectFileType(bytes.subarray(0, 16))!);
    if (!sanitised.ok) return refuseFile(sanitised.reason, sanitised.message, field);
    // The user's own name is only shown back to them; Finqware gets a name of ours.
    pages[page] = { file: sanitised.file, shownName: file.name.slice(0, 200) || 'upload' } satisfies UploadedFile;
  }
  try {
    await submitUploadStep(target.userId, target.onboardingId, target.stepIndex, answers, pages as UploadPages, deps);
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
    return { ok: false, error: error.code, message: error.message, restart: error.restart };
  }
  return { ok: true, next: `/onboarding/${target.onboardingId}` };
}
