import 'server-only';
import { consume } from '@/lib/auth/rate-limit';
import { defaultBankDataDeps, syncConsent, type BankDataDeps, type SyncOutcome } from './sync';

export type RefreshOutcome = SyncOutcome | { ok: false; reason: 'too_many'; retryAfterSeconds: number };

/**
 * "Refresh" on the accounts page: a read of one consent now, at most five per user every ten minutes (each is several
 * calls to Finqware and to the bank behind it). A second click while a read runs is told so, not read twice.
 */
export async function refreshConsent(userId: string, consentId: string, deps: BankDataDeps = defaultBankDataDeps()): Promise<RefreshOutcome> {
  const wait = await consume('bankRefresh', userId);
  if (wait > 0) return { ok: false, reason: 'too_many', retryAfterSeconds: wait };
  return syncConsent(userId, consentId, deps);
}
