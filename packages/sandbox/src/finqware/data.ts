import { createHash } from 'node:crypto';
import {
  finqwareBalancesFilterSchema,
  PATHS,
  type FinqwareAccountWire,
  type FinqwareBalancesFilter,
  type FinqwareBalanceWire,
} from '@guidepost/provider-contracts/finqware';
import { jsonRoute } from './api';
import { DATA_SKILLS, SERVICER } from './catalog';
import { authorizeCredentials } from './consents';
import { checkTenantKeys, sameSecret } from './credentials';
import { finqwareError } from './errors';
import { routePattern, type Route, type RouteContext } from './router';

/** An account as accounts/get answers it [doc]. */
export type SandboxAccount = FinqwareAccountWire;
/** A balance as balances/get answers it [doc]. */
export type SandboxBalance = FinqwareBalanceWire;

// A Romanian sandbox bank: a current account that may be overdrawn, a savings account that never is,
// and a credit card, whose booked balance is what is owed (a debit) and which has no IBAN.
const ACCOUNT_TEMPLATES = [
  { kind: 'current', name: 'Current account', currency: 'RON', accountType: 'Business current account', subType: 'CurrentAccount' },
  { kind: 'savings', name: 'Savings account', currency: 'EUR', accountType: 'Business savings account', subType: 'Savings' },
  { kind: 'card', name: 'Business credit card', currency: 'RON', accountType: 'Business credit card', subType: 'CreditCard' },
] as const;

/** The current account's overdraft and the card's limit, in cents. */
const OVERDRAFT_CENTS = 250_000;
const CARD_LIMIT_CENTS = 500_000;

const DAY_MS = 24 * 60 * 60 * 1000;

function digestOf(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** A stable UUID-shaped id from a digest. */
function uuidOf(digest: Buffer): string {
  const hex = digest.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ISO 13616 check digits: the BBAN then the country and "00", letters as 10..35, mod 97. */
function ibanCheckDigits(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((char) => (/[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char)).join('');
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

/** Money as Finqware writes it [doc]: a decimal string ≥ 0 and the side it is on. Whole cents, never a float. */
function money(cents: number): { amount: string; indicator: 'credit' | 'debit' } {
  const whole = Math.abs(cents);
  return { amount: `${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`, indicator: cents < 0 ? 'debit' : 'credit' };
}

interface AccountFacts {
  id: string;
  /** Null for the card: it is named by the bank's BIC only. */
  iban: string | null;
  template: (typeof ACCOUNT_TEMPLATES)[number];
}

function accountFacts(tenantUserId: string): AccountFacts[] {
  return ACCOUNT_TEMPLATES.map((template, index) => {
    const digest = digestOf('account', tenantUserId, String(index));
    const bban = `XYZB${[...digest.subarray(0, 16)].map((byte) => String(byte % 10)).join('')}`;
    return { id: uuidOf(digest), iban: template.kind === 'card' ? null : `RO${ibanCheckDigits('RO', bban)}${bban}`, template };
  });
}

/** Signed cents of the ClosingBooked and InterimAvailable balances, and whether the interim one counts the credit line. */
function centsOf({ id, template }: AccountFacts): { closing: number; interim: number; limitIncluded: boolean } {
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

const DATA_FIELDS = {
  client_id: 'string',
  client_secret: 'string',
  credentials_id: 'string',
  access_token: 'string',
  tenant_user_id: 'string',
  filter: 'object?',
} as const;

function dataRoute(path: string, read: (tenantUserId: string, nowMs: number, filter: Record<string, unknown> | undefined) => unknown): Route {
  return jsonRoute(routePattern(path), DATA_FIELDS, (body, { state, credentials }: RouteContext) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const entry = authorizeCredentials(state, body);
    if (entry instanceof Response) return entry;
    if (!sameSecret(body.tenant_user_id, entry.tenantUserId))
      return finqwareError('invalid_field', 'tenant_user_id is not the user these credentials belong to.');
    if (!DATA_SKILLS.has(entry.skill)) return finqwareError('invalid_credentials_id', 'These credentials grant no access to account data.');
    if (state.consentStatus(entry) !== 'ACTIVE')
      return finqwareError('expired_credentials', 'The consent behind these credentials was deleted or has expired.');
    const answer = read(entry.tenantUserId, state.now(), body.filter);
    return answer instanceof Response ? answer : Response.json(answer);
  });
}

function readBalances(tenantUserId: string, nowMs: number, filter: Record<string, unknown> | undefined): SandboxBalance[] | Response {
  const parsed = finqwareBalancesFilterSchema.safeParse(filter ?? {});
  if (parsed.success) return balancesOf(tenantUserId, nowMs, parsed.data);
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') return finqwareError('unknown_fields', `Unknown filter criteria: ${issue.keys.join(', ')}.`);
  return finqwareError('invalid_field', `filter.${issue?.path.join('.') ?? ''} is not valid.`);
}

/**
 * `POST /accounts/get` and `/balances/get` for an active account-information consent. [ours] accounts/get
 * documents no filter: one given is accepted and ignored.
 */
export const dataRoutes: readonly Route[] = [dataRoute(PATHS.accountsGet, (user, now) => accountsOf(user, now)), dataRoute(PATHS.balancesGet, readBalances)];
