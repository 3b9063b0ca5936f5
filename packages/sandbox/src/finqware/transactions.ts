import type { FinqwareTransactionsFilter, FinqwareTransactionWire, TransactionStatusWire } from '@guidepost/provider-contracts/finqware';
import { accountFacts, centsOf, type AccountFacts } from './accounts';
import { between, decimal, digestOf, drawsOf, uuidOf } from './derive';
import { occasionalMovement, PROFILES, type Movement } from './movements';
import type { TransactionArrival } from './state';

// transactions/get's data [doc: shapes and criteria; the rest ours]. The bank's history is a function of
// the account and the day, so it needs no storage and every sandbox tells the same story: a utx_id names
// the same transaction (same day, label and amount) under every consent of the same user. What a
// consent sees is that history for the year before it was given, frozen then ("stored" at its creation,
// the last two days still pending), plus whatever the control API made arrive since.

/** A transaction as transactions/get answers it [doc]. */
export type SandboxTransaction = FinqwareTransactionWire;

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** [ours] How far back a consent's transactions go: the year before it was given. */
export const HISTORY_MS = 365 * DAY_MS;
/** [ours] Transactions of the last two days before a consent was given are still pending under it. */
export const PENDING_MS = 2 * DAY_MS;

/** A consent as transactions/get reads through it: whose accounts, and when it was given. */
export interface ConsentView {
  credentialsId: string;
  tenantUserId: string;
  createdAt: number;
}

/** A movement of the bank's history at its time, named by its utx_id. */
interface Dated extends Movement {
  utxId: string;
  bookedMs: number;
}

/** Documented as base64 of 32 bytes ("Jd+ErYeF…jbSjc="): a SHA-256 of where the transaction sits. */
const utxIdOf = (...parts: string[]) => digestOf('utx', ...parts).toString('base64');
const dayKey = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** The day (days since the epoch) a movement scheduled on `dayOfMonth` is booked: a weekend's goes to the Monday. */
function scheduledDay(dayOfMonth: number, year: number, monthIndex: number): number {
  const date = new Date(Date.UTC(year, monthIndex, dayOfMonth));
  const shift = date.getUTCDay() === 6 ? 2 : date.getUTCDay() === 0 ? 1 : 0;
  return date.getTime() / DAY_MS + shift;
}

/** The account's history, day by day, each day drawn once per call. */
function historyOf(facts: AccountFacts) {
  const profile = PROFILES[facts.template.kind];
  const occasionalDays = new Map<number, Array<Movement & { bookedMs: number }>>();
  const monthDebits = new Map<string, number>();

  /** The day's unscheduled movements: how many from the day's draws, each from its own, booked from 07:00 to 20:59 UTC. */
  function occasional(day: number) {
    const known = occasionalDays.get(day);
    if (known) return known;
    const draw = drawsOf('day', facts.id, dayKey(day));
    const weekend = [0, 6].includes(new Date(day * DAY_MS).getUTCDay());
    const [min, max] = weekend ? profile.perDay.weekend : profile.perDay.weekday;
    const movements = Array.from({ length: between(draw, min, max) }, (_, index) => {
      const own = drawsOf('movement', facts.id, dayKey(day), String(index));
      const bookedMs = day * DAY_MS + between(own, 7 * 60, 21 * 60 - 1) * MINUTE_MS;
      return { ...occasionalMovement(profile, own, bookedMs), bookedMs };
    });
    occasionalDays.set(day, movements);
    return movements;
  }

  /** What the occasional debits of a month came to, in cents. */
  function debitsOfMonth(year: number, monthIndex: number): number {
    const key = `${year}-${monthIndex}`;
    const known = monthDebits.get(key);
    if (known !== undefined) return known;
    let total = 0;
    for (let day = Date.UTC(year, monthIndex, 1) / DAY_MS; day < Date.UTC(year, monthIndex + 1, 1) / DAY_MS; day++) {
      for (const movement of occasional(day)) if (movement.side === 'debit') total += movement.cents;
    }
    monthDebits.set(key, total);
    return total;
  }

  /** Every movement booked that day in the order booked: the scheduled ones at 06:00, then the others. */
  function day(day: number): Dated[] {
    const date = new Date(day * DAY_MS);
    const [year, monthIndex] = [date.getUTCFullYear(), date.getUTCMonth()];
    const scheduled = profile.scheduled.flatMap((item, index) => {
      if (scheduledDay(item.day, year, monthIndex) !== day) return [];
      const movements = item.movements({
        account: drawsOf('scheduled', facts.id, String(index)),
        month: drawsOf('scheduled', facts.id, String(index), `${year}-${monthIndex}`),
        monthIndex,
        year,
        previousMonthDebits: () => debitsOfMonth(monthIndex === 0 ? year - 1 : year, (monthIndex + 11) % 12),
      });
      return movements.map((movement, within) => ({ ...movement, bookedMs: day * DAY_MS + (6 * 60 + index * 5 + within) * MINUTE_MS }));
    });
    return [...scheduled, ...occasional(day)]
      .map((movement, index) => ({ ...movement, utxId: utxIdOf(facts.id, dayKey(day), String(index)) }))
      .sort((a, b) => a.bookedMs - b.bookedMs);
  }

  return { day };
}

