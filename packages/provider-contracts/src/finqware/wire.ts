import { z } from 'zod';
import { CONSENT_STATUSES, MAX_SIGNING_KEYS, SIGNING_KEY_ID_PATTERN, STATUS, TRANSACTION_STATUSES } from './choices';

// Finqware's wire format, checked on every response. The Finqware client (lib/finqware) parses every
// answer with these; the sandbox answers in these shapes; the contract suite holds both, and a real
// Finqware, to them. [doc] unless marked otherwise: see ../shared/PROVIDERS.md.

const id = z.string().min(1);

/**
 * An ISO-8601 date-time. Finqware's examples end in `Z` except balances' `timestamp`
 * ("2020-01-29T07:31:51.689168"): [ours] one without an offset is read as UTC (every field that says is
 * `utc_…`), so the parsed value always carries one and `new Date()` cannot read it as local time.
 */
export const finqwareDateTimeSchema = z.iso
  .datetime({ offset: true, local: true })
  .transform((value) => (/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`));
const dateTime = finqwareDateTimeSchema;

/** Money [doc]: a decimal string, always ≥ 0; the sign is `credit_debit_indicator`. Never a JSON number. */
export const finqwareAmountSchema = z.string().regex(/^\d+(\.\d+)?$/);
const amount = finqwareAmountSchema;
const currency = z.string().regex(/^[A-Z]{3}$/);
/** "credit": the amount is ≥ 0 as it stands; "debit": it is owed (an overdraft) [doc]. */
export const finqwareCreditDebitSchema = z.enum(['credit', 'debit']);

// Step answers carry a `data` object we do not use yet; tolerated when absent.
const stepData = z.record(z.string(), z.unknown()).optional();

/** [ours] `POST /v1/catalogs/get`. A step's kind stays a string here: the client maps unknown kinds itself. */
export const finqwareCatalogSchema = z.array(
  z.object({
    skill: id,
    name: z.string(),
    description: z.string().default(''),
    steps: z.array(z.object({ step: id, kind: z.string() })),
  }),
);

export const finqwareSessionCreatedSchema = z.object({
  nonce: id,
  session_id: id,
  status: z.literal(STATUS.created),
});

/** A step submission or an upload: the next nonce, or [ours] the temp_token when it completed the session. */
export const finqwareStepResponseSchema = z.discriminatedUnion('status', [
  z.object({ step_id: id, nonce: id, status: z.literal(STATUS.inProgress), data: stepData }),
  z.object({ step_id: id, temp_token: id, status: z.literal(STATUS.completed), data: stepData }),
]);
export type FinqwareStepResponseWire = z.infer<typeof finqwareStepResponseSchema>;

/** `POST /v1/tokens`: the grant for a completed session's temp_token; dates ISO-8601 UTC. */
export const finqwareTokensSchema = z.object({
  credentials_id: id,
  access_token: id,
  consent_exp: dateTime,
  max_data_retention: dateTime,
});

/** A consent as consents/get and consents/delete describe it (`result`). */
export const finqwareConsentInfoSchema = z.object({
  credentials_id: id,
  originator: z.object({ country: z.string(), servicer: z.string(), skill: id }),
  status: z.enum(CONSENT_STATUSES),
  tenant_app_info: z.object({ client_id: id, name: z.string() }),
  utc_created: dateTime,
  utc_last_update: dateTime,
  consent_exp: dateTime,
  max_data_retention: dateTime,
});
export type FinqwareConsentInfoWire = z.input<typeof finqwareConsentInfoSchema>;

/** `POST /v1/consents/get`. */
export const finqwareConsentGetSchema = z.object({
  op_type: z.literal('read'),
  code: z.literal('credentials_info'),
  http: z.literal(200),
  message: z.string(),
  result: finqwareConsentInfoSchema,
});

/** `POST /v1/consents/delete`: idempotent, so a second delete answers the same, still DELETED. */
export const finqwareConsentDeletedSchema = z.object({
  code: z.literal('credentials_deleted'),
  http: z.literal(200),
  op_type: z.literal('delete'),
  message: z.string().optional(),
  result: finqwareConsentInfoSchema.extend({ status: z.literal('DELETED') }),
});

/**
 * What the client needs of a consents/delete answer to record a revocation: Finqware's word that this
 * consent is DELETED. [ours] Only that is required: the public page's own example shows a `result` that
 * opens with a `client_id` consents/get does not have, and a revocation Finqware confirmed must be
 * recorded whatever informative fields come with it. The contract suite holds Finqware to the full shape.
 */
export const finqwareConsentDeletedAckSchema = z.object({
  code: z.literal('credentials_deleted'),
  result: z.object({ credentials_id: id, status: z.literal('DELETED') }),
});

/** `POST /v1/accounts/get`: the accounts a consent reaches, each with its identifiers and balances. */
export const finqwareAccountSchema = z.object({
  id,
  servicer_id: id,
  servicer_name: z.string(),
  timestamp: dateTime,
  data: z.object({
    account_schemes: z.array(z.object({ scheme_name: z.enum(['IBAN', 'BICFI']), identification: id })),
    balances: z.array(
      z.object({
        balance_amount: amount,
        balance_currency: currency,
        balance_type: id,
        credit_limit_included: z.boolean(),
        credit_debit_indicator: finqwareCreditDebitSchema,
      }),
    ),
    account_type: z.string(),
    account_sub_type: z.string(),
    currency,
    // Empty strings in the documented example: banks often leave them blank.
    name: z.string(),
    nickname: z.string(),
  }),
});
export const finqwareAccountsSchema = z.array(finqwareAccountSchema);
export type FinqwareAccountWire = z.input<typeof finqwareAccountSchema>;

/** `POST /v1/balances/get`. */
export const finqwareBalanceSchema = z.object({
  account_id: id,
  id,
  /** When Finqware queried it (no offset in the documented example). */
  timestamp: dateTime,
  data: z.object({
    amount,
    credit_debit_indicator: finqwareCreditDebitSchema,
    credit_limit_included: z.boolean(),
    // [ours] Documented only as null; a decimal string otherwise.
    credit_line: z.string().nullable(),
    currency,
    // The bank's date for some types (ClosingBooked), its date-time for intermediate ones; [ours] either may be null.
    native_date: z.iso.date().nullable(),
    native_timestamp: dateTime.nullable(),
    /** An ISO 20022 name (BALANCE_TYPES). */
    type: id,
  }),
});
export const finqwareBalancesSchema = z.array(finqwareBalanceSchema);
export type FinqwareBalanceWire = z.input<typeof finqwareBalanceSchema>;

/** balances/get's optional `filter` [doc]; [ours] other criteria are refused rather than ignored. */
export const finqwareBalancesFilterSchema = z.strictObject({ account_id: id.optional(), type: id.optional(), currency: currency.optional() });
export type FinqwareBalancesFilter = z.infer<typeof finqwareBalancesFilterSchema>;

/**
 * `POST /v1/transactions/get` [doc]: a transaction of one account. `timestamp` is when Finqware stored it
 * (what the `timestamp_…` criteria compare, for incremental sync); `utx_id` is "the same across consents"
 * while `id` names this consent's copy, so the upsert key is `utx_id`. No pagination is documented.
 */
export const finqwareTransactionSchema = z.object({
  account_id: id,
  id,
  timestamp: dateTime,
  utx_id: id,
  data: z.object({
    amount,
    /**
     * The account's balance after it (the example: "9434.52"). [ours] The docs give it no indicator of its
     * own and show no balance below zero: one is written with a leading minus, and a transaction not
     * booked yet may have none (null).
     */
    balance: z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .nullable(),
    booking_date_time: dateTime,
    credit_debit_indicator: finqwareCreditDebitSchema,
    currency,
    /** The bank's label. */
    info: z.string(),
    /** "booked" in the docs; [ours] any other value is passed on for the client to map (TRANSACTION_STATUSES). */
    status: id,
    // "future use" [doc]: null in the current example, an object (category, merchant, location, tags) and a
    // number in an older one; [ours] either is taken, and an absent one read as null.
    details: z.record(z.string(), z.unknown()).nullable().default(null),
    exchange_rate: z.union([z.number(), z.string()]).nullable().default(null),
  }),
});
export const finqwareTransactionsSchema = z.array(finqwareTransactionSchema);
export type FinqwareTransactionWire = z.input<typeof finqwareTransactionSchema>;

// An amount criterion is a "decimal" [doc], and the documented example sends a JSON number ("lt": 4.27…):
// [ours] a number ≥ 0 (amounts are), never a string. Dates are "utc_datetime" [doc].
const amountBound = z.number().nonnegative().optional();
const dateBound = dateTime.optional();

/**
 * transactions/get's optional `filter` [doc], every documented criterion: the account, currency, status,
 * side and category; the amount `eq|gte|gt|lte|lt`; `booking_date_…` on booking_date_time; `timestamp_…`
 * on when Finqware stored it. [ours] Other criteria are refused rather than ignored, as balances/get's are.
 */
export const finqwareTransactionsFilterSchema = z.strictObject({
  account_id: id.optional(),
  currency: currency.optional(),
  status: z.enum(TRANSACTION_STATUSES).optional(),
  credit_debit_indicator: finqwareCreditDebitSchema.optional(),
  category: id.optional(),
  eq: amountBound,
  gte: amountBound,
  gt: amountBound,
  lte: amountBound,
  lt: amountBound,
  booking_date_eq: dateBound,
  booking_date_gte: dateBound,
  booking_date_gt: dateBound,
  booking_date_lte: dateBound,
  booking_date_lt: dateBound,
  timestamp_eq: dateBound,
  timestamp_gte: dateBound,
  timestamp_gt: dateBound,
  timestamp_lte: dateBound,
  timestamp_lt: dateBound,
});
export type FinqwareTransactionsFilter = z.infer<typeof finqwareTransactionsFilterSchema>;

/** Both of Finqware's error shapes: the full `{ id, type, http, code, message }` and the bare `{ message }`. */
// Each field on its own: a body with one odd field still gives us the others.
const optionalText = z.string().optional().catch(undefined);
export const finqwareErrorBodySchema = z.object({
  id: optionalText,
  type: optionalText,
  http: z.number().optional().catch(undefined),
  code: optionalText,
  message: optionalText,
});

/** The full error shape, every field present [doc]; `http` repeats the status. */
export const finqwareFullErrorSchema = z.object({ id, type: id, http: z.number().int(), code: id, message: z.string() });
/** The bare error shape some endpoints answer, step submission among them [doc]: nothing but a message. */
export const finqwareBareErrorSchema = z.strictObject({ message: z.string() });

/**
 * The service account's published public keys [doc]: a JWKS whose keys are named by the key id
 * (`kid`, SIGNING_KEY_ID_PATTERN), at most MAX_SIGNING_KEYS of them for rotation. Finqware fetches
 * it from Google; the sandbox is given it.
 */
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'must be base64url' });
export const finqwareJwksSchema = z.object({
  keys: z
    .array(
      z.object({
        kid: z.string().regex(SIGNING_KEY_ID_PATTERN, { error: 'kid must be a key id of 40 lowercase hex digits' }),
        kty: z.literal('RSA', { error: 'kty must be RSA' }),
        // RS256 keys are 2048 bits or more (RFC 7518): 342 base64url digits at least.
        n: base64url.min(342, { error: 'n must be an RSA modulus of 2048 bits or more' }),
        e: base64url,
        alg: z.literal('RS256', { error: 'alg must be RS256' }).optional(),
        use: z.literal('sig', { error: 'use must be sig' }).optional(),
      }),
    )
    .min(1, { error: 'must hold at least one key' })
    .max(MAX_SIGNING_KEYS, { error: `holds at most ${MAX_SIGNING_KEYS} keys` })
    .refine((keys) => new Set(keys.map(({ kid }) => kid)).size === keys.length, { error: 'names a kid twice' }),
});
export type FinqwareJwks = z.infer<typeof finqwareJwksSchema>;
