import 'server-only';
import { isLoginRateLimited } from '@/lib/auth/config';
import { waitMessage } from '@/lib/auth/rate-limit';
import { isBridgeError } from '@/lib/bridge/errors';
import { isFinqwareError } from '@/lib/finqware/errors';
import type { ProviderError } from '@/lib/http/provider-client';
import { messageRef } from '@/lib/i18n/message-ref';
import { isOnboardingError } from '@/lib/onboarding/errors';
import type { ActionFailure } from './result';

// What an action shows for an error its work threw, recognised by brand (lib/errors/brand.ts): our own
// sentence, never the provider's wording (written for developers, and it may quote what was sent). Sentences are
// message references where the language is not known here: the action wrapper says them in the user's.

/** Which provider failed, with what, for the action's log line: identifiers only (lib/http/provider-client.ts). */
export type ProviderFailure = Pick<ProviderError, 'provider' | 'code' | 'status' | 'providerCode' | 'supportId'>;

function providerError(error: unknown): ProviderError | undefined {
  if (isFinqwareError(error) || isBridgeError(error)) return error;
  return undefined;
}

/** The provider behind an error, when a provider call failed. */
export function providerOf(error: unknown): ProviderFailure | undefined {
  const failed = providerError(error);
  if (!failed) return undefined;
  const { provider, code, status, providerCode, supportId } = failed;
  return { provider, code, ...(status === undefined ? {} : { status }), ...(providerCode ? { providerCode } : {}), ...(supportId ? { supportId } : {}) };
}

const upstream = (sentence: string, supportId: string | undefined): ActionFailure => ({
  ok: false,
  error: 'upstream',
  // The sentence may be a reference or already in the user's language; either way it is said first.
  message: supportId ? messageRef('actions.withReference', { sentence, reference: supportId }) : sentence,
  ...(supportId ? { reference: supportId } : {}),
});

/** The result for an error we know, or undefined for anything else (which the action lets through). */
export function failureFor(error: unknown): ActionFailure | undefined {
  if (isOnboardingError(error)) {
    return { ok: false, error: error.code, message: error.message, restart: error.restart, ...(error.reference ? { reference: error.reference } : {}) };
  }
  // The provider's error id (Finqware's; Bridge documents none) is an identifier for support, not a secret: the user may quote it.
  // References (onboarding.finqware.*, guidance.bridgeErrors.*): the action wrapper says them in the user's language.
  if (isFinqwareError(error)) return upstream(messageRef(`onboarding.finqware.${error.code}`), error.supportId);
  if (isBridgeError(error)) return upstream(messageRef(`guidance.bridgeErrors.${error.code}`), undefined);
  if (isLoginRateLimited(error)) return { ok: false, error: 'rate_limited', message: waitMessage(error.retryAfterSeconds) };
  return undefined;
}
