import { STEP_KINDS, type StepKind } from '@guidepost/provider-contracts/finqware';

// Shapes the onboarding pages and forms share with the server.

/** A step kind Guidepost can render (its label is `onboardingSteps.labels.<kind>`). */
export const isStepKind = (kind: string): kind is StepKind => (STEP_KINDS as readonly string[]).includes(kind);

export interface StepView {
  index: number;
  /** Finqware's step name, e.g. "product_form". */
  name: string;
  kind: StepKind | 'unknown';
  /** The step's name in the request's language (Finqware's step name for a kind Guidepost does not know). */
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
