import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFinqwareSandbox, type FinqwareSandbox } from '@guidepost/sandbox/finqware';
import { bankAccounts, bankTransactions, finqwareCredentials, onboardings, users } from '@/lib/db/schema';
import { createFinqwareClient, type FinqwareClient, type FinqwareClientConfig, type FinqwareCredentials, type Transaction } from '@/lib/finqware/client';
import { clearCatalogCache, revokeOnboarding, startOnboarding, submitFormStep } from '@/lib/onboarding/service';
import { databaseKinds, insertUser, useTestDatabase, type TestDatabase } from '@/test/databases';
import { refreshConsent } from './refresh';
import { sweepBankData } from './retention';
import { neverReadConsents, SYNC_LEASE_MS, syncConsent, syncDueConsents, type BankDataDeps, type SyncOutcome } from './sync';
import { accountTransactions, listBankConsents, ownedAccount, PAGE_SIZE, transactionsForExport, type TransactionView } from './views';

// Issue #13 end to end on both databases: an account-information onboarding run against the Finqware sandbox, then its
// bank data read, refreshed, searched, failed, raced and deleted, as the accounts pages and the background refresh do.

const CREDENTIALS = { clientId: 'bank-data-client', clientAppKey: 'bank-data-app-key', clientSecret: 'bank-data-secret-0123456789' };
const AISP = 'xyz_aisp_sbx_#1.0';
const CARD = 'xyz_card_sbx_#3.0';
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
// A Monday, mid-morning UTC: the sandbox's history depends on the clock, so a fixed one makes every run alike.
const T0 = Date.UTC(2026, 2, 16, 10, 0, 0);
const DATA_PATHS = new Set(['/v1/accounts/get', '/v1/balances/get', '/v1/transactions/get']);

interface Recorded {
  path: string;
  body: Record<string, unknown> | undefined;
}

interface Held {
  entered: Promise<void>;
  release: () => void;
}

interface Consent {
  onboardingId: string;
  /** The finqware_credentials row's id: the consent as the accounts pages name it. */
  id: string;
  grant: FinqwareCredentials;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * A database of `kind`, and before each test a fresh sandbox on a fake clock with a client whose fetch records every
 * data call's body, can hold a call until released, hang one until its deadline, and rewrite transaction labels.
 */
function useBankData(kind: 'pglite' | 'postgres') {
  const database: TestDatabase = useTestDatabase(kind);
  const h = {
    database,
    clock: { ms: T0 },
    sandbox: undefined as unknown as FinqwareSandbox,
    finqware: undefined as unknown as FinqwareClient,
    deps: undefined as unknown as BankDataDeps,
    requests: [] as Recorded[],
    /** Finqware's error ids, in the order its refusals arrived. */
    errorIds: [] as string[],
    grants: [] as FinqwareCredentials[],
    holds: new Map<string, { entered: () => void; released: Promise<void> }>(),
    hanging: new Set<string>(),
    /** Applied to every label transactions/get answers (the sandbox's are upper case without accents). */
    relabel: undefined as ((label: string) => string) | undefined,
    /** transactions/get answers its first transaction twice. */
    repeatFirst: false,
    /** Accounts accounts/get leaves out, as when the user takes one out of the consent at the bank. */
    hidden: new Set<string>(),

    client(extra: Partial<FinqwareClientConfig> = {}): FinqwareClient {
      return createFinqwareClient({
        apiUrl: 'http://finqware.test',
        ...CREDENTIALS,
        // Pinned: the faults below count on one call and two retries for what may be transient.
        retries: 2,
        sleep: async () => undefined,
        ...extra,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          const path = new URL(request.url).pathname;
          const body = DATA_PATHS.has(path) ? ((await request.clone().json()) as Record<string, unknown>) : undefined;
          h.requests.push({ path, body });
          const hold = h.holds.get(path);
          if (hold) {
            h.holds.delete(path);
            hold.entered();
            await hold.released;
          }
          if (h.hanging.has(path)) {
            return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
          }
          const response = await h.sandbox.handle(request);
          if (path === '/v1/tokens' && response.ok) {
            const grant = (await response.clone().json()) as { credentials_id: string; access_token: string };
            h.grants.push({ credentialsId: grant.credentials_id, accessToken: grant.access_token });
          }
          if (DATA_PATHS.has(path) && !response.ok) h.errorIds.push(((await response.clone().json()) as { id: string }).id);
          if (path === '/v1/accounts/get' && response.ok && h.hidden.size > 0) {
            const answer = (await response.json()) as Array<{ id: string }>;
            return Response.json(
              answer.filter(({ id }) => !h.hidden.has(id)),
              { status: response.status },
            );
          }
          if (path === '/v1/transactions/get' && response.ok && (h.relabel || h.repeatFirst)) {
            const relabel = h.relabel ?? ((label: string) => label);
            const answer = (await response.json()) as Array<{ data: { info: string } }>;
            for (const transaction of answer) transaction.data.info = relabel(transaction.data.info);
            return Response.json(h.repeatFirst ? [...answer, ...answer.slice(0, 1)] : answer, { status: response.status });
          }
          return response;
        },
      });
    },

    newUser: () => insertUser(database),

    /** A completed account-information onboarding: the consent, its row and its grant. */
    async consent(userId: string): Promise<Consent> {
      const onboardingId = await startOnboarding(userId, AISP, h.deps);
      await submitFormStep(userId, onboardingId, 0, { accepted: 'on' }, h.deps);
      const [row] = await database.db.select().from(finqwareCredentials).where(eq(finqwareCredentials.onboardingId, onboardingId));
      if (!row) throw new Error('the onboarding should have stored the grant');
      return { onboardingId, id: row.id, grant: h.grants.at(-1)! };
    },

    async credentialsRow(id: string) {
      return (await database.db.select().from(finqwareCredentials).where(eq(finqwareCredentials.id, id)))[0]!;
    },

    /** What the sandbox holds for this consent, read straight from it (unfiltered). */
    async atFinqware(userId: string, grant: FinqwareCredentials): Promise<Transaction[]> {
      return h.finqware.transactions(userId, grant);
    },

    /** What our database holds for the user. */
    async held(userId: string): Promise<{ accounts: number; transactions: number }> {
      const [accounts] = await database.db.select({ n: count() }).from(bankAccounts).where(eq(bankAccounts.userId, userId));
      const [transactions] = await database.db.select({ n: count() }).from(bankTransactions).where(eq(bankTransactions.userId, userId));
      return { accounts: accounts!.n, transactions: transactions!.n };
    },

    accountRows(userId: string) {
      return database.db.select().from(bankAccounts).where(eq(bankAccounts.userId, userId));
    },

    /** The user's account of this type (as the sandbox bank words it), as the database holds it. */
    async accountOfType(userId: string, type: 'current' | 'savings' | 'card') {
      const words = { current: 'Business current account', savings: 'Business savings account', card: 'Business credit card' }[type];
      const found = (await h.accountRows(userId)).find(({ accountType }) => accountType === words);
      if (!found) throw new Error(`no ${type} account held`);
      return found;
    },

    /** Scripts the sandbox's next faults through its control API. */
    async faults(faults: unknown[]): Promise<void> {
      const response = await h.sandbox.handle(control('faults', { faults }));
      expect(response.status).toBe(200);
    },

    /** New transactions arriving at the bank now (the sandbox's clock). */
    async arrive(tenantUserId: string, accountId: string, countOf: number, status: 'booked' | 'pending' = 'booked') {
      const response = await h.sandbox.handle(control('transactions', { tenant_user_id: tenantUserId, account_id: accountId, count: countOf, status }));
      expect(response.status).toBe(200);
      return (
        (await response.json()) as {
          transactions: Array<{ utx_id: string; booking_date_time: string; amount: string; credit_debit_indicator: string; info: string }>;
        }
      ).transactions;
    },

    /** Holds the next call to `path` until released; `entered` resolves once the call is waiting. */
    hold(path: string): Held {
      const entered = deferred();
      const released = deferred();
      h.holds.set(path, { entered: entered.resolve, released: released.promise });
      return { entered: entered.promise, release: released.resolve };
    },

    now: () => new Date(h.clock.ms),
    transactionRequests: () => h.requests.filter(({ path }) => path === '/v1/transactions/get'),
  };