/** The movement an arrival brings: one of the account's everyday movements, drawn from its sequence. */
function arrivalMovement(facts: AccountFacts, arrival: TransactionArrival): Dated {
  const draw = drawsOf('arrival', facts.id, String(arrival.sequence));
  return {
    ...occasionalMovement(PROFILES[facts.template.kind], draw, arrival.bookedAt),
    bookedMs: arrival.bookedAt,
    utxId: utxIdOf(facts.id, 'arrival', String(arrival.sequence)),
  };
}

/**
 * `count` transactions arriving on an account now: booked a minute apart up to `nowMs`, stored at `nowMs`,
 * numbered on from the `already` that arrived before.
 */
export function arrivingTransactions(accountId: string, already: number, count: number, status: TransactionStatusWire, nowMs: number): TransactionArrival[] {
  return Array.from({ length: count }, (_, index) => ({
    accountId,
    sequence: already + index,
    bookedAt: nowMs - (count - 1 - index) * MINUTE_MS,
    storedAt: nowMs,
    status,
  }));
}

/** What the control API tells of an arrival: the transaction as any consent will see it, less its per-consent id and timestamp. */
export function describeArrival(facts: AccountFacts, arrival: TransactionArrival) {
  const movement = arrivalMovement(facts, arrival);
  return {
    account_id: facts.id,
    utx_id: movement.utxId,
    booking_date_time: iso(movement.bookedMs),
    amount: decimal(movement.cents),
    credit_debit_indicator: movement.side,
    currency: facts.template.currency,
    info: movement.info,
    status: arrival.status,
  };
}

interface Entry extends Dated {
  status: TransactionStatusWire;
  storedAt: number;
  /** The account's booked balance after it, in signed cents; null while it is pending. */
  balance: number | null;
}

const signed = ({ side, cents }: Movement) => (side === 'credit' ? cents : -cents);

/**
 * One account's transactions under a consent. [ours] `balance` counts back from the ClosingBooked balance
 * balances/get gives (the newest booked transaction of the history leaves that balance) and on from it
 * through the arrivals; pending ones have none. Arrivals do not move balances/get's balances.
 */
function transactionsOfAccount(facts: AccountFacts, consent: ConsentView, arrivals: readonly TransactionArrival[]): Entry[] {
  const end = consent.createdAt;
  const start = end - HISTORY_MS;
  const { day } = historyOf(facts);
  const history: Entry[] = [];
  for (let index = Math.floor(start / DAY_MS); index <= Math.floor((end - 1) / DAY_MS); index++) {
    for (const movement of day(index)) {
      if (movement.bookedMs < start || movement.bookedMs >= end) continue;
      history.push({ ...movement, status: movement.bookedMs >= end - PENDING_MS ? 'pending' : 'booked', storedAt: end, balance: null });
    }
  }
  const { closing } = centsOf(facts);
  let balance = closing;
  for (const entry of history.toReversed()) {
    if (entry.status !== 'booked') continue;
    entry.balance = balance;
    balance -= signed(entry);
  }
  balance = closing;
  const arrived = arrivals
    .filter(({ bookedAt }) => bookedAt >= start)
    .map((arrival): Entry => {
      const movement = arrivalMovement(facts, arrival);
      if (arrival.status === 'booked') balance += signed(movement);
      return { ...movement, status: arrival.status, storedAt: Math.max(arrival.storedAt, end), balance: arrival.status === 'booked' ? balance : null };
    });
  return [...history, ...arrived];
}

