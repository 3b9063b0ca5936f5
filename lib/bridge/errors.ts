import 'server-only';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
import type { ProviderError } from '@/lib/http/provider-client';
import type { Locale } from '@/lib/i18n/locales';
import { translatorFor } from '@/lib/i18n/server';

/** Every way a Bridge call can fail, as far as the rest of the portal needs to know. */
export type BridgeErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_request'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'invalid_response'
  | 'unknown';

/**
 * One plain sentence to show a user, in their language (messages/<locale>/guidance.json, `bridgeErrors`); never
 * Bridge's own wording, which is written for developers. Sync, for callers that build a result without awaiting:
 * they pass the request's language (lib/i18n/request-locale.ts serverLocale()); English when none is given.
 */
export function bridgeErrorMessage(code: BridgeErrorCode, locale: Locale = 'en'): string {
  return translatorFor(locale, 'guidance.bridgeErrors')(code);
}

// Bridge's error types are identifiers; anything else is dropped rather than carried into logs.
const ERROR_TYPE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Bridge documents no error id, so a BridgeError has no support id; its type is the provider's code. */
export class BridgeError extends Error implements ProviderError {
  readonly [ERROR_BRAND] = 'BridgeError';
  readonly provider = 'bridge' as const;
  readonly code: BridgeErrorCode;
  readonly status?: number;
  /** Bridge's own error type (e.g. `user_not_found`), for support and logs. */
  readonly type?: string;

  constructor(code: BridgeErrorCode, options: { status?: number; type?: string; cause?: unknown } = {}) {
    const type = options.type !== undefined && ERROR_TYPE.test(options.type) ? options.type : undefined;
    // Built from the code, status and type only: a body could carry tokens, passwords or personal data.
    const detail = [options.status !== undefined ? `HTTP ${options.status}` : undefined, type].filter(Boolean).join(', ');
    super(`Bridge call failed: ${code}${detail ? ` (${detail})` : ''}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (type !== undefined) this.type = type;
  }

  /** The provider's code, as every provider error names it (on the prototype, so spreads do not repeat it). */
  get providerCode(): string | undefined {
    return this.type;
  }
}

/** Recognises a BridgeError made by any copy of this module (see lib/errors/brand.ts), optionally of one code. */
export function isBridgeError(error: unknown, code?: BridgeErrorCode): error is BridgeError {
  return hasErrorBrand(error, 'BridgeError') && (code === undefined || (error as BridgeError).code === code);
}

/** The code for an HTTP status Bridge answered with (2xx never gets here). */
export function bridgeErrorCodeForStatus(status: number): BridgeErrorCode {
  if (status === 400 || status === 415 || status === 422) return 'invalid_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'unknown';
}
