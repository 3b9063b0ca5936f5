import 'server-only';
import { and, eq, getTableColumns, gt, isNull, like, lt, lte, notInArray, or, sql, type Column, type SQL, type Table } from 'drizzle-orm';
import { ACCOUNT_INFORMATION_TYPE, isAccountInformationSkill } from '@guidepost/provider-contracts/finqware';
import { getDb, type Database } from '@/lib/db/client';
import { bankAccounts, bankTransactions, finqwareCredentials, onboardings, type FinqwareCredentialsRow } from '@/lib/db/schema';
import { finqwareClient, type FinqwareClient, type FinqwareCredentials, type Transaction } from '@/lib/finqware/client';
import { logger } from '@/lib/log';
import { openAtRest, sealedAt } from '@/lib/onboarding/sealing';
import { searchText } from './search-text';
import { NEEDS_RENEWAL, syncFailureOf, type SyncFailure } from './errors';

// Reading a consent's bank data from Finqware into our database (issue #13). One read per consent at a time (a lease
// on the consent's row); accounts are upserted on Finqware's account id and transactions on utx_id, the same under
// every consent [doc], so a second read, a re-consent or an answer read twice adds nothing twice. Transactions are read
// incrementally: each read asks for those Finqware stored since the newest we hold (timestamp_gte, which returns that
// instant's again: the upsert absorbs them). A failure keeps everything held and is recorded for the page.

export interface BankDataDeps {
  finqware: FinqwareClient;
  now: () => Date;
}

export const defaultBankDataDeps = (): BankDataDeps => ({ finqware: finqwareClient(), now: () => new Date() });

/**
 * A read holds its consent for a minute and renews that before each call to Finqware (at most 30 s each, with its
 * retries: lib/finqware/http.ts), so a live read keeps it however many accounts the bank has, and one that died with
 * its process (killed, a deployment) frees the consent within a minute.
 */
export const SYNC_LEASE_MS = 60 * 1000;

export type SyncOutcome =
  | { ok: true; accounts: number; added: number; updated: number }
  | { ok: false; reason: SyncFailure; reference: string | undefined }
  /** Another request or instance is reading this consent now. */
  | { ok: false; reason: 'busy' }
  /** Revoked, expired or past its retention: nothing may be read any more. */
  | { ok: false; reason: 'ended' }
  /** Not this user's, or not a consent that reads bank data. */
  | { ok: false; reason: 'not_found' };

/** "FR76 •••• 7647": enough for the user to tell accounts apart; the rest is never stored. */
export function maskIban(iban: string | null): string | null {
  if (!iban) return null;
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  return compact.length < 8 ? '••••' : `${compact.slice(0, 4)} •••• ${compact.slice(-4)}`;
}

/** A live consent: not revoked, not expired, its data still within max_data_retention. */
export function liveConsent(now: Date) {
  return and(isNull(finqwareCredentials.revokedAt), gt(finqwareCredentials.consentExpiresAt, now), gt(finqwareCredentials.maxDataRetention, now));
}

async function claimConsent(userId: string, id: string, now: Date): Promise<FinqwareCredentialsRow | SyncOutcome> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return { ok: false, reason: 'not_found' };
  const db = await getDb();
  const [owned] = await db
    .select({ skillId: onboardings.skillId })
    .from(finqwareCredentials)
    .innerJoin(onboardings, eq(onboardings.id, finqwareCredentials.onboardingId))
    .where(and(eq(finqwareCredentials.id, id), eq(finqwareCredentials.userId, userId)));
  if (!owned || !isAccountInformationSkill(owned.skillId)) return { ok: false, reason: 'not_found' };
  const [row] = await db
    .update(finqwareCredentials)
    .set({ syncingSince: now, syncAttemptedAt: now })
    .where(
      and(
        eq(finqwareCredentials.id, id),
        liveConsent(now),
        or(isNull(finqwareCredentials.syncingSince), lt(finqwareCredentials.syncingSince, new Date(now.getTime() - SYNC_LEASE_MS))),
      ),
    )
    .returning();
  return row ?? leaseRefused(db, id, now);
}

