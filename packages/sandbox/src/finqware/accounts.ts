import type { FinqwareAccountWire, FinqwareBalancesFilter, FinqwareBalanceWire } from '@guidepost/provider-contracts/finqware';
import { SERVICER } from './catalog';
import { digestOf, money, uuidOf } from './derive';

/** An account as accounts/get answers it [doc]. */
export type SandboxAccount = FinqwareAccountWire;
/** A balance as balances/get answers it [doc]. */
export type SandboxBalance = FinqwareBalanceWire;

// A French sandbox bank, in euros: a current account that may be overdrawn, a savings account that
// never is, and a credit card, whose booked balance is what is owed (a debit) and which has no IBAN.
// [ours] French and in euros since Guidepost serves French companies (a SIREN at Bridge): Finqware's own
// examples are Romanian (RON), but nothing in its documents ties the sandbox servicer (`xyz_…`) to a
// country or a currency.
const ACCOUNT_TEMPLATES = [
  { kind: 'current', name: 'Current account', currency: 'EUR', accountType: 'Business current account', subType: 'CurrentAccount' },
  { kind: 'savings', name: 'Savings account', currency: 'EUR', accountType: 'Business savings account', subType: 'Savings' },
  { kind: 'card', name: 'Business credit card', currency: 'EUR', accountType: 'Business credit card', subType: 'CreditCard' },
] as const;

export type AccountKind = (typeof ACCOUNT_TEMPLATES)[number]['kind'];

/** The current account's overdraft and the card's limit, in cents. */
const OVERDRAFT_CENTS = 250_000;
const CARD_LIMIT_CENTS = 500_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** [ours] The sandbox bank's code and branch in a French BBAN (five digits each); fictitious. */
const BANK_CODE = '99999';
const BRANCH_CODE = '00100';

/** ISO 13616 check digits: the BBAN then the country and "00", letters as 10..35, mod 97. */
function ibanCheckDigits(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((char) => (/[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char)).join('');
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

/** The French RIB key of a BBAN: 97 minus (89 × bank + 15 × branch + 3 × account) mod 97, two digits. */
function ribKey(bank: string, branch: string, account: string): string {
  const sum = 89 * Number(bank) + 15 * Number(branch) + 3 * Number(account);
  return String(97 - (sum % 97)).padStart(2, '0');
}

export interface AccountFacts {
  id: string;
  /** Null for the card: it is named by the bank's BIC only. */
  iban: string | null;
  template: (typeof ACCOUNT_TEMPLATES)[number];
}

/** The user's accounts at the sandbox bank: the same ids and IBANs for the same user, in every sandbox. */
export function accountFacts(tenantUserId: string): AccountFacts[] {
  return ACCOUNT_TEMPLATES.map((template, index) => {
    const digest = digestOf('account', tenantUserId, String(index));
    const number = [...digest.subarray(0, 11)].map((byte) => String(byte % 10)).join('');
    const bban = `${BANK_CODE}${BRANCH_CODE}${number}${ribKey(BANK_CODE, BRANCH_CODE, number)}`;
    return { id: uuidOf(digest), iban: template.kind === 'card' ? null : `FR${ibanCheckDigits('FR', bban)}${bban}`, template };
  });
}

/** Signed cents of the ClosingBooked and InterimAvailable balances, and whether the interim one counts the credit line. */
export function centsOf({ id, template }: AccountFacts): { closing: number; interim: number; limitIncluded: boolean } {
  const digest = digestOf('balance', id);
  const spread = (digest.readUInt32BE(4) % 200_000) - 100_000;
  switch (template.kind) {
    case 'current': {
      const closing = (digest.readUInt32BE(0) % 5_000_000) - OVERDRAFT_CENTS;
      return { closing, interim: Math.max(closing + spread, -OVERDRAFT_CENTS), limitIncluded: true };
    }
    case 'savings': {
      const closing = digest.readUInt32BE(0) % 5_000_000;
      return { closing, interim: Math.max(closing + spread, 0), limitIncluded: false };
    }
    case 'card': {
      // Owed, so a debit; what can still be spent is the limit minus that, a credit.
      const owed = (digest.readUInt32BE(0) % (CARD_LIMIT_CENTS - 1)) + 1;
      return { closing: -owed, interim: CARD_LIMIT_CENTS - owed, limitIncluded: true };
    }
  }
}

/**
 * Two balances per account, the same for the same user on the same day: last night's ClosingBooked
 * (a date) and an InterimAvailable of this hour (a date and a time). Amounts stay strings ≥ 0; a debit
 * says so in credit_debit_indicator.
 */
function balancesOfAccount(facts: AccountFacts, nowMs: number): SandboxBalance[] {
  const { closing, interim, limitIncluded } = centsOf(facts);
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const yesterday = new Date(nowMs - DAY_MS).toISOString().slice(0, 10);
  const thisHour = `${new Date(nowMs).toISOString().slice(0, 13)}:00:00Z`;
  const timestamp = new Date(nowMs).toISOString();
  const rows = [
    { type: 'ClosingBooked', cents: closing, nativeDate: yesterday, nativeTimestamp: null, creditLimitIncluded: false },
    { type: 'InterimAvailable', cents: interim, nativeDate: today, nativeTimestamp: thisHour, creditLimitIncluded: limitIncluded },
  ] as const;
  return rows.map(({ type, cents, nativeDate, nativeTimestamp, creditLimitIncluded }) => {
    const { amount, indicator } = money(cents);
    return {
      account_id: facts.id,
      id: uuidOf(digestOf('balance-id', facts.id, type)),
      timestamp,
      data: {
        amount,
        credit_debit_indicator: indicator,
        credit_limit_included: creditLimitIncluded,
        credit_line: null,
        currency: facts.template.currency,
        native_date: nativeDate,
        native_timestamp: nativeTimestamp,
        type,
      },
    };
  });
}

/** The same accounts for the same user every time, across consents, at the sandbox bank (XYZB); `timestamp` is when they were read. */
export function accountsOf(tenantUserId: string, nowMs: number): SandboxAccount[] {
  return accountFacts(tenantUserId).map((facts) => ({
    id: facts.id,
    servicer_id: SERVICER.id,
    servicer_name: SERVICER.name,
    timestamp: new Date(nowMs).toISOString(),
    data: {
      account_schemes: [
        ...(facts.iban ? [{ scheme_name: 'IBAN' as const, identification: facts.iban }] : []),
        { scheme_name: 'BICFI' as const, identification: SERVICER.bic },
      ],
      balances: balancesOfAccount(facts, nowMs).map(({ data }) => ({
        balance_amount: data.amount,
        balance_currency: data.currency,
        balance_type: data.type,
        credit_limit_included: data.credit_limit_included,
        credit_debit_indicator: data.credit_debit_indicator,
      })),
      account_type: facts.template.accountType,
      account_sub_type: facts.template.subType,
      currency: facts.template.currency,
      name: facts.template.name,
      nickname: '',
    },
  }));
}

/** Every balance of the user's accounts, narrowed by balances/get's `filter` [doc]. */
export function balancesOf(tenantUserId: string, nowMs: number, filter: FinqwareBalancesFilter = {}): SandboxBalance[] {
  return accountFacts(tenantUserId)
    .flatMap((facts) => balancesOfAccount(facts, nowMs))
    .filter(
      ({ account_id, data }) =>
        (filter.account_id === undefined || account_id === filter.account_id) &&
        (filter.type === undefined || data.type === filter.type) &&
        (filter.currency === undefined || data.currency === filter.currency),
    );
}
