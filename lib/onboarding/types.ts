import type { StepKind } from '@/lib/finqware/choices';

// Shapes the onboarding pages and forms share with the server.

export const STEP_LABELS: Record<StepKind, string> = {
  consent: 'Consent',
  product_form: 'Product details',
  personal_data: 'Personal details',
  identity_document: 'Identity document',
  selfie: 'Selfie',
};

export interface StepView {
  index: number;
  /** Finqware's step name, e.g. "product_form". */
  name: string;
  kind: StepKind | 'unknown';
  label: string;
  state: 'done' | 'current' | 'todo';
}

export type OnboardingErrorCode = 'invalid_input' | 'nonce_expired' | 'already_submitted' | 'in_progress' | 'upstream' | 'not_found' | 'completed' | 'exchange_lost';

/** The result of sending one step's form. On success the action redirects to the next step instead. */
export type StepFormState =
  | undefined
  | { ok: false; fieldErrors: Record<string, string[] | undefined>; values: Record<string, string>; message?: string }
  | { ok: false; error: OnboardingErrorCode; message: string; values: Record<string, string>; restart?: boolean };

/** What the upload route answers (JSON). */
export type UploadResponse =
  | { ok: true; next: string }
  | { ok: false; error: OnboardingErrorCode | 'file' | 'cross_site'; message: string; fieldErrors?: Record<string, string[]>; restart?: boolean };
