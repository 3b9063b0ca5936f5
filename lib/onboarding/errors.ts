import 'server-only';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
import { isFinqwareError } from '@/lib/finqware/errors';
import { translator } from '@/lib/i18n/server';
import { supportReference } from './support-reference';
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

type Translator = Awaited<ReturnType<typeof translator<'onboarding'>>>;
type ErrorKey = Parameters<Translator>[0] & `errors.${string}`;

/**
 * An OnboardingError whose message is the `onboarding.errors` sentence in the request's language (English
 * outside a request), with Finqware's error id for support appended when there is one.
 */
export async function onboardingError(
  code: OnboardingErrorCode,
  key: ErrorKey,
  options: { restart?: boolean; reference?: string; values?: Record<string, string | number> } = {},
): Promise<OnboardingError> {
  const t = await translator('onboarding');
  const message = (t as (key: string, values?: Record<string, string | number>) => string)(key, options.values);
  return new OnboardingError(code, withReference(t, message, options.reference), { restart: options.restart, reference: options.reference });
}

/** "<message> (Reference: 3F2A-9C1B)": Finqware's error id as users see an id (lib/onboarding/support-reference.ts). */
export function withReference(t: Translator, message: string, id: string | undefined): string {
  return id ? t('errors.reference', { message, reference: supportReference(id) }) : message;
}

/**
 * A Finqware call of an onboarding failed: the OnboardingError to throw in its place, in the user's words,
 * with Finqware's error id for support and, when only a new session can go on, the restart. Anything else
 * is returned as it is, to be thrown again.
 */
export async function fromFinqware(error: unknown): Promise<unknown> {
  if (isFinqwareError(error)) {
    if (error.code === 'nonce_expired' || error.code === 'nonce_invalid') {
      return onboardingError('nonce_expired', 'errors.nonceExpired', { restart: true, reference: error.id });
    }
    // Finqware no longer knows the session (purged, or the sandbox restarted): only a new session goes on.
    const restart = error.code === 'not_found';
    const t = await translator('onboarding');
    const message = t('errors.answersKept', { reason: t(`finqware.${error.code}`) });
    return new OnboardingError('upstream', withReference(t, message, error.id), { reference: error.id, restart });
  }
  return error;
}
