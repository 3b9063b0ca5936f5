import type { StepKind } from '@guidepost/provider-contracts/finqware';

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

export type OnboardingErrorCode =
  'invalid_input' | 'nonce_expired' | 'already_submitted' | 'in_progress' | 'upstream' | 'not_found' | 'completed' | 'exchange_lost' | 'too_many';

/** [ours] At most this many onboardings not finished yet per user; starting another is refused until one is finished or abandoned. */
export const MAX_ONBOARDINGS_IN_PROGRESS = 5;
/** The statuses that count against that limit (and that "Abandon" applies to). */
export const UNFINISHED_STATUSES = ['in_progress', 'exchange_pending', 'exchange_lost'] as const;

/** What the upload route answers (JSON). */
export type UploadResponse =
  | { ok: true; next: string }
  | { ok: false; error: OnboardingErrorCode | 'file' | 'cross_site'; message: string; fieldErrors?: Record<string, string[]>; restart?: boolean };
