import type { createTranslator, Messages } from 'next-intl';
import { DOCUMENT_TYPES, MAX_UPLOAD_BYTES, STEP_KINDS, UPLOAD_TYPES, type StepKind } from '@guidepost/provider-contracts/finqware/choices';

// What the step forms need from the first paint, apart from the schemas (step-schemas.ts, with zod and the country
// list): the currencies offered, which steps take a file, and the file rules checked when a file is chosen. The
// contract's choices come from their own entry point: the package's index also carries its zod wire schemas.

/** The step forms' sentences in one language (next-intl's translator of the `onboardingSteps` namespace). */
export type StepsTranslator = ReturnType<typeof createTranslator<Messages, 'onboardingSteps'>>;

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'RON', 'PLN', 'SEK', 'DKK', 'NOK', 'CZK', 'HUF'] as const;
export { DOCUMENT_TYPES };

// --- Files -----------------------------------------------------------------------------------

export type UploadKind = keyof typeof UPLOAD_TYPES;
export const isUploadKind = (kind: string): kind is UploadKind => kind in UPLOAD_TYPES;

/** The steps answered with a form (a server action) rather than a file (the upload route). */
export type FormStepKind = Exclude<StepKind, UploadKind>;
export const isFormStepKind = (kind: string): kind is FormStepKind => (STEP_KINDS as readonly string[]).includes(kind) && !isUploadKind(kind);

const TYPE_NAMES: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF' };

/** The file's real type from its first bytes (never its name or declared type). */
export function detectFileType(head: Uint8Array): string | undefined {
  const starts = (bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}

/** The limit as a number of megabytes, for messages ("10 MB", "10 Mo"). */
export const UPLOAD_LIMIT_MB = MAX_UPLOAD_BYTES / 1_000_000;

// Rounded up, so a file just over the limit never reads as "10.0 MB; the limit is 10 MB".
const megabytesRoundedUp = (bytes: number) => Math.ceil(bytes / 100_000) / 10;

/** Why a file cannot be sent for this step, in words for the user; undefined when it can. */
export function fileProblem(kind: UploadKind, file: { size: number; head: Uint8Array }, t: StepsTranslator): string | undefined {
  if (file.size === 0) return t('files.empty');
  if (file.size > MAX_UPLOAD_BYTES) return t('files.tooLarge', { size: megabytesRoundedUp(file.size), limit: UPLOAD_LIMIT_MB });
  const type = detectFileType(file.head);
  if (!type) return t('files.notAccepted', { types: t(`files.types.${kind}`) });
  if (!UPLOAD_TYPES[kind].includes(type)) return t('files.wrongType', { type: TYPE_NAMES[type] ?? type, types: t(`files.types.${kind}`) });
  return undefined;
}