/** Why a read may not go on with the consent: another read holds it ('busy'), or it has ended. */
async function leaseRefused(db: Pick<Database, 'select'>, id: string, now: Date): Promise<SyncOutcome> {
  const [live] = await db
    .select({ id: finqwareCredentials.id })
    .from(finqwareCredentials)
    .where(and(eq(finqwareCredentials.id, id), liveConsent(now)));
  return { ok: false, reason: live ? 'busy' : 'ended' };
}

function grantOf(row: FinqwareCredentialsRow): FinqwareCredentials {
  return {
    credentialsId: openAtRest(row.credentialsIdSealed, sealedAt.credentialsId(row.id)),
    accessToken: openAtRest(row.accessTokenSealed, sealedAt.accessToken(row.id)),
  };
}

/**
 * Extends the read's lease from now, before its next call; the row's `syncingSince` is the lease's current token, which
 * the store and a failure's record then match. When the read has lost it (it outlived it and another read took over,
 * or the consent ended), says why: the read stops there and stores nothing.
 */
async function renewLease(row: FinqwareCredentialsRow, deps: BankDataDeps): Promise<SyncOutcome | undefined> {
  const db = await getDb();
  const now = deps.now();
  const [renewed] = await db
    .update(finqwareCredentials)
    .set({ syncingSince: now })
    .where(and(eq(finqwareCredentials.id, row.id), eq(finqwareCredentials.syncingSince, row.syncingSince!), liveConsent(now)))
    .returning({ id: finqwareCredentials.id });
  if (!renewed) return leaseRefused(db, row.id, now);
  row.syncingSince = now;
  return undefined;
}

interface BankRead {
  accounts: Awaited<ReturnType<FinqwareClient['accounts']>>;
  balances: Awaited<ReturnType<FinqwareClient['balances']>>;
  transactions: Transaction[];
}

async function readFromFinqware(userId: string, row: FinqwareCredentialsRow, deps: BankDataDeps): Promise<BankRead | { lost: SyncOutcome }> {
  const grant = grantOf(row);
  const accounts = await deps.finqware.accounts(userId, grant);
  let lost = await renewLease(row, deps);
  if (lost) return { lost };
  const balances = await deps.finqware.balances(userId, grant);
  // Only an account we hold is read from the cursor on: one we do not (new at the bank, or back after it left the
  // consent and its data went) is read whole.
  const db = await getDb();
  const held = new Set((await db.select({ id: bankAccounts.finqwareAccountId }).from(bankAccounts).where(eq(bankAccounts.userId, userId))).map(({ id }) => id));
  // Per account: one consent's whole history in one answer is large, and no pagination is documented.
  const transactions: Transaction[] = [];
  for (const account of accounts) {
    const storedSince = held.has(account.accountId) ? (row.syncCursor ?? undefined) : undefined;
    lost = await renewLease(row, deps);
    if (lost) return { lost };
    transactions.push(...(await deps.finqware.transactions(userId, grant, { accountId: account.accountId, storedSince })));
  }
  return { accounts, balances, transactions };
}

// PostgreSQL text cannot hold NUL, and no control character belongs in a label shown in a table or a CSV.
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** An upsert's SET: each named column takes the value the INSERT proposed (PostgreSQL's `excluded` row). */
function fromExcluded<T extends Table>(table: T, columns: Array<keyof T['$inferInsert'] & string>): Record<string, SQL> {
  const byKey = getTableColumns(table) as Record<string, Column>;
  return Object.fromEntries(columns.map((key) => [key, sql.raw(`excluded.${byKey[key]!.name}`)]));
}

// Rows per INSERT: 9 parameters each, far below PostgreSQL's 65,535.
const BATCH = 500;

