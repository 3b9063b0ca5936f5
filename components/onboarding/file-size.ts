import type { StepsTranslator } from '@/lib/onboarding/step-schemas';

/**
 * "840 bytes", "12 KB", "2.4 MB" ("2,4 Mo" in French): enough to recognise a file, in the decimal units the
 * 10 MB limit uses. Shared by the upload form (in the browser) and the step's summary (on the server).
 */
export function formatFileSize(bytes: number, t: StepsTranslator): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return t('upload.size.bytes', { count: bytes });
  if (bytes < 999_500) return t('upload.size.kilobytes', { count: Math.round(bytes / 1000) });
  return t('upload.size.megabytes', { count: bytes / 1_000_000 });
}
