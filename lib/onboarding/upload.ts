import 'server-only';
import { z } from 'zod';
import { uploadPages, type DocumentPage } from '@guidepost/provider-contracts/finqware';
import { translator } from '@/lib/i18n/server';
import { isMultipartError, readMultipart, type ReceivedForm } from '@/lib/http/multipart';
import { declaredLength, isBodyReadError, releaseBytes } from '@/lib/http/read-body';
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
  // Refused before the database is asked anything (readMultipart would refuse it too, later).
  if ((declaredLength(request.headers) ?? 0) > maxBody) return refuseFile('too_large', tooLarge);
  const onboarding = Number.isInteger(target.stepIndex) ? await getOnboarding(target.userId, target.onboardingId) : undefined;
  const kind = onboarding?.steps[target.stepIndex]?.kind;
  if (!onboarding || !kind || !isUploadKind(kind)) return { ok: false, error: 'not_found', message: t('errors.stepNotFound') };

  let form: ReceivedForm;
  try {
    // Read as it arrives: never more than the limit is read, whether or not the browser declared the
    // length, and each file is held once (a file over the limit is counted, not kept).
    form = await readMultipart(request, { maxBodyBytes: maxBody, maxFileBytes: target.maxBytes, fileFields: Object.values(PAGE_FIELDS) });
  } catch (error) {
    if (isBodyReadError(error) && error.problem === 'too_large') return refuseFile('too_large', tooLarge);
    if (isBodyReadError(error) || (isMultipartError(error) && error.problem === 'cut_off')) return refuseFile('unreadable', t('uploads.cutOff'));
    if (isMultipartError(error)) return refuseFile('unreadable', t('uploads.unreadable'));
    throw error;
  }

  const steps = await translator('onboardingSteps');
  const schema: z.ZodType<Record<string, unknown>> = stepSchemasFor(steps)[kind];
  const parsed = schema.safeParse(form.fields);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    return { ok: false, error: 'invalid_input', message: t('uploads.fixDetails'), fieldErrors };
  }
  const answers = Object.fromEntries(Object.entries(parsed.data).map(([key, value]) => [key, String(value)]));

  // Exactly the document's sides: a second file for one side, or a side this document does not have,
  // is refused next to its field rather than dropped.
  const wanted = uploadPages(kind, answers.documentType).map((page) => PAGE_FIELDS[page]);
  const extra = [...form.extraFiles, ...[...form.files.keys()].filter((field) => !wanted.includes(field as PageField))];
  if (extra.length > 0) {
    const field = (Object.values(PAGE_FIELDS) as string[]).includes(extra[0]!) ? (extra[0] as PageField) : PAGE_FIELDS.front;
    return refuseFile('unreadable', t('errors.wrongPages'), field);
  }

  // The document's sides, each checked, then cleaned; the first refusal is said next to its field.
  const pages: Partial<UploadPages> = {};
  for (const page of uploadPages(kind, answers.documentType)) {
    const field = PAGE_FIELDS[page];
    const file = form.files.get(field);
    if (!file) return refuseFile('unreadable', t('uploads.chooseFile'), field);
    const problem = fileProblem(kind, { size: file.size, head: file.head }, steps);
    if (problem) return refuseFile(file.size > target.maxBytes ? 'too_large' : 'unreadable', problem, field);
    // fileProblem() accepted the file, so it was kept whole and its type is known; the bytes must now prove it.
    const sanitised = await sanitiseUpload(file.bytes!, detectFileType(file.head)!);
    // The original is let go once cleaned (an image's, at once): only what goes to Finqware stays.
    form.files.delete(field);
    if (!sanitised.ok || sanitised.file.bytes.buffer !== file.bytes!.buffer) releaseBytes(file.bytes!);
    if (!sanitised.ok) return refuseFile(sanitised.reason, sanitised.message, field);
    // The user's own name is only shown back to them; Finqware gets a name of ours.
    pages[page] = { file: sanitised.file, shownName: file.filename.slice(0, 200) || 'upload' } satisfies UploadedFile;
  }
  try {
    await submitUploadStep(target.userId, target.onboardingId, target.stepIndex, answers, pages as UploadPages, deps);
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
    return { ok: false, error: error.code, message: error.message, restart: error.restart };
  } finally {
    // Sent or not, the cleaned files are never sent again (a nonce is spent once; the browser still has
    // the file): their memory goes back now, not at the next garbage collection.
    for (const uploaded of Object.values(pages)) releaseBytes(uploaded.file.bytes);
  }
  return { ok: true, next: `/onboarding/${target.onboardingId}` };
}