  function control(route: string, body: unknown): Request {
    return new Request(`http://finqware.test/_control/${route}`, {
      method: 'POST',
      headers: { 'X-Client-Id': CREDENTIALS.clientId, 'X-Client-Secret': CREDENTIALS.clientSecret, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  beforeEach(() => {
    h.clock = { ms: T0 };
    h.requests = [];
    h.errorIds = [];
    h.grants = [];
    h.holds = new Map();
    h.hanging = new Set();
    h.relabel = undefined;
    h.hidden = new Set();
    h.repeatFirst = false;
    h.sandbox = createFinqwareSandbox({ ...CREDENTIALS, now: () => h.clock.ms });
    clearCatalogCache();
    h.finqware = h.client();
    h.deps = { finqware: h.finqware, now: h.now };
  });

  return h;
}

/** An outcome that must be a successful read. */
function read(outcome: SyncOutcome): { accounts: number; added: number; updated: number } {
  if (!outcome.ok) throw new Error(`the read should have succeeded: ${outcome.reason}`);
  const { accounts, added, updated } = outcome;
  return { accounts, added, updated };
}

/** One line per transaction, comparable between what Finqware answered and what a page shows. */
const lineOf = (transaction: { bookedAt: Date; amount: string; label: string; status: string }) =>
  `${transaction.bookedAt.toISOString()} ${transaction.amount} ${transaction.status} ${transaction.label}`;

const sorted = (lines: string[]) => [...lines].sort();

function expectNewestFirst(transactions: TransactionView[]): void {
  for (let index = 1; index < transactions.length; index++) {
    expect(transactions[index]!.bookedAt.getTime()).toBeLessThanOrEqual(transactions[index - 1]!.bookedAt.getTime());
  }
}

describe.each(databaseKinds)('bank data on %s', (kind) => {
  const h = useBankData(kind);

  it('reads a new consent at once: three accounts, their balances, the masked IBANs and every transaction Finqware holds', async () => {
    const userId = await h.newUser();
    const { id, grant } = await h.consent(userId);
    expect(await neverReadConsents(userId, h.now())).toEqual([id]);

    const outcome = await syncConsent(userId, id, h.deps);
    const atFinqware = await h.atFinqware(userId, grant);
    // A year of history: if the sandbox ever shrank it, the paging checks below would prove little.
    expect(atFinqware.length).toBeGreaterThan(1000);
    expect(outcome).toEqual({ ok: true, accounts: 3, added: atFinqware.length, updated: 0 });
    expect(await h.held(userId)).toEqual({ accounts: 3, transactions: atFinqware.length });
    expect(await neverReadConsents(userId, h.now())).toEqual([]);

    // Never the full IBAN, in any column: the first four and the last four characters only.
    const accounts = await h.finqware.accounts(userId, grant);
    const rows = await h.accountRows(userId);
    const stored = JSON.stringify(rows);
    const withIban = accounts.filter((account) => account.iban !== null);
    expect(withIban).toHaveLength(2);
    for (const { accountId, iban } of withIban) {
      expect(stored).not.toContain(iban!);
      expect(stored).not.toContain(iban!.slice(4, -4));
      expect(rows.find((row) => row.finqwareAccountId === accountId)?.ibanMasked).toBe(`${iban!.slice(0, 4)} •••• ${iban!.slice(-4)}`);
    }

    const balances = await h.finqware.balances(userId, grant);
    const [consent, ...others] = await listBankConsents(userId, h.now());
    expect(others).toEqual([]);
    expect(consent).toMatchObject({ id, skillId: AISP, state: 'active', syncedAt: h.now(), syncing: false, failure: null, revokedAt: null });
    expect(consent!.accounts).toHaveLength(3);
    for (const account of accounts) {
      const shown = consent!.accounts.find((view) => view.id === rows.find((row) => row.finqwareAccountId === account.accountId)?.id);
      const balance = (type: string) => balances.find((entry) => entry.accountId === account.accountId && entry.type === type);
      expect(shown).toMatchObject({
        servicerName: 'XYZ Bank (sandbox)',
        name: account.name,
        accountType: account.accountType,
        currency: 'EUR',
        ibanMasked: account.iban === null ? null : expect.stringMatching(/^FR\d\d •••• \d{4}$/),
        booked: { amount: balance('ClosingBooked')!.amount, currency: 'EUR' },
        available: { amount: balance('InterimAvailable')!.amount, currency: 'EUR' },
        readAt: h.now(),
      });
      expect(shown!.booked!.amount).toMatch(/^-?\d+\.\d{2}$/);
    }
    // What the card owes is a debit; what it can still spend is not.
    const card = consent!.accounts.find((account) => account.accountType === 'Business credit card')!;
    expect(card.ibanMasked).toBeNull();
    expect(card.booked!.amount).toMatch(/^-\d/);
    expect(card.available!.amount).not.toMatch(/^-/);

    // Every account's transactions, exactly as Finqware answered them (signed amounts, labels, booked or pending).
    for (const account of accounts) {
      const rowId = rows.find((row) => row.finqwareAccountId === account.accountId)!.id;
      const expected = atFinqware.filter((transaction) => transaction.accountId === account.accountId);
      const exported = await transactionsForExport(userId, rowId, {}, h.now());
      expect(exported!.transactions).toHaveLength(expected.length);
      expect(sorted(exported!.transactions.map(lineOf))).toEqual(sorted(expected.map(lineOf)));
    }
    expect(atFinqware.some(({ status }) => status === 'pending')).toBe(true);
    expect(atFinqware.some(({ amount }) => amount.startsWith('-'))).toBe(true);
  });

  it('shows an account a page of 50 at a time, newest first, and clamps the page asked for', async () => {
    const userId = await h.newUser();
    const { id, grant } = await h.consent(userId);
    read(await syncConsent(userId, id, h.deps));
    const account = await h.accountOfType(userId, 'current');
    const expected = (await h.atFinqware(userId, grant))
      .filter((transaction) => transaction.accountId === account.finqwareAccountId)
      .sort((a, b) => b.bookedAt.getTime() - a.bookedAt.getTime());
    const pageCount = Math.ceil(expected.length / PAGE_SIZE);
    expect(PAGE_SIZE).toBe(50);
    expect(pageCount).toBeGreaterThan(2);

    const first = (await accountTransactions(userId, account.id, {}, 1, h.now()))!;
    expect(first).toMatchObject({ consentId: id, total: expected.length, page: 1, pageCount });
    expect(first.account.id).toBe(account.id);
    expect(first.transactions).toHaveLength(PAGE_SIZE);
    expectNewestFirst(first.transactions);
    expect(first.transactions[0]!.bookedAt).toEqual(expected[0]!.bookedAt);

    // Every page together is the whole account, once, newest first throughout.
    const seen: TransactionView[] = [];
    for (let page = 1; page <= pageCount; page++) {
      const shown = (await accountTransactions(userId, account.id, {}, page, h.now()))!;
      expect(shown.page).toBe(page);
      expect(shown.transactions).toHaveLength(page < pageCount ? PAGE_SIZE : expected.length - (pageCount - 1) * PAGE_SIZE);
      seen.push(...shown.transactions);
    }
    expectNewestFirst(seen);
    expect(new Set(seen.map(({ id: transactionId }) => transactionId)).size).toBe(expected.length);
    expect(sorted(seen.map(lineOf))).toEqual(sorted(expected.map(lineOf)));

    // Past the end gives the last page; nonsense gives the first; a fraction is cut.
    const last = (await accountTransactions(userId, account.id, {}, pageCount, h.now()))!;
    for (const page of [pageCount + 1, 10_000]) {
      const shown = (await accountTransactions(userId, account.id, {}, page, h.now()))!;
      expect(shown.page).toBe(pageCount);
      expect(shown.transactions).toEqual(last.transactions);
    }
    for (const page of [0, -3, Number.NaN]) {
      const shown = (await accountTransactions(userId, account.id, {}, page, h.now()))!;
      expect(shown.page).toBe(1);
      expect(shown.transactions).toEqual(first.transactions);
    }
    expect((await accountTransactions(userId, account.id, {}, 2.7, h.now()))!.page).toBe(2);
  });

  it('reads only what arrived since the last read, and adds it once', async () => {
    const userId = await h.newUser();
    const { id, grant } = await h.consent(userId);
    const first = read(await syncConsent(userId, id, h.deps));
    // The first read asks for everything: no timestamp criterion.
    expect(h.transactionRequests()).toHaveLength(3);
    for (const { body } of h.transactionRequests()) expect(body?.filter).toEqual({ account_id: expect.any(String) });
    const before = await h.held(userId);
    const storedUntil = (await h.credentialsRow(id)).syncCursor;
    expect(storedUntil).toEqual(new Date(T0));

    h.clock.ms += HOUR_MS;
    const savings = await h.accountOfType(userId, 'savings');
    const arrived = await h.arrive(userId, savings.finqwareAccountId, 7);
    h.requests = [];
    const second = read(await syncConsent(userId, id, h.deps));
    expect(second).toMatchObject({ accounts: 3, added: 7 });
    expect(await h.held(userId)).toEqual({ accounts: 3, transactions: before.transactions + 7 });
    // Asked for those stored since the newest held, for each account.
    const asked = h.transactionRequests().map(({ body }) => body?.filter);
    expect(asked).toHaveLength(3);
    const accountIds = (await h.accountRows(userId)).map(({ finqwareAccountId }) => finqwareAccountId);
    expect(asked).toEqual(expect.arrayContaining(accountIds.map((accountId) => ({ account_id: accountId, timestamp_gte: storedUntil!.toISOString() }))));
    expect(first.added).toBe(before.transactions);

    // They are the newest on the savings account's first page, as the bank gave them.
    const page = (await accountTransactions(userId, savings.id, {}, 1, h.now()))!;
    expect(page.total).toBe((await h.atFinqware(userId, grant)).filter(({ accountId }) => accountId === savings.finqwareAccountId).length);
    expect(page.transactions.slice(0, 7).map(({ bookedAt, amount, label }) => ({ bookedAt, amount, label }))).toEqual(
      arrived
        .map((transaction) => ({
          bookedAt: new Date(transaction.booking_date_time),
          amount: transaction.credit_debit_indicator === 'debit' ? `-${transaction.amount}` : transaction.amount,
          label: transaction.info,
        }))
        .reverse(),
    );

    // The next read starts from the arrivals: the year of history is not read again, nothing is added twice.
    h.clock.ms += MINUTE_MS;
    h.requests = [];
    const third = read(await syncConsent(userId, id, h.deps));
    expect(third).toMatchObject({ accounts: 3, added: 0 });
    expect(third.updated).toBeLessThanOrEqual(7);
    for (const { body } of h.transactionRequests()) expect(body?.filter).toMatchObject({ timestamp_gte: new Date(T0 + HOUR_MS).toISOString() });
    expect(await h.held(userId)).toEqual({ accounts: 3, transactions: before.transactions + 7 });
  });

  it('a transaction pending at one read and booked at a later one is held once, booked', async () => {
    const userId = await h.newUser();
    const first = await h.consent(userId);
    read(await syncConsent(userId, first.id, h.deps));
    const firstSeen = await h.atFinqware(userId, first.grant);
    const pending = firstSeen.filter(({ status }) => status === 'pending');
    expect(pending.length).toBeGreaterThan(0);

    // A consent given three days later sees the same transactions (same utx_id), the pending ones booked since.
    h.clock.ms += 3 * DAY_MS;
    const second = await h.consent(userId);
    const secondSeen = await h.atFinqware(userId, second.grant);
    const known = new Set(firstSeen.map(({ utxId }) => utxId));
    const both = secondSeen.filter(({ utxId }) => known.has(utxId)).length;
    expect(read(await syncConsent(userId, second.id, h.deps))).toEqual({ accounts: 3, added: secondSeen.length - both, updated: both });
    expect(await h.held(userId)).toEqual({ accounts: 3, transactions: new Set([...firstSeen, ...secondSeen].map(({ utxId }) => utxId)).size });

    const rows = await h.database.db.select().from(bankTransactions).where(eq(bankTransactions.userId, userId));
    for (const { utxId } of pending) expect(rows.filter((row) => row.utxId === utxId).map(({ status }) => status)).toEqual(['booked']);
  });

  /** A consent read once, then read again while accounts/get leaves the card out (with one new transaction elsewhere). */
  async function withoutTheCard() {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    read(await syncConsent(userId, consent.id, h.deps));
    const atFinqware = await h.atFinqware(userId, consent.grant);
    const card = await h.accountOfType(userId, 'card');
    const current = await h.accountOfType(userId, 'current');
    const onCard = atFinqware.filter(({ accountId }) => accountId === card.finqwareAccountId).length;
    expect(onCard).toBeGreaterThan(0);

    h.hidden.add(card.finqwareAccountId);
    h.clock.ms += HOUR_MS;
    await h.arrive(userId, current.finqwareAccountId, 1);
    h.requests = [];
    const outcome = read(await syncConsent(userId, consent.id, h.deps));
    return { userId, consent, atFinqware, card, onCard, outcome };
  }

  it('an account the consent no longer shows goes, with its transactions', async () => {
    const { userId, atFinqware, card, onCard, outcome } = await withoutTheCard();
    expect(outcome).toMatchObject({ accounts: 2, added: 1 });
    expect(h.transactionRequests().map(({ body }) => (body?.filter as { account_id: string }).account_id)).not.toContain(card.finqwareAccountId);
    expect(await h.held(userId)).toEqual({ accounts: 2, transactions: atFinqware.length + 1 - onCard });
    expect(await accountTransactions(userId, card.id, {}, 1, h.now())).toBeUndefined();
    expect((await listBankConsents(userId, h.now()))[0]!.accounts).toHaveLength(2);
  });

  // An account read again after it went is read whole, not from the consent's cursor: its history deleted with it comes back.
  it('an account shown again after it went comes back with its whole history', async () => {
    const { userId, consent, atFinqware, onCard } = await withoutTheCard();
    // The user put it back in the consent at the bank (or the bank's list was only short once).
    h.hidden.clear();
    h.clock.ms += HOUR_MS;
    read(await syncConsent(userId, consent.id, h.deps));
    const back = await h.accountOfType(userId, 'card');
    expect((await accountTransactions(userId, back.id, {}, 1, h.now()))!.total).toBe(onCard);
    expect(await h.held(userId)).toEqual({ accounts: 3, transactions: atFinqware.length + 1 });
  });

  it('a second consent to the same bank adds nothing twice, and revoking the first keeps what the second shows', async () => {
    const userId = await h.newUser();
    const old = await h.consent(userId);
    read(await syncConsent(userId, old.id, h.deps));
    const held = await h.held(userId);
    const accountIds = (await h.accountRows(userId)).map(({ id }) => id).sort();

    const renewed = await h.consent(userId);
    const outcome = read(await syncConsent(userId, renewed.id, h.deps));
    expect(outcome).toEqual({ accounts: 3, added: 0, updated: held.transactions });
    expect(await h.held(userId)).toEqual(held);
    // The same account rows (their pages' addresses stay), now shown under the consent that read them last.
    const rows = await h.accountRows(userId);
    expect(rows.map(({ id }) => id).sort()).toEqual(accountIds);
    expect(rows.every(({ credentialsRowId }) => credentialsRowId === renewed.id)).toBe(true);
    const views = await listBankConsents(userId, h.now());
    expect(views.map(({ id }) => id).sort()).toEqual([old.id, renewed.id].sort());
    expect(views.find(({ id }) => id === renewed.id)!.accounts).toHaveLength(3);

    await revokeOnboarding(userId, old.onboardingId, h.deps);
    expect(await h.held(userId)).toEqual(held);
    const after = await listBankConsents(userId, h.now());
    expect(after.find(({ id }) => id === old.id)).toMatchObject({ state: 'revoked', accounts: [] });
    expect(after.find(({ id }) => id === renewed.id)).toMatchObject({ state: 'active', accounts: expect.any(Array) });
    expect(after.find(({ id }) => id === renewed.id)!.accounts).toHaveLength(3);
    read(await syncConsent(userId, renewed.id, h.deps));
    expect(await h.held(userId)).toEqual(held);
    expect(await syncConsent(userId, old.id, h.deps)).toEqual({ ok: false, reason: 'ended' });
  });

  it('revoking the consent that read last deletes its data, and the other consent reads it all again', async () => {
    const userId = await h.newUser();
    const first = await h.consent(userId);
    const second = await h.consent(userId);
    read(await syncConsent(userId, second.id, h.deps));
    const held = await h.held(userId);
    h.clock.ms += MINUTE_MS;
    // The first consent reads last: the accounts are its now.
    read(await syncConsent(userId, first.id, h.deps));
    expect((await h.accountRows(userId)).every(({ credentialsRowId }) => credentialsRowId === first.id)).toBe(true);

    await revokeOnboarding(userId, first.onboardingId, h.deps);
    expect(await h.held(userId)).toEqual({ accounts: 0, transactions: 0 });
    // The other consent's incremental cursor would miss the history just deleted: it is read from the start, soon.
    expect(await neverReadConsents(userId, h.now())).toEqual([second.id]);
    expect((await h.credentialsRow(second.id)).syncCursor).toBeNull();

    h.requests = [];
    expect(read(await syncConsent(userId, second.id, h.deps))).toEqual({ accounts: 3, added: held.transactions, updated: 0 });
    for (const { body } of h.transactionRequests()) expect(body?.filter).not.toHaveProperty('timestamp_gte');
    expect(await h.held(userId)).toEqual(held);
    expect((await listBankConsents(userId, h.now())).find(({ id }) => id === second.id)!.accounts).toHaveLength(3);
  });

  it('revoking a consent deletes its accounts and transactions at once, and no one else’s', async () => {
    const userId = await h.newUser();
    const other = await h.newUser();
    const consent = await h.consent(userId);
    const theirs = await h.consent(other);
    read(await syncConsent(userId, consent.id, h.deps));
    read(await syncConsent(other, theirs.id, h.deps));
    const account = await h.accountOfType(userId, 'current');
    const theirsHeld = await h.held(other);
    expect(theirsHeld.accounts).toBe(3);

    await revokeOnboarding(userId, consent.onboardingId, h.deps);
    expect(await h.held(userId)).toEqual({ accounts: 0, transactions: 0 });
    expect(await h.held(other)).toEqual(theirsHeld);
    expect(await accountTransactions(userId, account.id, {}, 1, h.now())).toBeUndefined();
    expect(await listBankConsents(userId, h.now())).toEqual([expect.objectContaining({ id: consent.id, state: 'revoked', accounts: [] })]);
    expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'ended' });
    expect(await neverReadConsents(userId, h.now())).toEqual([]);
  });

  it('deletes the data once the consent expires, not a moment before, and reads it no more', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    read(await syncConsent(userId, consent.id, h.deps));
    // Another user's consent given ten days later outlives it.
    h.clock.ms += 10 * DAY_MS;
    const later = await h.newUser();
    const laterConsent = await h.consent(later);
    read(await syncConsent(later, laterConsent.id, h.deps));
    const held = await h.held(userId);
    const laterHeld = await h.held(later);
    const account = await h.accountOfType(userId, 'current');

    expect(await sweepBankData(h.now())).toBe(0);
    expect(await h.held(userId)).toEqual(held);

    const { consentExpiresAt, maxDataRetention } = await h.credentialsRow(consent.id);
    expect(consentExpiresAt.getTime()).toBeGreaterThan(h.clock.ms);
    expect(maxDataRetention.getTime()).toBeGreaterThanOrEqual(consentExpiresAt.getTime());
    h.clock.ms = consentExpiresAt.getTime() - 1;
    expect(await sweepBankData(h.now())).toBe(0);
    expect(await h.held(userId)).toEqual(held);
    expect(await ownedAccount(userId, account.id, h.now())).toBeDefined();

    h.clock.ms = consentExpiresAt.getTime();
    // Ended: not shown any more even before the sweep, and never read again.
    expect(await accountTransactions(userId, account.id, {}, 1, h.now())).toBeUndefined();
    expect(await listBankConsents(userId, h.now())).toEqual([expect.objectContaining({ id: consent.id, state: 'expired', accounts: [], failure: null })]);
    expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'ended' });
    expect(await neverReadConsents(userId, h.now())).toEqual([]);
    // Earlier tests' consents, given at the same time, end now too: their data goes in the same sweep.
    expect(await sweepBankData(h.now())).toBeGreaterThanOrEqual(3);
    expect(await h.held(userId)).toEqual({ accounts: 0, transactions: 0 });
    expect(await h.held(later)).toEqual(laterHeld);
  });

