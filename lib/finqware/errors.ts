import 'server-only';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
import type { Locale } from '@/lib/i18n/locales';
import { translatorFor } from '@/lib/i18n/server';
import type { ProviderError } from '@/lib/http/provider-client';
import { NONCE_ERRORS } from '@guidepost/provider-contracts/finqware';
import { finqwareErrorBodySchema } from '@guidepost/provider-contracts/finqware';

/** Every way a Finqware call can fail, as far as the rest of the portal needs to know. */
export type FinqwareErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'nonce_invalid'
  | 'nonce_expired'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'invalid_response'
  | 'upstream'
  | 'unknown';

/**
 * One plain sentence to show a user, in their language (`onboarding.finqware.<code>`; English unless told):
 * never Finqware's own wording, which is written for developers. Callers in a request pass its locale
 * (`await serverLocale()`).
 */
export function finqwareErrorMessage(code: FinqwareErrorCode, locale: Locale = 'en'): string {
  return translatorFor(locale, 'onboarding')(`finqware.${code}`);
}

// Finqware's codes, types and ids are identifiers; anything else is dropped rather than carried into logs.
const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,128}$/;
const identifier = (value: string | undefined) => (value !== undefined && IDENTIFIER.test(value) ? value : undefined);

export interface FinqwareErrorOptions {
  status?: number;
  /** Finqware's own `code`, e.g. `invalid_temp_token`. */
  finqwareCode?: string;
  /** Finqware's `type`, e.g. `unauthorized`. */
  type?: string;
  /** Finqware's error id, kept so support can quote it to Finqware. */
  id?: string;
  cause?: unknown;
}

export class FinqwareError extends Error implements ProviderError {
  readonly [ERROR_BRAND] = 'FinqwareError';
  readonly provider = 'finqware' as const;
  readonly code: FinqwareErrorCode;
  readonly status?: number;
  readonly finqwareCode?: string;
  readonly type?: string;
  readonly id?: string;

  constructor(code: FinqwareErrorCode, options: FinqwareErrorOptions = {}) {
    const finqwareCode = identifier(options.finqwareCode);
    const type = identifier(options.type);
    const id = identifier(options.id);
    // Built from identifiers only: Finqware's message or a body could carry tokens, nonces or personal data.
    const detail = [options.status !== undefined ? `HTTP ${options.status}` : undefined, finqwareCode].filter(Boolean).join(', ');
    super(`Finqware call failed: ${code}${detail ? ` (${detail})` : ''}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FinqwareError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (finqwareCode !== undefined) this.finqwareCode = finqwareCode;
    if (type !== undefined) this.type = type;
    if (id !== undefined) this.id = id;
  }

  // The names every provider error shares (lib/http/provider-client.ts); on the prototype, so spreads do not repeat them.
  get providerCode(): string | undefined {
    return this.finqwareCode;
  }

  get supportId(): string | undefined {
    return this.id;
  }
}

/** Recognises a FinqwareError made by any copy of this module (see lib/errors/brand.ts), optionally of one code. */
export function isFinqwareError(error: unknown, code?: FinqwareErrorCode): error is FinqwareError {
  return hasErrorBrand(error, 'FinqwareError') && (code === undefined || (error as FinqwareError).code === code);
}

// Finqware's documented codes (plus our nonce and signature codes) in the words the UI needs.
const CODE_MAP: Record<string, FinqwareErrorCode> = {
  [NONCE_ERRORS.invalid]: 'nonce_invalid',
  [NONCE_ERRORS.expired]: 'nonce_expired',
  // The user-level grants: the session must be run again for a new consent.
  invalid_temp_token: 'unauthorized',
  invalid_access_token: 'unauthorized',
  invalid_credentials_id: 'unauthorized',
  expired_credentials: 'unauthorized',
  invalid_signature: 'unauthorized',
  // Our app's own keys: a configuration problem, not the user's input.
  invalid_client_id: 'unauthorized',
  invalid_client_secret: 'unauthorized',
  invalid_client_app_key: 'unauthorized',
  invalid_session_id: 'not_found',
  invalid_step: 'invalid_request',
  invalid_skill_name: 'invalid_request',
  missing_fields: 'invalid_request',
  unknown_fields: 'invalid_request',
  invalid_field: 'invalid_request',
  external_api_error: 'upstream',
  external_api_too_many_requests: 'rate_limited',
};

/** The code for an HTTP status alone, when the body names no code we know (2xx never gets here). */
export function finqwareErrorCodeForStatus(status: number): FinqwareErrorCode {
  if (status === 400 || status === 405 || status === 413 || status === 415 || status === 422) return 'invalid_request';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'unknown';
}

/** What the call was, where that changes what an error answer means. */
export interface FinqwareCallKind {
  /**
   * The call spent a nonce: a step submission or an upload. Finqware documents no code for an expired or
   * reused nonce and says these calls may answer a bare `{ message }`, so a refusal without a code there
   * is read as a nonce problem: the way on is a new session, not the same details again.
   */
  spendsNonce?: boolean;
}

// Refusals that say something else even without a code: an unknown session (404, also a restart, with
// its own sentence), wait and try again, or a body too large.
const NOT_ABOUT_THE_NONCE: ReadonlySet<number> = new Set([404, 408, 413, 429]);

function codeFor(status: number, finqwareCode: string | undefined, type: string | undefined, kind: FinqwareCallKind): FinqwareErrorCode {
  const mapped = finqwareCode === undefined ? undefined : CODE_MAP[finqwareCode];
  if (mapped) return mapped;
  // An unlisted code still has a telling type: external_api_error "may be transient", internal_error is theirs.
  if (type === 'external_api_error') return 'upstream';
  if (type === 'internal_error' || status >= 500) return 'unavailable';
  if (kind.spendsNonce && finqwareCode === undefined && status >= 400 && !NOT_ABOUT_THE_NONCE.has(status)) return 'nonce_invalid';
  if (type === 'unauthorized') return 'unauthorized';
  return finqwareErrorCodeForStatus(status);
}

/**
 * The error for a non-2xx answer. Reads both of Finqware's shapes — `{ id, type, http, code, message }` and
 * the bare `{ message }` — and anything unreadable as its status alone. The message is never kept.
 */
export function parseFinqwareError(status: number, bodyText: string, kind: FinqwareCallKind = {}): FinqwareError {
  let json: unknown;
  try {
    json = bodyText.trim() === '' ? undefined : JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  const parsed = finqwareErrorBodySchema.safeParse(json);
  const body = parsed.success ? parsed.data : {};
  const finqwareCode = identifier(body.code);
  const type = identifier(body.type);
  return new FinqwareError(codeFor(status, finqwareCode, type, kind), { status, finqwareCode, type, id: identifier(body.id) });
}
