import 'server-only';
import { and, eq, inArray, isNotNull, isNull, lte, notInArray, or } from 'drizzle-orm';
import { getDb, type Database } from '@/lib/db/client';
import { bankAccounts, finqwareCredentials } from '@/lib/db/schema';

// Finqware leaves caching and retention to the tenant: data is kept no longer than the consent's max_data_retention
// [doc]. Guidepost deletes a consent's accounts and transactions as soon as the consent ends: revoked (at once, with
// the revocation), expired, or past its retention (the sweep, every minute). Deleting the user account deletes them
// too (foreign keys, ON DELETE CASCADE).

type Executor = Pick<Database, 'delete' | 'update' | 'select'>;

/**
 * Deletes the accounts (and so the transactions) last read through these consents. The user's other live consents
 * then read everything again at their next refresh: they may show the same accounts, whose history went with these.
 */
export async function deleteConsentData(db: Executor, userId: string, credentialsRowIds: string[]): Promise<number> {
  if (credentialsRowIds.length === 0) return 0;
  const deleted = await db
    .delete(bankAccounts)
    .where(and(eq(bankAccounts.userId, userId), inArray(bankAccounts.credentialsRowId, credentialsRowIds)))
    .returning({ id: bankAccounts.id });
  if (deleted.length > 0) {
    await db
      .update(finqwareCredentials)
      .set({ syncCursor: null, syncAttemptedAt: null })
      .where(and(eq(finqwareCredentials.userId, userId), notInArray(finqwareCredentials.id, credentialsRowIds), isNull(finqwareCredentials.revokedAt)));
  }
  return deleted.length;
}

/** Deletes the data of every consent that has ended by `now`; returns how many accounts went (with their transactions). */
export async function sweepBankData(now = new Date()): Promise<number> {
  const db = await getDb();
  const ended = await db
    .selectDistinct({ id: finqwareCredentials.id, userId: finqwareCredentials.userId })
    .from(finqwareCredentials)
    .innerJoin(bankAccounts, eq(bankAccounts.credentialsRowId, finqwareCredentials.id))
    .where(or(isNotNull(finqwareCredentials.revokedAt), lte(finqwareCredentials.consentExpiresAt, now), lte(finqwareCredentials.maxDataRetention, now)));
  let count = 0;
  for (const consent of ended) count += await db.transaction((tx) => deleteConsentData(tx, consent.userId, [consent.id]));
  return count;
}