  it('deletes the data once max_data_retention passes, even while the consent lives', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    read(await syncConsent(userId, consent.id, h.deps));
    const held = await h.held(userId);
    const retainedUntil = new Date(T0 + DAY_MS);
    await h.database.db.update(finqwareCredentials).set({ maxDataRetention: retainedUntil }).where(eq(finqwareCredentials.id, consent.id));

    h.clock.ms = retainedUntil.getTime() - 1;
    await sweepBankData(h.now());
    expect(await h.held(userId)).toEqual(held);
    expect(read(await syncConsent(userId, consent.id, h.deps)).added).toBe(0);

    h.clock.ms = retainedUntil.getTime();
    expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'ended' });
    expect(await sweepBankData(h.now())).toBeGreaterThanOrEqual(3);
    expect(await h.held(userId)).toEqual({ accounts: 0, transactions: 0 });
    expect((await listBankConsents(userId, h.now()))[0]).toMatchObject({ state: 'expired', retainedUntil, accounts: [] });
  });

  describe('when Finqware or the bank refuses a read', () => {
    const cases = [
      { answer: 'inactive_credentials', operation: 'POST /transactions/get', code: 'inactive_credentials', times: 1, reason: 'consent_inactive' },
      { answer: 'inactive_credentials', operation: 'POST /accounts/get', code: 'inactive_credentials', times: 1, reason: 'consent_inactive' },
      { answer: 'expired_credentials', operation: 'POST /accounts/get', code: 'expired_credentials', times: 1, reason: 'consent_expired' },
      { answer: 'expired_credentials', operation: 'POST /transactions/get', code: 'expired_credentials', times: 1, reason: 'consent_expired' },
      // What may be transient is tried three times (one call, two retries) before it is a failure.
      {
        answer: 'external_api_connection_error',
        operation: 'POST /transactions/get',
        code: 'external_api_connection_error',
        times: 3,
        reason: 'bank_unreachable',
      },
      { answer: 'external_api_connection_error', operation: 'POST /accounts/get', code: 'external_api_connection_error', times: 3, reason: 'bank_unreachable' },
      { answer: 'external_api_too_many_requests', operation: 'POST /balances/get', code: 'external_api_too_many_requests', times: 3, reason: 'rate_limited' },
      { answer: 'external_api_forbidden', operation: 'POST /transactions/get', code: 'external_api_forbidden', times: 3, reason: 'bank_refused' },
      // Finqware's own 500 (internal_error).
      { answer: 'HTTP 500', operation: 'POST /balances/get', code: undefined, times: 3, reason: 'unavailable' },
    ] as const;

    it.each(cases)(
      '$answer on $operation: $reason with Finqware’s error id, the data held kept until a read succeeds',
      async ({ operation, code, times, reason }) => {
        const userId = await h.newUser();
        const consent = await h.consent(userId);
        read(await syncConsent(userId, consent.id, h.deps));
        const firstReadAt = h.now();
        const held = await h.held(userId);
        const current = await h.accountOfType(userId, 'current');
        const firstPage = await accountTransactions(userId, current.id, {}, 1, h.now());

        h.clock.ms += HOUR_MS;
        await h.arrive(userId, current.finqwareAccountId, 2);
        await h.faults([{ operation, action: 'error', times, ...(code === undefined ? {} : { code }) }]);
        const outcome = await syncConsent(userId, consent.id, h.deps);
        expect(h.errorIds).toHaveLength(times);
        expect(outcome).toEqual({ ok: false, reason, reference: h.errorIds.at(-1) });

        // Nothing of the failed read is stored, nothing held is lost.
        expect(await h.held(userId)).toEqual(held);
        expect(await accountTransactions(userId, current.id, {}, 1, h.now())).toEqual(firstPage);
        const [view] = await listBankConsents(userId, h.now());
        expect(view).toMatchObject({ state: 'active', syncedAt: firstReadAt, syncing: false, failure: { reason, reference: h.errorIds.at(-1) } });
        expect(view!.accounts).toHaveLength(3);
        expect(view!.accounts.every(({ readAt }) => readAt.getTime() === firstReadAt.getTime())).toBe(true);

        // The next read succeeds: it brings what arrived meanwhile and clears the failure.
        h.clock.ms += MINUTE_MS;
        expect(read(await syncConsent(userId, consent.id, h.deps))).toMatchObject({ accounts: 3, added: 2 });
        expect(await h.held(userId)).toEqual({ accounts: 3, transactions: held.transactions + 2 });
        expect((await listBankConsents(userId, h.now()))[0]).toMatchObject({ syncedAt: h.now(), failure: null });
        expect(await h.credentialsRow(consent.id)).toMatchObject({ syncError: null, syncErrorRef: null, syncingSince: null });
      },
    );

    it('an answer lost every time is "unavailable", without a reference', async () => {
      const userId = await h.newUser();
      const consent = await h.consent(userId);
      read(await syncConsent(userId, consent.id, h.deps));
      const held = await h.held(userId);
      await h.faults([{ operation: 'POST /transactions/get', action: 'drop', times: 3 }]);
      expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'unavailable', reference: undefined });
      expect(await h.held(userId)).toEqual(held);
      expect((await listBankConsents(userId, h.now()))[0]).toMatchObject({ failure: { reason: 'unavailable', reference: null } });
      expect(read(await syncConsent(userId, consent.id, h.deps)).accounts).toBe(3);
    });

    it('an answer lost once is asked for again: the read succeeds', async () => {
      const userId = await h.newUser();
      const consent = await h.consent(userId);
      await h.faults([{ operation: 'POST /transactions/get', action: 'drop', times: 1 }]);
      const outcome = read(await syncConsent(userId, consent.id, h.deps));
      expect(outcome.added).toBe((await h.held(userId)).transactions);
      expect(outcome.added).toBe((await h.atFinqware(userId, consent.grant)).length);
    });

    it('Finqware not answering in time is "unavailable"', async () => {
      const userId = await h.newUser();
      const consent = await h.consent(userId);
      read(await syncConsent(userId, consent.id, h.deps));
      const held = await h.held(userId);
      const impatient = { finqware: h.client({ timeoutMs: 50, retries: 0 }), now: h.now };
      h.hanging.add('/v1/balances/get');
      expect(await syncConsent(userId, consent.id, impatient)).toEqual({ ok: false, reason: 'unavailable', reference: undefined });
      expect(await h.held(userId)).toEqual(held);
      expect(await h.credentialsRow(consent.id)).toMatchObject({ syncError: 'unavailable', syncErrorRef: null, syncingSince: null });
    });
  });

  it('two reads of one consent at once: the second is told one is under way, and nothing is stored twice', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    const held = h.hold('/v1/accounts/get');
    const first = syncConsent(userId, consent.id, h.deps);
    await held.entered;

    expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'busy' });
    expect(await refreshConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'busy' });
    expect((await listBankConsents(userId, h.now()))[0]).toMatchObject({ syncing: true, failure: null });
    // Only the first read reached Finqware.
    expect(h.requests.filter(({ path }) => path === '/v1/accounts/get')).toHaveLength(1);

    held.release();
    const outcome = read(await first);
    expect(outcome.added).toBe((await h.held(userId)).transactions);
    expect((await listBankConsents(userId, h.now()))[0]).toMatchObject({ syncing: false, failure: null });
    // The lease is given back: the next read runs.
    h.clock.ms += MINUTE_MS;
    expect(read(await syncConsent(userId, consent.id, h.deps)).added).toBe(0);
  });

  it('a read that died holding its lease blocks the consent for SYNC_LEASE_MS only', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    const held = h.hold('/v1/accounts/get');
    const stuck = syncConsent(userId, consent.id, h.deps);
    await held.entered;

    h.clock.ms += SYNC_LEASE_MS - 1;
    expect((await listBankConsents(userId, h.now()))[0]!.syncing).toBe(true);
    h.clock.ms += 1;
    expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'busy' });
    h.clock.ms += 1;
    expect((await listBankConsents(userId, h.now()))[0]!.syncing).toBe(false);
    const takeover = read(await syncConsent(userId, consent.id, h.deps));
    const atFinqware = (await h.atFinqware(userId, consent.grant)).length;
    expect(takeover).toEqual({ accounts: 3, added: atFinqware, updated: 0 });

    // The old read, back at last, stores nothing over the one that took its place.
    held.release();
    expect((await stuck).ok).toBe(false);
    expect(await h.held(userId)).toEqual({ accounts: 3, transactions: atFinqware });
    expect(await h.credentialsRow(consent.id)).toMatchObject({ syncedAt: h.now(), syncingSince: null, syncError: null });
  });

  it('a slow live read keeps its lease: each call to Finqware renews it, so it outlasts SYNC_LEASE_MS and stores its read', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    // The first account's transactions take almost a lease, then the second's as long again.
    let held = h.hold('/v1/transactions/get');
    const slow = syncConsent(userId, consent.id, h.deps);
    await held.entered;
    h.clock.ms += SYNC_LEASE_MS - 1;
    const next = h.hold('/v1/transactions/get');
    held.release();
    await next.entered;
    held = next;
    h.clock.ms += SYNC_LEASE_MS - 1;
    // Twice a lease since the read began, one since it last renewed: still its own.
    expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'busy' });
    expect((await listBankConsents(userId, h.now()))[0]!.syncing).toBe(true);
    held.release();
    const outcome = read(await slow);
    expect(outcome).toEqual({ accounts: 3, added: (await h.held(userId)).transactions, updated: 0 });
    expect(h.requests.filter(({ path }) => path === '/v1/accounts/get')).toHaveLength(1);
  });

  it('a read that lost its lease while waiting stops before its next call and stores nothing over the one that took over', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    const held = h.hold('/v1/balances/get');
    const stuck = syncConsent(userId, consent.id, h.deps);
    await held.entered;
    h.clock.ms += SYNC_LEASE_MS + 1;
    const takeover = read(await syncConsent(userId, consent.id, h.deps));
    const calls = h.requests.length;

    held.release();
    expect(await stuck).toEqual({ ok: false, reason: 'busy' });
    // It asked for no transactions after losing the lease.
    expect(h.requests).toHaveLength(calls);
    expect(await h.held(userId)).toEqual({ accounts: 3, transactions: takeover.added });
    expect(await h.credentialsRow(consent.id)).toMatchObject({ syncedAt: h.now(), syncingSince: null, syncError: null });
  });

  it('an answer that repeats a transaction stores it once', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    h.repeatFirst = true;
    const outcome = read(await syncConsent(userId, consent.id, h.deps));
    h.repeatFirst = false;
    const atFinqware = (await h.held(userId)).transactions;
    expect(outcome.added).toBe(atFinqware);
    expect((await listBankConsents(userId, h.now()))[0]).toMatchObject({ syncing: false, failure: null });
  });

  it('a read that cannot be stored gives its lease back, says so, and writes nothing', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    // A client answer the database refuses (an invalid date): the write fails after the lease was taken.
    const broken: BankDataDeps = {
      ...h.deps,
      finqware: {
        ...h.deps.finqware,
        transactions: async (...args) =>
          (await h.deps.finqware.transactions(...args)).map((item, index) => (index === 0 ? { ...item, bookedAt: new Date(Number.NaN) } : item)),
      },
    };
    await expect(syncConsent(userId, consent.id, broken)).rejects.toThrow();
    expect(await h.held(userId)).toEqual({ accounts: 0, transactions: 0 });
    expect((await listBankConsents(userId, h.now()))[0]).toMatchObject({ syncing: false, failure: { reason: 'unavailable' } });
    h.clock.ms += 1;
    expect(read(await syncConsent(userId, consent.id, h.deps)).accounts).toBe(3);
  });

  it('another user’s consent or account is answered like an unknown one', async () => {
    const owner = await h.newUser();
    const stranger = await h.newUser();
    const consent = await h.consent(owner);
    read(await syncConsent(owner, consent.id, h.deps));
    const account = await h.accountOfType(owner, 'current');
    const before = await h.credentialsRow(consent.id);
    h.clock.ms += HOUR_MS;

    expect(await syncConsent(stranger, consent.id, h.deps)).toEqual({ ok: false, reason: 'not_found' });
    expect(await refreshConsent(stranger, consent.id, h.deps)).toEqual({ ok: false, reason: 'not_found' });
    expect(await ownedAccount(stranger, account.id, h.now())).toBeUndefined();
    expect(await accountTransactions(stranger, account.id, {}, 1, h.now())).toBeUndefined();
    expect(await transactionsForExport(stranger, account.id, {}, h.now())).toBeUndefined();
    expect(await listBankConsents(stranger, h.now())).toEqual([]);
    expect(await neverReadConsents(stranger, h.now())).toEqual([]);
    for (const id of ['not-an-id', '00000000-0000-4000-8000-000000000000', `${consent.id}'--`]) {
      expect(await syncConsent(owner, id, h.deps)).toEqual({ ok: false, reason: 'not_found' });
      expect(await accountTransactions(owner, id, {}, 1, h.now())).toBeUndefined();
    }
    // The owner's consent was not touched by any of it.
    expect(await h.credentialsRow(consent.id)).toEqual(before);
    expect(await ownedAccount(owner, account.id, h.now())).toMatchObject({ id: account.id });
  });

  it('a consent that grants no account data is not read', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    await h.database.db.update(onboardings).set({ skillId: CARD }).where(eq(onboardings.id, consent.onboardingId));
    expect(await neverReadConsents(userId, h.now())).toEqual([]);
    expect(await syncConsent(userId, consent.id, h.deps)).toEqual({ ok: false, reason: 'not_found' });
    expect(await listBankConsents(userId, h.now())).toEqual([]);
    expect(h.transactionRequests()).toEqual([]);
  });

  it('finds transactions by text whatever the case and accents, taking % and _ literally, and narrows by booking date', async () => {
    const userId = await h.newUser();
    const consent = await h.consent(userId);
    // The sandbox prints labels without accents, as statements do; this bank writes them.
    h.relabel = (label) => label.replace(/^PRLV SEPA /, 'PRÉLÈVEMENT SEPA ');
    read(await syncConsent(userId, consent.id, h.deps));
    const current = await h.accountOfType(userId, 'current');
    const savings = await h.accountOfType(userId, 'savings');
    const atFinqware = await h.atFinqware(userId, consent.grant);
    const onCurrent = atFinqware.filter(({ accountId }) => accountId === current.finqwareAccountId);
    const onSavings = atFinqware.filter(({ accountId }) => accountId === savings.finqwareAccountId);
    const edf = onCurrent.filter(({ label }) => label === 'PRÉLÈVEMENT SEPA EDF');
    const debits = onCurrent.filter(({ label }) => label.startsWith('PRÉLÈVEMENT SEPA '));
    const interest = onSavings.filter(({ label }) => label === 'INTERETS CREDITEURS');
    expect(edf.length).toBeGreaterThanOrEqual(11);
    expect(debits.length).toBeGreaterThan(PAGE_SIZE);
    expect(interest.length).toBeGreaterThanOrEqual(11);

    const search = async (accountId: string, text: string, page = 1) => (await accountTransactions(userId, accountId, { search: text }, page, h.now()))!;
    for (const text of ['prelevement sepa edf', 'PRÉLÈVEMENT SEPA EDF', 'pre\u0301le\u0300vement sepa edf', '  Prélèvement   SEPA   edf ', 'vement sepa ed']) {
      const found = await search(current.id, text);
      expect(found.total, text).toBe(edf.length);
      expect(found.transactions.every(({ label }) => label === 'PRÉLÈVEMENT SEPA EDF')).toBe(true);
    }
    expect((await search(savings.id, 'Intérêts créditeurs')).total).toBe(interest.length);
    // Found on its own account only.
    expect((await search(savings.id, 'prélèvement')).total).toBe(0);

    // More than a page: paged like the unfiltered list.
    const firstPage = await search(current.id, 'prélèvement');
    expect(firstPage).toMatchObject({ total: debits.length, page: 1, pageCount: Math.ceil(debits.length / PAGE_SIZE) });
    expect(firstPage.transactions).toHaveLength(PAGE_SIZE);
    expectNewestFirst(firstPage.transactions);
    const secondPage = await search(current.id, 'prélèvement', 2);
    expect(secondPage.transactions).toHaveLength(Math.min(PAGE_SIZE, debits.length - PAGE_SIZE));
    expect(secondPage.transactions[0]!.bookedAt.getTime()).toBeLessThanOrEqual(firstPage.transactions.at(-1)!.bookedAt.getTime());
    expect(sorted([...firstPage.transactions, ...secondPage.transactions].map(lineOf))).toEqual(
      sorted(
        debits
          .sort((a, b) => b.bookedAt.getTime() - a.bookedAt.getTime())
          .slice(0, firstPage.transactions.length + secondPage.transactions.length)
          .map(lineOf),
      ),
    );

    // LIKE's wildcards are plain characters here: as wildcards each of these would match "SEPA EDF".
    for (const text of ['sepa_edf', 'sepa%edf', '%', '_', '\\', 'sepa\\ edf']) expect((await search(current.id, text)).total, text).toBe(0);
    // A blank search narrows nothing.
    expect((await search(current.id, '   ')).total).toBe(onCurrent.length);

    // Dates: from is inclusive, until exclusive, both instants of booking.
    const between = (from: Date | undefined, until: Date | undefined) =>
      onCurrent.filter(({ bookedAt }) => (!from || bookedAt >= from) && (!until || bookedAt < until));
    const from = new Date(Date.UTC(2026, 0, 1));
    const until = new Date(Date.UTC(2026, 1, 1));
    const january = (await accountTransactions(userId, current.id, { from, until }, 1, h.now()))!;
    expect(january.total).toBe(between(from, until).length);
    expect(january.total).toBeGreaterThan(20);
    const exported = (await transactionsForExport(userId, current.id, { from, until }, h.now()))!.transactions;
    expect(sorted(exported.map(lineOf))).toEqual(sorted(between(from, until).map(lineOf)));
    // Oldest first, as a ledger reads.
    expect(exported[0]!.bookedAt.getTime()).toBeLessThanOrEqual(exported.at(-1)!.bookedAt.getTime());
    expect(exported[0]!.bookedAt.getTime()).toBe(Math.min(...between(from, until).map(({ bookedAt }) => bookedAt.getTime())));

    const edge = onCurrent[Math.floor(onCurrent.length / 2)]!.bookedAt;
    const atEdge = onCurrent.filter(({ bookedAt }) => bookedAt.getTime() === edge.getTime()).length;
    expect((await accountTransactions(userId, current.id, { from: edge, until: new Date(edge.getTime() + 1) }, 1, h.now()))!.total).toBe(atEdge);
    expect((await accountTransactions(userId, current.id, { from: edge }, 1, h.now()))!.total).toBe(between(edge, undefined).length);
    expect((await accountTransactions(userId, current.id, { until: edge }, 1, h.now()))!.total).toBe(between(undefined, edge).length);
    expect(between(edge, undefined).length + between(undefined, edge).length).toBe(onCurrent.length);

    // Text and dates together.
    const edfInJanuary = edf.filter(({ bookedAt }) => bookedAt >= from && bookedAt < until);
    expect(edfInJanuary).toHaveLength(1);
    const narrowed = (await accountTransactions(userId, current.id, { search: 'edf', from, until }, 1, h.now()))!;
    expect(narrowed.transactions.map(lineOf)).toEqual(edfInJanuary.map(lineOf));
  });

  it('deleting the user deletes their bank data with them', async () => {
    const userId = await h.newUser();
    const other = await h.newUser();
    const consent = await h.consent(userId);
    const theirs = await h.consent(other);
    read(await syncConsent(userId, consent.id, h.deps));
    read(await syncConsent(other, theirs.id, h.deps));
    const otherHeld = await h.held(other);

    await h.database.db.delete(users).where(eq(users.id, userId));
    expect(await h.held(userId)).toEqual({ accounts: 0, transactions: 0 });
    expect(await h.database.db.select().from(finqwareCredentials).where(eq(finqwareCredentials.userId, userId))).toEqual([]);
    expect(await h.held(other)).toEqual(otherHeld);
  });

  it('refreshes at most five times in ten minutes per user', async () => {
    const userId = await h.newUser();
    const other = await h.newUser();
    const consent = await h.consent(userId);
    const theirs = await h.consent(other);
    for (let attempt = 1; attempt <= 5; attempt++) {
      h.clock.ms += MINUTE_MS;
      expect((await refreshConsent(userId, consent.id, h.deps)).ok, `refresh ${attempt}`).toBe(true);
      // Something new each time, so the next read starts after the year of history (kept quick).
      if (attempt === 1) await h.arrive(userId, (await h.accountOfType(userId, 'current')).finqwareAccountId, 1);
    }
    const attempted = (await h.credentialsRow(consent.id)).syncAttemptedAt;
    const calls = h.requests.length;
    h.clock.ms += MINUTE_MS;
    const refused = await refreshConsent(userId, consent.id, h.deps);
    expect(refused).toEqual({ ok: false, reason: 'too_many', retryAfterSeconds: expect.any(Number) });
    if (refused.ok || refused.reason !== 'too_many') throw new Error('unreachable');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(10 * 60);
    // Refused before anything was asked of Finqware or written.
    expect(h.requests).toHaveLength(calls);
    expect((await h.credentialsRow(consent.id)).syncAttemptedAt).toEqual(attempted);
    // Per user: another one's refresh runs.
    expect((await refreshConsent(other, theirs.id, h.deps)).ok).toBe(true);
  });
});