async function store(userId: string, row: FinqwareCredentialsRow, read: BankRead, now: Date): Promise<SyncOutcome> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const newest = read.transactions.reduce<Date | null>((max, { storedAt }) => (max === null || storedAt > max ? storedAt : max), row.syncCursor);
    // First, and only while our lease holds and the consent lives: a revocation that committed meanwhile wins, and
    // one that comes now waits for this transaction and then deletes what it wrote.
    const [held] = await tx
      .update(finqwareCredentials)
      .set({ syncedAt: now, syncCursor: newest, syncingSince: null, syncError: null, syncErrorRef: null })
      .where(and(eq(finqwareCredentials.id, row.id), eq(finqwareCredentials.syncingSince, row.syncingSince!), isNull(finqwareCredentials.revokedAt)))
      .returning({ id: finqwareCredentials.id });
    // Another read took the lease (this one outlived it) or the consent ended meanwhile.
    if (!held) return leaseRefused(tx, row.id, now);

    const accountRows = new Map<string, string>();
    if (read.accounts.length > 0) {
      const upserted = await tx
        .insert(bankAccounts)
        .values(
          read.accounts.map((account) => ({
            userId,
            credentialsRowId: row.id,
            finqwareAccountId: account.accountId,
            servicerName: account.servicerName,
            name: account.name,
            ibanMasked: maskIban(account.iban),
            accountType: account.accountType,
            currency: account.currency,
            balances: read.balances
              .filter((balance) => balance.accountId === account.accountId)
              .map(({ type, amount, currency }) => ({ type, amount, currency })),
            readAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [bankAccounts.userId, bankAccounts.finqwareAccountId],
          set: fromExcluded(bankAccounts, ['credentialsRowId', 'servicerName', 'name', 'ibanMasked', 'accountType', 'currency', 'balances', 'readAt']),
        })
        .returning({ id: bankAccounts.id, finqwareAccountId: bankAccounts.finqwareAccountId });
      for (const account of upserted) accountRows.set(account.finqwareAccountId, account.id);
    }
    // Accounts this consent no longer shows (closed, or taken out of the consent at the bank) go with their transactions.
    await tx
      .delete(bankAccounts)
      .where(
        and(
          eq(bankAccounts.credentialsRowId, row.id),
          read.accounts.length > 0 ? notInArray(bankAccounts.finqwareAccountId, [...accountRows.keys()]) : undefined,
        ),
      );

    let added = 0;
    let updated = 0;
    // One row per utx_id even if an answer repeats one (an INSERT … ON CONFLICT cannot touch a row twice): the last wins.
    const unique = [...new Map(read.transactions.map((transaction) => [transaction.utxId, transaction])).values()];
    const rows = unique.flatMap((transaction) => {
      const accountRowId = accountRows.get(transaction.accountId);
      const label = printable(transaction.label);
      return accountRowId
        ? [
            {
              userId,
              accountRowId,
              utxId: transaction.utxId,
              storedAt: transaction.storedAt,
              bookedAt: transaction.bookedAt,
              amount: transaction.amount,
              currency: transaction.currency,
              label,
              searchText: searchText(label),
              status: transaction.status,
            },
          ]
        : [];
    });
    for (let start = 0; start < rows.length; start += BATCH) {
      const written = await tx
        .insert(bankTransactions)
        .values(rows.slice(start, start + BATCH))
        .onConflictDoUpdate({
          target: [bankTransactions.userId, bankTransactions.utxId],
          set: fromExcluded(bankTransactions, ['accountRowId', 'storedAt', 'bookedAt', 'amount', 'currency', 'label', 'searchText', 'status']),
        })
        // xmax is 0 on a row this statement inserted, set on one it updated.
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      for (const { inserted } of written) {
        if (inserted) added++;
        else updated++;
      }
    }
    return { ok: true, accounts: accountRows.size, added, updated } as const;
  });
}

async function recordFailure(row: FinqwareCredentialsRow, reason: SyncFailure, reference: string | undefined): Promise<void> {
  const db = await getDb();
  await db
    .update(finqwareCredentials)
    .set({ syncingSince: null, syncError: reason, syncErrorRef: reference ?? null })
    .where(and(eq(finqwareCredentials.id, row.id), eq(finqwareCredentials.syncingSince, row.syncingSince!)));
}

/**
 * Reads one of the user's consents from Finqware and stores what it shows. Never throws for Finqware's answers: a
 * refusal, a timeout or a lost answer is recorded on the consent (the page shows our sentence and the support id) and
 * the data already held stays as it was.
 */
