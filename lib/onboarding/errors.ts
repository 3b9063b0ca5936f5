import 'server-only';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
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
