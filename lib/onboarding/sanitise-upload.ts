import 'server-only';
import { MAX_UPLOAD_BYTES, type DocumentPage } from '@guidepost/provider-contracts/finqware';
import { translator } from '@/lib/i18n/server';
import { MAX_IMAGE_PIXELS, sanitiseImage, type ImageProblem } from './image-sanitiser';
import { pdfProblem, type PdfProblem } from './pdf-check';
import { UPLOAD_LIMIT_MB, type UploadKind } from './step-schemas';

// The one way from a user's file to the bytes Finqware receives: images are re-encoded without metadata,
// PDFs are checked and sent as they are (or refused), and the name is ours.

declare const sanitised: unique symbol;

/** A file that went through sanitiseUpload(); the only kind the onboarding service sends to Finqware. */
export type SanitisedFile = { readonly bytes: Uint8Array; readonly contentType: string; readonly [sanitised]: true };

/** Why a file was refused: too large to decode safely, not what it claims or hostile, or a type we do not take. */
export type SanitiseRefusal = 'too_large' | 'refused' | 'unsupported';
export type SanitiseResult = { ok: true; file: SanitisedFile } | { ok: false; reason: SanitiseRefusal; message: string };

const MEGAPIXELS = MAX_IMAGE_PIXELS / 1_000_000;
const TYPE_NAME: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

type Translator = Awaited<ReturnType<typeof translator<'onboarding'>>>;

const IMAGE_MESSAGES: Record<ImageProblem, (t: Translator, type: string) => string> = {
  too_many_pixels: (t) => t('uploads.tooManyPixels', { megapixels: MEGAPIXELS }),
  undecodable: (t, type) => t('uploads.undecodable', { type: TYPE_NAME[type] ?? '' }),
  too_large: (t) => t('uploads.stillTooLarge', { limit: UPLOAD_LIMIT_MB }),
};

const PDF_MESSAGES = { active_content: 'uploads.pdfActive', encrypted: 'uploads.pdfEncrypted', unreadable: 'uploads.pdfUnreadable' } as const satisfies Record<
  PdfProblem,
  string
>;

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

/** The file name Finqware receives: from the step, the side and the detected type, never the user's own name. */
export function providerFileName(kind: UploadKind, contentType: string, page: DocumentPage = 'front'): string {
  return `${kind.replaceAll('_', '-')}${page === 'back' ? '-back' : ''}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

/** The bytes to send for a file whose type was read from its first bytes (detectFileType); a refusal in the request's language. Never throws. */
export async function sanitiseUpload(bytes: Uint8Array, contentType: string): Promise<SanitiseResult> {
  const t = await translator('onboarding');
  const accept = (clean: Uint8Array): SanitiseResult => ({ ok: true, file: { bytes: clean, contentType } as SanitisedFile });
  if (contentType === 'image/jpeg' || contentType === 'image/png') {
    const image = await sanitiseImage(bytes, contentType, MAX_UPLOAD_BYTES);
    if (image.ok) return accept(image.bytes);
    return { ok: false, reason: image.problem === 'too_large' ? 'too_large' : 'refused', message: IMAGE_MESSAGES[image.problem](t, contentType) };
  }
  if (contentType === 'application/pdf') {
    const problem = await pdfProblem(bytes);
    return problem ? { ok: false, reason: 'refused', message: t(PDF_MESSAGES[problem]) } : accept(bytes);
  }
  return { ok: false, reason: 'unsupported', message: t('uploads.unsupported') };
}
