import 'server-only';
import { isFinqwareError } from '@/lib/finqware/errors';

/**
 * Why a read of a consent's bank data did not happen, as the accounts page words it (`accounts.sync.<reason>`):
 * never Finqware's own message. Data already held is kept whatever the reason.
 */
export type SyncFailure =
  /** Finqware says the consent has expired (expired_credentials): a new onboarding renews it. */
  | 'consent_expired'
  /** Finqware no longer honours the consent (inactive_credentials, or the grant refused): a new onboarding renews it. */
  | 'consent_inactive'
  /** The bank could not be reached through Finqware (external_api_connection_error and other external_api_*): try later. */
  | 'bank_unreachable'
  /** The bank refused Finqware (external_api_unauthorized, external_api_forbidden): the bank's access must be renewed. */
  | 'bank_refused'
  /** Finqware or the bank asks us to slow down. */
  | 'rate_limited'
  /** Finqware did not answer, answered 5xx, or answered what we could not read: try later. */
  | 'unavailable';

const BY_FINQWARE_CODE: Record<string, SyncFailure> = {
  expired_credentials: 'consent_expired',
  inactive_credentials: 'consent_inactive',
  invalid_credentials_id: 'consent_inactive',
  invalid_access_token: 'consent_inactive',
  external_api_connection_error: 'bank_unreachable',
  external_api_too_many_requests: 'rate_limited',
  external_api_unauthorized: 'bank_refused',
  external_api_forbidden: 'bank_refused',
};

/** Finqware's error as the page words it, and its id for support; anything that is not a Finqware error is thrown again by the caller. */
export function syncFailureOf(error: unknown): { reason: SyncFailure; reference: string | undefined } | undefined {
  if (!isFinqwareError(error)) return undefined;
  const named = error.finqwareCode === undefined ? undefined : BY_FINQWARE_CODE[error.finqwareCode];
  const reason: SyncFailure =
    named ??
    (error.type === 'external_api_error' || error.code === 'upstream'
      ? 'bank_unreachable'
      : error.code === 'rate_limited'
        ? 'rate_limited'
        : error.code === 'unauthorized'
          ? 'consent_inactive'
          : 'unavailable');
  return { reason, reference: error.id };
}

/** Failures after which a read is pointless until the user renews the consent: the background refresh stops asking. */
export const NEEDS_RENEWAL: ReadonlySet<SyncFailure> = new Set(['consent_expired', 'consent_inactive']);

export const SYNC_FAILURES: readonly SyncFailure[] = ['consent_expired', 'consent_inactive', 'bank_unreachable', 'bank_refused', 'rate_limited', 'unavailable'];

export function isSyncFailure(value: string | null): value is SyncFailure {
  return value !== null && (SYNC_FAILURES as readonly string[]).includes(value);
}
