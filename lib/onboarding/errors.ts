import 'server-only';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
import { finqwareErrorMessage, isFinqwareError } from '@/lib/finqware/errors';
import type { OnboardingErrorCode } from './types';

/** A refusal or failure of an onboarding action, in words the user can read; never carries a secret. */
export class OnboardingError extends Error {
  readonly [ERROR_BRAND] = 'OnboardingError';
  readonly code: OnboardingErrorCode;
  /** The user's way forward is a new Finqware session for the same product (answers kept). */
  readonly restart: boolean;
  /** Finqware's error id, for support. */
  readonly reference?: string;

  constructor(code: OnboardingErrorCode, message: string, options: { restart?: boolean; reference?: string } = {}) {
    super(message);
    this.name = 'OnboardingError';
    this.code = code;
    this.restart = options.restart ?? false;
    if (options.reference !== undefined) this.reference = options.reference;
  }
}

/** Recognises an OnboardingError made by any copy of this module (see lib/errors/brand.ts). */
export function isOnboardingError(error: unknown): error is OnboardingError {
  return hasErrorBrand(error, 'OnboardingError');
}

/** " (Reference: <Finqware's error id>)", or nothing without one. */
export const referenceText = (id: string | undefined): string => (id ? ` (Reference: ${id})` : '');

/**
 * A Finqware call of an onboarding failed: thrown again as an OnboardingError in the user's words, with
 * Finqware's error id for support and, when only a new session can go on, the restart. Anything else
 * is thrown as it is.
 */
export function rethrowFromFinqware(error: unknown): never {
  if (isFinqwareError(error)) {
    if (error.code === 'nonce_expired' || error.code === 'nonce_invalid') {
      throw new OnboardingError(
        'nonce_expired',
        `Your onboarding session with Finqware can no longer go on: its link to the next step expired (it lasts 30 minutes) or was already used. Restart it: your answers are kept, files must be chosen again.${referenceText(error.id)}`,
        { restart: true, reference: error.id },
      );
    }
    // Finqware no longer knows the session (purged, or the sandbox restarted): only a new session goes on.
    const restart = error.code === 'not_found';
    throw new OnboardingError('upstream', `${finqwareErrorMessage(error.code)} Your answers are kept.${referenceText(error.id)}`, {
      reference: error.id,
      restart,
    });
  }
  throw error;
}