export async function syncConsent(userId: string, credentialsRowId: string, deps: BankDataDeps = defaultBankDataDeps()): Promise<SyncOutcome> {
  const now = deps.now();
  const claimed = await claimConsent(userId, credentialsRowId, now);
  if ('ok' in claimed) return claimed;
  let read;
  try {
    read = await readFromFinqware(userId, claimed, deps);
  } catch (error) {
    // Whatever went wrong, the lease is given back and the page says the read failed; only Finqware's answers are ours to word.
    const failure = syncFailureOf(error);
    await recordFailure(claimed, failure?.reason ?? 'unavailable', failure?.reference);
    if (!failure) throw error;
    logger().warn(
      { event: 'bank_data.sync_failed', userId, consentId: claimed.id, reason: failure.reason, finqwareErrorId: failure.reference },
      'bank data read failed; the data held is kept',
    );
    return { ok: false, ...failure };
  }
  // Another read has the consent now (this one outlived its lease), or it ended: that read's record, or the deletion, stands.
  if ('lost' in read) return read.lost;
  let outcome: SyncOutcome;
  try {
    outcome = await store(userId, claimed, read, now);
  } catch (error) {
    // Nothing was written (one transaction): give the lease back and say the read failed, then let the caller see why.
    await recordFailure(claimed, 'unavailable', undefined);
    logger().error(
      { event: 'bank_data.store_failed', userId, consentId: claimed.id, error: error instanceof Error ? error.name : 'unknown' },
      'bank data read could not be stored',
    );
    throw error;
  }
  if (outcome.ok) {
    logger().info(
      { event: 'bank_data.synced', userId, consentId: claimed.id, accounts: outcome.accounts, added: outcome.added, updated: outcome.updated },
      'bank data read',
    );
  }
  return outcome;
}

/**
 * isAccountInformationSkill as a query condition (on a join with `onboardings`), so a query returns only the consents
 * that read bank data: filtered afterwards, other products' consents would fill a pass's `max` for ever.
 */
const accountInformationSkill = () => like(sql`'_' || split_part(${onboardings.skillId}, '#', 1) || '_'`, `%\\_${ACCOUNT_INFORMATION_TYPE}\\_%`);

/**
 * The background refresh's pass: reads up to `max` live consents not tried for `intervalMs` (a user's refresh counts),
 * oldest first, except those Finqware said need renewing. Another instance reading the same consent wins its lease.
 * Returns how many were read.
 */
export async function syncDueConsents(
  options: { intervalMs: number; max?: number; isStopping?: () => boolean },
  deps: BankDataDeps = defaultBankDataDeps(),
): Promise<number> {
  const now = deps.now();
  const db = await getDb();
  const due = await db
    .select({ id: finqwareCredentials.id, userId: finqwareCredentials.userId })
    .from(finqwareCredentials)
    .innerJoin(onboardings, eq(onboardings.id, finqwareCredentials.onboardingId))
    .where(
      and(
        liveConsent(now),
        accountInformationSkill(),
        or(isNull(finqwareCredentials.syncAttemptedAt), lte(finqwareCredentials.syncAttemptedAt, new Date(now.getTime() - options.intervalMs))),
        or(isNull(finqwareCredentials.syncError), notInArray(finqwareCredentials.syncError, [...NEEDS_RENEWAL])),
      ),
    )
    .orderBy(sql`${finqwareCredentials.syncAttemptedAt} asc nulls first`)
    .limit(options.max ?? 50);
  let read = 0;
  for (const consent of due) {
    if (options.isStopping?.()) break;
    const outcome = await syncConsent(consent.userId, consent.id, deps);
    if (outcome.ok) read++;
  }
  return read;
}

/** The user's live data consents never read yet: the accounts page reads them before it shows them. */
export async function neverReadConsents(userId: string, now: Date): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: finqwareCredentials.id })
    .from(finqwareCredentials)
    .innerJoin(onboardings, eq(onboardings.id, finqwareCredentials.onboardingId))
    .where(and(eq(finqwareCredentials.userId, userId), liveConsent(now), isNull(finqwareCredentials.syncAttemptedAt), accountInformationSkill()));
  return rows.map(({ id }) => id);
}
