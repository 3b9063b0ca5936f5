import 'server-only';
import { and, asc, count, desc, eq, gte, inArray, like, lt, sql, type SQL } from 'drizzle-orm';
import { isAccountInformationSkill } from '@guidepost/provider-contracts/finqware';
import { getDb } from '@/lib/db/client';
import { prepared } from '@/lib/db/prepared';
import { bankAccounts, bankTransactions, finqwareCredentials, onboardings, type BankAccountRow } from '@/lib/db/schema';
import { isSyncFailure, type SyncFailure } from './errors';
import { containsPattern } from './search-text';
import { SYNC_LEASE_MS } from './sync';

// What the accounts pages show: the user's data consents with their accounts and balances, and an account's
// transactions a page at a time, narrowed by text and dates. Amounts stay decimal strings from the database to Intl.

export interface Money {
  /** Signed decimal string: negative for a debit (an overdraft, what a card owes). */
  amount: string;
  currency: string;
}

export interface BankAccountView {
  id: string;
  servicerName: string;
  /** As the bank names it; may be empty (the page then shows the type). */
  name: string;
  ibanMasked: string | null;
  accountType: string;
  currency: string;
  /** What the bank has booked (ClosingBooked, else another booked balance), when it gives one. */
  booked: Money | null;
  /** What can be spent now (InterimAvailable, else another available or expected balance), when it gives one. */
  available: Money | null;
  readAt: Date;
}

export type ConsentState = 'active' | 'expired' | 'revoked';

export interface BankConsentView {
  id: string;
  onboardingId: string;
  skillId: string;
  skillName: string;
  state: ConsentState;
  expiresAt: Date;
  /** Finqware's max_data_retention: nothing is kept past it. */
  retainedUntil: Date;
  revokedAt: Date | null;
  /** The last read that succeeded; null before the first. */
  syncedAt: Date | null;
  /** A read is under way (another tab's refresh, the background refresh). */
  syncing: boolean;
  /** The last read's failure, when it failed; the data shown is the last read's. */
  failure: { reason: SyncFailure; reference: string | null } | null;
  accounts: BankAccountView[];
}

// ISO 20022 names, the most telling first [doc: balances/get types].
const BOOKED = ['ClosingBooked', 'InterimBooked', 'OpeningBooked'];
const AVAILABLE = ['InterimAvailable', 'ClosingAvailable', 'OpeningAvailable', 'ForwardAvailable', 'Expected'];

function pick(balances: BankAccountRow['balances'], order: string[]): Money | null {
  for (const type of order) {
    const found = balances.find((balance) => balance.type === type);
    if (found) return { amount: found.amount, currency: found.currency };
  }
  return null;
}

function accountView(row: BankAccountRow): BankAccountView {
  return {
    id: row.id,
    servicerName: row.servicerName,
    name: row.name,
    ibanMasked: row.ibanMasked,
    accountType: row.accountType,
    currency: row.currency,
    booked: pick(row.balances, BOOKED),
    available: pick(row.balances, AVAILABLE),
    readAt: row.readAt,
  };
}

function stateOf(consent: { revokedAt: Date | null; consentExpiresAt: Date; maxDataRetention: Date }, now: Date): ConsentState {
  if (consent.revokedAt) return 'revoked';
  return consent.consentExpiresAt <= now || consent.maxDataRetention <= now ? 'expired' : 'active';
}

/** The user's account-information consents, newest first, each with the accounts last read through it. */
export async function listBankConsents(userId: string, now = new Date()): Promise<BankConsentView[]> {
  const db = await getDb();
  const consents = (
    await db
      .select({ consent: finqwareCredentials, skillId: onboardings.skillId, skillName: onboardings.skillName })
      .from(finqwareCredentials)
      .innerJoin(onboardings, eq(onboardings.id, finqwareCredentials.onboardingId))
      .where(eq(finqwareCredentials.userId, userId))
      .orderBy(desc(finqwareCredentials.createdAt))
  ).filter(({ skillId }) => isAccountInformationSkill(skillId));
  const accounts =
    consents.length === 0
      ? []
      : await db
          .select()
          .from(bankAccounts)
          .where(
            and(
              eq(bankAccounts.userId, userId),
              inArray(
                bankAccounts.credentialsRowId,
                consents.map(({ consent }) => consent.id),
              ),
            ),
          )
          .orderBy(asc(bankAccounts.servicerName), asc(bankAccounts.accountType), asc(bankAccounts.id));
  return consents.map(({ consent, skillId, skillName }) => {
    const state = stateOf(consent, now);
    return {
      id: consent.id,
      onboardingId: consent.onboardingId,
      skillId,
      skillName,
      state,
      expiresAt: consent.consentExpiresAt,
      retainedUntil: consent.maxDataRetention,
      revokedAt: consent.revokedAt,
      syncedAt: consent.syncedAt,
      syncing: consent.syncingSince !== null && now.getTime() - consent.syncingSince.getTime() < SYNC_LEASE_MS,
      failure: state === 'active' && isSyncFailure(consent.syncError) ? { reason: consent.syncError, reference: consent.syncErrorRef } : null,
      // An ended consent's data is deleted by the sweep within a minute; until then it is not shown.
      accounts: state === 'active' ? accounts.filter((account) => account.credentialsRowId === consent.id).map(accountView) : [],
    };
  });
}

