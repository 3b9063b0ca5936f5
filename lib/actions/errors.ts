import 'server-only';
import { isLoginRateLimited } from '@/lib/auth/config';
import { waitMessage } from '@/lib/auth/rate-limit';
import { bridgeErrorMessage, isBridgeError } from '@/lib/bridge/errors';
import { finqwareErrorMessage, isFinqwareError } from '@/lib/finqware/errors';
import { isOnboardingError } from '@/lib/onboarding/errors';
import type { ActionFailure } from './result';

// What an action shows for an error its work threw, recognised by brand (lib/errors/brand.ts): our own
// sentence, never the provider's wording (written for developers, and it may quote what was sent).

/** Which provider failed, with what, for the action's log line: identifiers only. */
export interface ProviderFailure {
  provider: 'bridge' | 'finqware';
  code: string;
  status?: number;
  reference?: string;
}

const referenceText = (id: string | undefined) => (id ? ` (Reference: ${id})` : '');

/** The provider behind an error, when a provider call failed. */
export function providerOf(error: unknown): ProviderFailure | undefined {
  if (isFinqwareError(error)) return { provider: 'finqware', code: error.code, status: error.status, reference: error.id };
  if (isBridgeError(error)) return { provider: 'bridge', code: error.code, status: error.status };
  return undefined;
}

/** The result for an error we know, or undefined for anything else (which the action lets through). */
export function failureFor(error: unknown): ActionFailure | undefined {
  if (isOnboardingError(error)) {
    return { ok: false, error: error.code, message: error.message, restart: error.restart, ...(error.reference ? { reference: error.reference } : {}) };
  }
  if (isFinqwareError(error)) {
    // Finqware's error id is an identifier for support, not a secret: the user may quote it.
    return { ok: false, error: 'upstream', message: `${finqwareErrorMessage(error.code)}${referenceText(error.id)}`, ...(error.id ? { reference: error.id } : {}) };
  }
  if (isBridgeError(error)) return { ok: false, error: 'upstream', message: bridgeErrorMessage(error.code) };
  if (isLoginRateLimited(error)) return { ok: false, error: 'rate_limited', message: waitMessage(error.retryAfterSeconds) };
  return undefined;
}
