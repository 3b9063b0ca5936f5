import 'server-only';
import { MAX_UPLOAD_BYTES, UPLOAD_LIMIT_TEXT } from '@guidepost/provider-contracts/finqware';
import { MAX_IMAGE_PIXELS, sanitiseImage, type ImageProblem } from './image-sanitiser';
import { pdfProblem, type PdfProblem } from './pdf-check';
import type { UploadKind } from './step-schemas';

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

const IMAGE_MESSAGES: Record<ImageProblem, (type: string) => string> = {
  too_many_pixels: () =>
    `This image has more than ${MEGAPIXELS} megapixels, more than we can check. Use a smaller photo or scan (at most ${MEGAPIXELS} megapixels, for example 7,000 × 5,000 pixels).`,
  undecodable: (type) =>
    `This file is not a valid ${TYPE_NAME[type] ?? ''} image: it starts like one but does not open as a picture (it may be damaged, cut off or something else). Take the photo or scan again and choose the new file.`,
  too_large: () => `Even once cleaned of its hidden data, this image is larger than ${UPLOAD_LIMIT_TEXT}. Use a smaller photo or scan.`,
};

const PDF_MESSAGES: Record<PdfProblem, string> = {
  active_content:
    'This PDF contains scripts, automatic actions or attached files, which we do not accept. Print it to a new PDF or scan the document again, then choose that file.',
  encrypted: 'This PDF is password-protected or encrypted, so we cannot check it. Save it again without protection, or use a photo or scan.',
  unreadable: 'This PDF could not be read: it is damaged or built in a way we cannot check. Save or scan it again, or use a photo.',
};

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

/** The file name Finqware receives: from the step and the detected type, never the user's own name. */
export function providerFileName(kind: UploadKind, contentType: string): string {
  return `${kind.replaceAll('_', '-')}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

/** The bytes to send for a file whose type was read from its first bytes (detectFileType). Never throws. */
export async function sanitiseUpload(bytes: Uint8Array, contentType: string): Promise<SanitiseResult> {
  const accept = (clean: Uint8Array): SanitiseResult => ({ ok: true, file: { bytes: clean, contentType } as SanitisedFile });
  if (contentType === 'image/jpeg' || contentType === 'image/png') {
    const image = await sanitiseImage(bytes, contentType, MAX_UPLOAD_BYTES);
    if (image.ok) return accept(image.bytes);
    return { ok: false, reason: image.problem === 'too_large' ? 'too_large' : 'refused', message: IMAGE_MESSAGES[image.problem](contentType) };
  }
  if (contentType === 'application/pdf') {
    const problem = await pdfProblem(bytes);
    return problem ? { ok: false, reason: 'refused', message: PDF_MESSAGES[problem] } : accept(bytes);
  }
  return { ok: false, reason: 'unsupported', message: 'This kind of file is not accepted. Use a JPEG, PNG or PDF file.' };
}