// On a database of its own: the background pass reads every due consent in the database, so other tests' would count.
describe.each(databaseKinds)('the background refresh on %s', (kind) => {
  const h = useBankData(kind);

  it('reads consents never read or not tried for the interval, oldest first, and leaves those that need renewing', async () => {
    const interval = 6 * HOUR_MS;
    const fresh = await h.newUser();
    const read_ = await h.newUser();
    const renewing = await h.newUser();
    const unreachable = await h.newUser();
    const neverRead = await h.consent(fresh);
    const wasRead = await h.consent(read_);
    const inactive = await h.consent(renewing);
    const flaky = await h.consent(unreachable);

    read(await syncConsent(read_, wasRead.id, h.deps));
    await h.faults([{ operation: 'POST /transactions/get', action: 'error', code: 'inactive_credentials' }]);
    expect(await syncConsent(renewing, inactive.id, h.deps)).toMatchObject({ ok: false, reason: 'consent_inactive' });
    await h.faults([{ operation: 'POST /accounts/get', action: 'error', code: 'external_api_connection_error', times: 3 }]);
    expect(await syncConsent(unreachable, flaky.id, h.deps)).toMatchObject({ ok: false, reason: 'bank_unreachable' });
    const started = h.clock.ms;
    const attemptedAt = async (id: string) => (await h.credentialsRow(id)).syncAttemptedAt?.getTime();

    // A minute on: only the consent never read is due.
    h.clock.ms = started + MINUTE_MS;
    expect(await neverReadConsents(fresh, h.now())).toEqual([neverRead.id]);
    expect(await syncDueConsents({ intervalMs: interval }, h.deps)).toBe(1);
    expect(await h.held(fresh)).toMatchObject({ accounts: 3 });
    expect(await neverReadConsents(fresh, h.now())).toEqual([]);
    expect(await attemptedAt(wasRead.id)).toBe(started);
    expect(await attemptedAt(inactive.id)).toBe(started);
    expect(await attemptedAt(flaky.id)).toBe(started);
    // Nothing is due again at once.
    expect(await syncDueConsents({ intervalMs: interval }, h.deps)).toBe(0);

    // Just short of the interval, still nothing; at it, the read one and the one the bank failed are, not the inactive one.
    h.clock.ms = started + interval - 1;
    expect(await syncDueConsents({ intervalMs: interval }, h.deps)).toBe(0);
    h.clock.ms = started + interval;
    await h.arrive(read_, (await h.accountOfType(read_, 'current')).finqwareAccountId, 3);
    const before = await h.held(read_);
    expect(await syncDueConsents({ intervalMs: interval }, h.deps)).toBe(2);
    expect(await h.held(read_)).toEqual({ accounts: 3, transactions: before.transactions + 3 });
    expect(await h.held(unreachable)).toMatchObject({ accounts: 3 });
    expect((await listBankConsents(unreachable, h.now()))[0]!.failure).toBeNull();
    expect(await attemptedAt(inactive.id)).toBe(started);
    expect(await h.held(renewing)).toEqual({ accounts: 0, transactions: 0 });

    // The first one, read a minute after the others, comes back a minute later; `max` bounds a pass, oldest first.
    h.clock.ms = started + MINUTE_MS + interval;
    expect(await syncDueConsents({ intervalMs: interval }, h.deps)).toBe(1);
    expect(await attemptedAt(neverRead.id)).toBe(h.clock.ms);
    h.clock.ms = started + 3 * interval;
    expect(await syncDueConsents({ intervalMs: interval, max: 1 }, h.deps)).toBe(1);
    expect(await attemptedAt(neverRead.id)).toBe(started + MINUTE_MS + interval);
    expect([await attemptedAt(wasRead.id), await attemptedAt(flaky.id)]).toContain(h.clock.ms);
    // A pass asked to stop reads nothing more.
    expect(await syncDueConsents({ intervalMs: interval, isStopping: () => true }, h.deps)).toBe(0);

    // Ended consents are never read.
    const { consentExpiresAt } = await h.credentialsRow(neverRead.id);
    h.clock.ms = consentExpiresAt.getTime();
    h.requests = [];
    expect(await syncDueConsents({ intervalMs: interval }, h.deps)).toBe(0);
    expect(h.requests).toEqual([]);
  });
});

// On a database of its own, for the same reason.
describe.each(databaseKinds)('the background refresh among other products’ consents on %s', (kind) => {
  const h = useBankData(kind);

  it('reads the account-information consent even when consents of other products would fill the pass', async () => {
    const cards = [];
    for (let index = 0; index < 3; index++) {
      const userId = await h.newUser();
      const consent = await h.consent(userId);
      await h.database.db.update(onboardings).set({ skillId: CARD }).where(eq(onboardings.id, consent.onboardingId));
      // Not a consent the accounts page reads either.
      expect(await neverReadConsents(userId, h.now())).toEqual([]);
      cards.push(consent);
    }
    const owner = await h.newUser();
    await h.consent(owner);
    // Never read, like the cards, and the newest: a pass of one would take a card first if cards were candidates.
    h.clock.ms += MINUTE_MS;
    expect(await syncDueConsents({ intervalMs: 6 * HOUR_MS, max: 1 }, h.deps)).toBe(1);
    expect(await h.held(owner)).toMatchObject({ accounts: 3 });
    for (const card of cards) expect((await h.credentialsRow(card.id)).syncAttemptedAt).toBeNull();
  });
});