export interface TransactionFilter {
  /** Text the label contains, whatever its case and accents. */
  search?: string;
  /** Booked at or after. */
  from?: Date;
  /** Booked before (exclusive: the start of the day after the last one asked for). */
  until?: Date;
}

export interface TransactionView {
  id: string;
  bookedAt: Date;
  label: string;
  /** Signed decimal string. */
  amount: string;
  currency: string;
  status: 'booked' | 'pending';
}

export interface AccountPage {
  account: BankAccountView;
  consentId: string;
  transactions: TransactionView[];
  /** How many match the filter, across every page. */
  total: number;
  /** From 1; past the last page gives the last page. */
  page: number;
  pageCount: number;
}

export const PAGE_SIZE = 50;

/** The user's account, if it belongs to a live consent (another user's id answers like an unknown one). */
export async function ownedAccount(userId: string, accountId: string, now = new Date()): Promise<BankAccountRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(accountId)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select({ account: bankAccounts, consent: finqwareCredentials })
    .from(bankAccounts)
    .innerJoin(finqwareCredentials, eq(finqwareCredentials.id, bankAccounts.credentialsRowId))
    .where(and(eq(bankAccounts.id, accountId), eq(bankAccounts.userId, userId)));
  if (!row || stateOf(row.consent, now) !== 'active') return undefined;
  return row.account;
}

function matching(accountRowId: string, filter: TransactionFilter): SQL | undefined {
  const search = filter.search?.trim();
  return and(
    eq(bankTransactions.accountRowId, accountRowId),
    search ? like(bankTransactions.searchText, containsPattern(search)) : undefined,
    filter.from ? gte(bankTransactions.bookedAt, filter.from) : undefined,
    filter.until ? lt(bankTransactions.bookedAt, filter.until) : undefined,
  );
}

const columns = {
  id: bankTransactions.id,
  bookedAt: bankTransactions.bookedAt,
  label: bankTransactions.label,
  amount: bankTransactions.amount,
  currency: bankTransactions.currency,
  status: bankTransactions.status,
};

// The unfiltered first page, the one most opened: prepared once per connection.
const firstPage = prepared((db) =>
  db
    .select(columns)
    .from(bankTransactions)
    .where(eq(bankTransactions.accountRowId, sql.placeholder('accountRowId')))
    .orderBy(desc(bankTransactions.bookedAt), desc(bankTransactions.id))
    .limit(PAGE_SIZE)
    .prepare('bank_transactions_first_page'),
);

const asView = (row: { id: string; bookedAt: Date; label: string; amount: string; currency: string; status: string }): TransactionView => ({
  ...row,
  status: row.status === 'booked' ? 'booked' : 'pending',
});

/** One page of an account's transactions, newest first; undefined when the account is not the user's or its consent ended. */
export async function accountTransactions(
  userId: string,
  accountId: string,
  filter: TransactionFilter,
  page: number,
  now = new Date(),
): Promise<AccountPage | undefined> {
  const account = await ownedAccount(userId, accountId, now);
  if (!account) return undefined;
  const db = await getDb();
  const where = matching(account.id, filter);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(bankTransactions).where(where);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const unfiltered = !filter.search?.trim() && !filter.from && !filter.until;
  const rows =
    unfiltered && current === 1
      ? await (await firstPage()).execute({ accountRowId: account.id })
      : await db
          .select(columns)
          .from(bankTransactions)
          .where(where)
          .orderBy(desc(bankTransactions.bookedAt), desc(bankTransactions.id))
          .limit(PAGE_SIZE)
          .offset((current - 1) * PAGE_SIZE);
  return { account: accountView(account), consentId: account.credentialsRowId, transactions: rows.map(asView), total, page: current, pageCount };
}

/** Every transaction of the account that matches, oldest first (the order a ledger reads), for the CSV export. */
export async function transactionsForExport(
  userId: string,
  accountId: string,
  filter: TransactionFilter,
  now = new Date(),
): Promise<{ account: BankAccountView; transactions: TransactionView[] } | undefined> {
  const account = await ownedAccount(userId, accountId, now);
  if (!account) return undefined;
  const db = await getDb();
  const rows = await db
    .select(columns)
    .from(bankTransactions)
    .where(matching(account.id, filter))
    .orderBy(asc(bankTransactions.bookedAt), asc(bankTransactions.id));
  return { account: accountView(account), transactions: rows.map(asView) };
}