const within = (value: number, bounds: { eq?: number; gte?: number; gt?: number; lte?: number; lt?: number }) =>
  (bounds.eq === undefined || value === bounds.eq) &&
  (bounds.gte === undefined || value >= bounds.gte) &&
  (bounds.gt === undefined || value > bounds.gt) &&
  (bounds.lte === undefined || value <= bounds.lte) &&
  (bounds.lt === undefined || value < bounds.lt);

const instant = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

/**
 * Whether a transaction passes every criterion given [doc]. [ours] Amount criteria compare the amount as
 * the number it is (both sides are the nearest double to a decimal); `booking_date_…` and `timestamp_…` are
 * instants, so `_eq` means that very instant; `category` looks in `details`, which the sandbox leaves
 * null ("future use" [doc]), so it matches nothing.
 */
function matches(transaction: SandboxTransaction, filter: FinqwareTransactionsFilter): boolean {
  const { data } = transaction;
  const category = data.details?.category;
  return (
    (filter.account_id === undefined || transaction.account_id === filter.account_id) &&
    (filter.currency === undefined || data.currency === filter.currency) &&
    (filter.status === undefined || data.status === filter.status) &&
    (filter.credit_debit_indicator === undefined || data.credit_debit_indicator === filter.credit_debit_indicator) &&
    (filter.category === undefined || category === filter.category) &&
    within(Number(data.amount), filter) &&
    within(Date.parse(data.booking_date_time), {
      eq: instant(filter.booking_date_eq),
      gte: instant(filter.booking_date_gte),
      gt: instant(filter.booking_date_gt),
      lte: instant(filter.booking_date_lte),
      lt: instant(filter.booking_date_lt),
    }) &&
    within(Date.parse(transaction.timestamp), {
      eq: instant(filter.timestamp_eq),
      gte: instant(filter.timestamp_gte),
      gt: instant(filter.timestamp_gt),
      lte: instant(filter.timestamp_lte),
      lt: instant(filter.timestamp_lt),
    })
  );
}

/**
 * Every transaction of the user's accounts under this consent, narrowed by transactions/get's `filter`
 * [doc], oldest first [ours: the docs give no order]. `id` names this consent's copy, `utx_id` the
 * transaction itself.
 */
export function transactionsOf(
  consent: ConsentView,
  arrivalsOf: (accountId: string) => readonly TransactionArrival[],
  filter: FinqwareTransactionsFilter = {},
): SandboxTransaction[] {
  return accountFacts(consent.tenantUserId)
    .filter((facts) => filter.account_id === undefined || facts.id === filter.account_id)
    .flatMap((facts) =>
      transactionsOfAccount(facts, consent, arrivalsOf(facts.id)).map((entry) => ({
        bookedMs: entry.bookedMs,
        transaction: {
          account_id: facts.id,
          id: uuidOf(digestOf('transaction', consent.credentialsId, entry.utxId)),
          timestamp: iso(entry.storedAt),
          utx_id: entry.utxId,
          data: {
            amount: decimal(entry.cents),
            balance: entry.balance === null ? null : decimal(entry.balance),
            booking_date_time: iso(entry.bookedMs),
            credit_debit_indicator: entry.side,
            currency: facts.template.currency,
            info: entry.info,
            status: entry.status,
            details: null,
            exchange_rate: null,
          },
        } satisfies SandboxTransaction,
      })),
    )
    .sort((a, b) => a.bookedMs - b.bookedMs)
    .map(({ transaction }) => transaction)
    .filter((transaction) => matches(transaction, filter));
}
